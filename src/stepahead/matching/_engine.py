"""The one entry point: compile the pool, solve for the mode, explain the result."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

from ._circles import solve_circles
from ._explain import explain
from ._mentoring import solve_mentoring
from ._model import MatchParams, MatchResult, Mode, Participant
from ._peer import solve_peer
from ._population import Population, compile_population
from ._solution import Progress, Solution, silent

Solver = Callable[[Population, MatchParams, Progress], Solution]

_SOLVERS: dict[Mode, Solver] = {
    Mode.PEER: solve_peer,
    Mode.TRADITIONAL: solve_mentoring,
    Mode.REVERSE: solve_mentoring,
    Mode.OPEN: solve_mentoring,
    Mode.CIRCLES: solve_circles,
}


class PoolError(ValueError):
    """The pool cannot be matched as given (a caller skipped validation)."""


def match(
    people: Sequence[Participant],
    params: MatchParams | None = None,
    *,
    progress: Progress | None = None,
) -> MatchResult:
    """Match a pool under spec matching-v1: place the most people, then the most weight."""
    params = params or MatchParams()
    _check_pool(people)
    pop = compile_population(people, params)
    solution = _SOLVERS[params.mode](pop, params, progress or silent)
    return explain(pop, params, solution)


def _check_pool(people: Sequence[Participant]) -> None:
    duplicates = sorted(i for i, n in Counter(p.id for p in people).items() if n > 1)
    if duplicates:
        raise PoolError(f"duplicate participant ids: {', '.join(duplicates[:10])}")
    bad = [p.id for p in people if any(not 0 <= lvl <= 5 for lvl in p.skills.values())]
    if bad:
        raise PoolError(f"skill levels outside 0-5 for: {', '.join(bad[:10])}")
