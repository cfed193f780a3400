"""HR: groups made by hand on the review board — two unplaced people paired (or a mentor and a
mentee matched), or someone unplaced added to a proposed circle. A check first shows the match
strength and the engine's own reasons, or the rule that forbids it; then HR makes it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import get_text_list
from django.views.decorators.http import require_POST

from stepahead.core.strength import match_strength
from stepahead.errors import DomainError
from stepahead.matchruns.mapper import MENTORING, GroupScore
from stepahead.partnerships.models import MemberRole, Partnership
from stepahead.partnerships.review import (
    add_to_circle,
    circle_addition_check,
    group_kind,
    new_group_check,
    pair_by_hand,
)
from stepahead.programmes.models import Enrolment, Programme
from stepahead.web.access import OrgRequest, hr_required, managed_programme
from stepahead.web.views.review_edits import edit_response, partnership_or_404, refusal_status, undo_button

CHOOSE_TWO = "Choose two different people."
CHOOSE_CIRCLE = "Choose a circle and who joins it."


class NotChosenError(Exception):
    pass


def _enrolment(programme: Programme, value: str) -> Enrolment:
    if not value.isdigit():
        raise NotChosenError
    enrolment = programme.enrolments.select_related("person", "programme").filter(pk=int(value)).first()
    if enrolment is None:
        raise Http404("No such enrolment.")
    return enrolment


def _members(request: OrgRequest, programme: Programme) -> list[tuple[Enrolment, str]]:
    """The two people of a pair form, with their roles: mentor then mentee in mentoring modes."""
    first = _enrolment(programme, request.POST.get("first", ""))
    second = _enrolment(programme, request.POST.get("second", ""))
    if group_kind(programme) == MENTORING:
        return [(first, MemberRole.MENTOR), (second, MemberRole.MENTEE)]
    return [(first, MemberRole.PEER), (second, MemberRole.PEER)]


def _named(members: list[tuple[Enrolment, str]]) -> str:
    return get_text_list([e.person.display_name for e, _ in members], "and")


def _checked(
    request: OrgRequest, context: dict[str, Any], check: Callable[[], GroupScore], *, size: int
) -> HttpResponse:
    """The check's answer: strength and reasons with the button that makes the group, or the rule
    that forbids it (htmx: in place under the form; otherwise a page)."""
    try:
        scored = check()
    except DomainError as error:
        return _refused(request, context, str(error), status=refusal_status(error))
    circle = context["programme"].mode == "circles"
    context.update(
        strength=match_strength(scored.score, members=size, circle=circle),
        score=scored.score,
        reasons=scored.reasons,
    )
    return _render(request, context)


def _refused(request: OrgRequest, context: dict[str, Any], error: str, *, status: int) -> HttpResponse:
    return _render(request, {**context, "error": error}, status=status)


def _render(request: OrgRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    template = "web/review/_group_preview.html" if request.htmx else "web/review/group_check.html"
    return render(request, template, {**context, "section": "programmes"}, status=status)


def _made(request: OrgRequest, programme: Programme, make: Callable[[], dict[str, Any]]) -> HttpResponse:
    """Make the group; the board, figures and not-placed list refresh, or the rule is named."""
    try:
        said = make()
    except DomainError as error:
        return edit_response(request, programme, error=str(error), status=refusal_status(error))
    return edit_response(request, programme, **said)


@hr_required
@require_POST
def pair_check(request: OrgRequest, pk: int) -> HttpResponse:
    programme = managed_programme(request, pk)
    context: dict[str, Any] = {"programme": programme, "make_url": reverse("web:pair", args=[pk])}
    try:
        members = _members(request, programme)
    except NotChosenError:
        return _refused(request, context, CHOOSE_TWO, status=400)
    first, second = (e.person.display_name for e, _ in members)
    mentoring = group_kind(programme) == MENTORING
    context.update(
        fields={"first": members[0][0].pk, "second": members[1][0].pk},
        what=f"{first} mentoring {second}" if mentoring else _named(members),
        make_label=f"Match {first} with {second}" if mentoring else f"Pair {first} and {second}",
    )
    return _checked(
        request,
        context,
        lambda: new_group_check(actor=request.user, programme=programme, members=members),
        size=2,
    )


@hr_required
@require_POST
def pair(request: OrgRequest, pk: int) -> HttpResponse:
    programme = managed_programme(request, pk)
    try:
        members = _members(request, programme)
    except NotChosenError:
        return edit_response(request, programme, error=CHOOSE_TWO, status=400)

    def make() -> dict[str, Any]:
        made = pair_by_hand(actor=request.user, programme=programme, members=members)
        return {
            "message": f"Proposal #{made.pk} made by hand: {_named(members)}, match strength "
            f"{match_strength(made.score)}/100. It is pinned, so matching again keeps it.",
            "undo": undo_button(
                request, reverse("web:discard", args=[pk, made.pk]), f"making proposal #{made.pk}"
            ),
        }

    return _made(request, programme, make)


def _circle_choice(request: OrgRequest, programme: Programme) -> tuple[Partnership, Enrolment]:
    value = request.POST.get("circle", "")
    if not value.isdigit():
        raise NotChosenError
    return partnership_or_404(programme, int(value)), _enrolment(programme, request.POST.get("joining", ""))


@hr_required
@require_POST
def circle_check(request: OrgRequest, pk: int) -> HttpResponse:
    programme = managed_programme(request, pk)
    context: dict[str, Any] = {"programme": programme, "make_url": reverse("web:circle_add", args=[pk])}
    try:
        circle, joining = _circle_choice(request, programme)
    except NotChosenError:
        return _refused(request, context, CHOOSE_CIRCLE, status=400)
    name = joining.person.display_name
    context.update(
        fields={"circle": circle.pk, "joining": joining.pk},
        what=f"Circle #{circle.pk} with {name}",
        make_label=f"Add {name} to circle #{circle.pk}",
    )
    return _checked(
        request,
        context,
        lambda: circle_addition_check(actor=request.user, partnership=circle, joining=joining),
        size=circle.members.count() + 1,
    )


@hr_required
@require_POST
def circle_add(request: OrgRequest, pk: int) -> HttpResponse:
    programme = managed_programme(request, pk)
    try:
        circle, joining = _circle_choice(request, programme)
    except NotChosenError:
        return edit_response(request, programme, error=CHOOSE_CIRCLE, status=400)

    def make() -> dict[str, Any]:
        score = add_to_circle(actor=request.user, partnership=circle, joining=joining)
        strength = match_strength(score, members=circle.members.count(), circle=True)
        name = joining.person.display_name
        return {"message": f"{name} joined circle #{circle.pk}; its match strength is now {strength}/100."}

    return _made(request, programme, make)
