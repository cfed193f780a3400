"""HR: programmes — list, create, edit, status workflow, invitations and enrolments."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.db.models.functions import Lower
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from stepahead.errors import DomainError, TransitionError
from stepahead.mail.selectors import delivery_counts, email_in, latest_deliveries
from stepahead.mail.services import resend_email
from stepahead.matchruns.selectors import active_run, runs_of
from stepahead.organisations.policies import can_create_programme
from stepahead.partnerships.models import PartnershipStatus
from stepahead.partnerships.selectors import programmes_with_counts
from stepahead.people.selectors import people_in
from stepahead.programmes.invitations import InvitationReport, invitation_link, send_invitations
from stepahead.programmes.models import (
    TRANSITIONS,
    EnrolmentStatus,
    InvitationStatus,
    Programme,
    Status,
)
from stepahead.programmes.selectors import enrolments_of, latest_events
from stepahead.programmes.services import (
    change_programme_status,
    create_programme,
    reopen_enrolment,
    update_programme_settings,
)
from stepahead.web.access import OrgRequest, hr_required, managed_programme
from stepahead.web.forms import InviteForm, ProgrammeForm
from stepahead.web.responses import confirmation_page, confirmed, error_response

PAGE_SIZE = 50

# What each status change does, in words, for the buttons that make it.
TRANSITION_TEXT = {
    Status.ENROLLING: (
        "Open enrolment",
        "Invitations can be sent and people can enrol and edit their choices until matching starts.",
    ),
    Status.RUNNING: (
        "Start the programme",
        "Marks the matches as final and the programme as running. Late joiners can still be matched.",
    ),
    Status.CLOSED: (
        "Close programme",
        "Ends the programme: nobody can enrol, and no more matching runs. This cannot be undone.",
    ),
}


@hr_required
def programme_list(request: OrgRequest) -> HttpResponse:
    programmes = programmes_with_counts(user=request.user, organisation=request.org)
    return render(
        request,
        "web/programmes/list.html",
        {
            "section": "programmes",
            "programmes": programmes,
            "can_create": can_create_programme(user=request.user, organisation=request.org),
        },
    )


def _apply_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@hr_required
@require_http_methods(["GET", "POST"])
def programme_create(request: OrgRequest) -> HttpResponse:
    if not can_create_programme(user=request.user, organisation=request.org):
        return error_response(request, "Only HR staff create programmes.", status=403)
    form = ProgrammeForm(request.POST or None, instance=Programme(organisation=request.org))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            name = data.pop("name")
            try:
                programme = create_programme(actor=request.user, organisation=request.org, name=name, **data)
            except ValidationError as error:
                _apply_service_errors(form, error)
            else:
                messages.success(request, f"Programme “{programme.name}” created as a draft.")
                return redirect("web:programme_detail", pk=programme.pk)
        status = 400
    return render(
        request,
        "web/programmes/form.html",
        {"section": "programmes", "form": form, "creating": True},
        status=status,
    )


@hr_required
@require_http_methods(["GET", "POST"])
def programme_edit(request: OrgRequest, pk: int) -> HttpResponse:
    programme = managed_programme(request, pk)
    frozen = not programme.settings_open
    form = ProgrammeForm(request.POST or None, instance=programme, frozen=frozen)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            changes = {name: form.cleaned_data[name] for name in form.changed_data if name in form.fields}
            try:
                update_programme_settings(actor=request.user, programme=programme, **changes)
            except ValidationError as error:
                _apply_service_errors(form, error)
            except DomainError as error:
                return error_response(
                    request, str(error), status=409, back_url=reverse("web:programme_detail", args=[pk])
                )
            else:
                messages.success(request, "Settings saved.")
                return redirect("web:programme_detail", pk=programme.pk)
        status = 400
    return render(
        request,
        "web/programmes/form.html",
        {"section": "programmes", "form": form, "programme": programme, "creating": False},
        status=status,
    )


def _transitions(programme: Programme) -> list[dict[str, str]]:
    return [
        {"to": to, "label": TRANSITION_TEXT[to][0], "explain": TRANSITION_TEXT[to][1]}
        for to in (Status.ENROLLING, Status.RUNNING, Status.CLOSED)
        if to in TRANSITIONS[programme.status]
    ]


@hr_required
def programme_detail(
    request: OrgRequest, pk: int, *, invite_form: InviteForm | None = None, status: int = 200
) -> HttpResponse:
    programme = managed_programme(request, pk)
    enrolled = programme.enrolments.filter(status=EnrolmentStatus.ACTIVE)
    counts = {
        "enrolled": enrolled.count(),
        "invited": programme.invitations.filter(status=InvitationStatus.PENDING).count(),
        "proposals": programme.partnerships.filter(status=PartnershipStatus.PROPOSED).count(),
        "approved": programme.partnerships.filter(status=PartnershipStatus.APPROVED).count(),
        "accepted": programme.partnerships.filter(status=PartnershipStatus.ACCEPTED).count(),
        "declined": programme.partnerships.filter(status=PartnershipStatus.DECLINED).count(),
    }
    context = {
        "section": "programmes",
        "programme": programme,
        "counts": counts,
        "transitions": _transitions(programme),
        "can_run": programme.status in (Status.ENROLLING, Status.MATCHING, Status.RUNNING),
        "active_run": active_run(programme=programme),
        "last_run": runs_of(programme=programme).select_related("requested_by").defer("groups").first(),
        "invite_form": invite_form or InviteForm(),
        "can_invite": programme.enrolment_open,
        "can_reopen": programme.status in (Status.MATCHING, Status.RUNNING),
    }
    return render(request, "web/programmes/detail.html", context, status=status)


@hr_required
@require_POST
def programme_status(request: OrgRequest, pk: int) -> HttpResponse:
    programme = managed_programme(request, pk)
    to = request.POST.get("to", "")
    if to not in Status.values:
        return error_response(request, "Choose a valid status.", status=400)
    if to == Status.CLOSED and not confirmed(request):
        return confirmation_page(
            request,
            title=f"Close {programme.name}?",
            consequences=[
                "Nobody can enrol, be matched or answer a proposal any more; this cannot be undone.",
                "Its records (enrolments, matches, runs) are kept for reporting.",
            ],
            action=reverse("web:programme_status", args=[pk]),
            fields={"to": Status.CLOSED},
            confirm_label="Close the programme",
            back_url=reverse("web:programme_detail", args=[pk]),
            danger=True,
        )
    try:
        change_programme_status(actor=request.user, programme=programme, to=to)
    except TransitionError as error:
        return error_response(
            request, str(error), status=409, back_url=reverse("web:programme_detail", args=[pk])
        )
    except DomainError as error:
        return error_response(
            request, str(error), status=409, back_url=reverse("web:programme_detail", args=[pk])
        )
    messages.success(request, f"The programme is now {Status(to).label.lower()}.")
    return redirect("web:programme_detail", pk=pk)


@hr_required
@require_POST
def programme_late_enrolment(request: OrgRequest, pk: int) -> HttpResponse:
    """Reopen enrolment for late joiners after matching started, or close it again."""
    programme = managed_programme(request, pk)
    reopen = request.POST.get("reopen", "1") == "1"
    try:
        reopen_enrolment(actor=request.user, programme=programme, reopen=reopen)
    except DomainError as error:
        return error_response(
            request, str(error), status=409, back_url=reverse("web:programme_detail", args=[pk])
        )
    if reopen:
        messages.success(
            request,
            "Enrolment is open again for late joiners. Invite them below; the next matching run "
            "matches them and leaves approved and accepted matches as they are.",
        )
    else:
        messages.success(request, "Late enrolment is closed.")
    return redirect("web:programme_detail", pk=pk)


@hr_required
@require_POST
def programme_invite(request: OrgRequest, pk: int) -> HttpResponse:
    programme = managed_programme(request, pk)
    form = InviteForm(request.POST)
    if not form.is_valid():
        return programme_detail(request, pk, invite_form=form, status=400)
    entries = form.cleaned_data["people"]
    emails = [e.lower() for e in entries if "@" in e]
    ids = [e for e in entries if "@" not in e]
    found = list(
        people_in(organisation=request.org)
        .annotate(email_key=Lower("email"))
        .filter(Q(hris_id__in=ids) | Q(email_key__in=emails))
    )
    known = {p.hris_id for p in found} | {p.email.lower() for p in found if p.email}
    missing = [e for e in entries if (e.lower() if "@" in e else e) not in known]
    if missing:
        shown = ", ".join(missing[:20]) + (" …" if len(missing) > 20 else "")
        form.add_error("people", f"Not in your people directory: {shown}")
        return programme_detail(request, pk, invite_form=form, status=400)
    try:
        report = send_invitations(actor=request.user, programme=programme, people=found)
    except DomainError as error:
        return error_response(
            request, str(error), status=409, back_url=reverse("web:programme_detail", args=[pk])
        )
    for level, text in invitation_messages(report):
        messages.add_message(request, level, text)
    if report.not_reached:  # their personal links are on the enrolments page, ready to copy
        return redirect(reverse("web:enrolments", args=[pk]) + "#invitations")
    return redirect("web:programme_detail", pk=pk)


def invitation_messages(report: InvitationReport) -> list[tuple[int, str]]:
    """What inviting did, in HR's words: who was emailed, who was not reached and why."""
    said = []
    if report.emailed:
        n = len(report.emailed)
        said.append((messages.SUCCESS, f"{n} invitation{pluralize(n)} emailed."))
    if report.not_reached:
        names = ", ".join(i.person.display_name for i, _ in report.not_reached[:20])
        reasons = sorted({why for _, why in report.not_reached})
        said.append(
            (
                messages.WARNING,
                f"{len(report.not_reached)} not reached by email ({'; '.join(reasons)}): {names}. "
                "Copy their personal links below and pass them on.",
            )
        )
    if report.already_invited:
        n = len(report.already_invited)
        said.append((messages.INFO, f"{n} already invited, so not emailed again."))
    if report.already_enrolled:
        n = len(report.already_enrolled)
        said.append((messages.INFO, f"{n} already enrolled, so not invited."))
    return said


@hr_required
def enrolment_list(request: OrgRequest, pk: int) -> HttpResponse:
    programme = managed_programme(request, pk)
    enrolments = enrolments_of(programme=programme, active_only=False).order_by(
        "person__name", "person__hris_id"
    )
    query = request.GET.get("q", "").strip()
    if query:
        enrolments = enrolments.filter(
            Q(person__name__icontains=query)
            | Q(person__hris_id__iexact=query)
            | Q(person__email__iexact=query)
        )
    page = Paginator(enrolments, PAGE_SIZE).get_page(request.GET.get("page"))
    events = latest_events(enrolments=list(page.object_list))
    for enrolment in page.object_list:
        enrolment.last_event = events.get(enrolment.pk)  # type: ignore[attr-defined]
    invitations = list(
        programme.invitations.filter(status=InvitationStatus.PENDING).select_related("person")[:200]
    )
    deliveries = latest_deliveries(invitations)
    for invitation in invitations:
        invitation.delivery = deliveries.get(invitation.pk)  # type: ignore[attr-defined]
        invitation.link = invitation_link(invitation)  # type: ignore[attr-defined]
    return render(
        request,
        "web/programmes/enrolments.html",
        {
            "section": "programmes",
            "programme": programme,
            "page_obj": page,
            "query": query,
            "invitations": invitations,
            "delivery_counts": delivery_counts(deliveries.values()),
            "can_withdraw": programme.status != Status.CLOSED,
            "can_reopen": programme.status in (Status.MATCHING, Status.RUNNING),
        },
    )


@hr_required
@require_POST
def email_resend(request: OrgRequest, pk: int, email_pk: int) -> HttpResponse:
    """HR resends an invitation email (or any message about this programme) that failed or was lost."""
    managed_programme(request, pk)
    email = email_in(request.org, email_pk)
    back = reverse("web:enrolments", args=[pk])
    try:
        copy = resend_email(actor=request.user, email=email)
    except DomainError as error:
        return error_response(request, str(error), status=409, back_url=back)
    messages.success(request, f"Email to {copy.to} queued again.")
    return redirect(back)
