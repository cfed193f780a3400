"""Small pools solved exactly: every valid circle enumerated, then set packing by integer
programming (scipy's HiGHS), most members first, then the most score."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np

from .._model import MatchParams
from .._population import FloatArray, IntArray, Population
from .._solution import Stop, never
from .catalogue import catalogue
from .pack import lexicographic_packing, pack
from .score import MAX_SIZE, MIN_SIZE, judge

# Up to this many people every valid circle is enumerated (a few seconds at most), the LP over all
# of them bounds the result, and the integer solve proves it where it can.
EXACT_PEOPLE = 120


@dataclass(frozen=True, slots=True)
class Packed:
    rows: IntArray
    scores: FloatArray
    placed_bound: int
    score_bound: float  # the most score of any packing placing at least as many
    proven: bool


def exact_circles(pop: Population, params: MatchParams, stop: Stop = never) -> Packed | None:
    """The best circles with their bounds, or None when the pool is too big to enumerate."""
    if pop.size > EXACT_PEOPLE:
        return None
    found = catalogue(pop, params, np.arange(pop.size, dtype=np.int64))
    if not found.complete:
        return None
    rows, scores = found.rows, found.scores
    best = pack(rows, scores, pop.size, stop)
    chosen = rows[best.chosen]
    return Packed(chosen, judge(pop, params, chosen).score, best.placed_bound, best.score_bound, best.proven)


def best_packing(pop: Population, params: MatchParams, people: IntArray) -> tuple[IntArray, FloatArray]:
    """The best circles among these people alone: the most members, then the most score."""
    rows = _all_circles(len(people))
    rows = np.where(rows >= 0, people[np.maximum(rows, 0)], -1)
    verdict = judge(pop, params, rows)
    rows, scores = rows[verdict.valid], verdict.score[verdict.valid]
    if not len(rows):
        return rows, scores
    chosen = lexicographic_packing(rows, scores)
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
