"""The peer pool as flat arrays in grade order, and the spec's pair rules as compiled code.

The compiled scans (`peer.kernel`) read people by sorted position (people sorted by grade,
so everyone within a row's grade band is one contiguous range of columns). Arrays travel to
the kernels in three tuples, by what they serve: `scoring` (what each gives the other),
`rules` (the hard rules beyond that) and `bonus` (cross-function and wish bonuses).

Weights are computed with the same float operations in the same order as `peer_weights`
(giver = the lower population index), so both give identical integer units."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from .._kernels import numba
from .._model import MAX_LEVEL, MatchParams
from .._population import SCALE, IntArray, Population
from .._rules import allowed, compiled, compiled_parallel, key_in
from .._scoring import PRIORITY_WEIGHTS

# Work items are dealt to threads in this many interleaved slices: their sizes differ, and
# contiguous halves would leave one core idle while the other finishes the largest ones.
_SLICES = 64
_FIRST_COUNT = 256  # rows counted in the first pass of `count_eligible`; each pass doubles


def interleaved(items: IntArray) -> IntArray:
    """`items` dealt into _SLICES interleaved slices, so each thread's share mixes big and small."""
    return np.concatenate([items[s::_SLICES] for s in range(_SLICES)]).astype(np.int64)


@dataclass(frozen=True, slots=True)
class GoalGroups:
    """Rows (sorted positions) grouped by the set of skills in their goals: a group shares one
    sort of the columns by their levels in those skills."""

    order: IntArray  # groups in the interleaved order threads take them
    skills: IntArray  # (groups, 3) the group's skills, ascending
    start: IntArray  # rows of group g: rows[start[g]:start[g + 1]]
    rows: IntArray
    slots: IntArray  # (rows, 3) where each goal of a row sits among its group's skills

    @classmethod
    def of(cls, goals: IntArray) -> GoalGroups:
        skill_sets = np.sort(goals, axis=1)
        skills, group = np.unique(skill_sets, axis=0, return_inverse=True)
        sizes = np.bincount(group.ravel(), minlength=len(skills))
        return cls(
            order=interleaved(np.argsort(-sizes, kind="stable")),
            skills=np.ascontiguousarray(skills.astype(np.int64)),
            start=np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64),
            rows=np.argsort(group.ravel(), kind="stable").astype(np.int64),
            slots=(skill_sets[:, None, :] == goals[:, :, None]).argmax(axis=2).astype(np.int64),
        )

    def args(self) -> tuple[IntArray, IntArray, IntArray, IntArray, IntArray]:
        return (self.order, self.skills, self.start, self.rows, self.slots)


@dataclass(frozen=True, slots=True)
class PairTables:
    """The population in grade order, as flat arrays the kernels read."""

    order: IntArray  # population index of each sorted position
    grades: IntArray
    levels: npt.NDArray[np.int8]
    levels_t: npt.NDArray[np.int8]  # skill-major copy: sorting a band by a skill reads it contiguously
    goals: IntArray
    own: npt.NDArray[np.int8]
    band_lo: IntArray  # columns [band_lo, band_hi) are within the grade band of the row
    band_hi: IntArray
    functions: IntArray
    languages: npt.NDArray[np.uint64]
    manager: IntArray  # manager's sorted position, -1 when outside the pool
    in_blocked: npt.NDArray[np.bool_]
    in_wish: npt.NDArray[np.bool_]
    blocked_keys: IntArray
    wish_keys: IntArray
    wish_counts: IntArray
    gain: npt.NDArray[np.float64]
    priority: npt.NDArray[np.float64]
    cross_bonus: float
    wish_bonus: float
    cross_cap: npt.NDArray[np.float64]  # the cross-function bonus a row's pairs can carry, 0 or cross_bonus
    reach: float  # the most anyone can give anyone: every goal at the best gap
    goal_groups: GoalGroups

    @classmethod
    def of(cls, pop: Population, params: MatchParams) -> PairTables:
        order = np.argsort(pop.grades, kind="stable").astype(np.int64)
        position = _inverse(order)
        grades = pop.grades[order]
        manager = pop.manager[order]
        levels = np.ascontiguousarray(pop.levels[order])
        return cls(
            order=order,
            grades=grades,
            levels=levels,
            levels_t=np.ascontiguousarray(levels.T),
            goals=np.ascontiguousarray(pop.goals[order].astype(np.int64)),
            own=np.ascontiguousarray(pop.own[order]),
            band_lo=np.searchsorted(grades, grades - params.band, side="left").astype(np.int64),
            band_hi=np.searchsorted(grades, grades + params.band, side="right").astype(np.int64),
            functions=pop.functions[order],
            languages=np.ascontiguousarray(pop.languages[order]),
            manager=np.where(manager >= 0, position[np.maximum(manager, 0)], -1),
            in_blocked=pop.in_blocked[order],
            in_wish=pop.in_wish[order],
            blocked_keys=pop.blocked_keys,
            wish_keys=pop.wish_keys,
            wish_counts=pop.wish_counts,
            gain=pop.gain,
            priority=np.array(PRIORITY_WEIGHTS, dtype=np.float64),
            cross_bonus=float(params.cross_function_bonus),
            wish_bonus=float(params.wish_bonus),
            cross_cap=_cross_cap(pop.functions[order], grades, params),
            reach=float(sum(PRIORITY_WEIGHTS) * pop.gain.max()),
            goal_groups=GoalGroups.of(pop.goals[order]),
        )

    @property
    def size(self) -> int:
        return len(self.order)

    def args(self) -> tuple[Any, ...]:
        """What every kernel takes after its own arguments: band, reach, scoring, rules, bonus."""
        band = (self.band_lo, self.band_hi, self.levels_t)
        scoring = (self.levels, self.goals, self.own, self.gain, self.priority)
        rules = (self.order, self.manager, self.languages, self.in_blocked, self.blocked_keys)
        bonus = (self.order, self.functions, self.in_wish, self.wish_keys, self.wish_counts)
        weights = (self.cross_bonus, self.wish_bonus, self.cross_cap)
        return band, self.reach, scoring, rules, bonus + weights

    def population_order(self, sorted_values: IntArray) -> IntArray:
        """Per-row results of a kernel, back in population order."""
        return sorted_values[_inverse(self.order)]


@compiled
def value(scoring: Any, giver: int, receiver: int) -> float:
    """v(giver → receiver), summed goal by goal as `values_given` does."""
    levels, goals, own, gain, priority = scoring
    total = 0.0
    for k in range(3):
        gap = np.int64(levels[giver, goals[receiver, k]]) - np.int64(own[receiver, k])
        total += priority[k] * gain[gap + MAX_LEVEL]
    return total


@compiled
def bonus_cap(bonus: Any, i: int) -> float:
    """The most bonus any pair of row i can carry: cross-function, and a wish both ways."""
    in_wish, wish_bonus, cross_cap = bonus[2], bonus[6], bonus[7]
    return float(cross_cap[i] + (2 * wish_bonus if in_wish[i] else 0.0))


@compiled
def units(bonus: Any, i: int, j: int, received: float, given: float) -> int:
    """Weight units of a pair from what each gives the other (received = v(j → i))."""
    order, functions, in_wish, wish_keys, wish_counts = bonus[0], bonus[1], bonus[2], bonus[3], bonus[4]
    cross_bonus, wish_bonus = bonus[5], bonus[6]
    give, take = (given, received) if order[i] < order[j] else (received, given)
    balance = 2 * give * take / max(give + take, 1e-12)
    extra = 0.0
    if functions[i] >= 0 and functions[j] >= 0 and functions[i] != functions[j]:
        extra = cross_bonus
    if in_wish[i] and in_wish[j]:
        lo, hi = min(order[i], order[j]), max(order[i], order[j])
        hit = key_in(wish_keys, lo * order.shape[0] + hi)
        if hit >= 0:
            extra = extra + wish_counts[hit] * wish_bonus
    return int(np.rint((balance + extra) * SCALE))


@compiled
def pair_units_at(scoring: Any, rules: Any, bonus: Any, i: int, j: int) -> int:
    """Weight units of the pair of sorted positions i, j, or -1 when it is not eligible
    (the grade band aside: callers keep j within i's band)."""
    received = value(scoring, j, i)
    given = value(scoring, i, j)
    if received <= 0 or given <= 0 or not allowed(rules, i, j):
        return -1
    return units(bonus, i, j, received, given)


@compiled_parallel
def _count_eligible(rows: Any, band: Any, reach: float, scoring: Any, rules: Any, bonus: Any) -> int:
    """Eligible pairs whose lower sorted position is one of `rows`."""
    band_hi = band[1]
    total = 0
    for t in numba.prange(rows.shape[0]):
        i = rows[t]
        for j in range(i + 1, band_hi[i]):
            if pair_units_at(scoring, rules, bonus, i, j) >= 0:
                total += 1
    return total


def count_eligible(tables: PairTables, limit: int) -> int:
    """Eligible pairs in the pool, counted until the count passes `limit` (then any number
    above it): enough to decide whether an exact solve over all of them is affordable.
    Passes double in size, so a pool far past the limit is settled after a few hundred rows."""
    rows = interleaved(np.arange(tables.size))
    total, start, step = 0, 0, _FIRST_COUNT
    while start < len(rows) and total <= limit:
        total += int(_count_eligible(rows[start : start + step], *tables.args()))
        start, step = start + step, 2 * step
    return total


def sampled_eligible(tables: PairTables, stride: int) -> int:
    """An estimate of the pool's eligible pairs from every `stride`-th row (grade order): rows
    spread over every grade, so the estimate came within 3% of the count on every shape at 5k
    and 10k people, for 1/`stride` of the work."""
    sample = np.arange(0, tables.size, stride, dtype=np.int64)
    return int(_count_eligible(sample, *tables.args())) * stride


def _cross_cap(functions: IntArray, grades: IntArray, params: MatchParams) -> npt.NDArray[np.float64]:
    """Per row (grade order), the cross-function bonus its pairs can carry: none when nobody in
    its grade band has a function other than its own. The scans prune partners by what a pair
    could weigh at most, and a bonus of 0.25 that nobody can earn (one-function organisations)
    kept about a third more partners in play."""
    cap = np.zeros(len(functions), dtype=np.float64)
    for grade in np.unique(grades):
        near = np.abs(grades - grade) <= params.band
        # a row's own function is among those of its band, so another one means two or more
        if len(np.unique(functions[near & (functions >= 0)])) > 1:
            cap[(grades == grade) & (functions >= 0)] = params.cross_function_bonus
    return cap


def _inverse(order: IntArray) -> IntArray:
    back = np.empty_like(order)
    back[order] = np.arange(len(order))
    return back
