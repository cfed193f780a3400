from django.contrib import admin

from .models import OutboundEmail


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin[OutboundEmail]):
    list_display = ["pk", "to", "template", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["organisation", "status", "template"]
    search_fields = ["to", "key", "subject"]
    readonly_fields = [f.name for f in OutboundEmail._meta.fields]
