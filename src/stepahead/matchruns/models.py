"""A record of every matching attempt: inputs, who asked, progress, outcome and timings."""

from django.conf import settings
from django.db import models

from stepahead.organisations.models import Organisation
from stepahead.programmes.models import Programme


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


ACTIVE_STATUSES = (RunStatus.QUEUED, RunStatus.RUNNING)


class MatchRun(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="match_runs")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="match_runs")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=16, choices=RunStatus.choices, default=RunStatus.QUEUED)
    parameters = models.JSONField(
        default=dict, help_text="The MatchParams used (and the time limit), frozen at start."
    )
    # A what-if run tries other parameters: it changes neither the programme nor its proposals
    # until HR adopts it (matchruns.whatif).
    what_if = models.BooleanField(default=False)
    adopted_at = models.DateTimeField(null=True, blank=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The groups the run found, as proposals would hold them: [{"kind", "score", "reasons",
    # "members": [[enrolment id, role], ...]}]. Kept apart from `summary` so lists of runs need
    # not load them (defer it), and so any run can be compared by name or adopted later.
    groups = models.JSONField(default=list, blank=True)
    pool_size = models.PositiveIntegerField(default=0)
    locked_people = models.PositiveIntegerField(
        default=0, help_text="Enrolled people kept out by earlier matches."
    )
    progress = models.FloatField(
        default=0.0, help_text="0 to 1, written by the worker as the engine reports."
    )
    stage = models.CharField(max_length=120, blank=True)
    summary = models.JSONField(
        default=dict, blank=True, help_text="Placed, total score, unmatched reasons, ..."
    )
    # The spec's count (people in pairs or circles, matched mentees); see people_placed.
    placed = models.PositiveIntegerField(null=True, blank=True)
    total_score = models.FloatField(null=True, blank=True)
    error = models.TextField(blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text="Renewed by the worker while it runs; stale means it stopped."
    )
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # At most one run in flight per programme, even if two managers click at once.
            models.UniqueConstraint(
                fields=["programme"],
                condition=models.Q(status__in=["queued", "running"]),
                name="one_active_run_per_programme",
            )
        ]

    def __str__(self) -> str:
        return f"Run #{self.pk} of {self.programme} ({self.status})"

    @property
    def people_placed(self) -> int | None:
        """Everyone in a proposal, mentors included: what the pages show as people placed."""
        return (self.summary or {}).get("people_placed")

    @property
    def seconds(self) -> float | None:
        """Wall-clock time from pick-up to finish."""
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES
