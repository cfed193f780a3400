"""Compiled mentor × mentee scans: every pair in each mentee's window of mentors, in exact integers.

A pair's score s = v + bonus + offset counts in a quantum q that divides every weight, offset
and c, and its rank is s·q + c[mentee] in units (`mentoring.scan` says what c is for). Each
mentee keeps its best few mentors and each mentor its best few mentees, by (rank, tie key,
partner), ranks ≥ 1 only. A pair's key, (s << TIE_BITS) | tie key, orders pairs as the lists
do, so one comparison with a list's bar (a key too) tells whether it may enter.

Mentors are laid out in scan order and cut into tiles of TILE. A tile is skipped when the most
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

import numpy as np

from .._kernels import numba
from .._rules import allowed, compiled, compiled_parallel, languages_clash
from .units import TIE_BITS

TILE = 256
TIE_MASK = (1 << TIE_BITS) - 1
FLOOR = -(1 << 48)  # a ruled-out mentor's extra: far below every bar, with no overflow as a key
NEVER = 1 << 62  # the key bar of a list with no slots


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
def _known(start: Any, mentors: Any, mentee: int, mentor: int) -> bool:
    """Whether the pair is among the mentee's known mentors (CSR rows by mentee)."""
    for at in range(start[mentee], start[mentee + 1]):  # noqa: SIM110 (numba compiles no generators)
        if mentors[at] == mentor:
            return True
    return False


@compiled
def _fill_extras(
    mentors: Any, person: int, function: int, languages: Any, bonus: int, extras: Any, tile_max: Any
) -> None:
    """Per mentor: offset + cross-function bonus for this mentee's function, or FLOOR where the
    language rule rules the pair out; and each tile's largest."""
    offsets, people, functions = mentors[1], mentors[2], mentors[3]
    tile_max[:] = FLOOR
    for j in range(len(offsets)):
        if languages_clash(languages, person, people[j]):
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
    person, combo, function = mentees[2], mentees[3], mentees[6]
    extras = np.empty(len(mentors[0]), dtype=np.int64)
    tile_max = np.empty(lists[8].shape[1], dtype=np.int64)
    buffers = (np.empty(TILE, dtype=np.int64), np.empty(TILE, dtype=np.uint8))
    current = -1
    for i in range(start, stop):
        if combo[i] != current:  # mentees come sorted by function and languages
            _fill_extras(mentors, person[i], function[i], rules[2], tables[3], extras, tile_max)
            current = combo[i]
        _scan_mentee(part, i, mentees, mentors, tables, lists, rules, (extras, tile_max), buffers)


@compiled
def _scan_mentee(
    part: int,
    i: int,
    mentees: Any,
    mentors: Any,
    tables: Any,
    lists: Any,
    rules: Any,
    extra: Any,
    buffers: Any,
) -> None:
    """Mentee i against its window of mentors, tile by tile. Keys are (score << TIE_BITS) | tie
    key, so that one comparison tells whether a pair can enter a list; a key plus `lift` is the
    pair's rank in quanta, as a key."""
    rows, position, window, c = mentees[0], mentees[1], mentees[4], mentees[5]
    table, tile_table, q = tables[0], tables[1], tables[2]
    e_rank, e_tie, e_partner, tile_bar = lists[0], lists[1], lists[2], lists[8][part]
    extras, tile_max = extra
    e, lift = position[i], (c[i] // q) << TIE_BITS
    ranks, ties, partners = e_rank[e], e_tie[e], e_partner[e]
    bar = _bar(ranks, ties, partners, 0, ranks.shape[0], q) - lift
    r0, r1, r2 = rows[i, 0], rows[i, 1], rows[i, 2]
    goal_rows = (table[r0], table[r1], table[r2])
    lo, hi = window[i, 0], window[i, 1]
    for t in range(lo // TILE, (hi + TILE - 1) // TILE):
        most = np.int64(tile_table[r0, t]) + tile_table[r1, t] + tile_table[r2, t] + tile_max[t]
        reach = (most << TIE_BITS) | TIE_MASK
        if reach < bar and reach + lift < tile_bar[t]:
            continue  # nothing in this tile can enter the mentee's list or its mentors'
        j0, j1 = max(lo, t * TILE), min(hi, (t + 1) * TILE)
        own, m_bar = mentees[7][i], lists[7][part]
        if _key_tile(j0, j1, goal_rows, extras, own, mentors[4], bar, lift, m_bar, buffers):
            bar = _offer_tile(
                part, i, j0, j1, bar, lift, mentees, mentors, tables, lists, rules, extras, buffers
            )


@compiled
def _key_tile(
    j0: int,
    j1: int,
    goal_rows: Any,
    extras: Any,
    own: int,
    hashes: Any,
    bar: int,
    lift: int,
    m_bar: Any,
    buffers: Any,
) -> bool:
    """Every pair's key in mentors [j0, j1), and whether it may enter a list (v > 0 only): a loop
    the compiler vectorises, since it reads and writes in step."""
    keys, flags = buffers
    t0, t1, t2 = goal_rows
    hits = 0
    for j in range(j0, j1):
        v = np.int64(t0[j]) + t1[j] + t2[j]
        key = ((v + extras[j]) << TIE_BITS) | (own ^ hashes[j])
        keys[j - j0] = key
        hit = (v > 0) & ((key >= bar) | (key + lift >= m_bar[j]))
        flags[j - j0] = hit
        hits += hit
    return hits > 0


@compiled
def _offer_tile(
    part: int,
    i: int,
    j0: int,
    j1: int,
    bar: int,
    lift: int,
    mentees: Any,
    mentors: Any,
    tables: Any,
    lists: Any,
    rules: Any,
    extras: Any,
    buffers: Any,
) -> int:
    """Offers the tile's flagged pairs that the personal rules allow and that are not known to the
    mentee's and mentors' lists; returns the mentee's bar, raised as its list fills."""
    e, c, person = mentees[1][i], mentees[5][i], mentees[2][i]
    m_position, m_person = mentors[0], mentors[2]
    q, shift = tables[2], tables[4]
    e_rank, e_tie, e_partner, slots, m_rank, m_tie, m_partner, m_bar, tile_bar, breaks, unsettled = lists
    ranks, ties, partners = e_rank[e], e_tie[e], e_partner[e]
    keys, flags = buffers
    moved = False
    for j in range(j0, j1):
        key = keys[j - j0]
        if not flags[j - j0] or not (key >= bar or key + lift >= m_bar[part, j]):  # bars rise as it goes
            continue
        m = m_position[j]
        hard_rules = (rules[0], rules[1], rules[2], rules[3], rules[4])
        if not allowed(hard_rules, m_person[j], person) or _known(rules[5], rules[6], e, m):
            continue
        rank, tie = (key >> TIE_BITS) * q + c, key & TIE_MASK
        if rank > shift:  # the pair breaks the certificate (proofs)
            unsettled[e] = True
            breaks[part] += 1
        if _insert(ranks, ties, partners, 0, len(ranks), rank, tie, m):
            bar = _bar(ranks, ties, partners, 0, len(ranks), q) - lift
        lo, hi = slots[m], slots[m + 1]
        if _insert(m_rank[part], m_tie[part], m_partner[part], lo, hi, rank, tie, e):
            m_bar[part, j] = _bar(m_rank[part], m_tie[part], m_partner[part], lo, hi, q)
            moved = True
    if moved:
        t = j0 // TILE
        tile_bar[part, t] = m_bar[part, t * TILE : min(m_bar.shape[1], (t + 1) * TILE)].min()
    return bar


@numba.njit(cache=True, nogil=True)
def mentor_bars(slots: Any, m_rank: Any, m_tie: Any, m_partner: Any, position: Any, q: int) -> Any:
    """Per part and mentor (in scan order), the key a pair must reach to enter the mentor's list,
    and per part and tile, the lowest: where a scan starts from lists earlier scans filled."""
    bars = np.empty((m_rank.shape[0], len(position)), dtype=np.int64)
    tile_bars = np.full((m_rank.shape[0], (len(position) + TILE - 1) // TILE), NEVER, dtype=np.int64)
    for p in range(m_rank.shape[0]):
        for j in range(len(position)):
            lo, hi = slots[position[j]], slots[position[j] + 1]
            bars[p, j] = _bar(m_rank[p], m_tie[p], m_partner[p], lo, hi, q)
            tile_bars[p, j // TILE] = min(tile_bars[p, j // TILE], bars[p, j])
    return bars, tile_bars


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
