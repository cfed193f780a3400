"""HR: edits on the review board — swap, replace, pin, discard — each answered (htmx) with a
feedback line, an Undo where one is cheap, and the board, figures and not-placed list refreshed."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from stepahead.errors import DomainError
from stepahead.matchruns.mapper import IneligibleGroupError
from stepahead.partnerships.models import Partnership
from stepahead.partnerships.review import replace_member, swap_members
from stepahead.partnerships.selectors import partnership_in
from stepahead.partnerships.services import discard_proposal, pin_partnership, restore_proposal
from stepahead.programmes.models import Enrolment, Programme
from stepahead.web.access import OrgRequest, hr_required, managed_programme
from stepahead.web.responses import error_response
from stepahead.web.views.review import full_board, with_members


class BadChoiceError(Exception):
    pass


def _member_choice(programme: Programme, value: str) -> tuple[Partnership, Enrolment]:
    """'<partnership id>:<enrolment id>' → (partnership, enrolment) of this programme."""
    try:
        partnership_pk, enrolment_pk = (int(x) for x in value.split(":", 1))
    except (ValueError, AttributeError) as error:
        raise BadChoiceError("Choose a person from the list.") from error
    try:
        partnership = partnership_in(programme=programme, pk=partnership_pk)
    except Partnership.DoesNotExist as error:
        raise Http404("No such proposal.") from error
    enrolment = (
        Enrolment.objects.filter(programme=programme, pk=enrolment_pk).select_related("person").first()
    )
    if enrolment is None:
        raise Http404("No such enrolment.")
    return partnership, enrolment


def edit_response(
    request: OrgRequest,
    programme: Programme,
    *,
    message: str = "",
    error: str | None = None,
    status: int = 200,
    undo: dict[str, Any] | None = None,
) -> HttpResponse:
    """htmx: the feedback line (with its Undo, if any) plus the refreshed board, figures and
    not-placed list (out of band), so every count on the page follows the edit; otherwise a
    redirect."""
    back = reverse("web:proposals", args=[programme.pk])
    if not request.htmx:
        if error:
            return error_response(request, error, status=status, back_url=back)
        messages.success(request, message)
        return redirect(back)
    context: dict[str, Any] = {"message": message, "error": error, "refresh": error is None, "undo": undo}
    if error is None:
        context.update(full_board(request, programme))
    return render(request, "web/review/_feedback.html", context, status=status)


def undo_button(request: OrgRequest, url: str, what: str, **fields: str) -> dict[str, Any]:
    """An Undo button's form: posts `fields` to `url`, keeping the board's page and sort."""
    query = request.GET.urlencode()
    return {
        "url": f"{url}?{query}" if query else url,
        "fields": fields,
        "what": what,
    }


def refusal_status(error: DomainError) -> int:
    """A hard rule the group would break is the request's fault (400); a board that moved on under
    the edit is a conflict (409)."""
    return 400 if isinstance(error, IneligibleGroupError) else 409


@hr_required
@require_POST
def swap(request: OrgRequest, pk: int) -> HttpResponse:
    programme = managed_programme(request, pk)
    try:
        first, a = _member_choice(programme, request.POST.get("first", ""))
        second, b = _member_choice(programme, request.POST.get("second", ""))
    except BadChoiceError as error:
        return edit_response(request, programme, error=str(error), status=400)
    try:
        score_a, score_b = swap_members(
            actor=request.user, first=first, first_enrolment=a, second=second, second_enrolment=b
        )
    except DomainError as error:
        return edit_response(request, programme, error=str(error), status=refusal_status(error))
    return edit_response(
        request,
        programme,
        message=f"Swapped {a.person.display_name} and {b.person.display_name}. "
        f"New scores: proposal #{first.pk} {score_a:.2f}, proposal #{second.pk} {score_b:.2f}.",
    )


@hr_required
@require_POST
def replace(request: OrgRequest, pk: int) -> HttpResponse:
    programme = managed_programme(request, pk)
    try:
        partnership, leaving = _member_choice(programme, request.POST.get("leaving", ""))
        joining = Enrolment.objects.filter(
            programme=programme, pk=int(request.POST.get("joining", ""))
        ).first()
    except (BadChoiceError, ValueError):
        return edit_response(request, programme, error="Choose who leaves and who joins.", status=400)
    if joining is None:
        raise Http404("No such enrolment.")
    try:
        score = replace_member(actor=request.user, partnership=partnership, leaving=leaving, joining=joining)
    except DomainError as error:
        return edit_response(request, programme, error=str(error), status=refusal_status(error))
    return edit_response(
        request,
        programme,
        message=f"{joining.person.display_name} replaced {leaving.person.display_name} "
        f"in proposal #{partnership.pk}. New score: {score:.2f}.",
    )


def partnership_or_404(programme: Programme, ppk: int) -> Partnership:
    try:
        return partnership_in(programme=programme, pk=ppk)
    except Partnership.DoesNotExist as error:
        raise Http404("No such proposal.") from error


@hr_required
@require_POST
def pin(request: OrgRequest, pk: int, ppk: int) -> HttpResponse:
    """Pin or unpin; htmx gets a feedback line whose Undo flips it again, and the row (out of band)."""
    programme = managed_programme(request, pk)
    partnership = partnership_or_404(programme, ppk)
    wanted = request.POST.get("pinned", "1") == "1"
    try:
        pin_partnership(actor=request.user, partnership=partnership, pinned=wanted)
    except DomainError as error:
        return error_response(request, str(error), status=409, back_url=reverse("web:proposals", args=[pk]))
    said = (
        f"Proposal #{ppk} pinned: matching again keeps it and its members."
        if wanted
        else f"Proposal #{ppk} unpinned: matching again may change it."
    )
    if not request.htmx:
        messages.success(request, said)
        return redirect("web:proposals", pk=pk)
    row = with_members(Partnership.objects.filter(pk=partnership.pk)).get()
    undo = undo_button(
        request,
        reverse("web:pin", args=[pk, ppk]),
        f"{'pinning' if wanted else 'unpinning'} proposal #{ppk}",
        pinned="0" if wanted else "1",
    )
    return render(
        request, "web/review/_pinned.html", {"p": row, "programme": programme, "message": said, "undo": undo}
    )


@hr_required
@require_POST
def discard(request: OrgRequest, pk: int, ppk: int) -> HttpResponse:
    programme = managed_programme(request, pk)
    partnership = partnership_or_404(programme, ppk)
    try:
        discard_proposal(actor=request.user, partnership=partnership)
    except DomainError as error:
        return error_response(request, str(error), status=409, back_url=reverse("web:proposals", args=[pk]))
    return edit_response(
        request,
        programme,
        message=f"Proposal #{ppk} discarded; its members return to the pool.",
        undo=undo_button(request, reverse("web:restore", args=[pk, ppk]), f"discarding proposal #{ppk}"),
    )


@hr_required
@require_POST
def restore(request: OrgRequest, pk: int, ppk: int) -> HttpResponse:
    """The undo of a discard: the proposal comes back as it was, if nobody has taken its place."""
    programme = managed_programme(request, pk)
    partnership = partnership_or_404(programme, ppk)
    try:
        restore_proposal(actor=request.user, partnership=partnership)
    except DomainError as error:
        return edit_response(request, programme, error=str(error), status=409)
    return edit_response(request, programme, message=f"Proposal #{ppk} is back, as it was.")
