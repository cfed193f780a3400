"""A partnership's life after everyone said yes: agreement (versioned, confirmed by every member),
goals with progress and reflections, sessions with logs and notes, and closure.

Privacy: session content (takeaways, next actions, who brought what, notes) belongs to the
members. HR and admins see only that a session happened and its length — selectors for HR never
read those columns, the admin does not show them, and `SessionNote.shared=False` is its author's
alone.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from stepahead.core.partnering import Channel as CoreChannel
from stepahead.core.partnering import GoalOutcome as CoreOutcome
from stepahead.partnerships.models import Partnership, PartnershipMember
from stepahead.programmes.models import Programme


class Channel(models.TextChoices):
    VIDEO = CoreChannel.VIDEO.value, "Video call"
    IN_PERSON = CoreChannel.IN_PERSON.value, "In person"
    PHONE = CoreChannel.PHONE.value, "Phone"
    MIXED = CoreChannel.MIXED.value, "Mixed"


class AgreementTemplate(models.Model):
    """The programme's starting point for every agreement (the programme manager edits it)."""

    programme = models.OneToOneField(Programme, on_delete=models.CASCADE, related_name="agreement_template")
    cadence_days = models.PositiveSmallIntegerField(default=14)
    session_minutes = models.PositiveSmallIntegerField(default=60)
    channel = models.CharField(max_length=16, choices=Channel.choices, default=Channel.VIDEO)
    confidentiality = models.TextField(blank=True)
    ground_rules = models.TextField(blank=True)
    planned_weeks = models.PositiveSmallIntegerField(default=26)

    def __str__(self) -> str:
        return f"Agreement template for {self.programme}"


class AgreementVersion(models.Model):
    """One version of a partnership's agreement. The newest is in force once every member has
    confirmed it; an edit after a confirmation makes a new version and older ones stay readable."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="agreement_versions")
    number = models.PositiveSmallIntegerField()
    cadence_days = models.PositiveSmallIntegerField()
    session_minutes = models.PositiveSmallIntegerField()
    channel = models.CharField(max_length=16, choices=Channel.choices)
    confidentiality = models.TextField(blank=True)
    ground_rules = models.TextField(blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField()
    shared_goal = models.TextField(blank=True, help_text="Circles: the goal the circle shares.")
    rotation = models.JSONField(
        default=list, blank=True, help_text="Circles: member ids in the order they facilitate."
    )
    goals = models.JSONField(default=list, blank=True, help_text="The goals as this version stated them.")
    created_by = models.ForeignKey(
        PartnershipMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["partnership", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "number"], name="one_agreement_version_number")
        ]

    def __str__(self) -> str:
        return f"Agreement v{self.number} of #{self.partnership_id}"


class AgreementConfirmation(models.Model):
    version = models.ForeignKey(AgreementVersion, on_delete=models.CASCADE, related_name="confirmations")
    member = models.ForeignKey(PartnershipMember, on_delete=models.CASCADE, related_name="confirmations")
    confirmed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "member"], name="one_confirmation_per_member")
        ]

    def __str__(self) -> str:
        return f"v{self.version_id} confirmed by member {self.member_id}"


class GoalOutcome(models.TextChoices):
    OPEN = CoreOutcome.OPEN.value, "Open"
    ACHIEVED = CoreOutcome.ACHIEVED.value, "Achieved"
    PARTLY = CoreOutcome.PARTLY.value, "Partly achieved"
    NOT_ACHIEVED = CoreOutcome.NOT_ACHIEVED.value, "Not achieved"


class Goal(models.Model):
    """A member's goal in the partnership (or, with no owner, a circle's shared goal)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="goals")
    owner = models.ForeignKey(
        PartnershipMember, null=True, blank=True, on_delete=models.CASCADE, related_name="goals"
    )
    title = models.CharField(max_length=200)
    success_measure = models.TextField(blank=True)
    progress = models.PositiveSmallIntegerField(
        default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    outcome = models.CharField(max_length=16, choices=GoalOutcome.choices, default=GoalOutcome.OPEN)
    position = models.PositiveSmallIntegerField(default=0)
    retired = models.BooleanField(default=False, help_text="Dropped from the agreement by a later version.")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["partnership", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="goal_progress_at_most_100")
        ]

    def __str__(self) -> str:
        return self.title


class GoalReflection(models.Model):
    """A dated note on a goal with the progress it reports: the goal's history over time."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="reflections")
    author = models.ForeignKey(PartnershipMember, on_delete=models.CASCADE, related_name="+")
    progress = models.PositiveSmallIntegerField(validators=[MaxValueValidator(100)])
    text = models.TextField(blank=True)
    written_at = models.DateTimeField()

    class Meta:
        ordering = ["goal", "written_at", "pk"]

    def __str__(self) -> str:
        return f"Reflection on goal {self.goal_id} ({self.progress}%)"


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class Session(models.Model):
    """A meeting of the partnership. `uid` and `sequence` are its iCalendar identity: the UID
    never changes, each update or cancellation bumps the sequence."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="sessions")
    uid = models.CharField(max_length=120, unique=True)
    sequence = models.PositiveIntegerField(default=0)
    starts_at = models.DateTimeField()
    time_zone = models.CharField(max_length=64, default="UTC")
    minutes = models.PositiveSmallIntegerField()
    location = models.CharField(max_length=500, blank=True, help_text="A place or a meeting link.")
    status = models.CharField(max_length=16, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED)
    facilitator = models.ForeignKey(
        PartnershipMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        PartnershipMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    # The log, written by a member once the session was held: members' eyes only.
    logged_at = models.DateTimeField(null=True, blank=True)
    logged_by = models.ForeignKey(
        PartnershipMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    goals = models.ManyToManyField(Goal, blank=True, related_name="sessions")
    contributions = models.JSONField(
        default=dict, blank=True, help_text="Who brought what: member id → text."
    )
    takeaways = models.TextField(blank=True)
    next_actions = models.TextField(blank=True)

    class Meta:
        ordering = ["partnership", "starts_at", "pk"]
        indexes = [
            models.Index(fields=["partnership", "status", "starts_at"]),
            models.Index(fields=["status", "starts_at"]),
        ]

    def __str__(self) -> str:
        return f"Session {self.uid} ({self.status})"


class SessionNote(models.Model):
    """A member's note on a session: private (author only) unless `shared` with the members."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(PartnershipMember, on_delete=models.CASCADE, related_name="session_notes")
    shared = models.BooleanField(default=False)
    text = models.TextField()
    written_at = models.DateTimeField()

    class Meta:
        ordering = ["session", "written_at", "pk"]

    def __str__(self) -> str:  # never the text: admins and logs must not show it
        return f"{'Shared' if self.shared else 'Private'} note {self.pk}"


class ClosureKind(models.TextChoices):
    ON_PLAN = "on_plan", "Ended on plan"
    EARLY = "early", "Ended early"


class EarlyEndReason(models.TextChoices):
    """No-fault reasons: none blames a person."""

    SCHEDULES = "schedules", "Our schedules did not work together"
    NOT_A_FIT = "not_a_fit", "The match was not the right fit"
    GOALS_MET = "goals_met", "Goals were met early"
    ROLE_CHANGE = "role_change", "A change of role or workload"
    LEFT = "left", "Someone left the organisation or the programme"
    OTHER = "other", "Another reason"


class Closure(models.Model):
    partnership = models.OneToOneField(Partnership, on_delete=models.CASCADE, related_name="closure")
    kind = models.CharField(max_length=16, choices=ClosureKind.choices)
    reason = models.CharField(max_length=16, choices=EarlyEndReason.choices, blank=True)
    note = models.TextField(blank=True, help_text="Early ends: the reason in the person's words.")
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"#{self.partnership_id} {self.kind}"


class ClosingReflection(models.Model):
    """Each member's look back at the end (members' eyes only)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="closing_reflections")
    member = models.ForeignKey(PartnershipMember, on_delete=models.CASCADE, related_name="+")
    text = models.TextField()
    written_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "member"], name="one_closing_reflection_per_member"
            )
        ]

    def __str__(self) -> str:
        return f"Closing reflection of member {self.member_id}"


class RatingMoment(models.TextChoices):
    BEFORE = "before", "When the goals were agreed"
    AFTER = "after", "At the close"


class SkillRating(models.Model):
    """A member's self-rated level (0–5) in one of their goal skills at a moment of the
    partnership: when its goals were agreed, and again when they close it. Kept as history
    (the person's profile level moves on; these stay), for before→after outcomes."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="skill_ratings")
    member = models.ForeignKey(PartnershipMember, on_delete=models.CASCADE, related_name="skill_ratings")
    skill = models.ForeignKey("people.Skill", on_delete=models.CASCADE, related_name="+")
    moment = models.CharField(max_length=8, choices=RatingMoment.choices)
    level = models.PositiveSmallIntegerField(validators=[MaxValueValidator(5)])
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["partnership", "member", "skill", "moment"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "skill", "moment"], name="one_rating_per_skill_and_moment"
            ),
            models.CheckConstraint(condition=models.Q(level__lte=5), name="skill_rating_at_most_5"),
        ]

    def __str__(self) -> str:
        return f"Member {self.member_id} skill {self.skill_id} {self.moment}: {self.level}"
