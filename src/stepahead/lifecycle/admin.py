"""Admin screens for the lifecycle. Session content (logs, notes, reflections) is deliberately
absent: HR and admins see that a session happened and its length, never what was said."""

from django.contrib import admin

from .models import AgreementTemplate, AgreementVersion, Closure, Session


@admin.register(AgreementTemplate)
class AgreementTemplateAdmin(admin.ModelAdmin[AgreementTemplate]):
    list_display = ["programme", "cadence_days", "session_minutes", "channel", "planned_weeks"]


@admin.register(AgreementVersion)
class AgreementVersionAdmin(admin.ModelAdmin[AgreementVersion]):
    list_display = ["partnership", "number", "cadence_days", "session_minutes", "created_at"]
    fields = readonly_fields = (
        "partnership",
        "number",
        "cadence_days",
        "session_minutes",
        "starts_on",
        "ends_on",
    )


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin[Session]):
    """Only when and how long: no log, no notes."""

    list_display = ["partnership", "starts_at", "minutes", "status"]
    list_filter = ["status"]
    fields = readonly_fields = ("partnership", "starts_at", "time_zone", "minutes", "status")


@admin.register(Closure)
class ClosureAdmin(admin.ModelAdmin[Closure]):
    list_display = ["partnership", "kind", "reason", "closed_at"]
    fields = readonly_fields = ("partnership", "kind", "reason", "note", "closed_at")
