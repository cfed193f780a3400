"""Every valid circle among a set of people, enumerated by a compiled kernel.

Circles are cliques of 3 to 5 in the "may share a circle" graph (hard rules, grade spread within
the band), kept when everyone gives and receives. The kernel walks cliques in index order, so it
touches each candidate once; it stops (and says so) when the catalogue would outgrow its budget.
Used for whole small pools (the exact solve and its LP bound) and for neighbourhoods of large ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .._kernels import numba
from .._model import MatchParams
from .._population import FloatArray, IntArray, Population, bonuses, hard_rules_mask
from .._rules import compiled
from .._scoring import PRIORITY_WEIGHTS
from .score import MAX_SIZE, BoolArray

# Circles kept at most (rows of five int64 plus a score: 48 bytes each, ~145 MB at the limit). A
# 100-person pool of specialists over six grades has 2.48M valid circles; with 1.5M it lost the LP
# bound over all of them (1.22x the optimum instead of 1.01x).
STORE_LIMIT = 3_000_000
FIRST_ROWS = 1 << 16  # the buffer starts this big and doubles while the walk fills it
VISIT_LIMIT = 60_000_000  # cliques looked at before giving up (a few seconds of kernel time)


@dataclass(frozen=True, slots=True)
class Catalogue:
    """Every valid circle among `people`: rows of population indices (-1 padded), their scores."""

    rows: IntArray
    scores: FloatArray
    complete: bool  # False when a budget stopped the walk: then rows are only some of the circles


@dataclass(frozen=True, slots=True)
class Tables:
    """Pair facts among m people, as dense m×m tables for the kernel."""

    allowed: BoolArray  # may share a circle: hard rules and grade band
    gives: BoolArray  # gives[j, i]: j is ahead of i in one of i's goals
    gain: FloatArray  # gain[j, i, k]: priority-weighted step utility of j for i's k-th goal
    functions: IntArray
    wishes: FloatArray  # wish bonus of the pair (0, 1 or 2 wishes)


def pair_tables(pop: Population, params: MatchParams, people: IntArray) -> Tables:
    m = len(people)
    a, b = np.repeat(people, m), np.tile(people, m)
    allowed = hard_rules_mask(pop, a, b) & (np.abs(pop.grades[a] - pop.grades[b]) <= params.circle_band)
    theirs = pop.levels[a[:, None], pop.goals[b]]  # (m·m, 3): giver's level in receiver's goals
    gaps = np.clip(theirs.astype(np.int64) - pop.own[b], 0, None)
    gain = pop.utility[np.minimum(gaps, len(pop.utility) - 1)] * np.asarray(PRIORITY_WEIGHTS)
    gain[a == b] = 0.0
    functions = pop.functions[people]
    cross = (functions[:, None] >= 0) & (functions[None, :] >= 0) & (functions[:, None] != functions[None, :])
    wishes = bonuses(pop, a, b, params).reshape(m, m) - params.cross_function_bonus * cross
    return Tables(
        allowed=allowed.reshape(m, m),
        gives=(gain > 0).any(axis=1).reshape(m, m),
        gain=gain.reshape(m, m, 3),
        functions=functions.astype(np.int64),
        wishes=np.where(allowed.reshape(m, m), wishes, 0.0),
    )


def catalogue(
    pop: Population,
    params: MatchParams,
    people: IntArray,
    store: int = STORE_LIMIT,
    visits: int = VISIT_LIMIT,
    all_anchors: bool = True,
) -> Catalogue:
    """Every valid circle among `people` (population indices), up to the budgets; only those
    holding the first of them when not `all_anchors`."""
    if len(people) < 3:
        return Catalogue(np.zeros((0, MAX_SIZE), dtype=np.int64), np.zeros(0), True)
    t = pair_tables(pop, params, people)
    tables = (t.allowed, t.gives, t.gain, t.functions, t.wishes)
    most = min(store, _ceiling(len(people)))
    rows = np.full((min(most, FIRST_ROWS), MAX_SIZE), -1, dtype=np.int64)
    scores = np.zeros(len(rows), dtype=np.float64)
    anchor, count, seen, anchors = 0, 0, 0, len(people) if all_anchors else 1
    while True:  # an anchor whose circles overflow the buffer: grow it and walk that anchor again
        anchor, kept, count, seen = _walk(
            *tables, params.cross_function_bonus, rows, scores, visits, anchor, anchors, count, seen
        )
        if count <= len(rows) or len(rows) >= most or seen > visits:
            break
        count, rows[kept:] = kept, -1
        rows, scores = _grown(rows, scores, most)
    count = min(count, len(rows))  # a full store keeps what it holds of the anchor that overflowed
    rows = rows[:count]
    return Catalogue(np.where(rows >= 0, people[np.maximum(rows, 0)], -1), scores[:count], anchor >= anchors)


def _grown(rows: IntArray, scores: FloatArray, most: int) -> tuple[IntArray, FloatArray]:
    """The buffer twice as big (up to `most` rows), what it holds kept."""
    more = min(most, 2 * len(rows)) - len(rows)
    grown: IntArray = np.concatenate([rows, np.full((more, MAX_SIZE), -1, dtype=np.int64)])
    return grown, np.concatenate([scores, np.zeros(more)])


def _ceiling(m: int) -> int:
    """How many 3- to 5-subsets m people have (the most circles there can be)."""
    return int(sum(_choose(m, k) for k in (3, 4, 5)))


def _choose(m: int, k: int) -> int:
    out = 1
    for i in range(k):
        out = out * (m - i) // (i + 1)
    return out


@compiled
def exchange_and_score(
    members: Any, k: int, gives: Any, gain: Any, functions: Any, wishes: Any, bonus: float
) -> float:
    """The circle's score from the pair tables (`Tables`), or -1.0 when someone neither gives nor
    receives: shared by the enumeration here and by column generation's pricing (pricing.py)."""
    total = 0.0
    for x in range(k):
        i = members[x]
        gives_any, receives_any = False, False
        for y in range(k):
            if y != x:
                gives_any = gives_any or gives[i, members[y]]
                receives_any = receives_any or gives[members[y], i]
        if not (gives_any and receives_any):
            return -1.0
        for g in range(3):
            best = 0.0
            for y in range(k):
                if y != x and gain[members[y], i, g] > best:
                    best = gain[members[y], i, g]
            total += best
        for y in range(x + 1, k):
            total += wishes[i, members[y]]
    distinct = 0
    for x in range(k):
        f = functions[members[x]]
        if f < 0:
            continue
        seen = False
        for y in range(x):
            seen = seen or functions[members[y]] == f
        distinct += 0 if seen else 1
    return total + bonus * max(distinct - 1, 0)


@compiled
def _keep(members: Any, k: int, score: float, rows: Any, scores: Any, count: int) -> int:
    if score < 0.0:
        return count
    if count < rows.shape[0]:
        for x in range(k):
            rows[count, x] = members[x]
        scores[count] = score
    return count + 1


@numba.njit(cache=True, nogil=True)
def _walk(
    allowed: Any,
    gives: Any,
    gain: Any,
    functions: Any,
    wishes: Any,
    bonus: float,
    rows: Any,
    scores: Any,
    visits: int,
    first: int,
    anchors: int,
    count: int,
    seen: int,
) -> tuple[int, int, int, int]:
    """Circles anchored at `first`, `first` + 1, ... written from rows[count]. Returns the anchor
    it stopped at (`anchors` when done), how many circles the anchors before it hold, how many
    circles were found (more than the rows when they overflowed) and how many cliques were seen
    (before `a`, unless the visit budget ran out)."""
    m = allowed.shape[0]
    members = np.full(5, -1, dtype=np.int64)
    for a in range(first, anchors):
        kept, seen_before = count, seen
        members[0] = a
        for b in range(a + 1, m):
            if not allowed[a, b]:
                continue
            members[1] = b
            for c in range(b + 1, m):
                if not (allowed[a, c] and allowed[b, c]):
                    continue
                members[2] = c
                seen += 1
                count = _keep(
                    members,
                    3,
                    exchange_and_score(members, 3, gives, gain, functions, wishes, bonus),
                    rows,
                    scores,
                    count,
                )
                for d in range(c + 1, m):
                    if not (allowed[a, d] and allowed[b, d] and allowed[c, d]):
                        continue
                    members[3] = d
                    seen += 1
                    count = _keep(
                        members,
                        4,
                        exchange_and_score(members, 4, gives, gain, functions, wishes, bonus),
                        rows,
                        scores,
                        count,
                    )
                    for e in range(d + 1, m):
                        if not (allowed[a, e] and allowed[b, e] and allowed[c, e] and allowed[d, e]):
                            continue
                        members[4] = e
                        seen += 1
                        count = _keep(
                            members,
                            5,
                            exchange_and_score(members, 5, gives, gain, functions, wishes, bonus),
                            rows,
                            scores,
                            count,
                        )
                    members[4] = -1
                members[3] = -1
                if count > rows.shape[0] or seen > visits:  # walked again from `a`: seen then
                    return a, kept, count, seen if seen > visits else seen_before
    return anchors, count, count, seen
