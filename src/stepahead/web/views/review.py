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
from django.views.decorators.http import require_POST

from stepahead.core.placement import Placement
from stepahead.core.strength import match_strength
from stepahead.errors import DomainError
from stepahead.matchruns.models import MatchRun
from stepahead.matchruns.selectors import latest_finished_run
from stepahead.partnerships.models import Partnership, PartnershipMember, PartnershipStatus
from stepahead.partnerships.selectors import (
    decline_reasons,
    declines_of,
    partnerships_of,
    placement_of,
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


def with_members(queryset: QuerySet[Partnership]) -> QuerySet[Partnership]:
    """One query for all members with their enrolment and person (instead of three)."""
    members = PartnershipMember.objects.select_related("enrolment__person").order_by("role", "pk")
    return queryset.prefetch_related(None).prefetch_related(Prefetch("members", queryset=members))


def _proposals(programme: Programme) -> QuerySet[Partnership]:
    return partnerships_of(programme=programme, statuses=[PartnershipStatus.PROPOSED])


def _figures(programme: Programme, standing: Placement[int]) -> dict[str, Any]:
    proposals = _proposals(programme).prefetch_related(None)
    agg = proposals.aggregate(count=Count("pk"), total=Sum("score"), mean=Avg("score"))
    cross = (
        proposals.annotate(
            functions=Count(
                "members__enrolment__person__function",
                filter=~Q(members__enrolment__person__function=""),
                distinct=True,
            )
        )
        .filter(functions__gt=1)
        .count()
    )
    by_status = dict(
        Partnership.objects.filter(programme=programme)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {
        "proposals": agg["count"] or 0,
        "total_score": agg["total"] or 0.0,
        "mean_score": agg["mean"],
        "mean_strength": match_strength(
            agg["mean"], circle=programme.mode == "circles", members=programme.circle_size
        ),
        "cross_share": (cross / agg["count"]) if agg["count"] else None,
        "placed": len(standing.placed),
        "declined_people": len(standing.declined),
        "unmatched": len(standing.unmatched),
        "enrolled": standing.enrolled,
        "approved": by_status.get(PartnershipStatus.APPROVED, 0),
        "accepted": by_status.get(PartnershipStatus.ACCEPTED, 0),
        "declined": by_status.get(PartnershipStatus.DECLINED, 0),
    }


def _unplaced(standing: Placement[int]) -> QuerySet[Enrolment]:
    """Active enrolments in no live partnership (declined or unmatched): who can step in."""
    return (
        Enrolment.objects.filter(pk__in=standing.declined | standing.unmatched)
        .select_related("person")
        .order_by("person__name", "person__hris_id")
    )


def board_context(
    request: OrgRequest, programme: Programme, standing: Placement[int] | None = None
) -> dict[str, Any]:
    sort = request.GET.get("sort", "-score")
    if sort not in SORTS:
        sort = "-score"
    proposals = with_members(_proposals(programme)).order_by(*SORTS[sort])
    page = Paginator(proposals, PAGE_SIZE).get_page(request.GET.get("page"))
    return {
        "programme": programme,
        "page_obj": page,
        "proposals": list(page.object_list),
        "sort": sort,
        "unplaced": list(_unplaced(standing or placement_of(programme=programme))[:500]),
    }


def _unmatched(
    programme: Programme, run: MatchRun | None, standing: Placement[int]
) -> tuple[list[tuple[Person, str]], int]:
    """Everyone not placed now, each with why: their decline, else the last run's reason, else
    that they are back in the pool (a discarded proposal, or they joined after the run)."""
    unplaced = _unplaced(standing)
    total = len(standing.declined) + len(standing.unmatched)
    declined = decline_reasons(programme=programme)
    from_run = {u["id"]: u["reason"] for u in (run.summary.get("unmatched", []) if run else [])}
    rows = []
    for enrolment in unplaced[:UNMATCHED_SHOWN]:
        person = enrolment.person
        reason = declined.get(enrolment.pk) or from_run.get(person.hris_id) or _back_in_pool(run)
        rows.append((person, reason))
    return rows, total


def _back_in_pool(run: MatchRun | None) -> str:
    if run is None:
        return "Waiting for the first matching run."
    return (
        "Back in the pool (a discarded proposal, or joined after the last run): the next run includes them."
    )


def board_summary(programme: Programme, standing: Placement[int]) -> dict[str, Any]:
    """The figures and the not-placed list: on the page, and refreshed after every edit."""
    run = latest_finished_run(programme=programme)
    unmatched, unmatched_total = _unmatched(programme, run, standing)
    return {
        "figures": _figures(programme, standing),
        "run": run,
        "optimality": (run.summary or {}).get("optimality") if run else None,
        "unmatched": unmatched,
        "unmatched_total": unmatched_total,
    }


@hr_required
def proposals(request: OrgRequest, pk: int) -> HttpResponse:
    programme = managed_programme(request, pk)
    standing = placement_of(programme=programme)
    context = board_context(request, programme, standing)
    if request.htmx and request.GET.get("partial") == "board":
        return render(request, "web/review/_board.html", context)
    context.update(
        board_summary(programme, standing),
        section="programmes",
        declines=declines_of(programme=programme)[:UNMATCHED_SHOWN],
    )
    return render(request, "web/review/proposals.html", context)


def _confirm_approve_all(request: OrgRequest, programme: Programme) -> HttpResponse:
    members = PartnershipMember.objects.filter(
        partnership__programme=programme, partnership__status=PartnershipStatus.PROPOSED
    ).select_related("enrolment__person")
    people = sorted({m.enrolment.person.name or m.enrolment.person.hris_id for m in members})
    proposals = _proposals(programme).count()
    return confirmation_page(
        request,
        title=f"Approve {'the proposal' if proposals == 1 else f'all {proposals} proposals'}?",
        consequences=[
            f"{len(people)} {'person is' if len(people) == 1 else 'people are'} emailed their match "
            "and asked to accept or decline. Emails cannot be called back.",
            "Everyone the run left unmatched is emailed that they were not matched this time, "
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
