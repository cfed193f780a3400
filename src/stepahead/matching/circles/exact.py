"""Small pools solved exactly: every valid circle enumerated, then set packing by integer
programming (scipy's HiGHS), most members first, then the most score."""

from __future__ import annotations

from itertools import combinations

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_matrix

from .._model import MatchParams
from .._population import FloatArray, IntArray, Population
from .score import MAX_SIZE, MIN_SIZE, judge

EXACT_PEOPLE = 24  # up to this many people the pool is solved exactly (well under a second)


def exact_circles(pop: Population, params: MatchParams) -> tuple[IntArray, FloatArray] | None:
    """The optimal circles (rows, scores), or None when the pool is too big to enumerate."""
    if pop.size > EXACT_PEOPLE:
        return None
    return best_packing(pop, params, np.arange(pop.size, dtype=np.int64))


def best_packing(pop: Population, params: MatchParams, people: IntArray) -> tuple[IntArray, FloatArray]:
    """The best circles among these people alone: the most members, then the most score."""
    rows = _all_circles(len(people))
    rows = np.where(rows >= 0, people[np.maximum(rows, 0)], -1)
    verdict = judge(pop, params, rows)
    rows, scores = rows[verdict.valid], verdict.score[verdict.valid]
    if not len(rows):
        return rows, scores
    chosen = _pack(rows, scores)
    return rows[chosen], scores[chosen]


def _all_circles(people: int) -> IntArray:
    if people not in _SUBSETS:
        found = [
            list(c) + [-1] * (MAX_SIZE - size)
            for size in range(MIN_SIZE, MAX_SIZE + 1)
            for c in combinations(range(people), size)
        ]
        _SUBSETS[people] = np.array(found, dtype=np.int64).reshape(-1, MAX_SIZE)
    return _SUBSETS[people]


_SUBSETS: dict[int, IntArray] = {}


def _pack(rows: IntArray, scores: FloatArray) -> IntArray:
    """Two integer programs: the most members, then the best score among packings that many
    (one program with a big member weight solves far slower)."""
    real = rows >= 0
    circle = np.repeat(np.arange(len(rows)), real.sum(axis=1))
    _, person = np.unique(rows[real], return_inverse=True)
    seats = csr_matrix((np.ones(len(circle)), (person, circle)), shape=(int(person.max()) + 1, len(rows)))
    sizes = real.sum(axis=1).astype(np.float64)
    one_circle_each = LinearConstraint(seats, 0, 1)
    first = _solve(-sizes, [one_circle_each])
    placed = round(float(sizes @ first))
    second = _solve(-scores, [one_circle_each, LinearConstraint(sizes[None, :], placed, placed)])
    chosen: IntArray = np.flatnonzero(second > 0)
    return chosen


def _solve(cost: FloatArray, constraints: list[LinearConstraint]) -> FloatArray:
    found = milp(
        cost,
        constraints=constraints,
        integrality=np.ones(len(cost)),
        bounds=Bounds(0, 1),
        options={"mip_rel_gap": 0.0},  # HiGHS stops at 0.01 % by default; a proof needs the optimum
    )
    if found.x is None:
        raise RuntimeError(f"circle packing failed: {found.message}")
    chosen: FloatArray = np.round(found.x)
    return chosen
