"""Concerns raised privately with a programme's support contact, with their handling and closure.

Only the member who raised a concern and the programme's support contact read it (or, while a
programme names no support contact, its managers); no other participant ever sees it.
"""

from django.conf import settings
from django.db import models

from stepahead.partnerships.models import Partnership, PartnershipMember
from stepahead.programmes.models import Programme


class SupportContact(models.Model):
    """Who handles a programme's concerns (one per programme)."""

    programme = models.OneToOneField(Programme, on_delete=models.CASCADE, related_name="support_contact")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return f"{self.user} supports {self.programme}"


class Category(models.TextChoices):
    BEHAVIOUR = "behaviour", "Behaviour"
    CONFIDENTIALITY = "confidentiality", "Confidentiality breach"
    NOT_WORKING = "not_working", "It is not working"
    OTHER = "other", "Something else"


class ConcernStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_HAND = "in_hand", "Being handled"
    CLOSED = "closed", "Closed"


class Concern(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="concerns")
    raised_by = models.ForeignKey(PartnershipMember, on_delete=models.CASCADE, related_name="concerns")
    category = models.CharField(max_length=16, choices=Category.choices)
    description = models.TextField()
    status = models.CharField(max_length=16, choices=ConcernStatus.choices, default=ConcernStatus.OPEN)
    raised_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.TextField(
        blank=True, help_text="How it was resolved, shown to the person who raised it."
    )

    class Meta:
        ordering = ["-raised_at"]

    def __str__(self) -> str:
        return f"Concern #{self.pk} ({self.status})"


class HandlingNote(models.Model):
    """A dated step in handling a concern, written by the support contact."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField()
    written_at = models.DateTimeField()

    class Meta:
        ordering = ["written_at", "pk"]

    def __str__(self) -> str:
        return f"Note #{self.pk} on concern #{self.concern_id}"
