"""Participants: my programmes, enrolment, invitations, my matches (accept / decline)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from stepahead.core.reasons import addressed_to
from stepahead.errors import DomainError, PermissionDenied
from stepahead.matching import normalise_label
from stepahead.partnerships.models import Partnership, PartnershipStatus
from stepahead.partnerships.selectors import partnerships_for_person
from stepahead.partnerships.services import accept_partnership, decline_partnership
from stepahead.partnerships.withdrawal import withdraw_from_programme
from stepahead.people.models import Person
from stepahead.people.selectors import (
    self_enrolling_person,
    skill_for_key,
)
from stepahead.programmes.invitations import accept_invitation
from stepahead.programmes.models import (
    Enrolment,
    EnrolmentStatus,
    Invitation,
    InvitationStatus,
    Programme,
    SuggestionStatus,
)
from stepahead.programmes.policies import invitation_is_for
from stepahead.programmes.selectors import open_to_join, pending_invitation, programme_in, suggestions_of
from stepahead.programmes.services import enrol_participant, enrol_self
from stepahead.web.access import OrgRequest, SignedInRequest, current_person, member_required
from stepahead.web.enrolment_forms import EnrolmentForm, enrolment_form
from stepahead.web.forms import DeclineForm
from stepahead.web.responses import confirmed, error_response
from stepahead.web.views.enrolments import confirm_own_withdrawal
from stepahead.web.views.lifecycle import lifecycle_context


@member_required
def my_programmes(request: OrgRequest) -> HttpResponse:
    person = current_person(request)
    enrolments, invitations = [], []
    if person is not None:
        enrolments = list(
            Enrolment.objects.filter(person=person)
            .select_related("programme")
            .order_by("-programme__created_at")
        )
        invitations = list(
            Invitation.objects.filter(person=person, status=InvitationStatus.PENDING)
            .select_related("programme")
            .order_by("-created_at")
        )
    joinable = list(open_to_join(organisation=request.org, person=person)) if person else []
    matches = list(partnerships_for_person(person=person)) if person else []
    waiting = [p for p in matches if p.status == PartnershipStatus.APPROVED]
    return render(
        request,
        "web/participant/my_programmes.html",
        {
            "section": "my_programmes",
            "person": person,
            "enrolments": enrolments,
            "invitations": invitations,
            "joinable": joinable,
            "waiting": waiting,
        },
    )


def _my_programme(
    request: OrgRequest, pk: int
) -> tuple[Programme, Person, Enrolment | None, Invitation | None]:
    """A programme of the current organisation the user takes part in or is invited to."""
    person = current_person(request)
    try:
        programme = programme_in(organisation=request.org, pk=pk)
    except Programme.DoesNotExist as error:
        raise Http404("No such programme.") from error
    if person is None:
        raise Http404("No such programme.")
    enrolment = (
        Enrolment.objects.filter(programme=programme, person=person)
        .prefetch_related("prefer", "avoid")
        .first()
    )
    invitation = Invitation.objects.filter(
        programme=programme, person=person, status=InvitationStatus.PENDING
    ).first()
    if enrolment is None and invitation is None and not programme.open_to_join:
        raise Http404("You are not part of this programme.")
    return programme, person, enrolment, invitation


@member_required
def skill_lookup(request: OrgRequest) -> HttpResponse:
    """htmx: what a typed skill name means in the organisation's list (aliases resolved)."""
    # htmx sends the input under its own name (skill_1, goal_2, ...): take the one value given.
    typed = next(iter(request.GET.dict().values()), "").strip()[:120]
    skill = skill_for_key(organisation=request.org, key=normalise_label(typed)) if typed else None
    return render(request, "web/participant/_skill_hint.html", {"typed": typed, "skill": skill})


def _save_choices(
    request: HttpRequest,
    form: EnrolmentForm,
    enrol: Callable[..., Enrolment],
    success: str,
    programme: Programme,
) -> HttpResponse | None:
    """What the three enrolment forms (edit, join, accept an invitation) do with a POST: call
    `enrol` with the form's choices and go to the programme, or leave the errors on the form
    (a rule the service enforces becomes a form error) and return None."""
    if not form.is_valid():
        return None
    try:
        enrolment = enrol(**form.choices())
    except DomainError as error:
        form.add_error(None, str(error))
        return None
    messages.success(request, success)
    waiting = [s.label for s in suggestions_of(enrolment=enrolment) if s.status == SuggestionStatus.PENDING]
    if waiting:
        messages.info(request, _suggested(programme, waiting))
    return redirect("web:my_programme", pk=programme.pk)


def _suggested(programme: Programme, names: list[str]) -> str:
    listed = ", ".join(f"“{name}”" for name in names)
    return (
        f"{listed} {'is' if len(names) == 1 else 'are'} not in {programme.organisation.name}'s skill "
        "list yet, so we sent them to HR as a suggestion. They count for matching once HR adds them "
        "(or tells us which listed skill they mean); the rest of your enrolment is saved."
    )


def _welcome(programme: Programme) -> str:
    return f"Welcome to {programme.name}! You are enrolled."


@member_required
@require_http_methods(["GET", "POST"])
def my_programme(request: OrgRequest, pk: int) -> HttpResponse:
    programme, person, enrolment, invitation = _my_programme(request, pk)
    if enrolment is None:
        if invitation is None:  # not enrolled, not invited: the programme is open to join
            return redirect("web:join", pk=pk)
        return redirect("web:invitation", token=invitation.token)
    editable = programme.enrolment_open and enrolment.status == "active"
    form = enrolment_form(request.POST or None, programme, person, enrolment) if editable else None
    status = 200
    if request.method == "POST":
        if form is None:  # not editable
            return error_response(
                request,
                "Your enrolment can no longer be changed: matching has started.",
                status=409,
                back_url=reverse("web:my_programme", args=[pk]),
            )
        saved = _save_choices(
            request,
            form,
            lambda **choices: enrol_participant(
                actor=request.user, programme=programme, person=person, **choices
            ),
            "Your enrolment has been saved.",
            programme,
        )
        if saved is not None:
            return saved
        status = 400
    return render(
        request,
        "web/participant/programme.html",
        {
            "section": "my_programmes",
            "programme": programme,
            "enrolment": enrolment,
            "form": form,
            "editable": editable,
            "suggestions": suggestions_of(enrolment=enrolment),
        },
        status=status,
    )


@member_required
@require_POST
def withdraw(request: OrgRequest, pk: int) -> HttpResponse:
    programme, _person, enrolment, _invitation = _my_programme(request, pk)
    if enrolment is None:
        raise Http404("You are not enrolled in this programme.")
    if not programme.enrolment_open:
        return error_response(
            request,
            "You can no longer withdraw here: matching has started. Contact the programme team.",
            status=409,
            back_url=reverse("web:my_programme", args=[pk]),
        )
    if enrolment.status != EnrolmentStatus.ACTIVE:
        messages.info(request, f"You have already withdrawn from {programme.name}.")
        return redirect("web:my_programmes")
    if not confirmed(request):
        return confirm_own_withdrawal(request, programme, enrolment)
    withdraw_from_programme(actor=request.user, enrolment=enrolment)
    messages.success(request, f"You have withdrawn from {programme.name}.")
    return redirect("web:my_programmes")


@member_required
@require_http_methods(["GET", "POST"])
def join(request: OrgRequest, pk: int) -> HttpResponse:
    """Self-enrolment: join a programme open to every member, without an invitation."""
    programme = Programme.objects.filter(organisation=request.org, pk=pk).first()
    if programme is None or not programme.self_enrolment:
        raise Http404("No such programme open to join.")
    if not programme.open_to_join:
        return error_response(
            request,
            f"{programme.name} is not taking enrolments now.",
            status=409,
            back_url=reverse("web:my_programmes"),
        )
    person = self_enrolling_person(organisation=request.org, user=request.user)
    if person is None:
        return error_response(
            request,
            "Your login is not linked to an entry in the people directory yet; ask your HR team.",
            status=409,
            back_url=reverse("web:my_programmes"),
        )
    if Enrolment.objects.filter(programme=programme, person=person).exists():
        return redirect("web:my_programme", pk=pk)
    return _join_form(request, programme, person)


def _join_form(request: OrgRequest, programme: Programme, person: Person) -> HttpResponse:
    form = enrolment_form(request.POST or None, programme, person, None)
    status = 200
    if request.method == "POST":
        enrol = partial(enrol_self, user=request.user, programme=programme)
        saved = _save_choices(request, form, enrol, _welcome(programme), programme)
        if saved is not None:
            return saved
        status = 400
    return render(
        request,
        "web/participant/join.html",
        {"section": "my_programmes", "programme": programme, "form": form},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def invitation(request: SignedInRequest, token: str) -> HttpResponse:
    """The page an invitation email links to: review the programme, fill in choices, accept."""
    found = pending_invitation(token=token)
    if found is None:
        used = Invitation.objects.filter(token=token).select_related("person").first()
        if used is not None and used.person.user_id == request.user.pk:
            messages.info(request, "You have already answered this invitation.")
            return redirect("web:my_programmes")
        return error_response(
            request, "This invitation is no longer valid.", status=404, title="Invitation not found"
        )
    person, programme = found.person, found.programme
    if not invitation_is_for(user=request.user, person=person):
        raise PermissionDenied(
            "This invitation is for someone else. Sign in with the address it was sent to."
        )
    if not programme.enrolment_open:
        return error_response(
            request, "Enrolment for this programme has closed: matching has started.", status=409
        )
    form = enrolment_form(request.POST or None, programme, person, None)
    status = 200
    if request.method == "POST":
        enrol = partial(accept_invitation, user=request.user, token=token)
        saved = _save_choices(request, form, enrol, _welcome(programme), programme)
        if saved is not None:
            request.session["web_org"] = programme.organisation_id  # a new invitee's first org
            return saved
        status = 400
    return render(
        request,
        "web/participant/invitation.html",
        {"section": "my_programmes", "invitation": found, "programme": programme, "form": form},
        status=status,
    )


def _user_partnerships(request: SignedInRequest) -> QuerySet[Partnership]:
    """Partnerships sent to any directory entry linked to this login (never proposals)."""
    people = Person.objects.filter(user=request.user)
    return (
        Partnership.objects.filter(members__enrolment__person__in=people)
        .exclude(status__in=[PartnershipStatus.PROPOSED, PartnershipStatus.WITHDRAWN])
        .select_related("programme")
        .prefetch_related("members__enrolment__person")
        .distinct()
    )


def _cards(request: SignedInRequest, partnerships: Iterable[Partnership]) -> list[dict[str, Any]]:
    cards = []
    for partnership in partnerships:
        mine = next(
            (m for m in partnership.members.all() if m.enrolment.person.user_id == request.user.pk), None
        )
        others = [m for m in partnership.members.all() if m is not mine]
        form = DeclineForm(auto_id=f"id_%s_{partnership.pk}")
        # The engine names people as "<name or HRIS id>"; on my page I am "you".
        me = mine.enrolment.person.display_name if mine else ""
        reasons = [addressed_to(reason, me) for reason in partnership.reasons]
        cards.append(
            {"p": partnership, "me": mine, "others": others, "decline_form": form, "reasons": reasons}
        )
    return cards


@member_required
def my_matches(request: OrgRequest) -> HttpResponse:
    partnerships = _user_partnerships(request).filter(organisation=request.org).order_by("-created_at")
    return render(
        request,
        "web/participant/matches.html",
        {"section": "my_matches", "cards": _cards(request, partnerships)},
    )


def _partnership_or_404(request: SignedInRequest, pk: int) -> Partnership:
    partnership = _user_partnerships(request).filter(pk=pk).first()
    if partnership is None:
        raise Http404("No such match.")
    return partnership


@login_required
def partnership_detail(
    request: SignedInRequest, pk: int, *, decline_form: DeclineForm | None = None, status: int = 200
) -> HttpResponse:
    """The page the approval email links to."""
    partnership = _partnership_or_404(request, pk)
    card = _cards(request, [partnership])[0]
    if decline_form is not None:
        card["decline_form"] = decline_form
    context = {"section": "my_matches", "card": card, "life": lifecycle_context(partnership, card["me"])}
    return render(request, "web/participant/partnership.html", context, status=status)


@login_required
@require_POST
def partnership_accept(request: SignedInRequest, pk: int) -> HttpResponse:
    partnership = _partnership_or_404(request, pk)
    try:
        accept_partnership(user=request.user, partnership=partnership)
    except DomainError as error:
        return error_response(request, str(error), status=409, back_url=reverse("web:partnership", args=[pk]))
    partnership.refresh_from_db()
    if partnership.status == PartnershipStatus.ACCEPTED:
        messages.success(
            request, "You accepted. Everyone has said yes — next, agree how you will work together."
        )
    else:
        messages.success(request, "You accepted. We are waiting for the others to answer.")
    return redirect("web:partnership", pk=pk)


@login_required
@require_POST
def partnership_decline(request: SignedInRequest, pk: int) -> HttpResponse:
    partnership = _partnership_or_404(request, pk)
    form = DeclineForm(request.POST, auto_id=f"id_%s_{pk}")
    if not form.is_valid():
        return partnership_detail(request, pk, decline_form=form, status=400)
    try:
        decline_partnership(user=request.user, partnership=partnership, reason=form.cleaned_data["reason"])
    except DomainError as error:
        return error_response(request, str(error), status=409, back_url=reverse("web:partnership", args=[pk]))
    messages.success(
        request, "You declined this match. You return to the pool and will not be proposed together again."
    )
    return redirect("web:partnership", pk=pk)
