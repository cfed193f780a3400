"""The people directory of an organisation: who they are, what they know, what they want to learn.

Labels (skills, functions, languages) are stored as shown and compared through a normalised
`key` (spec matching-v1: lower-cased, trimmed, inner white space collapsed).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from stepahead.organisations.models import Organisation

MAX_LEVEL = 5
MAX_GOALS = 3


class Person(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="people")
    hris_id = models.CharField("HRIS id", max_length=64)
    name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    function = models.CharField(max_length=120, blank=True)
    grade = models.IntegerField(help_text="Seniority level; higher is more senior.")
    # The manager's HRIS id, kept as text: HR exports often name managers outside the file.
    manager_hris_id = models.CharField("manager HRIS id", max_length=64, blank=True)
    location = models.CharField(max_length=120, blank=True)
    languages = models.JSONField(default=list, blank=True, help_text="Normalised language labels.")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="people"
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "hris_id"]
        verbose_name_plural = "people"
        indexes = [
            # The directory's filters (people.selectors.people_filtered), fast at 10k+ people.
            models.Index(fields=["organisation", "function"], name="person_org_function"),
            models.Index(fields=["organisation", "grade"], name="person_org_grade"),
            models.Index(fields=["organisation", "location"], name="person_org_location"),
            models.Index(fields=["organisation", "name", "hris_id"], name="person_org_name"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "hris_id"], name="unique_hris_id_per_org"),
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=models.Q(user__isnull=False),
                name="one_person_per_user_and_org",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.hris_id})"

    @property
    def display_name(self) -> str:
        """How the platform names someone: their name, or their HRIS id where the file gave none."""
        return self.name or self.hris_id


class Skill(models.Model):
    """One entry of an organisation's skill taxonomy; aliases map other wordings onto it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="skills")
    name = models.CharField(max_length=120)
    key = models.CharField(max_length=120, help_text="Normalised name, used for matching.")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "key"], name="unique_skill_key_per_org")
        ]

    def __str__(self) -> str:
        return self.name


class SkillAlias(models.Model):
    """Another wording for a skill ("presenting" → "public speaking"). A key is either a skill's
    own key or one alias in an organisation, never both (enforced in services)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="skill_aliases")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="aliases")
    key = models.CharField(max_length=120)

    class Meta:
        verbose_name_plural = "skill aliases"
        constraints = [
            models.UniqueConstraint(fields=["organisation", "key"], name="unique_alias_key_per_org")
        ]

    def __str__(self) -> str:
        return f"{self.key} → {self.skill}"


class LevelSource(models.TextChoices):
    """Where a level came from; matching trusts validated over manager over self assessment."""

    SELF = "self", "Self-assessed"
    MANAGER = "manager", "Manager-assessed"
    VALIDATED = "validated", "Validated"


SOURCE_TRUST = {LevelSource.VALIDATED: 3, LevelSource.MANAGER: 2, LevelSource.SELF: 1}


class SkillLevel(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="skill_levels")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="levels")
    level = models.PositiveSmallIntegerField(validators=[MinValueValidator(0), MaxValueValidator(MAX_LEVEL)])
    source = models.CharField(max_length=16, choices=LevelSource.choices, default=LevelSource.SELF)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "skill", "source"], name="one_level_per_skill_and_source"
            ),
            models.CheckConstraint(condition=models.Q(level__lte=MAX_LEVEL), name="skill_level_at_most_5"),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.skill}:{self.level} ({self.source})"


class DevelopmentGoal(models.Model):
    """A skill the person wants to grow; priority 1 is the most important (spec: at most 3)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="goals")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="goals")
    priority = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(MAX_GOALS)]
    )

    class Meta:
        ordering = ["person", "priority"]
        constraints = [
            models.UniqueConstraint(fields=["person", "priority"], name="one_goal_per_priority"),
            models.UniqueConstraint(fields=["person", "skill"], name="one_goal_per_skill"),
            models.CheckConstraint(
                condition=models.Q(priority__gte=1, priority__lte=MAX_GOALS), name="goal_priority_1_to_3"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.priority}. {self.skill}"


class MentorTraining(models.Model):
    """A person's mentor training or accreditation (e.g. an EMCC EQA-accredited course)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="mentor_training")
    course = models.CharField(max_length=200)
    provider = models.CharField(max_length=200)
    level = models.CharField(max_length=120, blank=True, help_text="e.g. Foundation, Practitioner.")
    accreditation = models.CharField(max_length=120, blank=True, help_text="e.g. EMCC EQA.")
    completed_on = models.DateField()

    class Meta:
        ordering = ["person", "-completed_on"]

    def __str__(self) -> str:
        return f"{self.person}: {self.course} ({self.provider}, {self.completed_on})"
