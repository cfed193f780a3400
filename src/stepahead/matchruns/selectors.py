"""Reads about match runs, for progress polling, audit and comparison."""

from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce

from stepahead.programmes.models import Programme

from .models import ACTIVE_STATUSES, MatchRun


def runs_of(*, programme: Programme) -> QuerySet[MatchRun]:
    return MatchRun.objects.filter(organisation=programme.organisation, programme=programme)


def run_in(*, programme: Programme, pk: int, with_groups: bool = True) -> MatchRun:
    """A run of this programme (raises MatchRun.DoesNotExist for any other). `with_groups=False`
    leaves out the groups it found: a 10,000-person run stores megabytes of them, which its own
    page never shows (decoding them cost more than the rest of that page)."""
    runs = runs_of(programme=programme).select_related("requested_by")
    return (runs if with_groups else runs.defer("groups")).get(pk=pk)


def active_run(*, programme: Programme) -> MatchRun | None:
    return runs_of(programme=programme).filter(status__in=ACTIVE_STATUSES).first()


def latest_finished_run(*, programme: Programme) -> MatchRun | None:
    """The run whose matches are on the review board: the latest finished run, what-if runs
    counting only once adopted (and from when they were)."""
    on_board = Q(what_if=False) | Q(adopted_at__isnull=False)
    finished = runs_of(programme=programme).filter(on_board, status="done").defer("groups")
    return (
        finished.annotate(board_at=Coalesce("adopted_at", "finished_at")).order_by("-board_at", "-pk").first()
    )
