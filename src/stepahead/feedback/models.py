"""Feedback in equal measure: fit checks, session pulses and midpoint/end surveys.

Every answer belongs to a `PartnershipMember`, so it is attributable — which is exactly why only
its author ever reads it. Everyone else (HR, organisation admins, the other members) sees
aggregates of 5 or more respondents from `selectors`, and free text without names.
There is deliberately no admin screen and no API for these answers.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from stepahead.lifecycle.models import Session
from stepahead.partnerships.models import Partnership, PartnershipMember
from stepahead.programmes.models import Programme


class FitCheck(models.Model):
    """A member's early "Is this a good fit?" after the first session (one per member)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="fit_checks")
    member = models.ForeignKey(PartnershipMember, on_delete=models.CASCADE, related_name="fit_checks")
    good_fit = models.BooleanField()
    comment = models.TextField(blank=True, help_text="Seen by its author only.")
    rematch_requested = models.BooleanField(
        default=False, help_text="The member took the no-fault re-pairing offered after a 'no'."
    )
    answered_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member"], name="one_fit_check_per_member")]

    def __str__(self) -> str:
        return f"Fit check #{self.pk} of partnership #{self.partnership_id}"


class Pulse(models.Model):
    """Two questions after a logged session: how valuable was it (1–5), and an optional comment."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="pulses")
    member = models.ForeignKey(PartnershipMember, on_delete=models.CASCADE, related_name="pulses")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="pulses")
    value = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(blank=True)
    answered_at = models.DateTimeField()

    class Meta:
        ordering = ["-answered_at"]
        indexes = [models.Index(fields=["partnership", "-answered_at"])]
        constraints = [
            models.UniqueConstraint(fields=["session", "member"], name="one_pulse_per_session_member"),
            models.CheckConstraint(condition=models.Q(value__gte=1, value__lte=5), name="pulse_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"Pulse #{self.pk} of partnership #{self.partnership_id}"


class Stage(models.TextChoices):
    MIDPOINT = "midpoint", "Midpoint"
    END = "end", "End"


class QuestionKind(models.TextChoices):
    LIKERT = "likert", "Agree–disagree (1–5)"
    NPS = "nps", "Recommend (0–10)"
    TEXT = "text", "Free text"


class About(models.TextChoices):
    PARTNERSHIP = "partnership", "The partnership"
    PROGRAMME = "programme", "The programme"


class Aspect(models.TextChoices):
    """Peer programmes ask about both directions; mentoring ones need neither."""

    NONE = "", "—"
    GAVE = "gave", "What I gave"
    RECEIVED = "received", "What I received"


class Survey(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="surveys")
    stage = models.CharField(max_length=16, choices=Stage.choices)
    title = models.CharField(max_length=200)
    opens_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["programme", "opens_at"]
        constraints = [models.UniqueConstraint(fields=["programme", "stage"], name="one_survey_per_stage")]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=8, choices=QuestionKind.choices)
    about = models.CharField(max_length=16, choices=About.choices, default=About.PARTNERSHIP)
    aspect = models.CharField(max_length=8, choices=Aspect.choices, default=Aspect.NONE, blank=True)
    text = models.CharField(max_length=300)
    required = models.BooleanField(default=True)

    class Meta:
        ordering = ["survey", "position", "pk"]

    def __str__(self) -> str:
        return self.text


class SurveyResponse(models.Model):
    """One member's answers to one survey about one partnership."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="survey_responses")
    member = models.ForeignKey(PartnershipMember, on_delete=models.CASCADE, related_name="survey_responses")
    submitted_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "member"], name="one_response_per_survey_member")
        ]

    def __str__(self) -> str:
        return f"Response #{self.pk} to survey #{self.survey_id}"


class SurveyAnswer(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    value = models.SmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="one_answer_per_question")
        ]

    def __str__(self) -> str:
        return f"Answer #{self.pk}"
