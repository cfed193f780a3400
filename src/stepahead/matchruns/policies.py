"""Who may start and watch match runs: the programme's managers (see programmes.policies)."""

from stepahead.accounts import Actor
from stepahead.programmes.models import Programme
from stepahead.programmes.policies import can_manage_programme

from .models import MatchRun


def can_start_run(*, user: Actor, programme: Programme) -> bool:
    return can_manage_programme(user=user, programme=programme)


def can_view_run(*, user: Actor, run: MatchRun) -> bool:
    return can_manage_programme(user=user, programme=run.programme)
