"""One `Partnership` per peer pair, mentor–mentee match or circle, from proposal onwards.

The later lifecycle (agreements, sessions, feedback, closure) extends this record rather than
adding another, so the status list below is expected to grow after ACCEPTED.
"""

from django.conf import settings
from django.db import models

from stepahead.organisations.models import Organisation
from stepahead.programmes.models import Enrolment, Programme


class Kind(models.TextChoices):
    PAIR = "pair", "Peer pair"
    MENTORING = "mentoring", "Mentoring"
    CIRCLE = "circle", "Circle"


class PartnershipStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"  # by a match run, under review by managers
    APPROVED = "approved", "Approved"  # sent to the members, awaiting their answers
    ACCEPTED = "accepted", "Accepted"  # every member said yes; the agreement is being written
    ACTIVE = "active", "Active"  # every member confirmed the agreement
    COMPLETED = "completed", "Completed"  # ended on plan
    ENDED_EARLY = "ended_early", "Ended early"  # ended before plan, no fault; members back in the pool
    DECLINED = "declined", "Declined"  # a member said no; everyone returned to the pool
    WITHDRAWN = "withdrawn", "Withdrawn"  # discarded by a manager or superseded by a re-run


# Partnerships whose members a re-run must leave alone. Pinned proposals count too.
LOCKED_STATUSES = frozenset(
    {PartnershipStatus.APPROVED, PartnershipStatus.ACCEPTED, PartnershipStatus.ACTIVE}
)
# Partnerships that have finished their life (history, never deleted).
ENDED_STATUSES = frozenset({PartnershipStatus.COMPLETED, PartnershipStatus.ENDED_EARLY})


class Partnership(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="partnerships")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="partnerships")
    match_run = models.ForeignKey(
        "matchruns.MatchRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="partnerships"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    status = models.CharField(
        max_length=16, choices=PartnershipStatus.choices, default=PartnershipStatus.PROPOSED
    )
    score = models.FloatField(
        null=True, blank=True, help_text="The spec weight (pairs, matches) or circle score."
    )
    reasons = models.JSONField(default=list, blank=True)
    pinned = models.BooleanField(default=False, help_text="Kept, with its members, when matching is re-run.")
    adjusted = models.BooleanField(default=False, help_text="Members changed by a manager after the run.")
    # Kept with the members (record_proposals, review edits) so the proposals page counts
    # cross-function proposals without joining every member's person.
    cross_function = models.BooleanField(
        default=False, help_text="Its members come from more than one function."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # Kept by stepahead.lifecycle.services so HR's partnerships page filters and sorts in SQL.
    activated_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    last_activity_at = models.DateTimeField(null=True, blank=True)
    next_session_due_at = models.DateTimeField(
        null=True, blank=True, help_text="A cadence after the last held session (or the start)."
    )
    risk_reasons = models.JSONField(
        default=list, blank=True, help_text="Why the partnership is at risk, from the nudge batch."
    )

    class Meta:
        ordering = ["-score", "pk"]
        # Also orders a programme's proposals by score (the review board's pages) without a sort.
        indexes = [models.Index(fields=["programme", "status", "score"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.status})"


class MemberRole(models.TextChoices):
    PEER = "peer", "Peer"
    MENTOR = "mentor", "Mentor"
    MENTEE = "mentee", "Mentee"
    MEMBER = "member", "Circle member"


class Response(models.TextChoices):
    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


class PartnershipMember(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="members")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="partnership_memberships")
    role = models.CharField(max_length=16, choices=MemberRole.choices)
    response = models.CharField(max_length=16, choices=Response.choices, default=Response.PENDING)
    responded_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["partnership", "role", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "enrolment"], name="one_membership_per_partnership"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enrolment.person} as {self.role} in #{self.partnership_id}"
