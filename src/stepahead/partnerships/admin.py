from django.contrib import admin

from .models import Partnership, PartnershipMember


class MemberInline(admin.TabularInline[PartnershipMember, Partnership]):
    model = PartnershipMember
    extra = 0
    raw_id_fields = ["enrolment"]


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin[Partnership]):
    list_display = ["pk", "programme", "kind", "status", "score", "pinned", "created_at"]
    list_filter = ["organisation", "programme", "kind", "status", "pinned"]
    raw_id_fields = ["match_run", "approved_by"]
    inlines = [MemberInline]
