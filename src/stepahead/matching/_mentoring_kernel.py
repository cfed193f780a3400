"""Compiled mentor × mentee scans: every pair in each mentee's window of mentors, in exact integers.

A pair's score s = v + bonus + offset counts in the weights' common quantum q, and its rank is
s·q + c[mentee] in units (`_mentoring_scan` says what c is for). Each mentee keeps its best few
mentors and each mentor its best few mentees, by (rank, tie key, partner), ranks ≥ 1 only.

Mentors are laid out in sweep order and cut into tiles of TILE. A tile is skipped when the most
it could score for a mentee (per-tile maxima of the goal tables) can enter neither the mentee's
list nor any of its mentors' lists. Otherwise the tile's scores are summed from three table rows
(a loop the compiler vectorises) and only pairs that pass a list's bar are looked at further:
v > 0, the personal rules, pairs already known.

Mentees run in parts, one part per thread, each with its own copy of the mentors' lists: a
mentee's list is written by its own part only, and the mentors' lists are merged at the end.
Each list is the exact best few of the pairs it saw, so the result does not depend on how the
parts were scheduled."""

from __future__ import annotations

from typing import Any

import numba
import numpy as np

from ._mentoring_units import TIE_BITS
from ._peer_tables import compiled, compiled_parallel

TILE = 256
TIE_MASK = (1 << TIE_BITS) - 1
FLOOR = -(1 << 48)  # a ruled-out mentor's extra: far below every bar, with no overflow as a key
NEVER = 1 << 62  # the key bar of a list with no slots


@compiled
def _hash(at: int) -> Any:
    """`_mentoring_units.tie_hash`: a pair's tie key is its mentee's hash ^ its mentor's."""
    return ((np.int64(at) * 2654435761) >> 7) & TIE_MASK


@compiled
def _before(rank: int, tie: int, partner: int, rank2: int, tie2: int, partner2: int) -> bool:
    """Whether (rank, tie, partner) comes before the other in a list: rank, then tie, high first,
    then partner, low first."""
    if rank != rank2:
        return rank > rank2
    if tie != tie2:
        return tie > tie2
    return partner < partner2


@compiled
def _insert(
    ranks: Any, ties: Any, partners: Any, lo: int, hi: int, rank: int, tie: int, partner: int
) -> bool:
    """Puts the entry into slots [lo, hi), kept in order, when it belongs there (ranks >= 1
    only). Empty slots (partner -1) sit at the end. True when the list changed."""
    last = hi - 1
    if hi == lo or rank < 1:
        return False
    if partners[last] >= 0 and not _before(rank, tie, partner, ranks[last], ties[last], partners[last]):
        return False
    at = last
    while at > lo and (
        partners[at - 1] < 0 or _before(rank, tie, partner, ranks[at - 1], ties[at - 1], partners[at - 1])
    ):
        ranks[at], ties[at], partners[at] = ranks[at - 1], ties[at - 1], partners[at - 1]
        at -= 1
    ranks[at], ties[at], partners[at] = rank, tie, partner
    return True


@compiled
def _bar(ranks: Any, ties: Any, partners: Any, lo: int, hi: int, q: int) -> Any:
    """The key (u << TIE_BITS) | tie, u = rank / q, a pair must reach (>=) to enter slots [lo, hi):
    the last entry's once the list is full, u >= 1 before (ranks must be positive), never when
    there are no slots."""
    if hi == lo:
        return NEVER
    if partners[hi - 1] < 0:
        return np.int64(1) << TIE_BITS
    rank = ranks[hi - 1]
    u = -((-rank) // q)
    # When u·q passes the last rank outright, any tie will do.
    return (u << TIE_BITS) | (ties[hi - 1] if u * q == rank else 0)


@compiled
def _allowed(rules: Any, giver: int, taker: int) -> bool:
    """Not oneself, not one's manager or report, no exclusion (population indices)."""
    manager, in_blocked, blocked_keys, size = rules[0], rules[1], rules[2], rules[3]
    if giver == taker or manager[giver] == taker or manager[taker] == giver:
        return False
    if not (in_blocked[giver] and in_blocked[taker]):
        return True
    key = min(giver, taker) * size + max(giver, taker)
    at = np.searchsorted(blocked_keys, key)
    return not (at < len(blocked_keys) and blocked_keys[at] == key)


@compiled
def _known(start: Any, mentors: Any, mentee: int, mentor: int) -> bool:
    """Whether the pair is among the mentee's known mentors (CSR rows by mentee)."""
    for at in range(start[mentee], start[mentee + 1]):  # noqa: SIM110 (numba compiles no generators)
        if mentors[at] == mentor:
            return True
    return False


@compiled
def _speaks(mine: Any, theirs: Any) -> bool:
    """The language rule: either lists none, or they share one."""
    any_mine, any_theirs = False, False
    for w in range(len(mine)):
        if mine[w] & theirs[w]:
            return True
        any_mine = any_mine or mine[w] != 0
        any_theirs = any_theirs or theirs[w] != 0
    return not (any_mine and any_theirs)


@compiled
def _fill_extras(mentors: Any, function: int, languages: Any, bonus: int, extras: Any, tile_max: Any) -> None:
    """Per mentor: offset + cross-function bonus for this mentee's function and languages, or
    FLOOR where the language rule rules the pair out; and each tile's largest."""
    offsets, functions, spoken = mentors[1], mentors[3], mentors[4]
    tile_max[:] = FLOOR
    for j in range(len(offsets)):
        if not _speaks(languages, spoken[j]):
            extras[j] = FLOOR
        else:
            crossed = function >= 0 and functions[j] >= 0 and functions[j] != function
            extras[j] = offsets[j] + (bonus if crossed else 0)
        tile_max[j // TILE] = max(tile_max[j // TILE], extras[j])


@numba.njit(cache=True, nogil=True)
def _scan_part(
    part: int, start: int, stop: int, mentees: Any, mentors: Any, tables: Any, lists: Any, rules: Any
) -> None:
    """The mentees [start, stop) of the call, against their windows of mentors."""
    rows, position, person, combo, window, c, function, languages = mentees
    m_position, m_person, m_hash = mentors[0], mentors[2], mentors[5]
    table, tile_table, q, bonus, shift = tables
    e_rank, e_tie, e_partner, slots, m_rank, m_tie, m_partner, m_bar, tile_bar, breaks, unsettled = lists
    m_rank, m_tie, m_partner = m_rank[part], m_tie[part], m_partner[part]
    m_bar, tile_bar = m_bar[part], tile_bar[part]
    width = e_rank.shape[1]
    extras = np.empty(len(m_position), dtype=np.int64)
    tile_max = np.empty(len(tile_bar), dtype=np.int64)
    keys = np.empty(TILE, dtype=np.int64)
    flags = np.empty(TILE, dtype=np.uint8)
    current = -1
    for i in range(start, stop):
        if combo[i] != current:
            _fill_extras(mentors, function[i], languages[i], bonus, extras, tile_max)
            current = combo[i]
        e, lift = position[i], (c[i] // q) << TIE_BITS  # a pair's key + lift: u's key
        ranks, ties, partners = e_rank[e], e_tie[e], e_partner[e]
        bar = _bar(ranks, ties, partners, 0, width, q) - lift
        own = _hash(e)
        r0, r1, r2 = rows[i, 0], rows[i, 1], rows[i, 2]
        t0, t1, t2 = table[r0], table[r1], table[r2]
        lo, hi = window[i, 0], window[i, 1]
        for t in range(lo // TILE, (hi + TILE - 1) // TILE):
            most = np.int64(tile_table[r0, t]) + tile_table[r1, t] + tile_table[r2, t] + tile_max[t]
            reach = (most << TIE_BITS) | TIE_MASK
            if reach < bar and reach + lift < tile_bar[t]:
                continue
            j0, j1 = max(lo, t * TILE), min(hi, (t + 1) * TILE)
            hits = 0
            for j in range(j0, j1):
                v = np.int64(t0[j]) + t1[j] + t2[j]
                key = ((v + extras[j]) << TIE_BITS) | (own ^ m_hash[j])
                keys[j - j0] = key
                hit = (v > 0) & ((key >= bar) | (key + lift >= m_bar[j]))
                flags[j - j0] = hit
                hits += hit
            if hits == 0:
                continue
            moved = False
            for j in range(j0, j1):
                if not flags[j - j0]:
                    continue
                key = keys[j - j0]
                if not (key >= bar or key + lift >= m_bar[j]):  # the bars may have risen since
                    continue
                s = key >> TIE_BITS
                m = m_position[j]
                if not _allowed(rules, m_person[j], person[i]) or _known(rules[4], rules[5], e, m):
                    continue
                rank, tie = s * q + c[i], key & TIE_MASK
                if rank > shift:  # the pair breaks the certificate (proofs)
                    unsettled[e] = True
                    breaks[part] += 1
                if _insert(ranks, ties, partners, 0, width, rank, tie, m):
                    bar = _bar(ranks, ties, partners, 0, width, q) - lift
                if _insert(m_rank, m_tie, m_partner, slots[m], slots[m + 1], rank, tie, e):
                    m_bar[j] = _bar(m_rank, m_tie, m_partner, slots[m], slots[m + 1], q)
                    moved = True
            if moved:
                tile_bar[t] = m_bar[t * TILE : min(len(m_bar), (t + 1) * TILE)].min()


@compiled_parallel
def scan_parts(bounds: Any, mentees: Any, mentors: Any, tables: Any, lists: Any, rules: Any) -> None:
    """Runs `_scan_part` on each part [bounds[p], bounds[p + 1]), parts in parallel."""
    for p in numba.prange(len(bounds) - 1):
        _scan_part(p, bounds[p], bounds[p + 1], mentees, mentors, tables, lists, rules)


@compiled_parallel
def build_tables(terms: Any, levels: Any, people: Any, cells: Any) -> Any:
    """table[r, j]: the term mentor j (population index people[j]) gives a mentee's goal in cell r
    (goal k, skill, own level), and tile_table[r, t], its largest over tile t."""
    count = len(people)
    table = np.empty((len(cells), count), dtype=np.int32)
    tile_table = np.empty((len(cells), (count + TILE - 1) // TILE), dtype=np.int32)
    for r in numba.prange(len(cells)):
        k, skill, level = cells[r, 0], cells[r, 1], cells[r, 2]
        for j in range(count):
            gap = min(max(np.int64(levels[people[j], skill]) - level, 0), terms.shape[1] - 1)
            table[r, j] = terms[k, gap]
        for t in range(tile_table.shape[1]):
            tile_table[r, t] = table[r, t * TILE : min(count, (t + 1) * TILE)].max()
    return table, tile_table
