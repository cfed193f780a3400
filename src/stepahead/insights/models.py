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


class SnapshotState(models.TextChoices):
    IDLE = "idle", "Ready"
    QUEUED = "queued", "Waiting for the worker"
    RUNNING = "running", "Computing"
    FAILED = "failed", "Failed"


class InsightSnapshot(models.Model):
    """The figures of one insights page (an organisation or a programme, under one filter set),
    computed in the background so that a page never waits for a large organisation's aggregates.

    One row per page and filter set holds the latest figures and the state of their refresh:
    the page serves `figures` at once while a newer set is being computed."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="insight_snapshots"
    )
    programme = models.ForeignKey(
        Programme, null=True, blank=True, on_delete=models.CASCADE, related_name="insight_snapshots"
    )
    key = models.CharField(max_length=400, unique=True)  # organisation, programme and filters
    filters = models.JSONField(default=dict)  # the page's chosen filters (period key, not a date)
    figures = models.JSONField(null=True, blank=True)  # the overview, as `stored.dump` writes it
    computed_at = models.DateTimeField(null=True, blank=True)  # "figures as of"
    compute_seconds = models.FloatField(null=True, blank=True)
    state = models.CharField(max_length=10, choices=SnapshotState.choices, default=SnapshotState.IDLE)
    stage = models.CharField(max_length=120, blank=True)
    progress = models.PositiveSmallIntegerField(default=0)  # percent of the current computation
    requested_at = models.DateTimeField(null=True, blank=True)
    # Set when lifecycle records of the organisation change after the figures were computed.
    stale = models.BooleanField(default=False)
    error = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["organisation", "stale"])]

    def __str__(self) -> str:
        return self.key
