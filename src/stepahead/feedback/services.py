"""Writes for feedback: fit checks (and the no-fault re-pairing a 'no' offers), surveys and answers."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from stepahead.accounts import User
from stepahead.errors import DomainError, PermissionDenied
from stepahead.partnerships.models import Partnership, PartnershipMember
from stepahead.programmes.models import Programme
from stepahead.programmes.services import require_manager

from .models import (
    About,
    Aspect,
    FitCheck,
    Question,
    QuestionKind,
    Stage,
    Survey,
    SurveyAnswer,
    SurveyResponse,
)
from .notifications import notify_fit_check_no, notify_rematch_requested
from .policies import is_active, membership_of
from .pulses import held_sessions
from .questions import default_questions

MAX_TEXT = 2000
SCALES = {QuestionKind.LIKERT: (1, 5), QuestionKind.NPS: (0, 10)}


def _active_member(user: User, partnership: Partnership) -> PartnershipMember:
    member = membership_of(user=user, partnership=partnership)
    if member is None:
        raise PermissionDenied("Only members of this partnership can give feedback on it.")
    if not is_active(partnership):
        raise DomainError("Feedback opens once everyone has accepted the partnership.")
    return member


@transaction.atomic
def answer_fit_check(*, user: User, partnership: Partnership, good_fit: bool, comment: str = "") -> FitCheck:
    """A member's early fit check. A 'no' tells the programme manager (without saying who) and
    offers the member a no-fault re-pairing."""
    member = _active_member(user, partnership)
    if not held_sessions(member=member).exists():
        raise DomainError("The fit check opens after your first session is logged.")
    if len(comment) > MAX_TEXT:
        raise DomainError(f"The comment is too long ({len(comment)} characters; at most {MAX_TEXT}).")
    try:
        with transaction.atomic():
            check = FitCheck.objects.create(
                partnership=partnership,
                member=member,
                good_fit=good_fit,
                comment=comment.strip(),
                answered_at=timezone.now(),
            )
    except IntegrityError as error:
        raise DomainError("You have already answered the fit check for this partnership.") from error
    if not good_fit:
        notify_fit_check_no(check)
    return check


@transaction.atomic
def request_rematch(*, user: User, partnership: Partnership) -> FitCheck:
    """Take the no-fault re-pairing a 'no' offered: the programme manager is asked to re-pair."""
    member = _active_member(user, partnership)
    check = FitCheck.objects.select_for_update().filter(member=member).first()
    if check is None or check.good_fit:
        raise DomainError("A re-pairing is offered after you answer 'no' to the fit check.")
    if not check.rematch_requested:
        check.rematch_requested = True
        check.save(update_fields=["rematch_requested"])
        notify_rematch_requested(check)
    return check


@transaction.atomic
def create_survey(*, actor: User, programme: Programme, stage: str, opens_at: datetime) -> Survey:
    """A midpoint or end survey, starting from the default questions for the programme's mode."""
    require_manager(actor, programme)
    if stage not in Stage.values:
        raise DomainError(f"Unknown survey stage {stage!r}: choose midpoint or end.")
    if Survey.objects.filter(programme=programme, stage=stage).exists():
        raise DomainError(f"This programme already has a {Stage(stage).label.lower()} survey.")
    survey = Survey.objects.create(
        programme=programme,
        stage=stage,
        title=f"{Stage(stage).label} survey: {programme.name}",
        opens_at=opens_at,
        created_by=actor,
    )
    peer = not programme.is_mentoring
    Question.objects.bulk_create(
        Question(survey=survey, position=n, **q._asdict())
        for n, q in enumerate(default_questions(stage=stage, peer=peer), 1)
    )
    return survey


def _require_editable(actor: User, survey: Survey) -> None:
    require_manager(actor, survey.programme)
    if survey.responses.exists():
        raise DomainError("People have answered this survey already; its questions can no longer change.")


@transaction.atomic
def save_question(
    *,
    actor: User,
    survey: Survey,
    text: str,
    kind: str,
    about: str,
    aspect: str = "",
    required: bool = True,
    question: Question | None = None,
) -> Question:
    """Add a question to the end of the survey, or change `question`."""
    _require_editable(actor, survey)
    text = text.strip()
    if not text or len(text) > 300:
        raise DomainError("A question needs a text of 1 to 300 characters.")
    if kind not in QuestionKind.values or about not in About.values or aspect not in Aspect.values:
        raise DomainError(f"Unknown question type, subject or side ({kind!r}, {about!r}, {aspect!r}).")
    if question is None:
        last = survey.questions.order_by("-position").values_list("position", flat=True).first() or 0
        question = Question(survey=survey, position=last + 1)
    elif question.survey_id != survey.pk:
        raise DomainError("That question belongs to another survey.")
    question.text, question.kind, question.about, question.aspect, question.required = (
        text,
        kind,
        about,
        aspect,
        required,
    )
    question.save()
    return question


@transaction.atomic
def remove_question(*, actor: User, question: Question) -> None:
    _require_editable(actor, question.survey)
    question.delete()


def _parse_answer(question: Question, raw: str) -> tuple[int | None, str]:
    raw = raw.strip()
    where = f"Question {question.position} (“{question.text}”)"
    if not raw:
        if question.required:
            raise DomainError(f"{where} needs an answer.")
        return None, ""
    if question.kind == QuestionKind.TEXT:
        if len(raw) > MAX_TEXT:
            raise DomainError(f"{where}: at most {MAX_TEXT} characters, not {len(raw)}.")
        return None, raw
    low, high = SCALES[QuestionKind(question.kind)]
    if not raw.lstrip("-").isdigit() or not low <= int(raw) <= high:
        raise DomainError(f"{where}: choose a whole number from {low} to {high}, not {raw!r}.")
    return int(raw), ""


@transaction.atomic
def submit_survey(
    *, user: User, survey: Survey, partnership: Partnership, answers: Mapping[int, str]
) -> SurveyResponse:
    """A member's answers (question id → raw value); every answer is checked before anything is
    written, so a bad one saves nothing."""
    member = _active_member(user, partnership)
    if partnership.programme_id != survey.programme_id:
        raise DomainError("That survey belongs to another programme.")
    if survey.opens_at > timezone.now():
        raise DomainError("This survey is not open yet.")
    questions = list(survey.questions.all())
    parsed = {q.pk: _parse_answer(q, answers.get(q.pk, "")) for q in questions}
    if SurveyResponse.objects.filter(survey=survey, member=member).exists():
        raise DomainError("You have already answered this survey.")
    response = SurveyResponse.objects.create(
        survey=survey, partnership=partnership, member=member, submitted_at=timezone.now()
    )
    SurveyAnswer.objects.bulk_create(
        SurveyAnswer(response=response, question_id=pk, value=value, text=text)
        for pk, (value, text) in parsed.items()
        if value is not None or text
    )
    return response
