"""Circles judged in batches: the spec's validity and score for many candidate circles at once.

Circles are rows of a (count, 5) array of population indices, padded with -1. `judge` agrees with
the scalar reference (`circle_is_valid`, `circle_score`) and is what the circle search calls for
every move it considers: one compiled pass over thousands of candidate circles (a few hundred
operations a circle, where array code spent most of the search's time building (rows, 5, 5, 3)
temporaries).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from .._kernels import numba
from .._model import MatchParams
from .._population import FloatArray, IntArray, Population
from .._rules import allowed, compiled, compiled_parallel, key_in
from .._scoring import PRIORITY_WEIGHTS

MIN_SIZE, MAX_SIZE = 3, 5
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class Verdict:
    score: FloatArray  # the spec's circle score (0 where not compatible: never a circle)
    compatible: BoolArray  # every pair obeys the hard rules, grade spread within the band
    exchange: BoolArray  # every member both gives and receives within the circle
    sizes: IntArray

    @property
    def valid(self) -> BoolArray:
        """The spec's validity, size included (`circle_is_valid`)."""
        ok: BoolArray = self.compatible & self.exchange & (self.sizes >= MIN_SIZE) & (self.sizes <= MAX_SIZE)
        return ok


def judge(pop: Population, params: MatchParams, circles: IntArray) -> Verdict:
    """Score and validity of each circle (rows of population indices, -1 for empty seats)."""
    circles = np.ascontiguousarray(circles, dtype=np.int64).reshape(len(circles), MAX_SIZE)
    count = len(circles)
    score = np.zeros(count, dtype=np.float64)
    compatible = np.zeros(count, dtype=np.bool_)
    exchange = np.zeros(count, dtype=np.bool_)
    sizes = np.zeros(count, dtype=np.int64)
    tables = judge_tables(pop, params)
    if count < 2 * CHUNK:  # one core: waking the other (it then spins idle) costs more here
        judge_some(circles, 0, count, tables, (score, compatible, exchange, sizes))
    else:
        _judge_rows(circles, *tables, score, compatible, exchange, sizes)
    return Verdict(score=score, compatible=compatible, exchange=exchange, sizes=sizes)


def judge_tables(pop: Population, params: MatchParams) -> tuple[Any, Any, Any, Any]:
    """What the compiled judges read: (hard rules, goal facts, pair extras, weights)."""
    everyone = np.arange(pop.size, dtype=np.int64)  # the rules' positions: population order
    rules = (everyone, pop.manager, pop.languages, pop.in_blocked, pop.blocked_keys)
    facts = (pop.levels, pop.goals, pop.own, pop.utility, np.asarray(PRIORITY_WEIGHTS, dtype=np.float64))
    extras = (pop.grades, pop.functions, pop.in_wish, pop.wish_keys, pop.wish_counts)
    weights = (float(params.cross_function_bonus), float(params.wish_bonus), int(params.circle_band))
    return rules, facts, extras, weights


@compiled
def _goal_score(members: Any, k: int, facts: Any) -> tuple[float, bool]:
    """Each member's goals met by the best other member; whether everyone gives and receives."""
    levels, goals, own, utility, priority = facts
    total, gives, receives = 0.0, 0, 0  # bit x: member x gives (receives)
    top = utility.shape[0] - 1
    for x in range(k):
        receiver = members[x]
        for g in range(goals.shape[1]):
            skill, mine, best = goals[receiver, g], int(own[receiver, g]), 0.0
            for y in range(k):
                gap = int(levels[members[y], skill]) - mine
                if gap > 0 and y != x:
                    gives |= 1 << y
                    receives |= 1 << x
                    best = max(best, utility[min(gap, top)])
            total += priority[g] * best
    everyone = (1 << k) - 1
    return total, (gives & everyone) == everyone and (receives & everyone) == everyone


@compiled
def seated_pairs(members: Any, k: int, rules: Any, extras: Any, band: int) -> tuple[bool, float]:
    """Whether every pair may share a circle (hard rules, grade spread); the pairs' wish counts."""
    grades, _, in_wish, wish_keys, wish_counts = extras
    n = grades.shape[0]
    ok, wishes = True, 0.0
    for x in range(k):
        for y in range(x + 1, k):
            a, b = members[x], members[y]
            ok = ok and abs(grades[a] - grades[b]) <= band and allowed(rules, a, b)
            if not ok:
                return False, 0.0
            if in_wish[a] and in_wish[b]:
                at = key_in(wish_keys, min(a, b) * n + max(a, b))
                wishes += wish_counts[at] if at >= 0 else 0
    return ok, wishes


@compiled
def distinct_functions(members: Any, k: int, functions: Any) -> int:
    distinct = 0
    for x in range(k):
        f = functions[members[x]]
        seen = f < 0
        for y in range(x):
            seen = seen or functions[members[y]] == f
        distinct += 0 if seen else 1
    return distinct


# Circles per task of the compiled judge (the search judges thousands at once; each row is
# judged alone, so the result does not depend on how many cores run them).
CHUNK = 512


@compiled_parallel
def _judge_rows(
    circles: Any,
    rules: Any,
    facts: Any,
    extras: Any,
    weights: Any,
    score: Any,
    compatible: Any,
    exchange: Any,
    sizes: Any,
) -> None:
    for c in numba.prange((circles.shape[0] + CHUNK - 1) // CHUNK):
        start, stop = c * CHUNK, min((c + 1) * CHUNK, circles.shape[0])
        out = (score, compatible, exchange, sizes)
        judge_some(circles, start, stop, (rules, facts, extras, weights), out)


@compiled
def judge_some(circles: Any, start: int, stop: int, tables: Any, out: Any) -> None:
    """Rows start <= c < stop of `_judge_rows`."""
    rules, facts, extras, weights = tables
    score, compatible, exchange, sizes = out
    diversity, wish_bonus, band = weights
    members = np.zeros(MAX_SIZE, dtype=np.int64)
    for c in range(start, stop):
        k = 0
        for s in range(circles.shape[1]):
            if circles[c, s] >= 0:
                members[k] = circles[c, s]
                k += 1
        sizes[c] = k
        ok, wishes = seated_pairs(members, k, rules, extras, band)
        compatible[c] = ok
        if not ok:  # most candidates fail here: their score is never read
            continue
        goal_total, everyone = _goal_score(members, k, facts)
        distinct = distinct_functions(members, k, extras[1])
        score[c] = goal_total + diversity * max(distinct - 1, 0) + wish_bonus * wishes
        exchange[c] = everyone
