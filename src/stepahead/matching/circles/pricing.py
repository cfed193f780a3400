"""Pricing for column generation: the valid circles of highest reduced cost, found by
branch-and-bound over cliques of the "may share a circle" graph instead of enumerating them.

A circle's reduced cost is `α·score + Σ_members base` (base = a seat's worth minus the person's
dual). Members are added in one order (best base first) so every clique is met once; a branch is
cut when even its best completion cannot beat the threshold: each member's goal score at most the
best any remaining candidate (or member) could give them, each member added brings at most one
more function and its wishes. With the threshold at 0 and nothing found, no circle prices out:
the LP over the columns so far is the LP over every valid circle.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .._kernels import numba
from .._population import FloatArray, IntArray
from .catalogue import Tables, exchange_and_score
from .score import MAX_SIZE

FRESH_DEPTH = 2  # members fixed up to which reach is recomputed
VISITS = 30_000_000  # branch-and-bound nodes per call before giving up (a few seconds)


@dataclass(frozen=True, slots=True)
class Priced:
    rows: IntArray  # local indices (into the tables), -1 padded, best reduced cost first
    reduced: FloatArray
    complete: bool  # False when the visit budget ran out: then more circles may price out


def price(
    tables: Tables,
    bonus: float,
    alpha: float,
    base: FloatArray,
    threshold: float,
    most: int,
    visits: int = VISITS,
) -> Priced:
    """Up to `most` valid circles with reduced cost above `threshold`, the highest first (all of
    them when fewer)."""
    order = np.lexsort((np.arange(len(base)), -base))
    o = np.ix_(order, order)
    max_wish = tables.wishes.max(axis=1)[order] if len(base) else np.zeros(0)
    rows = np.full((most, MAX_SIZE), -1, dtype=np.int64)
    reduced = np.zeros(most, dtype=np.float64)
    count, complete = _search(
        np.ascontiguousarray(tables.allowed[o]),
        np.ascontiguousarray(tables.gives[o]),
        np.ascontiguousarray(tables.gain[order][:, order]),
        tables.functions[order],
        np.ascontiguousarray(tables.wishes[o]),
        max_wish,
        bonus,
        alpha,
        base[order],
        threshold,
        rows,
        reduced,
        visits,
    )
    rows, reduced = rows[:count], reduced[:count]
    rows = np.where(rows >= 0, order[np.maximum(rows, 0)], -1)
    rows = np.sort(np.where(rows >= 0, rows, np.iinfo(np.int64).max), axis=1)
    rows = np.where(rows == np.iinfo(np.int64).max, -1, rows)
    best = np.lexsort((*rows.T[::-1], -reduced))
    return Priced(rows[best], reduced[best], bool(complete))


@numba.njit(cache=True, nogil=True)
def _reach(members: Any, k: int, cand: Any, n: int, gain: Any, reach: Any) -> None:
    """reach[i]: the most goal score person i (a member or candidate) could get from the others."""
    for x in range(k + n):
        i = members[x] if x < k else cand[x - k]
        total = 0.0
        for g in range(3):
            best = 0.0
            for y in range(k + n):
                j = members[y] if y < k else cand[y - k]
                if gain[j, i, g] > best:
                    best = gain[j, i, g]
            total += best
        reach[i] = total


@numba.njit(cache=True, nogil=True)
def _bound(
    members: Any,
    k: int,
    cand: Any,
    n: int,
    reach: Any,
    wishes: Any,
    max_wish: Any,
    functions: Any,
    bonus: float,
    alpha: float,
    base: Any,
    fixed: float,
) -> float:
    """The most reduced cost of a circle holding `members` and some of `cand` (sizes 3 to 5),
    given what each could reach (from a superset of the candidates: still a bound)."""
    slots = MAX_SIZE - k
    need = max(0, 3 - k)
    if n < need:
        return -np.inf
    total = fixed
    for x in range(k):
        total += alpha * reach[members[x]]
    top = np.full(slots, -np.inf)
    for y in range(n):
        j = cand[y]
        worth = base[j]
        if alpha != 0.0:
            wish = (slots - 1) * max_wish[j]
            for z in range(k):
                wish += wishes[members[z], j]
            worth += alpha * (reach[j] + wish + (bonus if functions[j] >= 0 else 0.0))
        for s in range(slots):  # keep the best `slots` worths, in descending order
            if worth > top[s]:
                for t in range(slots - 1, s, -1):
                    top[t] = top[t - 1]
                top[s] = worth
                break
    for s in range(slots):
        if s < need or top[s] > 0.0:
            total += top[s]
    return total


@numba.njit(cache=True, nogil=True)
def _fixed_part(
    members: Any, k: int, wishes: Any, functions: Any, bonus: float, alpha: float, base: Any
) -> float:
    """What the members already fixed bring for sure, besides goal scores: bases, wishes among
    them, their distinct functions."""
    total = 0.0
    distinct = 0
    for x in range(k):
        total += base[members[x]]
        f = functions[members[x]]
        seen = f < 0
        for y in range(x):
            total += alpha * wishes[members[y], members[x]]
            seen = seen or functions[members[y]] == f
        distinct += 0 if seen else 1
    return total + alpha * bonus * max(distinct - 1, 0)


@numba.njit(cache=True, nogil=True)
def _offer(
    members: Any, k: int, value: float, rows: Any, reduced: Any, count: int, floor: float
) -> tuple[int, float]:
    """Keep the circle among the best found; returns the count kept and the new floor to beat."""
    size = rows.shape[0]
    if count < size:
        slot = count
        count += 1
    else:
        slot = 0
        for s in range(1, size):
            if reduced[s] < reduced[slot]:
                slot = s
    for x in range(MAX_SIZE):
        rows[slot, x] = members[x] if x < k else -1
    reduced[slot] = value
    if count == size:
        lowest = reduced[0]
        for s in range(1, size):
            lowest = min(lowest, reduced[s])
        floor = max(floor, lowest)
    return count, floor


@numba.njit(cache=True, nogil=True)
def _search(
    allowed: Any,
    gives: Any,
    gain: Any,
    functions: Any,
    wishes: Any,
    max_wish: Any,
    bonus: float,
    alpha: float,
    base: Any,
    threshold: float,
    rows: Any,
    reduced: Any,
    visits: int,
) -> tuple[int, bool]:
    m = allowed.shape[0]
    cand = np.zeros((MAX_SIZE + 1, m), dtype=np.int64)
    sizes = np.zeros(MAX_SIZE + 1, dtype=np.int64)
    members = np.full(MAX_SIZE, -1, dtype=np.int64)
    pick = np.zeros(MAX_SIZE, dtype=np.int64)  # position in the parent's candidate list
    for y in range(m):
        cand[0, y] = y
    sizes[0] = m
    reach = np.zeros(m)
    count, floor, seen = 0, threshold, 0
    k = 0  # members fixed
    pick[0] = -1
    while k >= 0:
        pick[k] += 1
        if pick[k] >= sizes[k]:
            k -= 1
            continue
        members[k] = cand[k, pick[k]]
        seen += 1
        if seen > visits:
            return count, False
        j, n = members[k], 0
        for y in range(pick[k] + 1, sizes[k]):  # candidates after j, allowed with every member
            c = cand[k, y]
            if allowed[j, c]:
                cand[k + 1, n] = c
                n += 1
        sizes[k + 1] = n
        fixed = _fixed_part(members, k + 1, wishes, functions, bonus, alpha, base)
        if k + 1 >= 3:
            score = exchange_and_score(members, k + 1, gives, gain, functions, wishes, bonus)
            if score >= 0.0:
                value = alpha * score
                for x in range(k + 1):
                    value += base[members[x]]
                if value > floor:
                    count, floor = _offer(members, k + 1, value, rows, reduced, count, floor)
        if k + 1 < MAX_SIZE and n > 0:
            # What each could reach, worked out afresh near the root, where candidate lists shrink
            # most; deeper, the parent's figures stand (a looser bound, far cheaper).
            if k + 1 <= FRESH_DEPTH and alpha != 0.0:
                _reach(members, k + 1, cand[k + 1], n, gain, reach)
            best = _bound(
                members, k + 1, cand[k + 1], n, reach, wishes, max_wish, functions, bonus, alpha, base, fixed
            )
            if best > floor:
                k += 1
                pick[k] = -1
                continue
        members[k] = -1
    return min(count, rows.shape[0]), True
