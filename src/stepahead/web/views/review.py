"""HR: review a programme's proposals — figures, reasons, approve (edits: `review_edits`).

The proposals page of a 10k-person programme stays fast: 50 proposals a page, members fetched with
one joined query, and the summary figures computed by the database in a handful of aggregates.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Avg, Count, Prefetch, Q, QuerySet, Sum
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.decorators.http import require_POST

from stepahead.core.placement import Placement, counts_in_words
from stepahead.core.strength import match_strength
from stepahead.errors import DomainError
from stepahead.matchruns.models import MatchRun
from stepahead.matchruns.selectors import latest_finished_run
from stepahead.partnerships.models import Partnership, PartnershipMember, PartnershipStatus
from stepahead.partnerships.selectors import (
    Decline,
    decline_reasons,
    declines_of,
    partnerships_of,
    placement_of,
    unplaced_enrolments,
)
from stepahead.partnerships.services import approve_proposals
from stepahead.people.models import Person
from stepahead.programmes.models import Enrolment, Programme
from stepahead.web.access import OrgRequest, hr_required, managed_programme
from stepahead.web.params import row_ids
from stepahead.web.responses import confirmation_page, confirmed, error_response

PAGE_SIZE = 50
SORTS = {"-score": ("-score", "pk"), "score": ("score", "pk")}
UNMATCHED_SHOWN = 100
UNPLACED_SHOWN = 500  # in the board's pickers


# What the board shows of a member: building 150 models with every enrolment's answers (JSON)
# would cost more than the rest of the page.
MEMBER_COLUMNS = (
    "partnership_id",
    "role",
    "enrolment__person__name",
    "enrolment__person__hris_id",
    "enrolment__person__function",
    "enrolment__person__grade",
)


def with_members(queryset: QuerySet[Partnership]) -> QuerySet[Partnership]:
    """One query for all members with their enrolment and person (instead of three)."""
    members = (
        PartnershipMember.objects.select_related("enrolment__person")
        .only(*MEMBER_COLUMNS)
        .order_by("role", "pk")
    )
    return queryset.prefetch_related(None).prefetch_related(Prefetch("members", queryset=members))


def _proposals(programme: Programme) -> QuerySet[Partnership]:
    return partnerships_of(programme=programme, statuses=[PartnershipStatus.PROPOSED])


def _figures(programme: Programme, standing: Placement[int]) -> dict[str, Any]:
    """The board's figures in one aggregate (cross-function is stored per partnership)."""
    proposed = Q(status=PartnershipStatus.PROPOSED)
    agg = Partnership.objects.filter(programme=programme).aggregate(
        count=Count("pk", filter=proposed),
        total=Sum("score", filter=proposed),
        mean=Avg("score", filter=proposed),
        cross=Count("pk", filter=proposed & Q(cross_function=True)),
        approved=Count("pk", filter=Q(status=PartnershipStatus.APPROVED)),
        accepted=Count("pk", filter=Q(status=PartnershipStatus.ACCEPTED)),
        declined=Count("pk", filter=Q(status=PartnershipStatus.DECLINED)),
    )
    return {
        "proposals": agg["count"] or 0,
        "total_score": agg["total"] or 0.0,
        "mean_score": agg["mean"],
        "mean_strength": match_strength(
            agg["mean"], circle=programme.mode == "circles", members=programme.circle_size
        ),
        "cross_share": (agg["cross"] / agg["count"]) if agg["count"] else None,
        "placed": standing.placed,
        "declined_people": len(standing.declined),
        "unmatched": len(standing.unmatched),
        "idle_mentors": len(standing.idle_mentors),
        "enrolled": standing.enrolled,
        "words": counts_in_words(
            placed=standing.placed,
            declined=len(standing.declined),
            unmatched=len(standing.unmatched),
            idle_mentors=len(standing.idle_mentors),
        ),
        "approved": agg["approved"],
        "accepted": agg["accepted"],
        "declined": agg["declined"],
    }


def _unplaced(programme: Programme, standing: Placement[int] | None) -> QuerySet[Enrolment]:
    """Who can step in (declined, unmatched, idle mentors), by name. Once the placement is known
    and the list is short (after a run: a handful of 10,000), their ids are a primary-key lookup;
    otherwise (everyone, before the first run) the same subquery as the placement's, never a
    list of 10,000 ids."""
    if standing is not None and len(standing.unplaced) <= UNPLACED_SHOWN:
        waiting = Enrolment.objects.filter(pk__in=standing.unplaced)
    else:
        waiting = unplaced_enrolments(programme=programme)
    return waiting.select_related("person").order_by("person__name", "person__hris_id")


class _CountedPaginator(Paginator[Partnership]):
    """A paginator told how many proposals there are (the figures' aggregate has counted them),
    so it asks the database for no count of its own."""

    def __init__(self, object_list: QuerySet[Partnership], per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


def board_context(
    request: OrgRequest,
    programme: Programme,
    *,
    standing: Placement[int] | None = None,
    proposals: int | None = None,
) -> dict[str, Any]:
    """The board (a page of proposals and who can step in); `standing` and `proposals` (how many
    there are), if the caller already has them."""
    sort = request.GET.get("sort", "-score")
    if sort not in SORTS:
        sort = "-score"
    ordered = with_members(_proposals(programme)).order_by(*SORTS[sort])
    paginator: Paginator[Partnership] = (
        Paginator(ordered, PAGE_SIZE)
        if proposals is None
        else _CountedPaginator(ordered, PAGE_SIZE, count=proposals)
    )
    page = paginator.get_page(request.GET.get("page"))
    return {
        "programme": programme,
        "page_obj": page,
        "proposals": list(page.object_list),
        "sort": sort,
        "unplaced": list(_unplaced(programme, standing)[:UNPLACED_SHOWN]),
    }


def _unmatched(
    run: MatchRun | None, unplaced: list[Enrolment], declines: list[Decline]
) -> list[tuple[Person, str]]:
    """The first of those not placed now (the board's list), each with why: their decline, else
    the last run's reason, else that they are back in the pool (a discarded proposal, or they
    joined after the run)."""
    declined = decline_reasons(declines)
    summary = (run.summary or {}) if run else {}
    from_run = {u["id"]: u["reason"] for u in summary.get("unmatched", [])}
    for idle in summary.get("idle_mentors") or ():
        from_run.setdefault(idle["id"], f"Mentor without a mentee: {idle['reason']}")
    rows = []
    for enrolment in unplaced[:UNMATCHED_SHOWN]:
        person = enrolment.person
        reason = declined.get(enrolment.pk) or from_run.get(person.hris_id) or _back_in_pool(run)
        rows.append((person, reason))
    return rows


def _back_in_pool(run: MatchRun | None) -> str:
    if run is None:
        return "Waiting for the first matching run."
    return (
        "Back in the pool (a discarded proposal, or joined after the last run): the next run includes them."
    )


def full_board(request: OrgRequest, programme: Programme) -> dict[str, Any]:
    """Everything the proposals page shows: the board, its figures and the not-placed list with
    reasons. The page draws it, and every edit (`review_edits.edit_response`) redraws it."""
    standing = placement_of(programme=programme)
    figures = _figures(programme, standing)
    board = board_context(request, programme, standing=standing, proposals=figures["proposals"])
    declines = declines_of(programme=programme)
    run = latest_finished_run(programme=programme)
    return {
        **board,
        "figures": figures,
        "run": run,
        "optimality": (run.summary or {}).get("optimality") if run else None,
        "unmatched": _unmatched(run, board["unplaced"], declines),
        "unmatched_total": len(standing.unplaced),
        "declines": declines[:UNMATCHED_SHOWN],
    }


@hr_required
def proposals(request: OrgRequest, pk: int) -> HttpResponse:
    programme = managed_programme(request, pk)
    if request.htmx and request.GET.get("partial") == "board":
        return render(request, "web/review/_board.html", board_context(request, programme))
    return render(
        request, "web/review/proposals.html", {**full_board(request, programme), "section": "programmes"}
    )


def _confirm_approve_all(request: OrgRequest, programme: Programme) -> HttpResponse:
    members = PartnershipMember.objects.filter(
        partnership__programme=programme, partnership__status=PartnershipStatus.PROPOSED
    ).select_related("enrolment__person")
    people = sorted({m.enrolment.person.display_name for m in members})
    proposals = _proposals(programme).count()
    return confirmation_page(
        request,
        title=f"Approve {'the proposal' if proposals == 1 else f'all {proposals} proposals'}?",
        consequences=[
            f"{len(people)} {'person is' if len(people) == 1 else 'people are'} emailed their match "
            "and asked to accept or decline. Emails cannot be called back.",
            "Everyone the run left unmatched (and any mentor it gave no mentee) is emailed that they "
            "were not matched this time, "
            "why (in plain words, naming nobody else) and what happens next.",
            "Approved matches are kept by later runs; you can no longer swap or discard them.",
        ],
        action=reverse("web:approve", args=[programme.pk]),
        fields={"scope": "all"},
        people=people,
        confirm_label=f"Approve and email {len(people)} {'person' if len(people) == 1 else 'people'}",
        back_url=reverse("web:proposals", args=[programme.pk]),
    )


@hr_required
@require_POST
def approve(request: OrgRequest, pk: int) -> HttpResponse:
    programme = managed_programme(request, pk)
    back = reverse("web:proposals", args=[pk])
    chosen = None
    if request.POST.get("scope") != "all":
        try:
            ids = row_ids(request.POST.getlist("selected"))
        except ValueError:
            ids = set()
        if not ids:
            return error_response(
                request, "Tick at least one proposal to approve.", status=400, back_url=back
            )
        chosen = list(_proposals(programme).prefetch_related(None).filter(pk__in=ids))
        if len(chosen) != len(ids):
            return error_response(
                request, "Some selected proposals are no longer open for approval.", status=409, back_url=back
            )
    if chosen is None and not confirmed(request):
        return _confirm_approve_all(request, programme)
    try:
        approved = approve_proposals(actor=request.user, programme=programme, partnerships=chosen)
    except DomainError as error:
        return error_response(request, str(error), status=409, back_url=back)
    messages.success(
        request,
        f"{len(approved)} proposal(s) approved. The members have been emailed and asked to accept.",
    )
    return redirect(back)
