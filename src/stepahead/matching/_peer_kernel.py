"""Compiled scans over every peer pair within the grade band.

At 100k people the band holds billions of ordered pairs; even a compiled loop that leaves a
pair at its first failed test spends most of a minute visiting them all. So the scans do not
visit them all. People whose goals are the same three skills form a group, and the group's
band is sorted once by everyone's levels in those skills (216 codes). A row then visits the
codes from the most it could receive down, and stops at the first code below what a partner
must give to matter: to enter its k heaviest, or to break its price. Hard rules and weights
are worked out only for the few partners left.

Each group writes only its own rows, so groups run in parallel (numba) without locks and the
result does not depend on how they were scheduled. Weights are computed with the same float
operations in the same order as `peer_weights` (giver = the lower population index), so both
give identical integer units."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

import numba
import numpy as np
import numpy.typing as npt

from ._model import MAX_LEVEL, MatchParams
from ._peer_graph import Candidates, PairList
from ._population import SCALE, IntArray, Population
from ._scoring import PRIORITY_WEIGHTS

_TILE_ROWS = 32  # rows per work item when counting
# Work items are dealt to threads in this many interleaved slices: their sizes differ, and
# contiguous halves would leave one core idle while the other finishes the largest ones.
_SLICES = 64
# Price quantiles where the price check's tiers start: few people in the cheap tiers, where
# the check must look hard, most in the dear ones, where it can skip nearly everyone.
_PRICE_TIERS = (0.0, 0.002, 0.01, 0.03, 0.07, 0.15, 0.3, 0.5, 0.7)
_CODES = (MAX_LEVEL + 1) ** 3  # a partner's levels in a row's three goals, as one base-6 code


def _compiled[F: Callable[..., Any]](fn: F) -> F:
    return cast(F, numba.njit(cache=True, nogil=True, inline="always")(fn))


def _compiled_parallel[F: Callable[..., Any]](fn: F) -> F:
    return cast(F, numba.njit(cache=True, nogil=True, parallel=True)(fn))


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
        largest_first = np.argsort(-sizes, kind="stable")
        return cls(
            order=np.concatenate([largest_first[s::_SLICES] for s in range(_SLICES)]).astype(np.int64),
            skills=np.ascontiguousarray(skills.astype(np.int64)),
            start=np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64),
            rows=np.argsort(group.ravel(), kind="stable").astype(np.int64),
            slots=(skill_sets[:, None, :] == goals[:, :, None]).argmax(axis=2).astype(np.int64),
        )

    def args(self) -> tuple[Any, ...]:
        return (self.order, self.skills, self.start, self.rows, self.slots)


@dataclass(frozen=True, slots=True)
class PairTables:
    """The population in grade order, as flat arrays the kernels read (`at` = sorted position)."""

    order: IntArray  # population index of each sorted position
    grades: IntArray
    levels: npt.NDArray[np.int8]
    levels_t: npt.NDArray[np.int8]  # skill-major copy: a row's scan reads each goal contiguously
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
    reach: float  # the most anyone can give anyone: every goal at the best gap
    tiles: IntArray  # first row of each tile, in the interleaved order threads take them
    goal_groups: GoalGroups

    @classmethod
    def of(cls, pop: Population, params: MatchParams) -> PairTables:
        order = np.argsort(pop.grades, kind="stable").astype(np.int64)
        position = np.empty(pop.size, dtype=np.int64)
        position[order] = np.arange(pop.size)
        grades = pop.grades[order]
        manager = pop.manager[order]
        levels = np.ascontiguousarray(pop.levels[order])
        starts = np.arange(0, pop.size, _TILE_ROWS, dtype=np.int64)
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
            reach=float(sum(PRIORITY_WEIGHTS) * pop.gain.max()),
            tiles=np.concatenate([starts[s::_SLICES] for s in range(_SLICES)]),
            goal_groups=GoalGroups.of(pop.goals[order]),
        )

    @property
    def size(self) -> int:
        return len(self.order)

    def args(self) -> tuple[Any, ...]:
        """The arrays in the order the kernels take them after their own arguments."""
        return (
            self.band_lo,
            self.band_hi,
            self.levels_t,
            self.reach,
            self.order,
            self.levels,
            self.goals,
            self.own,
            self.functions,
            self.languages,
            self.manager,
            self.in_blocked,
            self.in_wish,
            self.blocked_keys,
            self.wish_keys,
            self.wish_counts,
            self.gain,
            self.priority,
            self.cross_bonus,
            self.wish_bonus,
        )


@_compiled
def _key_in(keys: Any, key: int) -> int:
    """Position of key in the sorted keys, or -1."""
    if keys.shape[0] == 0:
        return -1
    at = np.searchsorted(keys, key)
    if at < keys.shape[0] and keys[at] == key:
        return int(at)
    return -1


@_compiled
def _languages_clash(languages: Any, i: int, j: int) -> bool:
    any_i = False
    any_j = False
    for w in range(languages.shape[1]):
        if languages[i, w] & languages[j, w]:
            return False
        any_i = any_i or languages[i, w] != 0
        any_j = any_j or languages[j, w] != 0
    return any_i and any_j


@_compiled
def _value(levels: Any, giver: int, goals: Any, own: Any, receiver: int, gain: Any, priority: Any) -> float:
    """v(giver → receiver), summed goal by goal as `values_given` does."""
    total = 0.0
    for k in range(3):
        gap = np.int64(levels[giver, goals[receiver, k]]) - np.int64(own[receiver, k])
        total += priority[k] * gain[gap + MAX_LEVEL]
    return total


@_compiled
def _received_table(goals: Any, own: Any, i: int, gain: Any, priority: Any) -> Any:
    """v(j → i) for every combination of j's levels in i's three goals (`_code`), with the
    same float operations as `_value`: a scan then reads three int8 and one entry per partner."""
    table = np.empty(_CODES, dtype=np.float64)
    for code in range(_CODES):
        total = 0.0
        for k in range(3):
            level = (code // (MAX_LEVEL + 1) ** (2 - k)) % (MAX_LEVEL + 1)
            total += priority[k] * gain[level - np.int64(own[i, k]) + MAX_LEVEL]
        table[code] = total
    return table


@_compiled
def _code(levels_t: Any, goals: Any, i: int, j: int) -> int:
    base = MAX_LEVEL + 1
    return int(
        np.int64(levels_t[goals[i, 0], j]) * base * base
        + np.int64(levels_t[goals[i, 1], j]) * base
        + np.int64(levels_t[goals[i, 2], j])
    )


@_compiled
def _allowed(
    i: int, j: int, order: Any, manager: Any, languages: Any, in_blocked: Any, blocked_keys: Any
) -> bool:
    """The hard rules beyond "each is ahead of the other": distinct people, no line manager,
    a shared language (when both state any), no exclusion either way."""
    if i == j or manager[i] == j or manager[j] == i or _languages_clash(languages, i, j):
        return False
    if in_blocked[i] and in_blocked[j]:
        lo, hi = min(order[i], order[j]), max(order[i], order[j])
        return _key_in(blocked_keys, lo * order.shape[0] + hi) < 0
    return True


@_compiled
def _units(
    i: int,
    j: int,
    received: float,
    given: float,
    order: Any,
    functions: Any,
    in_wish: Any,
    wish_keys: Any,
    wish_counts: Any,
    cross_bonus: float,
    wish_bonus: float,
) -> int:
    """Weight units of a pair from what each gives the other (received = v(j → i))."""
    give, take = (given, received) if order[i] < order[j] else (received, given)
    balance = 2 * give * take / max(give + take, 1e-12)
    bonus = 0.0
    if functions[i] >= 0 and functions[j] >= 0 and functions[i] != functions[j]:
        bonus = cross_bonus
    if in_wish[i] and in_wish[j]:
        lo, hi = min(order[i], order[j]), max(order[i], order[j])
        hit = _key_in(wish_keys, lo * order.shape[0] + hi)
        if hit >= 0:
            bonus = bonus + wish_counts[hit] * wish_bonus
    return int(np.rint((balance + bonus) * SCALE))


@_compiled
def _pair_units(
    i: int,
    j: int,
    order: Any,
    levels: Any,
    goals: Any,
    own: Any,
    functions: Any,
    languages: Any,
    manager: Any,
    in_blocked: Any,
    in_wish: Any,
    blocked_keys: Any,
    wish_keys: Any,
    wish_counts: Any,
    gain: Any,
    priority: Any,
    cross_bonus: float,
    wish_bonus: float,
) -> int:
    """Weight units of the pair of sorted positions i, j, or -1 when it is not eligible."""
    received = _value(levels, j, goals, own, i, gain, priority)
    given = _value(levels, i, goals, own, j, gain, priority)
    if received <= 0 or given <= 0:
        return -1
    if not _allowed(i, j, order, manager, languages, in_blocked, blocked_keys):
        return -1
    return _units(
        i, j, received, given, order, functions, in_wish, wish_keys, wish_counts, cross_bonus, wish_bonus
    )


@_compiled
def _better(u: int, partner: int, than_u: int, than_partner: int) -> bool:
    """Heavier first; among equal weights the lower population index, so ties are stable."""
    return u > than_u or (u == than_u and partner < than_partner)


@_compiled
def _least_needed(floor: float, bonus_cap: float, reach: float) -> float:
    """Smallest value one side must give for the pair to weigh at least `floor`, and never
    below "gives something" (a pair where one side gives nothing is not eligible).

    With the other side giving at most `reach`, the harmonic part is at most
    2·a·reach / (a + reach), which reaches floor − bonus_cap at a = t·reach / (2·reach − t).
    A small margin keeps float rounding from ever pruning a pair that ties."""
    target = floor - bonus_cap - 1e-6
    if target <= 0:
        return 1e-12
    if target >= 2 * reach:
        return np.inf
    return max(1e-12, target * reach / (2 * reach - target) - 1e-9)


@_compiled
def _worst_slot(units: Any, partner: Any, i: int, k: int) -> int:
    worst = 0
    for s in range(1, k):
        if _better(units[i, worst], partner[i, worst], units[i, s], partner[i, s]):
            worst = s
    return worst


@_compiled
def _bucket(levels_t: Any, skills: Any, c_lo: int, c_hi: int, tier: Any, tiers: int) -> Any:
    """Columns [c_lo, c_hi) sorted by tier, then by their levels in three skills (a base-6
    code), column order kept within: bucket `tier·_CODES + code` is
    members[start[bucket]:start[bucket + 1]]."""
    base = MAX_LEVEL + 1
    codes = np.empty(c_hi - c_lo, dtype=np.int64)
    start = np.zeros(tiers * _CODES + 1, dtype=np.int64)
    for j in range(c_lo, c_hi):
        code = (
            tier[j] * _CODES
            + np.int64(levels_t[skills[0], j]) * base * base
            + np.int64(levels_t[skills[1], j]) * base
            + np.int64(levels_t[skills[2], j])
        )
        codes[j - c_lo] = code
        start[code + 1] += 1
    for code in range(tiers * _CODES):
        start[code + 1] += start[code]
    members = np.empty(c_hi - c_lo, dtype=np.int64)
    fill = start[:-1].copy()
    for j in range(c_lo, c_hi):
        members[fill[codes[j - c_lo]]] = j
        fill[codes[j - c_lo]] += 1
    return members, start


@_compiled
def _received_by_code(own: Any, i: int, slot: Any, gain: Any, priority: Any) -> Any:
    """v(j → i) for every code of j's levels in the group's three skills; slot[k] is where
    i's k-th goal sits among them. Same float operations as `_value`."""
    base = MAX_LEVEL + 1
    table = np.empty(_CODES, dtype=np.float64)
    for code in range(_CODES):
        total = 0.0
        for k in range(3):
            level = (code // base ** (2 - slot[k])) % base
            total += priority[k] * gain[level - np.int64(own[i, k]) + MAX_LEVEL]
        table[code] = total
    return table


@_compiled
def _band_part(members: Any, start: Any, code: int, lo: int, hi: int) -> Any:
    """The positions in bucket `code` of the columns within [lo, hi)."""
    bucket = members[start[code] : start[code + 1]]
    return start[code] + np.searchsorted(bucket, lo), start[code] + np.searchsorted(bucket, hi)


@_compiled_parallel
def _top_k(
    k: int,
    groups: Any,
    group_skills: Any,
    group_start: Any,
    group_rows: Any,
    slots: Any,
    band_lo: Any,
    band_hi: Any,
    levels_t: Any,
    reach: float,
    order: Any,
    levels: Any,
    goals: Any,
    own: Any,
    functions: Any,
    languages: Any,
    manager: Any,
    in_blocked: Any,
    in_wish: Any,
    blocked_keys: Any,
    wish_keys: Any,
    wish_counts: Any,
    gain: Any,
    priority: Any,
    cross_bonus: float,
    wish_bonus: float,
) -> Any:
    """Each row's k heaviest partners, and how many eligible partners it has (up to k + 1).

    Rows whose goals are the same three skills share one sort of the columns by their levels
    in those skills. Each row then visits the codes from the most it could receive down: the
    k heaviest fill early, and once a code's value falls below what a partner must give to
    beat the k-th (`_least_needed`), no later code can enter and the row is done."""
    n = order.shape[0]
    best_units = np.full((n, k), -1, dtype=np.int64)
    best_partner = np.full((n, k), -1, dtype=np.int64)
    count = np.zeros(n, dtype=np.int64)
    no_tier = np.zeros(n, dtype=np.int64)
    for t in numba.prange(groups.shape[0]):
        g = groups[t]
        rows = group_rows[group_start[g] : group_start[g + 1]]
        c_lo, c_hi = band_lo[rows].min(), band_hi[rows].max()
        members, start = _bucket(levels_t, group_skills[g], c_lo, c_hi, no_tier, 1)
        for i in rows:
            table = _received_by_code(own, i, slots[i], gain, priority)
            cap = cross_bonus + (2 * wish_bonus if in_wish[i] else 0.0)
            need = 1e-12
            worst = 0
            for code in np.argsort(-table, kind="mergesort"):
                received = table[code]
                if received < need:
                    break
                first, last = _band_part(members, start, code, band_lo[i], band_hi[i])
                for at in range(first, last):
                    j = members[at]
                    given = _value(levels, i, goals, own, j, gain, priority)
                    if given < need:
                        continue
                    u = _units(
                        i,
                        j,
                        received,
                        given,
                        order,
                        functions,
                        in_wish,
                        wish_keys,
                        wish_counts,
                        cross_bonus,
                        wish_bonus,
                    )
                    full = count[i] >= k
                    slot = worst if full else count[i]
                    if full and not _better(u, order[j], best_units[i, slot], best_partner[i, slot]):
                        continue
                    if not _allowed(i, j, order, manager, languages, in_blocked, blocked_keys):
                        continue
                    best_units[i, slot] = u
                    best_partner[i, slot] = order[j]
                    count[i] = min(count[i] + 1, k + 1)
                    if count[i] >= k:
                        worst = _worst_slot(best_units, best_partner, i, k)
                        need = _least_needed(best_units[i, worst] / SCALE, cap, reach)
    return best_units, best_partner, count


@_compiled_parallel
def _excess(
    prices: Any,
    picked: Any,
    tier: Any,
    tier_floor: Any,
    keep: int,
    groups: Any,
    group_skills: Any,
    group_start: Any,
    group_rows: Any,
    slots: Any,
    band_lo: Any,
    band_hi: Any,
    levels_t: Any,
    reach: float,
    order: Any,
    levels: Any,
    goals: Any,
    own: Any,
    functions: Any,
    languages: Any,
    manager: Any,
    in_blocked: Any,
    in_wish: Any,
    blocked_keys: Any,
    wish_keys: Any,
    wish_counts: Any,
    gain: Any,
    priority: Any,
    cross_bonus: float,
    wish_bonus: float,
) -> Any:
    """For picked rows: the price that covers every pair (p_i ≥ 2·u_ij − p_j), and the `keep`
    pairs that break the current price most.

    A pair can only break p_i if it weighs more than (p_i + p_j) / 2. Partners are visited by
    price tier: against a tier whose prices start at q, a pair must weigh more than
    (p_i + q) / 2, which most of the band cannot; only the few cheapest need a closer look."""
    n = order.shape[0]
    tiers = tier_floor.shape[0]
    raised = prices.copy()
    worst_excess = np.zeros((n, keep), dtype=np.int64)
    worst_partner = np.full((n, keep), -1, dtype=np.int64)
    held = np.zeros(n, dtype=np.int64)
    for t in numba.prange(groups.shape[0]):
        g = groups[t]
        rows = group_rows[group_start[g] : group_start[g + 1]]
        if not picked[rows].any():
            continue
        c_lo, c_hi = band_lo[rows].min(), band_hi[rows].max()
        members, start = _bucket(levels_t, group_skills[g], c_lo, c_hi, tier, tiers)
        for i in rows:
            if not picked[i]:
                continue
            table = _received_by_code(own, i, slots[i], gain, priority)
            codes = np.argsort(-table, kind="mergesort")
            cap = cross_bonus + (2 * wish_bonus if in_wish[i] else 0.0)
            least_held = 0  # once `keep` are held, a pair must break the price by more
            for tr in range(tiers):
                need = _least_needed((prices[i] + tier_floor[tr] + least_held) / 2 / SCALE, cap, reach)
                for code in codes:
                    received = table[code]
                    if received < need:
                        break
                    first, last = _band_part(members, start, tr * _CODES + code, band_lo[i], band_hi[i])
                    for at in range(first, last):
                        j = members[at]
                        given = _value(levels, i, goals, own, j, gain, priority)
                        if given < need:
                            continue
                        u = _units(
                            i,
                            j,
                            received,
                            given,
                            order,
                            functions,
                            in_wish,
                            wish_keys,
                            wish_counts,
                            cross_bonus,
                            wish_bonus,
                        )
                        over = 2 * u - prices[j] - prices[i]
                        if over <= least_held or not _allowed(
                            i, j, order, manager, languages, in_blocked, blocked_keys
                        ):
                            continue
                        least_held = _hold(worst_excess, worst_partner, i, held, keep, over, j)
                        floor = prices[i] + tier_floor[tr] + least_held
                        need = max(need, _least_needed(floor / 2 / SCALE, cap, reach))
            if held[i]:
                raised[i] += worst_excess[i, : held[i]].max()
    return raised, worst_partner


@_compiled
def _hold(excess: Any, partner: Any, i: int, held: Any, keep: int, over: int, j: int) -> int:
    """Keep the `keep` largest excesses of row i; return the least held once all are taken
    (0 before): only a larger one can enter."""
    if held[i] < keep:
        excess[i, held[i]] = over
        partner[i, held[i]] = j
        held[i] += 1
    else:
        least = 0
        for s in range(1, keep):
            if excess[i, s] < excess[i, least]:
                least = s
        excess[i, least] = over
        partner[i, least] = j
    return excess[i, :keep].min() if held[i] == keep else 0


@_compiled_parallel
def _units_of_pairs(
    a: Any,
    b: Any,
    band_lo: Any,
    band_hi: Any,
    levels_t: Any,
    reach: float,
    order: Any,
    levels: Any,
    goals: Any,
    own: Any,
    functions: Any,
    languages: Any,
    manager: Any,
    in_blocked: Any,
    in_wish: Any,
    blocked_keys: Any,
    wish_keys: Any,
    wish_counts: Any,
    gain: Any,
    priority: Any,
    cross_bonus: float,
    wish_bonus: float,
) -> Any:
    units = np.empty(a.shape[0], dtype=np.int64)
    for t in numba.prange(a.shape[0]):
        i, j = a[t], b[t]
        inside = band_lo[i] <= j < band_hi[i]
        units[t] = -1
        if inside:
            units[t] = _pair_units(
                i,
                j,
                order,
                levels,
                goals,
                own,
                functions,
                languages,
                manager,
                in_blocked,
                in_wish,
                blocked_keys,
                wish_keys,
                wish_counts,
                gain,
                priority,
                cross_bonus,
                wish_bonus,
            )
    return units


@_compiled_parallel
def _count_eligible(
    tiles: Any,
    band_lo: Any,
    band_hi: Any,
    levels_t: Any,
    reach: float,
    order: Any,
    levels: Any,
    goals: Any,
    own: Any,
    functions: Any,
    languages: Any,
    manager: Any,
    in_blocked: Any,
    in_wish: Any,
    blocked_keys: Any,
    wish_keys: Any,
    wish_counts: Any,
    gain: Any,
    priority: Any,
    cross_bonus: float,
    wish_bonus: float,
) -> int:
    """Eligible pairs with the first row in the given tiles (each pair counted at its lower row)."""
    n = order.shape[0]
    total = 0
    for t in numba.prange(tiles.shape[0]):
        for i in range(tiles[t], min(tiles[t] + _TILE_ROWS, n)):
            table = _received_table(goals, own, i, gain, priority)
            for j in range(i + 1, band_hi[i]):
                received = table[_code(levels_t, goals, i, j)]
                if received <= 0:
                    continue
                given = _value(levels, i, goals, own, j, gain, priority)
                if given > 0 and _allowed(i, j, order, manager, languages, in_blocked, blocked_keys):
                    total += 1
    return total


def top_k_partners(tables: PairTables, k: int) -> tuple[IntArray, IntArray, IntArray]:
    """Per person (population order): units and population index of up to k heaviest partners
    (-1 where fewer; heaviest first, ties to the lower index), and how many eligible partners
    they have, counted up to k + 1."""
    units, partner, count = _top_k(k, *tables.goal_groups.args(), *tables.args())
    back = _inverse(tables.order)
    units, partner = units[back], partner[back]
    rank = _rank(units, partner)
    return np.take_along_axis(units, rank, 1), np.take_along_axis(partner, rank, 1), count[back]


def top_candidates(tables: PairTables, k: int) -> Candidates:
    """Union of each person's k heaviest eligible pairs, and each one's k-th best weight."""
    units, partner, count = top_k_partners(tables, k)
    rows, slots = np.nonzero(partner >= 0)
    other = partner[rows, slots]
    pairs = PairList(np.minimum(rows, other), np.maximum(rows, other), units[rows, slots])
    _, first = np.unique(pairs.keys(tables.size), return_index=True)
    # fewer than k found means none was skipped: every partner is listed, nothing to bound
    kth = np.where(count >= k, units[:, k - 1], 0) if k else np.zeros(tables.size, dtype=np.int64)
    return Candidates(pairs.select(first), kth)


def _rank(units: IntArray, partner: IntArray) -> IntArray:
    """Per row, slots heaviest first, ties to the lower partner; empty slots (-1) last."""
    span = np.int64(partner.max() + 2 if partner.size else 1)
    key = np.where(partner >= 0, -units * span + partner, np.iinfo(np.int64).max)
    return np.argsort(key, axis=1, kind="stable")


def raise_prices(
    tables: PairTables, prices: IntArray, picked: npt.NDArray[np.bool_], keep: int
) -> tuple[IntArray, PairList]:
    """For picked people (population order): prices raised to cover every eligible pair
    (p_i ≥ 2·w_ij − p_j), and up to `keep` pairs per person that broke the old prices.
    Prices are in weight units, like `2 × dual`."""
    if not picked.any():
        return prices.copy(), PairList.empty()
    order = tables.order
    sorted_prices = prices[order]
    # Unmatched people are priced near 0: in one band with everyone else, they would drop
    # every floor there to half a price and the scan would visit most of the band.
    tier_floor = np.unique(np.quantile(sorted_prices, _PRICE_TIERS, method="lower").astype(np.int64))
    tier = np.searchsorted(tier_floor, sorted_prices, side="right") - 1
    raised, partner = _excess(
        sorted_prices, picked[order], tier, tier_floor, keep, *tables.goal_groups.args(), *tables.args()
    )
    rows, slots = np.nonzero(partner >= 0)
    a, b = order[rows], order[partner[rows, slots]]
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    _, first = np.unique(lo * tables.size + hi, return_index=True)
    lo, hi = lo[first], hi[first]
    return raised[_inverse(order)], PairList(lo, hi, pair_units(tables, lo, hi))


def pair_units(tables: PairTables, a: IntArray, b: IntArray) -> IntArray:
    """Units of population-index pairs, -1 where not eligible (the grade band included)."""
    back = _inverse(tables.order)
    return np.asarray(_units_of_pairs(back[a], back[b], *tables.args()), dtype=np.int64)


def count_eligible(tables: PairTables, limit: int) -> int:
    """Eligible pairs in the pool, counted until the count passes `limit` (then any number
    above it): enough to decide whether an exact solve over all of them is affordable."""
    total = 0
    step = max(1, len(tables.tiles) // _SLICES)
    for start in range(0, len(tables.tiles), step):
        total += int(_count_eligible(tables.tiles[start : start + step], *tables.args()))
        if total > limit:
            break
    return total


def _inverse(order: IntArray) -> IntArray:
    back = np.empty_like(order)
    back[order] = np.arange(len(order))
    return back
