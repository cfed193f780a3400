"""Compiled scans over every peer pair within the grade band, without visiting them all.

At 100k people the band holds billions of ordered pairs; even a compiled loop that leaves a
pair at its first failed test spends most of a minute visiting them all. Instead, people whose
goals are the same three skills form a group, and the group's band is sorted once by
everyone's levels in those skills (216 codes). A row then visits the codes from the most it
could receive down, and stops at the first code below what a partner must give to matter: to
enter its k heaviest, or to break its price. Hard rules and weights are worked out only for
the few partners left.

Each group writes only its own rows, so groups run in parallel (numba) without locks and the
result does not depend on how they were scheduled."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from .._kernels import numba
from .._model import MAX_LEVEL
from .._population import SCALE, IntArray
from .._rules import allowed, compiled, compiled_parallel
from .buckets import BASE, CODES, band_part, filled, group_bucket
from .cover import cover_lift
from .graph import Candidates, PairList
from .tables import PairTables, bonus_cap, units
from .tiers import price_tiers

# `_excess`'s cap for a person all of whose eligible pairs are listed: far below any price sum,
# yet far enough from int64's end that subtracting a price cannot wrap around.
ALL_LISTED = -(2**62)
# Without a list, no pair is settled by it: a cap above any 2·w − p_i − p_j − s.
_NO_LIST = 2**62


@compiled
def _received_by_code(scoring: Any, i: int, slot: Any) -> Any:
    """v(j → i) for every code of j's levels in the group's three skills; slot[k] is where
    i's k-th goal sits among them. Same float operations as `value` (each goal's term is the
    same product, summed in goal order): every row builds one, so no division per code."""
    own, gain, priority = scoring[2], scoring[3], scoring[4]
    term = np.empty((3, BASE), dtype=np.float64)
    for k in range(3):
        for level in range(BASE):
            term[k, level] = priority[k] * gain[level - np.int64(own[i, k]) + MAX_LEVEL]
    table = np.empty(CODES, dtype=np.float64)
    digit = np.empty(3, dtype=np.int64)  # j's level in each of the group's skills
    for code in range(CODES):
        digit[0], digit[1], digit[2] = code // (BASE * BASE), code // BASE % BASE, code % BASE
        total = 0.0
        for k in range(3):
            total += term[k, digit[slot[k]]]
        table[code] = total
    return table


@compiled
def _partner_rows(prices: Any, cap2: Any, scoring: Any) -> Any:
    """What the scans read of each partner, one cache line per partner: price, cap2, goals
    and own levels in them. A row's partners are scattered over its band, and reading
    these from five arrays cost a miss each (at 10k people, most of a price check)."""
    goals, own = scoring[1], scoring[2]
    them = np.empty((prices.shape[0], 8), dtype=np.int64)
    for j in range(prices.shape[0]):
        them[j, 0], them[j, 1] = prices[j], cap2[j]
        for k in range(3):
            them[j, 2 + k], them[j, 5 + k] = goals[j, k], own[j, k]
    return them


@compiled
def _value_to(scoring: Any, giver: int, them: Any, j: int) -> float:
    """v(giver → j), from j's row of `_partner_rows`: the same operations as `value`."""
    levels, gain, priority = scoring[0], scoring[3], scoring[4]
    total = 0.0
    for k in range(3):
        gap = np.int64(levels[giver, them[j, 2 + k]]) - them[j, 5 + k]
        total += priority[k] * gain[gap + MAX_LEVEL]
    return total


@compiled
def _better(u: int, partner: int, than_u: int, than_partner: int) -> bool:
    """Heavier first; among equal weights the lower population index, so ties are stable."""
    return u > than_u or (u == than_u and partner < than_partner)


@compiled
def _least_needed(floor: float, cap: float, reach: float) -> float:
    """Smallest value one side must give for the pair to weigh at least `floor`, and never
    below "gives something" (a pair where one side gives nothing is not eligible).

    With the other side giving at most `reach`, the harmonic part is at most
    2·a·reach / (a + reach), which reaches floor − cap at a = t·reach / (2·reach − t).
    A small margin keeps float rounding from ever pruning a pair that ties."""
    target = floor - cap - 1e-6
    if target <= 0:
        return 1e-12
    if target >= 2 * reach:
        return np.inf
    return max(1e-12, target * reach / (2 * reach - target) - 1e-9)


@compiled
def _worst_slot(best_units: Any, best_partner: Any, i: int, k: int) -> int:
    worst = 0
    for s in range(1, k):
        if _better(best_units[i, worst], best_partner[i, worst], best_units[i, s], best_partner[i, s]):
            worst = s
    return worst


@compiled_parallel
def _top_k(k: int, groups: Any, band: Any, reach: float, scoring: Any, rules: Any, bonus: Any) -> Any:
    """Each row's k heaviest partners, and how many eligible partners it has (up to k + 1).

    The k heaviest fill early; once a code's value falls below what a partner must give to
    beat the k-th (`_least_needed`), no later code can enter and the row is done."""
    n, order, slots = band[0].shape[0], bonus[0], groups[4]
    best_units = np.full((n, k), -1, dtype=np.int64)
    best_partner = np.full((n, k), -1, dtype=np.int64)
    count = np.zeros(n, dtype=np.int64)
    everyone, no_tier = np.ones(n, dtype=np.bool_), np.zeros(n, dtype=np.int64)
    them = _partner_rows(no_tier, no_tier, scoring)
    for t in numba.prange(groups[0].shape[0]):
        rows, members, start = group_bucket(groups, band, t, everyone, no_tier, 1)
        for i in rows:
            table = _received_by_code(scoring, i, slots[i])
            need, worst = 1e-12, 0
            # Never runs out of codes: the code of levels 0 gives nothing (no step up in any
            # goal is worth 0 in every profile), below any `need`, so the scan stops there.
            for code in np.argsort(-table, kind="mergesort"):  # pragma: no branch
                if table[code] < need:
                    break
                first, last = band_part(members, start, code, band[0][i], band[1][i])
                for at in range(first, last):  # by index: a slice of members would be a new view
                    j = members[at]
                    given = _value_to(scoring, i, them, j)
                    if given < need:
                        continue
                    u = units(bonus, i, j, table[code], given)
                    full = count[i] >= k
                    slot = worst if full else count[i]
                    if full and not _better(u, order[j], best_units[i, slot], best_partner[i, slot]):
                        continue
                    if not allowed(rules, i, j):  # only for partners heavy enough to enter
                        continue
                    best_units[i, slot], best_partner[i, slot] = u, order[j]
                    count[i] = min(count[i] + 1, k + 1)
                    if count[i] >= k:
                        worst = _worst_slot(best_units, best_partner, i, k)
                        need = _least_needed(best_units[i, worst] / SCALE, bonus_cap(bonus, i), reach)
    return best_units, best_partner, count


@compiled_parallel
def _excess(
    prices: Any,
    picked: Any,
    cap2: Any,
    blossoms: Any,
    tiering: Any,
    keep: int,
    floor: int,
    groups: Any,
    band: Any,
    reach: float,
    scoring: Any,
    rules: Any,
    bonus: Any,
) -> Any:
    """For picked rows, the `keep` pairs that break the price most (or come within -floor ≥ 0
    of breaking it) (p_i + p_j + s_ij < 2·u_ij,
    s_ij the duals of the blossoms holding both, `_shared`).

    A pair can only break p_i if it weighs more than (p_i + p_j) / 2. Partners are visited by
    price tier: against a tier whose prices start at q, a pair must weigh more than
    (p_i + q + c + the least excess held) / 2, which most of the band cannot; c is what the
    blossom duals shared by the row's class and the tier's class add (`peer.tiers`).

    `cap2` (2 × the heaviest pair a person may have outside the solved list; `ALL_LISTED` when
    every pair they have is listed) skips what the list settles: with duals feasible for the
    listed pairs, only unlisted ones can break them, and 2·w_ij ≤ min(cap2_i, cap2_j) bounds
    their excess before any weight is worked out. Once duals price people near their matched
    pair, most tiers of most rows fall below it and are never scanned."""
    tier, tier_floor, klass, person_class, common = tiering
    n, tiers, slots = band[0].shape[0], tier_floor.shape[0], groups[4]
    worst_excess = np.zeros((n, keep), dtype=np.int64)
    worst_partner = np.full((n, keep), -1, dtype=np.int64)
    held = np.zeros(n, dtype=np.int64)
    live = picked & (cap2 != ALL_LISTED)
    them = _partner_rows(prices, cap2, scoring)
    for t in numba.prange(groups[0].shape[0]):
        rows, members, start = group_bucket(groups, band, t, live, tier, tiers)
        fill_start, codes = filled(start, tiers)
        for i in rows:
            if not live[i]:
                continue
            table = _received_by_code(scoring, i, slots[i])
            cap, least_held = bonus_cap(bonus, i), floor
            for tr in range(tiers):
                shared = 0 if klass[tr] < 0 or person_class[i] < 0 else common[person_class[i], klass[tr]]
                base = prices[i] + tier_floor[tr] + shared
                if cap2[i] - base <= least_held:  # nobody in this tier can break the duals
                    continue
                need = _least_needed((base + least_held) / 2 / SCALE, cap, reach)
                for at in range(fill_start[tr], fill_start[tr + 1]):
                    code = codes[at]
                    if table[code] < need:
                        continue
                    first, last = band_part(members, start, tr * CODES + code, band[0][i], band[1][i])
                    for at_j in range(first, last):
                        j = members[at_j]
                        if min(cap2[i], them[j, 1]) - base - them[j, 0] + tier_floor[tr] <= least_held:
                            continue
                        given = _value_to(scoring, i, them, j)
                        if given < need:
                            continue
                        over = 2 * units(bonus, i, j, table[code], given) - prices[j] - prices[i]
                        if over - shared <= least_held:  # no need to find the blossoms they share
                            continue
                        over -= _shared(blossoms, i, j)
                        if over <= least_held or not allowed(rules, i, j):
                            continue
                        least_held = _hold(worst_excess, worst_partner, i, held, over, j, floor)
                        need = max(need, _least_needed((base + least_held) / 2 / SCALE, cap, reach))
    return worst_excess, worst_partner


@compiled
def _shared(blossoms: Any, i: int, j: int) -> Any:
    """2 × the duals of the blossoms holding both people (grade order): the sum down the
    blossom tree to their deepest common blossom (`above`), 0 when none holds both."""
    order, parent, depth, above = blossoms
    a, b = parent[order[i]], parent[order[j]]
    if a < 0 or b < 0:
        return 0
    while depth[a] > depth[b]:
        a = parent[a]
    while depth[b] > depth[a]:
        b = parent[b]
    while a != b:
        a, b = parent[a], parent[b]
    return above[a] if a >= 0 else 0


@compiled
def _hold(excess: Any, partner: Any, i: int, held: Any, over: int, j: int, floor: int) -> int:
    """Keep the largest excesses of row i; return the least held once all slots are taken
    (`floor` before): only a larger one can enter."""
    keep = excess.shape[1]
    slot = held[i]
    if slot == keep:
        slot = np.argmin(excess[i])
    else:
        held[i] += 1
    excess[i, slot], partner[i, slot] = over, j
    return excess[i].min() if held[i] == keep else floor


def top_k_partners(tables: PairTables, k: int) -> tuple[IntArray, IntArray, IntArray]:
    """Per person (population order): units and population index of up to k ≥ 1 heaviest
    partners (-1 where fewer; heaviest first, ties to the lower index), and how many eligible
    partners they have, counted up to k + 1."""
    best_units, best_partner, count = _top_k(k, tables.goal_groups.args(), *tables.args())
    best_units, best_partner = tables.population_order(best_units), tables.population_order(best_partner)
    rank = _rank(best_units, best_partner)
    ranked = np.take_along_axis(best_units, rank, 1), np.take_along_axis(best_partner, rank, 1)
    return *ranked, tables.population_order(count)


def top_candidates(tables: PairTables, k: int) -> Candidates:
    """Union of each person's k ≥ 1 heaviest eligible pairs, and each one's k-th best weight."""
    best_units, partner, count = top_k_partners(tables, k)
    rows, slots = np.nonzero(partner >= 0)
    other = partner[rows, slots]
    pairs = PairList(np.minimum(rows, other), np.maximum(rows, other), best_units[rows, slots])
    _, first = np.unique(pairs.keys(tables.size), return_index=True)
    # fewer than k found means none was skipped: every partner is listed, nothing to bound
    return Candidates(pairs.select(first), np.where(count >= k, best_units[:, k - 1], 0))


def _rank(best_units: IntArray, partner: IntArray) -> IntArray:
    """Per row, slots heaviest first, ties to the lower partner; empty slots (-1) last."""
    span = np.int64(partner.max() + 2 if partner.size else 1)
    key = np.where(partner >= 0, -best_units * span + partner, np.iinfo(np.int64).max)
    return np.argsort(key, axis=1, kind="stable")


@dataclass(frozen=True, slots=True)
class PriceCheck:
    """What a price check found, in the tables' (grade) order: for each picked row, the `keep`
    pairs that break the prices most (their excess 2·w − p_i − p_j and partner; −1: none)."""

    tables: PairTables
    prices: IntArray  # as checked, grade order
    excess: IntArray  # (n, keep)
    partner: IntArray  # (n, keep)

    def raised(self) -> IntArray:
        """Each picked person's price raised by their own worst excess (population order):
        p_i ≥ 2·w_ij − p_j for every eligible pair."""
        return self.tables.population_order(self.prices + self.excess.max(axis=1, initial=0))

    def shared(self) -> IntArray:
        """Prices that also hold for every eligible pair, with the raise shared between the two
        people of a pair (`peer.cover`): never above `raised`, often far below."""
        lift = cover_lift(self.excess, self.partner)
        return self.raised() if lift is None else self.tables.population_order(self.prices + lift)

    def violators(self) -> PairList:
        """The pairs held, with their weights (population indices, a < b)."""
        order = self.tables.order
        rows, slots = np.nonzero(self.partner >= 0)
        ends = order[rows], order[self.partner[rows, slots]]
        lo, hi = np.minimum(*ends), np.maximum(*ends)
        # excess = 2·w − p_a − p_b, so the weight comes back without a second look at the pair
        weights = (self.excess[rows, slots] + self.prices[rows] + self.prices[self.partner[rows, slots]]) // 2
        _, first = np.unique(lo * self.tables.size + hi, return_index=True)
        return PairList(lo[first], hi[first], weights[first])


def check_prices(
    tables: PairTables,
    prices: IntArray,
    picked: npt.NDArray[np.bool_],
    keep: int,
    blossoms: tuple[IntArray, IntArray, IntArray] | None = None,
    listed: IntArray | None = None,
    margin: int = 0,
) -> PriceCheck:
    """Checks picked people's prices (population order, weight units, like `2 × dual`) against
    every eligible pair they have; with `blossoms` (parent, depth, above: `GeneralMatching.tree`)
    a pair inside blossoms also counts their duals. Violators' weights then include them.
    `listed` (each person's k-th best weight, 0 when all their pairs are listed:
    `Candidates.kth_units`) promises that the prices hold for every listed pair, so only
    unlisted ones, each at most as heavy as both people's k-th best, are checked.
    `margin` > 0 also holds pairs that come within it of breaking the prices (excess > −margin):
    `shared` and `raised` then no longer bound anything."""
    order = tables.order
    sorted_prices = prices[order]
    if not picked.any():
        none = np.zeros((tables.size, keep), dtype=np.int64)
        return PriceCheck(tables, sorted_prices, none, none - 1)
    # Unmatched people are priced near 0: in one band with everyone else, they would drop
    # every floor there to half a price and the scan would visit most of the band.
    if blossoms is None:
        tiering = price_tiers(sorted_prices, order)
        no_blossom = np.full(tables.size, -1, dtype=np.int64)
        blossoms = (no_blossom, no_blossom, no_blossom)
    else:
        tiering = price_tiers(sorted_prices, order, blossoms[0], blossoms[2])
    cap2 = np.full(tables.size, _NO_LIST, dtype=np.int64)
    if listed is not None:
        kth = listed[order]
        cap2 = np.where(kth > 0, 2 * kth, ALL_LISTED)  # an eligible pair weighs > 0 units
    excess, partner = _excess(
        sorted_prices,
        picked[order],
        cap2,
        (order, *blossoms),
        tiering.args(),
        keep,
        -margin,
        tables.goal_groups.args(),
        *tables.args(),
    )
    return PriceCheck(tables, sorted_prices, excess, partner)
