from django.contrib import admin

from .models import MatchRun


@admin.register(MatchRun)
class MatchRunAdmin(admin.ModelAdmin[MatchRun]):
    list_display = ["pk", "programme", "status", "pool_size", "placed", "total_score", "created_at"]
    list_filter = ["organisation", "status"]
    readonly_fields = [f.name for f in MatchRun._meta.fields]
