"""HR acting on enrolments: enrol someone on their behalf, edit their answers, withdraw them.

The form and the services are the participant's own (`enrolment_form`, `enrol_participant`),
worded about the person; every change is recorded with who made it (`EnrolmentEvent`).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils.text import get_text_list
from django.views.decorators.http import require_http_methods, require_POST

from stepahead.errors import DomainError
from stepahead.partnerships.withdrawal import WithdrawalEffects, withdraw_from_programme, withdrawal_effects
from stepahead.people.models import Person
from stepahead.programmes.models import Enrolment, EnrolmentStatus, Programme
from stepahead.programmes.selectors import enrolment_of, enrolments_of, people_to_enrol
from stepahead.programmes.services import enrol_participant
from stepahead.web.access import OrgRequest, hr_required, managed_programme
from stepahead.web.enrolment_forms import enrolment_form
from stepahead.web.responses import confirmation_page, confirmed, error_response

CANDIDATES_SHOWN = 20
CLOSED = (
    "Enrolment is closed: matching has started. Reopen enrolment for late joiners on the programme "
    "page, then enrol them or change their answers here."
)


def _enrolment_or_404(programme: Programme, epk: int) -> Enrolment:
    enrolment = programme.enrolments.select_related("person").filter(pk=epk).first()
    if enrolment is None:
        raise Http404("No such enrolment.")
    return enrolment


def _back(programme: Programme) -> str:
    return reverse("web:enrolments", args=[programme.pk])


@hr_required
@require_http_methods(["GET", "POST"])
def enrol_for(request: OrgRequest, pk: int) -> HttpResponse:
    """Step 1: find the person (by name or function); step 2: their answers, on their behalf."""
    programme = managed_programme(request, pk)
    if not programme.enrolment_open:
        return error_response(request, CLOSED, status=409, back_url=_back(programme))
    chosen = request.POST.get("person") or request.GET.get("person")
    if not chosen:
        return _picker(request, programme)
    person_id = int(chosen) if chosen.isdigit() else 0
    person = people_to_enrol(programme=programme).filter(pk=person_id).first()
    if person is None:
        enrolled = enrolments_of(programme=programme).filter(person_id=person_id).first()
        if enrolled is not None:  # already enrolled: their answers can be changed instead
            return redirect("web:enrolment_edit", pk=pk, epk=enrolled.pk)
        raise Http404("No such person to enrol.")
    return _answers(request, programme, person, enrolment_of(programme=programme, person=person))


def _picker(request: OrgRequest, programme: Programme) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    found = people_to_enrol(programme=programme, query=query)
    context = {
        "section": "programmes",
        "programme": programme,
        "query": query,
        "candidates": list(found[:CANDIDATES_SHOWN]),
        "more": max(0, found.count() - CANDIDATES_SHOWN),
    }
    if request.htmx and request.GET.get("partial") == "candidates":
        return render(request, "web/programmes/_candidates.html", context)
    return render(request, "web/programmes/enrol_for.html", context)


def _answers(
    request: OrgRequest, programme: Programme, person: Person, enrolment: Enrolment | None
) -> HttpResponse:
    """The participant's enrolment form, for a manager: saves through `enrol_participant`."""
    form = enrolment_form(request.POST or None, programme, person, enrolment, on_behalf=True)
    editing = enrolment is not None and enrolment.status == EnrolmentStatus.ACTIVE
    if request.method == "POST" and form.is_valid():
        try:
            enrol_participant(actor=request.user, programme=programme, person=person, **form.choices())
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            said = "Answers saved for" if editing else "Enrolled"
            messages.success(request, f"{said} {person.display_name} in {programme.name}, on their behalf.")
            return redirect(_back(programme))
    context = {
        "section": "programmes",
        "programme": programme,
        "person": person,
        "form": form,
        "editing": editing,
        "action": reverse("web:enrolment_edit", args=[programme.pk, enrolment.pk])
        if editing and enrolment
        else reverse("web:enrolment_new", args=[programme.pk]),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "web/programmes/enrolment_answers.html", context, status=status)


@hr_required
@require_http_methods(["GET", "POST"])
def enrolment_edit(request: OrgRequest, pk: int, epk: int) -> HttpResponse:
    programme = managed_programme(request, pk)
    enrolment = _enrolment_or_404(programme, epk)
    if not programme.enrolment_open:
        return error_response(request, CLOSED, status=409, back_url=_back(programme))
    if enrolment.status != EnrolmentStatus.ACTIVE:  # withdrawn: enrolling them again
        return redirect(reverse("web:enrolment_new", args=[pk]) + f"?person={enrolment.person_id}")
    return _answers(request, programme, enrolment.person, enrolment)


@hr_required
@require_POST
def enrolment_withdraw(request: OrgRequest, pk: int, epk: int) -> HttpResponse:
    """Withdraw someone, after a confirmation saying what happens to their proposals and
    partnerships. Recorded, never deleted."""
    programme = managed_programme(request, pk)
    enrolment = _enrolment_or_404(programme, epk)
    if enrolment.status != EnrolmentStatus.ACTIVE:
        already = f"{enrolment.person.display_name} has already withdrawn."
        return error_response(request, already, status=409, back_url=_back(programme))
    if not confirmed(request):
        return _confirm_withdrawal(request, programme, enrolment)
    try:
        done = withdraw_from_programme(actor=request.user, enrolment=enrolment)
    except DomainError as error:
        return error_response(request, str(error), status=409, back_url=_back(programme))
    name = enrolment.person.display_name
    messages.success(request, f"{name} is withdrawn from {programme.name}. {_summary(done)}")
    return redirect(_back(programme))


def _confirm_withdrawal(request: OrgRequest, programme: Programme, enrolment: Enrolment) -> HttpResponse:
    name = enrolment.person.display_name
    effects = withdrawal_effects(enrolment=enrolment)
    groups = (*effects.proposals, *effects.awaiting, *effects.ongoing)
    affected = sorted({other for group in groups for other in group.others})
    return confirmation_page(
        request,
        title=f"Withdraw {name} from {programme.name}?",
        consequences=[
            *withdrawal_words(name, effects),
            f"Nothing is deleted: {name}'s answers and history are kept, the withdrawal is recorded "
            "with your name, and you can enrol them again while enrolment is open.",
        ],
        action=reverse("web:enrolment_withdraw", args=[programme.pk, enrolment.pk]),
        people=affected,
        confirm_label=f"Withdraw {name}",
        back_url=_back(programme),
        danger=True,
    )


def withdrawal_words(name: str, effects: WithdrawalEffects) -> list[str]:
    """What withdrawing does to each group the person is in, in HR's words."""
    said = []
    for effect in effects.proposals:
        others = _and(effect.others)
        said.append(
            f"Proposal #{effect.partnership.pk} with {others} is discarded; {others} go back to the pool "
            "for the next run."
        )
    for effect in effects.awaiting:
        others = _and(effect.others)
        said.append(
            f"The match sent to {name} and {others} is withdrawn; {others} are emailed that it will "
            "not go ahead."
        )
    for effect in effects.ongoing:
        said.append(
            f"The partnership with {_and(effect.others)} ends early (“left the programme”, no fault): "
            "scheduled sessions are cancelled and every member is told. Its history is kept."
        )
    return said or [f"{name} is in no proposal or partnership, so nobody else is affected."]


def confirm_own_withdrawal(request: HttpRequest, programme: Programme, enrolment: Enrolment) -> HttpResponse:
    """The participant's own Withdraw asks first too, in their words."""
    return confirmation_page(
        request,
        title=f"Leave {programme.name}?",
        consequences=[
            *withdrawal_words_for_you(withdrawal_effects(enrolment=enrolment)),
            "Your answers are kept: you can join again while enrolment is open.",
        ],
        action=reverse("web:withdraw", args=[programme.pk]),
        confirm_label=f"Withdraw from {programme.name}",
        back_url=reverse("web:my_programme", args=[programme.pk]),
        danger=True,
    )


def withdrawal_words_for_you(effects: WithdrawalEffects) -> list[str]:
    """What withdrawing does, told to the person themself. Proposals under review are HR's
    drafts, never shown to participants: only that a match being prepared is dropped."""
    said = []
    if effects.proposals:
        said.append("Any match being prepared for you is dropped.")
    for effect in effects.awaiting:
        said.append(f"Your match with {_and(effect.others)} will not go ahead; they are told kindly.")
    for effect in effects.ongoing:
        said.append(
            f"Your partnership with {_and(effect.others)} ends early: scheduled sessions are cancelled "
            "and everyone is told. Its history stays in My matches."
        )
    return said


def _summary(done: WithdrawalEffects) -> str:
    parts = [
        f"{n} {word}{pluralize(n, plural)} {what}"
        for n, word, plural, what in (
            (len(done.proposals), "proposal", "s", "discarded"),
            (len(done.awaiting), "sent match", "es", "withdrawn"),
            (len(done.ongoing), "partnership", "s", "ended early"),
        )
        if n
    ]
    return (get_text_list(parts, "and").capitalize() + ".") if parts else "Nobody else was affected."


def _and(names: list[str]) -> str:
    return get_text_list(names, "and")
