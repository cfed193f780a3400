"""HR: match runs — start one, watch its progress (htmx polling), history and comparison."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from stepahead.core.placement import RunCounts, counts_in_words, run_counts
from stepahead.core.strength import match_strength
from stepahead.core.unmatched import run_alert
from stepahead.errors import DomainError
from stepahead.matchruns.comparison import compare_runs
from stepahead.matchruns.models import MatchRun, RunStatus
from stepahead.matchruns.selectors import latest_finished_run, run_in, runs_of
from stepahead.matchruns.services import (
    RunInProgressError,
    cancel_match_run,
    give_up_stalled_runs,
    start_match_run,
)
from stepahead.matchruns.whatif import TRYABLE, WHAT_IF_PARAMETERS
from stepahead.partnerships.selectors import placement_of
from stepahead.people.selectors import people_by_hris_ids
from stepahead.programmes.models import Mode, Profile, Programme, Status
from stepahead.web.access import OrgRequest, hr_required, managed_programme
from stepahead.web.params import row_ids
from stepahead.web.responses import confirmation_page, confirmed, error_response

UNMATCHED_SHOWN = 100
PARAMETER_LABELS = {
    "mode": "Mode",
    "band": "Peer band",
    "profile": "Profile",
    "circle_size": "Circle size",
    "circle_band": "Circle band",
    "cross_function_bonus": "Cross-function bonus",
    "wish_bonus": "Wish bonus",
    "spread": "Mentee sharing",
    "time_limit": "Time limit",
    "seed": "Seed",
}


def parameter_words(name: str, value: object) -> str:
    """A stored parameter as HR reads it ("no limit" for an empty time limit, "60 s")."""
    if name == "time_limit":
        return "no limit" if value is None else f"{value} s"
    if name == "mode":
        return Mode(str(value)).label if value in Mode.values else str(value)
    if name == "profile":
        return Profile(str(value)).label if value in Profile.values else str(value)
    return "—" if value is None else str(value)


def run_or_404(programme: Programme, pk: int, *, with_groups: bool = True) -> MatchRun:
    try:
        return run_in(programme=programme, pk=pk, with_groups=with_groups)
    except MatchRun.DoesNotExist as error:
        raise Http404("No such match run.") from error


@hr_required
@require_POST
def run_start(request: OrgRequest, pk: int) -> HttpResponse:
    programme = managed_programme(request, pk)
    if not confirmed(request):
        return _confirm_run(request, programme)
    try:
        run = start_match_run(actor=request.user, programme=programme)
    except RunInProgressError as running:
        # A double click (or a colleague's run) lands on the run that is already working.
        messages.info(request, "Matching is already under way; this is its progress.")
        return redirect("web:run_detail", pk=pk, run_pk=running.run.pk)
    except DomainError as error:
        return error_response(
            request,
            str(error),
            status=409,
            back_url=reverse("web:programme_detail", args=[pk]),
            title="Matching could not start",
        )
    return redirect("web:run_detail", pk=pk, run_pk=run.pk)


def _confirm_run(request: OrgRequest, programme: Programme) -> HttpResponse:
    standing = placement_of(programme=programme)
    consequences = []
    if programme.status == Status.ENROLLING:
        consequences.append(
            "Enrolment closes: people can no longer join or change their choices "
            "(you can reopen it later for late joiners)."
        )
    waiting = len(standing.waiting)
    consequences += [
        f"Matching proposes matches for the {waiting} {'person' if waiting == 1 else 'people'} "
        f"not yet matched (of {standing.enrolled} enrolled).",
        "Unpinned proposals not yet approved are replaced; approved, accepted and pinned matches "
        "stay as they are.",
        "Nobody is emailed: participants hear nothing until you approve proposals.",
    ]
    return confirmation_page(
        request,
        title=f"Run matching for {programme.name}?",
        consequences=consequences,
        action=reverse("web:run_start", args=[programme.pk]),
        confirm_label="Run matching",
        back_url=reverse("web:programme_detail", args=[programme.pk]),
    )


def run_figures(run: MatchRun) -> dict[str, Any]:
    summary = run.summary or {}
    total = run.pool_size or summary.get("participants") or 0
    groups = summary.get("groups") or 0
    placed = run.people_placed
    # One definition (core.placement): the alert, history and compare count the same way.
    counts = run_counts_of(run)
    return {
        "pool": total,
        "placed": placed,
        "unmatched": counts.unmatched if placed is not None else None,
        "idle_mentors": counts.idle_mentors,
        "words": ""
        if placed is None
        else counts_in_words(placed=placed, unmatched=counts.unmatched, idle_mentors=counts.idle_mentors),
        "groups": groups,
        "proposals": summary.get("proposals"),
        "total_score": run.total_score,
        "mean_score": (
            mean := (run.total_score / groups) if groups and run.total_score is not None else None
        ),
        "mean_strength": match_strength(
            mean, circle=run.parameters.get("mode") == "circles", members=run.parameters.get("circle_size", 4)
        ),
        "optimality": summary.get("optimality"),
        "mentor_load": summary.get("mentor_load"),
    }


def run_counts_of(run: MatchRun) -> RunCounts:
    summary = run.summary or {}
    return run_counts(
        pool=run.pool_size or summary.get("participants") or 0,
        placed=run.people_placed or 0,
        unmatched=[u["id"] for u in summary.get("unmatched", [])],
        idle_mentors=[u["id"] for u in summary.get("idle_mentors") or ()],
    )


def _unmatched_of(programme: Programme, run: MatchRun) -> list[tuple[str, str]]:
    """The run's unplaced people by name, with the run's reason (it names declines)."""
    entries = (run.summary or {}).get("unmatched", [])[:UNMATCHED_SHOWN]
    people = people_by_hris_ids(organisation=programme.organisation, hris_ids=[u["id"] for u in entries])
    named = [(people.get(u["id"]), u) for u in entries]
    return [(person.name if person and person.name else u["id"], u["reason"]) for person, u in named]


def _latest_other(programme: Programme, run: MatchRun) -> MatchRun | None:
    """The run this one is most likely weighed against: the one whose matches are on the board,
    else the latest other finished run."""
    on_board = latest_finished_run(programme=programme)
    if on_board is not None and on_board.pk != run.pk:
        return on_board
    finished = runs_of(programme=programme).filter(status=RunStatus.DONE).exclude(pk=run.pk)
    return finished.defer("groups").first()


@hr_required
def run_detail(request: OrgRequest, pk: int, run_pk: int) -> HttpResponse:
    """Progress while the run works (the partial polls every second), results once it is done."""
    programme = managed_programme(request, pk)
    run = run_or_404(programme, run_pk, with_groups=False)
    if run.status == RunStatus.RUNNING and give_up_stalled_runs(programme=programme):
        run.refresh_from_db()  # its worker had stopped: the page says so instead of spinning
    context = {
        "section": "programmes",
        "programme": programme,
        "run": run,
        "figures": run_figures(run),
        "unmatched": _unmatched_of(programme, run),
        "alert": run_alert(
            [u["reason"] for u in (run.summary or {}).get("unmatched", [])],
            pool=run.pool_size,
            unmatched=run_counts_of(run).unmatched,
        ),
        "adoptable": run.status == RunStatus.DONE and programme.status in TRYABLE,
        "other": _latest_other(programme, run) if run.status == RunStatus.DONE else None,
    }
    if request.htmx:
        return render(request, "web/runs/_progress.html", context)
    return render(request, "web/runs/detail.html", context)


@hr_required
@require_http_methods(["GET", "POST"])
def run_cancel(request: OrgRequest, pk: int, run_pk: int) -> HttpResponse:
    """GET asks for confirmation; POST stops the run (its proposals stay as they were)."""
    programme = managed_programme(request, pk)
    run = run_or_404(programme, run_pk)
    back = reverse("web:run_detail", args=[pk, run_pk])
    if request.method == "GET":
        context = {"section": "programmes", "programme": programme, "run": run}
        return render(request, "web/runs/cancel.html", context)
    try:
        cancel_match_run(actor=request.user, run=run)
    except DomainError as error:
        return error_response(request, str(error), status=409, back_url=back, title="Nothing to cancel")
    messages.success(request, f"Match run #{run.pk} cancelled. You can run matching again.")
    return redirect(back)


@hr_required
def run_history(request: OrgRequest, pk: int) -> HttpResponse:
    programme = managed_programme(request, pk)
    runs = list(runs_of(programme=programme).select_related("requested_by").defer("groups")[:200])
    used = [k for k in PARAMETER_LABELS if k in {"mode", *WHAT_IF_PARAMETERS[programme.mode]}]
    rows = [
        (
            run,
            run_figures(run),
            [(PARAMETER_LABELS[k], parameter_words(k, run.parameters.get(k))) for k in used],
        )
        for run in runs
    ]
    return render(
        request, "web/runs/history.html", {"section": "programmes", "programme": programme, "rows": rows}
    )


@hr_required
def run_compare(request: OrgRequest, pk: int) -> HttpResponse:
    programme = managed_programme(request, pk)
    try:
        ids = sorted(row_ids(request.GET.getlist("run")))
    except ValueError:
        ids = []
    if len(ids) != 2:
        return error_response(
            request,
            "Choose exactly two runs to compare.",
            status=400,
            back_url=reverse("web:run_history", args=[pk]),
        )
    before, after = (run_or_404(programme, i) for i in ids)
    comparison = compare_runs(before=before, after=after)
    # The settings this mode uses, and any other that differs (the rest would only be noise).
    relevant = {"mode", *WHAT_IF_PARAMETERS[programme.mode], *comparison.parameters_changed}
    keys = [k for k in PARAMETER_LABELS if k in relevant]
    parameters = [
        (
            PARAMETER_LABELS[k],
            parameter_words(k, before.parameters.get(k)),
            parameter_words(k, after.parameters.get(k)),
            k in comparison.parameters_changed,
        )
        for k in keys
    ]
    return render(
        request,
        "web/runs/compare.html",
        {
            "section": "programmes",
            "programme": programme,
            "before": before,
            "after": after,
            "fb": run_figures(before),
            "fa": run_figures(after),
            "comparison": comparison,
            "parameters": parameters,
            "adoptable": programme.status in TRYABLE,
            "on_board": getattr(latest_finished_run(programme=programme), "pk", None),
        },
    )
