"""One row per email: rendered at queue time, its delivery status kept for HR to see."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from stepahead.organisations.models import Organisation


class EmailStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    RETRYING = "retrying", "Retrying"
    FAILED = "failed", "Failed"


PENDING_STATUSES = (EmailStatus.QUEUED, EmailStatus.RETRYING)
RESENDABLE = (EmailStatus.SENT, EmailStatus.RETRYING, EmailStatus.FAILED)


class OutboundEmail(models.Model):
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="outbound_emails"
    )
    key = models.CharField(max_length=200, unique=True, help_text="Idempotency key of the sender.")
    to = models.EmailField(max_length=254)
    template = models.CharField(max_length=120)
    subject = models.CharField(max_length=300)
    text_body = models.TextField()
    html_body = models.TextField(blank=True)
    attachments = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=16, choices=EmailStatus.choices, default=EmailStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    related_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    related_id = models.CharField(max_length=64, blank=True)
    related = GenericForeignKey("related_type", "related_id")
    resend_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="resends"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["related_type", "related_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.template} to {self.to} ({self.status})"
