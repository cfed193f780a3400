"""Reads about feedback. Two kinds, never mixed:

- a member's own answers (`my_*`): only ever for the member who wrote them;
- aggregates for HR, insights and everyone else (`*_results`, `*_summary`): figures over 5 or
  more distinct respondents only (`stepahead.core.feedback`), free text without names, and no
  respondent ids leave this module.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from stepahead.core.feedback import (
    NpsSummary,
    ScaleSummary,
    enough_respondents,
    nps_summary,
    scale_summary,
    unattributed_comments,
)
from stepahead.partnerships.models import PartnershipMember
from stepahead.programmes.models import Programme

from .models import FitCheck, Question, QuestionKind, Survey, SurveyAnswer, SurveyResponse


@dataclass(frozen=True, slots=True)
class QuestionResult:
    question: Question
    scale: ScaleSummary | None = None
    nps: NpsSummary | None = None
    comments: tuple[str, ...] | None = None

    @property
    def hidden(self) -> bool:
        """Fewer than 5 respondents: nothing is shown."""
        return self.scale is None and self.nps is None and self.comments is None


@dataclass(frozen=True, slots=True)
class SurveyResults:
    survey: Survey
    respondents: int | None  # None below the threshold: even the count could single someone out
    questions: tuple[QuestionResult, ...]


def surveys_of(*, programme: Programme) -> QuerySet[Survey]:
    return Survey.objects.filter(programme=programme).order_by("opens_at")


def survey_in(*, programme: Programme, pk: int) -> Survey:
    return Survey.objects.get(programme=programme, pk=pk)


def survey_results(*, survey: Survey) -> SurveyResults:
    """Every question's aggregate over the people who answered it (respondents are people)."""
    rows = SurveyAnswer.objects.filter(response__survey=survey).values_list(
        "question_id", "response__member__enrolment__person_id", "value", "text"
    )
    by_question: dict[int, list[tuple[int, int | None, str]]] = defaultdict(list)
    for question_id, person, value, text in rows:
        by_question[question_id].append((person, value, text))
    results = []
    for question in survey.questions.all():
        answers = by_question.get(question.pk, [])
        if question.kind == QuestionKind.TEXT:
            results.append(
                QuestionResult(question, comments=unattributed_comments([(p, t) for p, _, t in answers]))
            )
            continue
        values = [(p, v) for p, v, _ in answers if v is not None]
        if question.kind == QuestionKind.NPS:
            results.append(QuestionResult(question, nps=nps_summary(values)))
        else:
            results.append(QuestionResult(question, scale=scale_summary(values)))
    people = SurveyResponse.objects.filter(survey=survey).values_list(
        "member__enrolment__person_id", flat=True
    )
    distinct = set(people)
    return SurveyResults(survey, len(distinct) if enough_respondents(distinct) else None, tuple(results))


@dataclass(frozen=True, slots=True)
class FitSummary:
    respondents: int
    good_fit: int
    not_a_fit: int


def fit_check_summary(*, programme: Programme) -> FitSummary | None:
    """How many said yes and no to the fit check, over 5 or more people (else None)."""
    answers = list(
        FitCheck.objects.filter(partnership__programme=programme).values_list(
            "member__enrolment__person_id", "good_fit"
        )
    )
    if not enough_respondents(person for person, _ in answers):
        return None
    yes = sum(1 for _, good in answers if good)
    return FitSummary(len({p for p, _ in answers}), yes, len(answers) - yes)


# --- a member's own ---------------------------------------------------------------------------


def my_fit_check(*, member: PartnershipMember) -> FitCheck | None:
    return FitCheck.objects.filter(member=member).first()


def open_surveys(*, member: PartnershipMember) -> list[Survey]:
    """Surveys of the member's programme that are open and that they have not answered."""
    answered = SurveyResponse.objects.filter(member=member).values("survey_id")
    return list(
        Survey.objects.filter(programme_id=member.partnership.programme_id, opens_at__lte=timezone.now())
        .exclude(pk__in=answered)
        .prefetch_related("questions")
    )
