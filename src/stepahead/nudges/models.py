"""Nudges and who wants them: the log (one row per nudge, its key unique) and preferences."""

from datetime import time

from django.conf import settings
from django.db import models

from stepahead.core.nudges import NudgeKind
from stepahead.partnerships.models import Partnership


class NudgePreference(models.Model):
    """A person's opt-out, time zone and quiet hours (defaults apply without a row)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="nudge_preference"
    )
    opted_out = models.BooleanField(default=False, help_text="No reminders or nudges by email.")
    time_zone = models.CharField(max_length=64, blank=True, help_text="IANA name, e.g. Europe/Paris.")
    quiet_from = models.TimeField(default=time(21, 0))
    quiet_until = models.TimeField(default=time(8, 0))

    def __str__(self) -> str:
        return f"Nudge preferences of {self.user}"


class NudgeStatus(models.TextChoices):
    SENT = "sent", "Sent"  # queued in the mail outbox in the same transaction
    OPTED_OUT = "opted_out", "Not sent: opted out"
    NO_EMAIL = "no_email", "Not sent: no email address"


class Nudge(models.Model):
    """Every nudge the batch decided on. `key` is unique: the database refuses a second one,
    which is what keeps a re-run or a restarted worker from sending it twice."""

    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=24, choices=[(k.value, k.value.replace("_", " ")) for k in NudgeKind])
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="nudges")
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="nudges")
    status = models.CharField(max_length=16, choices=NudgeStatus.choices)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["partnership", "created_at"])]

    def __str__(self) -> str:
        return self.key
