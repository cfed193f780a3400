"""Mentoring programmes, who manages them, who is invited and who takes part.

Matching parameters default to spec matching-v1; a programme may override each one.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from stepahead.organisations.models import Organisation
from stepahead.people.models import Person


class Mode(models.TextChoices):
    """The engine's modes (stepahead.matching.Mode), with names HR recognises."""

    TRADITIONAL = "traditional", "Traditional mentoring"
    REVERSE = "reverse", "Reverse mentoring"
    PEER = "peer", "Reciprocal peer pairs"
    CIRCLES = "circles", "Peer circles"
    OPEN = "open", "Open mentoring"


MENTORING_MODES = frozenset({Mode.TRADITIONAL, Mode.REVERSE, Mode.OPEN})


class Profile(models.TextChoices):
    ONE_STEP = "one-step", "One step ahead"
    EXPERT = "expert", "Expert"


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    ENROLLING = "enrolling", "Enrolling"
    MATCHING = "matching", "Matching"
    RUNNING = "running", "Running"
    CLOSED = "closed", "Closed"


# The only moves the workflow allows; `programmes.services.change_programme_status` enforces them.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.DRAFT: frozenset({Status.ENROLLING, Status.CLOSED}),
    Status.ENROLLING: frozenset({Status.MATCHING, Status.CLOSED}),
    Status.MATCHING: frozenset({Status.RUNNING, Status.CLOSED}),
    Status.RUNNING: frozenset({Status.CLOSED}),
    Status.CLOSED: frozenset(),
}


class Programme(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="programmes")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    # ISMCP standard 1, clarity of purpose: why the programme exists and what it should achieve.
    purpose = models.TextField(blank=True, help_text="Why the programme exists, in a few sentences.")
    objectives = models.TextField(blank=True, help_text="Measurable objectives, one a line.")
    mode = models.CharField(max_length=16, choices=Mode.choices, default=Mode.PEER)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    # Matching parameters (spec defaults).
    band = models.PositiveSmallIntegerField(default=1, help_text="Peer pairs: largest grade difference.")
    profile = models.CharField(max_length=16, choices=Profile.choices, default=Profile.ONE_STEP)
    circle_size = models.PositiveSmallIntegerField(
        default=4, validators=[MinValueValidator(3), MaxValueValidator(5)]
    )
    circle_band = models.PositiveSmallIntegerField(default=2, help_text="Circles: largest grade spread.")
    cross_function_bonus = models.FloatField(default=0.25, validators=[MinValueValidator(0)])
    wish_bonus = models.FloatField(default=0.5, validators=[MinValueValidator(0)])
    # Mentoring: a mentor's k-th mentee costs spread · (k − 1) (spec 1.1), so mentees are shared
    # across mentors instead of piling on a few experts. Never costs a mentee a place.
    spread = models.FloatField(default=0.2, validators=[MinValueValidator(0), MaxValueValidator(10)])
    # A budget for each matching run: past it the engine returns its best result with how far
    # from the best possible it may be. Empty: no limit, and the result is proven optimal.
    time_limit = models.PositiveIntegerField(null=True, blank=True, validators=[MinValueValidator(1)])
    # Capacity defaults for mentors who do not state their own.
    # Open enrolment: anyone in the organisation may join while the programme is enrolling,
    # without an invitation (the ISMCP standard asks that participants can opt in).
    self_enrolment = models.BooleanField(
        default=False,
        help_text="Anyone in the organisation can join while enrolment is open, without an invitation.",
    )
    # Reopened by HR after matching started: late joiners may enrol (and be invited) and are
    # matched by the next run, which leaves approved and accepted partnerships alone.
    late_enrolment = models.BooleanField(
        default=False,
        help_text="Enrolment reopened after matching started, for late joiners; the next run closes it.",
    )
    default_capacity = models.PositiveSmallIntegerField(default=1)
    max_capacity = models.PositiveSmallIntegerField(default=5)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(circle_size__gte=3, circle_size__lte=5), name="circle_size_3_to_5"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="programme_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_mentoring(self) -> bool:
        return self.mode in MENTORING_MODES

    @property
    def settings_open(self) -> bool:
        """Mode and matching parameters can change until matching starts."""
        return self.status in (Status.DRAFT, Status.ENROLLING)

    @property
    def late_enrolment_open(self) -> bool:
        return self.late_enrolment and self.status in (Status.MATCHING, Status.RUNNING)

    @property
    def enrolment_open(self) -> bool:
        """People can enrol (or change their enrolment) until matching starts, and again while
        HR has reopened enrolment for late joiners."""
        return self.settings_open or self.late_enrolment_open

    @property
    def objective_list(self) -> list[str]:
        return [line.strip() for line in self.objectives.splitlines() if line.strip()]

    @property
    def open_to_join(self) -> bool:
        """Self-enrolment is on and the programme is taking enrolments."""
        return self.self_enrolment and (self.status == Status.ENROLLING or self.late_enrolment_open)


class ProgrammeManager(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="managers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="managed_programmes"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["programme", "user"], name="unique_programme_manager")]

    def __str__(self) -> str:
        return f"{self.user} manages {self.programme}"


class InvitationStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Accepted"
    REVOKED = "revoked", "Revoked"


class Invitation(models.Model):
    """An invitation for one person to enrol; the token is the secret in the emailed link."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="invitations")
    token = models.CharField(max_length=64, unique=True)
    status = models.CharField(
        max_length=16, choices=InvitationStatus.choices, default=InvitationStatus.PENDING
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "person"],
                condition=models.Q(status="pending"),
                name="one_pending_invitation_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.programme} ({self.status})"


class EnrolmentRole(models.TextChoices):
    MENTOR = "mentor", "Mentor"
    MENTEE = "mentee", "Mentee"
    BOTH = "both", "Mentor and mentee"


class EnrolmentStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Enrolment(models.Model):
    """A person's participation in one programme.

    `skills`, `goals` and `languages` are per-programme overrides held as normalised skill keys;
    empty means "use the directory" (Person's effective levels, goals and languages).
    `avoid` becomes the engine's `exclude`, `prefer` its wishes."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="enrolments")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="enrolments")
    role = models.CharField(max_length=16, choices=EnrolmentRole.choices, blank=True)
    capacity = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Mentors: most mentees at once."
    )
    skills = models.JSONField(default=dict, blank=True)
    goals = models.JSONField(default=list, blank=True)
    languages = models.JSONField(default=list, blank=True)
    prefer = models.ManyToManyField(Person, blank=True, related_name="preferred_by")
    avoid = models.ManyToManyField(Person, blank=True, related_name="avoided_by")
    status = models.CharField(max_length=16, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["programme", "person__name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "person"], name="one_enrolment_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.programme}"


class EnrolmentAction(models.TextChoices):
    ENROLLED = "enrolled", "Enrolled"
    EDITED = "edited", "Answers changed"
    WITHDRAWN = "withdrawn", "Withdrawn"


class EnrolmentEvent(models.Model):
    """Who enrolled, changed or withdrew an enrolment, and when: the person themself or a
    programme manager on their behalf. Nothing is deleted; a withdrawal is one of these."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=16, choices=EnrolmentAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    on_behalf = models.BooleanField(default=False, help_text="Done by a manager, not by the person.")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["enrolment", "-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.enrolment}: {self.action} at {self.at:%Y-%m-%d %H:%M}"


class BriefingAudience(models.TextChoices):
    EVERYONE = "everyone", "Everyone taking part"
    GIVERS = "givers", "Those who mentor (mentors, peers, circle members)"
    MENTEES = "mentees", "Mentees"


class BriefingKind(models.TextChoices):
    BRIEFING = "briefing", "Briefing"
    TRAINING = "training", "Training"


class BriefingItem(models.Model):
    """Something participants read or attend before and while they take part (ISMCP standard 2)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="briefing_items")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    kind = models.CharField(max_length=16, choices=BriefingKind.choices, default=BriefingKind.BRIEFING)
    audience = models.CharField(
        max_length=16, choices=BriefingAudience.choices, default=BriefingAudience.EVERYONE
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["programme", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class BriefingCompletion(models.Model):
    item = models.ForeignKey(BriefingItem, on_delete=models.CASCADE, related_name="completions")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="briefing_completions")
    completed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["item", "enrolment"], name="one_completion_per_item_and_enrolment"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} completed {self.item}"


class SuggestionStatus(models.TextChoices):
    PENDING = "pending", "Waiting for HR"
    APPROVED = "approved", "Added as a new skill"
    MERGED = "merged", "Merged into an existing skill"
    REJECTED = "rejected", "Not added"


class SuggestionUse(models.TextChoices):
    SKILL = "skill", "A skill they have"
    GOAL = "goal", "A goal"


class SkillSuggestion(models.Model):
    """A skill name typed on an enrolment form that is not in the organisation's list: HR adds it
    as a new skill, merges it into an existing one (as an alias) or rejects it. Until then the
    enrolment does not use it; once decided, the enrolment's skill or goal resolves to it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="skill_suggestions")
    label = models.CharField(max_length=120, help_text="As typed.")
    key = models.CharField(max_length=120, help_text="Normalised, as a skill key would be.")
    use = models.CharField(max_length=8, choices=SuggestionUse.choices)
    level = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Skills: the level given.")
    status = models.CharField(
        max_length=16, choices=SuggestionStatus.choices, default=SuggestionStatus.PENDING
    )
    skill = models.ForeignKey(
        "people.Skill",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The skill it became or was merged into.",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["organisation", "status", "key"], name="suggestion_queue")]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "key", "use"],
                condition=models.Q(status="pending"),
                name="one_pending_suggestion_per_use",
            )
        ]

    def __str__(self) -> str:
        return f"“{self.label}” suggested by {self.enrolment.person} ({self.status})"
