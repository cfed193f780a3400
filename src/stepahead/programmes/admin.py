from django.contrib import admin

from .models import Enrolment, Invitation, Programme, ProgrammeManager


class ProgrammeManagerInline(admin.TabularInline[ProgrammeManager, Programme]):
    model = ProgrammeManager
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin[Programme]):
    list_display = ["name", "organisation", "mode", "status", "starts_on", "ends_on"]
    list_filter = ["organisation", "mode", "status"]
    search_fields = ["name"]
    inlines = [ProgrammeManagerInline]


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin[Enrolment]):
    list_display = ["person", "programme", "role", "capacity", "status"]
    list_filter = ["programme__organisation", "programme", "role", "status"]
    raw_id_fields = ["person", "prefer", "avoid"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin[Invitation]):
    list_display = ["person", "programme", "status", "created_at"]
    list_filter = ["status", "programme"]
    raw_id_fields = ["person", "invited_by"]
    readonly_fields = ["token"]
