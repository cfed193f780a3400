from django.contrib import admin

from .models import EvidenceDocument


@admin.register(EvidenceDocument)
class EvidenceDocumentAdmin(admin.ModelAdmin[EvidenceDocument]):
    list_display = ["programme", "criterion", "title", "added_at"]
    exclude = ["content"]
