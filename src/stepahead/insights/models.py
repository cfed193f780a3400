"""Evidence a programme manager attaches for the ISMCP report where it lives outside the platform."""

from django.conf import settings
from django.db import models

from stepahead.core.ismcp import CRITERIA
from stepahead.programmes.models import Programme

CRITERION_CHOICES = [(code, f"{code} {criterion.text}") for code, criterion in CRITERIA.items()]
MAX_DOCUMENT_BYTES = 5 * 1024 * 1024


class EvidenceDocument(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="evidence_documents")
    criterion = models.CharField(max_length=8, choices=CRITERION_CHOICES)
    title = models.CharField(max_length=200)
    statement = models.TextField(blank=True)
    # Small files kept in the database, so they follow the tenant's data and need no file store.
    file_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    content = models.BinaryField(blank=True, default=b"")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["programme", "criterion", "pk"]

    def __str__(self) -> str:
        return f"{self.criterion} {self.title}"
