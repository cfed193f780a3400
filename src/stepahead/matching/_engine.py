"""The one entry point: compile the pool, solve for the mode, explain the result.

Each mode's package is imported when a pool of that mode is matched, not before, so a peer
match never loads the mentoring kernels (and a small file answers quickly)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace

from ._explain import Diagnosis, explain
from ._kernels import plain_kernels
from ._model import MAX_CAPACITY, MAX_GRADE, MatchParams, MatchResult, Mode, Participant
from ._population import Population, compile_population
from ._solution import Progress, Solution, Stop, never, silent

Solver = Callable[[Population, MatchParams, Progress, Stop], Solution]

# Up to these sizes a pool is matched by the kernels as plain Python: loading numba and its cached
# kernels costs ~0.5 s of CPU, more than these pools take without it (measured per mode: peer 60
# people 0.12 s, open mentoring 300 people 0.25 s, circles 20 people 0.07 s, exact search included).
PLAIN_UP_TO = {Mode.PEER: 50, Mode.CIRCLES: 15, Mode.TRADITIONAL: 150, Mode.REVERSE: 150, Mode.OPEN: 150}


class PoolError(ValueError):
    """The pool cannot be matched as given (a caller skipped validation)."""


def match(
    people: Sequence[Participant],
    params: MatchParams | None = None,
    *,
    progress: Progress | None = None,
    stop: Stop | None = None,
) -> MatchResult:
    """Match a pool under spec matching-v1: place the most people, then the most weight.

    `progress(stage, fraction)` hears how far it is; `stop()` is asked between steps, and once it
    answers True the solver returns its best solution so far with its bound (`optimality`)."""
    params = params or MatchParams()
    _check_pool(people)
    with plain_kernels(len(people) <= PLAIN_UP_TO[params.mode]):
        pop = compile_population(people, params)
        solve, diagnosis = solver_for(params.mode)
        budget = _Budget(stop or never)
        solution = solve(pop, params, progress or silent, budget)
        return explain(pop, params, budget.mark(solution), diagnosis)


class _Budget:
    """The caller's stop(), remembering whether it ever said stop: a result the solver could not
    prove after that is marked `stopped`, so the caller knows more time might prove or improve it."""

    def __init__(self, stop: Stop) -> None:
        self._stop = stop
        self.spent = False

    def __call__(self) -> bool:
        self.spent = self.spent or self._stop()
        return self.spent

    def mark(self, solution: Solution) -> Solution:
        optimality = solution.optimality
        if not self.spent or optimality is None or optimality.proven:
            return solution
        return replace(solution, optimality=replace(optimality, stopped=True))


def solver_for(mode: Mode) -> tuple[Solver, type[Diagnosis]]:
    if mode is Mode.PEER:
        from .peer.explain import PeerDiagnosis
        from .peer.solve import solve_peer

        return solve_peer, PeerDiagnosis
    if mode is Mode.CIRCLES:
        from .circles.explain import CircleDiagnosis
        from .circles.solve import solve_circles

        return solve_circles, CircleDiagnosis
    from .mentoring.explain import MentoringDiagnosis
    from .mentoring.solve import solve_mentoring

    return solve_mentoring, MentoringDiagnosis


def _check_pool(people: Sequence[Participant]) -> None:
    duplicates = sorted(i for i, n in Counter(p.id for p in people).items() if n > 1)
    if duplicates:
        raise PoolError(f"duplicate participant ids: {', '.join(duplicates[:10])}")
    bad = [p.id for p in people if any(not 0 <= lvl <= 5 for lvl in p.skills.values())]
    if bad:
        raise PoolError(f"skill levels outside 0-5 for: {', '.join(bad[:10])}")
    # Work and memory grow with capacity (candidate lists per unit of it) and grades index arrays.
    bad = [p.id for p in people if not 0 <= p.capacity <= MAX_CAPACITY]
    if bad:
        raise PoolError(f"mentor capacity outside 0-{MAX_CAPACITY} for: {', '.join(bad[:10])}")
    bad = [p.id for p in people if not -MAX_GRADE <= p.grade <= MAX_GRADE]
    if bad:
        raise PoolError(f"grade outside -{MAX_GRADE} to {MAX_GRADE} for: {', '.join(bad[:10])}")
