"""Reads about match runs, for progress polling, audit and comparison."""

from dataclasses import dataclass

from django.db.models import QuerySet

from stepahead.programmes.models import Programme

from .models import ACTIVE_STATUSES, MatchRun


def runs_of(*, programme: Programme) -> QuerySet[MatchRun]:
    return MatchRun.objects.filter(organisation=programme.organisation, programme=programme)


def run_in(*, programme: Programme, pk: int) -> MatchRun:
    """A run of this programme (raises MatchRun.DoesNotExist for any other)."""
    return runs_of(programme=programme).get(pk=pk)


def active_run(*, programme: Programme) -> MatchRun | None:
    return runs_of(programme=programme).filter(status__in=ACTIVE_STATUSES).first()


def latest_finished_run(*, programme: Programme) -> MatchRun | None:
    return runs_of(programme=programme).filter(status="done").first()


@dataclass(frozen=True, slots=True)
class RunComparison:
    """Headline differences between two runs of one programme; people are HRIS ids."""

    placed: tuple[int, int]
    total_score: tuple[float, float]
    newly_placed: list[str]
    newly_unmatched: list[str]
    parameters_changed: list[str]


def compare_runs(*, before: MatchRun, after: MatchRun) -> RunComparison:
    """Headline differences between two runs of the same programme (placed, score, unmatched)."""
    if before.programme_id != after.programme_id:
        raise ValueError("only runs of the same programme can be compared")
    unmatched_before = {u["id"] for u in before.summary.get("unmatched", [])}
    unmatched_after = {u["id"] for u in after.summary.get("unmatched", [])}
    return RunComparison(
        placed=((before.people_placed or 0), (after.people_placed or 0)),
        total_score=((before.total_score or 0.0), (after.total_score or 0.0)),
        newly_placed=sorted(unmatched_before - unmatched_after),
        newly_unmatched=sorted(unmatched_after - unmatched_before),
        parameters_changed=sorted(
            k
            for k in set(before.parameters) | set(after.parameters)
            if before.parameters.get(k) != after.parameters.get(k)
        ),
    )
