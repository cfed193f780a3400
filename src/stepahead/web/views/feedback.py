"""Members' feedback (fit check, re-pairing, surveys) and the manager's survey pages.

Members see and write only their own answers; managers see questions and aggregates (5 or more
respondents), never who answered what.
"""

from __future__ import annotations

from datetime import datetime, time

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from stepahead.errors import DomainError
from stepahead.feedback.models import About, Aspect, Question, QuestionKind, Stage, Survey
from stepahead.feedback.policies import is_active, membership_of
from stepahead.feedback.pulses import answer_pulse, held_sessions, pulses_due
from stepahead.feedback.selectors import (
    fit_check_summary,
    my_fit_check,
    open_surveys,
    survey_in,
    survey_results,
    surveys_of,
)
from stepahead.feedback.services import (
    answer_fit_check,
    create_survey,
    remove_question,
    request_rematch,
    save_question,
    submit_survey,
)
from stepahead.partnerships.models import Partnership, PartnershipMember
from stepahead.partnerships.selectors import partnerships_for_person
from stepahead.web.access import OrgRequest, current_person, hr_required, managed_programme, member_required
from stepahead.web.responses import error_response

SCALE_VALUES: dict[str, range] = {QuestionKind.LIKERT: range(1, 6), QuestionKind.NPS: range(11)}


def member_partnership(request: OrgRequest, pk: int) -> tuple[Partnership, PartnershipMember]:
    """A partnership the signed-in person belongs to (404 for any other, so ids do not leak)."""
    person = current_person(request)
    partnership = partnerships_for_person(person=person).filter(pk=pk).first() if person else None
    member = membership_of(user=request.user, partnership=partnership) if partnership else None
    if partnership is None or member is None:
        raise Http404("No such partnership of yours.")
    return partnership, member


@member_required
def partnership_feedback(request: OrgRequest, pk: int) -> HttpResponse:
    partnership, member = member_partnership(request, pk)
    context = {
        "section": "my_matches",
        "partnership": partnership,
        "active": is_active(partnership),
        "fit_check": my_fit_check(member=member),
        "surveys": open_surveys(member=member) if is_active(partnership) else [],
    }
    context.update(_session_feedback(member))
    return render(request, "web/feedback/partnership.html", context)


def _session_feedback(member: PartnershipMember) -> dict[str, object]:
    """Pulses waiting for the member; the fit check opens after the first logged session."""
    return {
        "pulses_due": [{"session": s, "scale": range(1, 6)} for s in pulses_due(member=member)],
        "fit_open": held_sessions(member=member).exists(),
    }


def _back(pk: int) -> str:
    return reverse("web:partnership_feedback", args=[pk])


@member_required
@require_POST
def fit_check(request: OrgRequest, pk: int) -> HttpResponse:
    partnership, _ = member_partnership(request, pk)
    answer = request.POST.get("good_fit", "")
    if answer not in ("yes", "no"):
        return error_response(request, "Please answer yes or no: is this a good fit?", back_url=_back(pk))
    try:
        answer_fit_check(
            user=request.user,
            partnership=partnership,
            good_fit=answer == "yes",
            comment=request.POST.get("comment", ""),
        )
    except DomainError as error:
        return error_response(request, str(error), status=409, back_url=_back(pk))
    messages.success(request, "Thank you — your answer is private to you.")
    return redirect("web:partnership_feedback", pk=pk)


@member_required
@require_POST
def pulse(request: OrgRequest, pk: int, session_pk: int) -> HttpResponse:
    _partnership, member = member_partnership(request, pk)
    session = held_sessions(member=member).filter(pk=session_pk).first()
    if session is None:
        raise Http404("No such logged session of yours.")
    raw = request.POST.get("value", "")
    if not raw.isdigit():
        return error_response(
            request, "Choose how valuable the session was, from 1 to 5.", back_url=_back(pk)
        )
    try:
        answer_pulse(
            user=request.user, session=session, value=int(raw), comment=request.POST.get("comment", "")
        )
    except DomainError as error:
        return error_response(request, str(error), status=409, back_url=_back(pk))
    messages.success(request, "Thanks — noted. Only you see your own answer.")
    return redirect("web:partnership_feedback", pk=pk)


@member_required
@require_POST
def rematch(request: OrgRequest, pk: int) -> HttpResponse:
    partnership, _ = member_partnership(request, pk)
    try:
        request_rematch(user=request.user, partnership=partnership)
    except DomainError as error:
        return error_response(request, str(error), status=409, back_url=_back(pk))
    messages.success(request, "Your programme manager will arrange a new partner. Nobody is at fault.")
    return redirect("web:partnership_feedback", pk=pk)


@member_required
@require_http_methods(["GET", "POST"])
def survey_answer(request: OrgRequest, pk: int, survey_pk: int) -> HttpResponse:
    partnership, member = member_partnership(request, pk)
    survey = next((s for s in open_surveys(member=member) if s.pk == survey_pk), None)
    if survey is None:
        raise Http404("No such open survey for you.")
    status, error = 200, ""
    if request.method == "POST":
        answers = {q.pk: request.POST.get(f"q{q.pk}", "") for q in survey.questions.all()}
        try:
            submit_survey(user=request.user, survey=survey, partnership=partnership, answers=answers)
        except DomainError as problem:
            status, error = 400, str(problem)
        else:
            messages.success(request, "Thank you. Your answers are only ever shown in groups of 5 or more.")
            return redirect("web:partnership_feedback", pk=pk)
    context = {"section": "my_matches", "partnership": partnership, "survey": survey, "error": error}
    context["rows"] = [(q, SCALE_VALUES.get(q.kind, range(0))) for q in survey.questions.all()]
    return render(request, "web/feedback/survey_answer.html", context, status=status)


# --- managers ---------------------------------------------------------------------------------


@hr_required
@require_http_methods(["GET", "POST"])
def programme_surveys(request: OrgRequest, pk: int) -> HttpResponse:
    programme = managed_programme(request, pk)
    if request.method == "POST":
        try:
            opens = datetime.combine(
                datetime.fromisoformat(request.POST.get("opens_on", "")).date(), time(9, 0)
            )
        except ValueError:
            return error_response(request, "Give the day the survey opens as a date.", back_url=request.path)
        try:
            survey = create_survey(
                actor=request.user,
                programme=programme,
                stage=request.POST.get("stage", ""),
                opens_at=timezone.make_aware(opens),
            )
        except DomainError as error:
            return error_response(request, str(error), status=409, back_url=request.path)
        return redirect("web:programme_survey", pk=pk, survey_pk=survey.pk)
    return render(
        request,
        "web/feedback/surveys.html",
        {
            "section": "programmes",
            "programme": programme,
            "surveys": surveys_of(programme=programme),
            "stages": Stage.choices,
            "fit": fit_check_summary(programme=programme),
        },
    )


def _survey(request: OrgRequest, pk: int, survey_pk: int) -> Survey:
    programme = managed_programme(request, pk)
    try:
        return survey_in(programme=programme, pk=survey_pk)
    except Survey.DoesNotExist as error:
        raise Http404("No such survey.") from error


@hr_required
def programme_survey(request: OrgRequest, pk: int, survey_pk: int) -> HttpResponse:
    survey = _survey(request, pk, survey_pk)
    return render(
        request,
        "web/feedback/survey.html",
        {
            "section": "programmes",
            "programme": survey.programme,
            "survey": survey,
            "editable": not survey.responses.exists(),
            "results": survey_results(survey=survey),
            "kinds": QuestionKind.choices,
            "abouts": About.choices,
            "aspects": Aspect.choices,
        },
    )


@hr_required
@require_POST
def survey_question(request: OrgRequest, pk: int, survey_pk: int) -> HttpResponse:
    """Add a question (no `question`), change one, or remove one (`remove`)."""
    survey = _survey(request, pk, survey_pk)
    back = reverse("web:programme_survey", args=[pk, survey_pk])
    question = None
    if request.POST.get("question"):
        question = Question.objects.filter(survey=survey, pk=request.POST["question"]).first()
        if question is None:
            raise Http404("No such question.")
    try:
        if question is not None and "remove" in request.POST:
            remove_question(actor=request.user, question=question)
        else:
            save_question(
                actor=request.user,
                survey=survey,
                question=question,
                text=request.POST.get("text", ""),
                kind=request.POST.get("kind", ""),
                about=request.POST.get("about", About.PARTNERSHIP),
                aspect=request.POST.get("aspect", ""),
                required=request.POST.get("required") == "on",
            )
    except DomainError as error:
        return error_response(request, str(error), status=409, back_url=back)
    return redirect(back)
