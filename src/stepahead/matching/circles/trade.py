"""Trading members around three circles, for large pools: one member of A takes a seat in B, the
member they replace takes a seat in C, and the one replaced there takes the seat left in A.

Splitting pairs (`regroup`) cannot trade colleagues across three circles: when A and B each hold
two people of one function, swapping between them changes nothing, and a third circle with a
different make-up is needed. Circles are drawn into windows of similar grades (seeded); in each
window every one-for-one replacement is judged once, and every rotation's gain is the sum of its
three replacements' gains (each circle loses one member and gains one, so each is judged alone).
Sizes never change and only rotations that raise the total are applied.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._kernels import numba
from .._model import MAX_GOALS, MatchParams
from .._population import FloatArray, IntArray, Population
from .._rules import allowed, compiled, compiled_parallel, key_in
from .._solution import Stop, never
from .board import Board
from .moves import GAIN, take_disjoint
from .score import MAX_SIZE, MIN_SIZE, distinct_functions, judge, judge_tables, seated_pairs

# Circles per window (every rotation among them is tried) and rounds of fresh windows. 10k people,
# many skills (AMD EPYC, 2 cores, quiet): windows of 24 and 8 rounds +18.4 score for ~3.8 s; 64
# and 15 rounds +66 (13.7 s in all); 128 and 10 rounds +97 (19,268.1 -> 19,365.2, 7.8 -> 17.1 s
# in all). A round judges about circles × window × 25 replacements, so pools of more than ~10k
# people get smaller windows: a round stays at most ~6.6M replacements (~2 s when each was judged
# as a circle, ~0.5 s since they are read off the window's pair tables; a slower AMD EPYC).
MIN_WINDOW, MAX_WINDOW, ROUNDS = 24, 128, 10
ROUND_REPLACEMENTS = 6_600_000
# A round adding less than this share of the score ends the trading: later rounds mostly add less
# still. 10k people (Intel Xeon, 2 cores): a pyramid of three functions gains +14.6, +8.1, +4.7,
# then 1-3.5 a round (1.3 s each), so it stops after three rounds (-16 score, -8.9 s); many skills
# still gains 6-40 a round and runs all ten.
LEAST_ROUND_GAIN = 3e-4
_NONE = -np.inf


def trade_in_windows(pop: Population, params: MatchParams, board: Board, stop: Stop = never) -> int:
    """Rounds of rotations within seeded windows of circles of similar grades. Returns how many
    rotations applied."""
    rng = np.random.default_rng([params.seed, 3])  # its own stream: other moves' draws unchanged
    size = window_size(len(board.circles()))
    applied, total = 0, float(board.score[board.circles()].sum())
    for _ in range(ROUNDS):
        if stop():
            break
        windows = _windows(pop, board, rng, size)
        if windows is None:
            break
        found = _apply(pop, params, board, windows, *_best_rotations(pop, params, board, windows))
        applied += found
        before, total = total, float(board.score[board.circles()].sum())
        if not found or total - before < LEAST_ROUND_GAIN * total:
            break
    return applied


def window_size(circles: int) -> int:
    """Circles per window: as many as a round's budget of judged replacements allows."""
    return int(np.clip(ROUND_REPLACEMENTS // (MAX_SIZE * MAX_SIZE * max(circles, 1)), MIN_WINDOW, MAX_WINDOW))


def _windows(pop: Population, board: Board, rng: np.random.Generator, size: int) -> IntArray | None:
    """The circles in order of their lowest grade (ties drawn at random), cut into windows after
    a random start (-1 pads the ends)."""
    alive = board.circles()
    if len(alive) < 3:
        return None
    rows = board.members[alive]
    lowest = np.where(rows >= 0, pop.grades[np.maximum(rows, 0)], np.iinfo(np.int64).max).min(axis=1)
    order = alive[np.lexsort((rng.random(len(alive)), lowest))]
    start = int(rng.integers(size))
    padded = np.concatenate([np.full(start, -1, dtype=np.int64), order])
    padded = np.concatenate([padded, np.full(-len(padded) % size, -1, dtype=np.int64)])
    windows: IntArray = padded.reshape(-1, size)
    return windows


def _best_rotations(
    pop: Population, params: MatchParams, board: Board, windows: IntArray
) -> tuple[FloatArray, IntArray]:
    """For each window slot: the gain of the best rotation starting at that circle (-inf if none
    gains) and its (A, seat, B, seat, C, seat) in window slots."""
    gain = np.full(windows.shape, _NONE)
    moves = np.full((*windows.shape, 6), -1, dtype=np.int64)
    members, scores = np.ascontiguousarray(board.members), np.ascontiguousarray(board.score)
    tables = judge_tables(pop, params)
    _rotation_kernel(np.ascontiguousarray(windows), members, scores, *tables, gain, moves)
    return gain, moves


def _apply(
    pop: Population, params: MatchParams, board: Board, windows: IntArray, gain: FloatArray, moves: IntArray
) -> int:
    """Apply the best rotations that touch disjoint circles, each judged again as circles."""
    w, slot = np.nonzero(gain > GAIN)
    if not len(w):
        return 0
    circles = windows[w[:, None], moves[w, slot][:, 0::2]]  # (rotations, 3): A, B, C
    seats = moves[w, slot][:, 1::2]
    chosen = take_disjoint(gain[w, slot], circles[:, 0], circles[:, 1], circles[:, 2])
    applied = 0
    for i in chosen:
        rows = board.members[circles[i]].copy()
        leaving = rows[np.arange(3), seats[i]]
        rows[np.arange(3), seats[i]] = np.roll(leaving, 1)  # A's member to B, B's to C, C's to A
        verdict = judge(pop, params, rows)
        rejudged = verdict.score.sum() - board.score[circles[i]].sum()
        # The kernel's figures are judge_some's, so this holds but for float noise in the sums.
        if verdict.valid.all() and rejudged > GAIN:  # pragma: no branch
            for circle, row, score in zip(circles[i], rows, verdict.score, strict=True):
                board.set(int(circle), row, float(score))
            applied += 1
    return applied


@compiled_parallel
def _rotation_kernel(
    windows: Any,
    members: Any,
    scores: Any,
    rules: Any,
    facts: Any,
    extras: Any,
    weights: Any,
    gain: Any,
    moves: Any,
) -> None:
    """Each window's best rotations, a window per task (windows are independent)."""
    for w in numba.prange(windows.shape[0]):
        change = _replacement_gains(windows[w], members, scores, (rules, facts, extras, weights))
        _best_cycles(change, gain[w], moves[w])


@compiled
def _replacement_gains(window: Any, members: Any, scores: Any, tables: Any) -> Any:
    """change[X, i, Y, j]: how much circle Y gains when X's member at seat i replaces Y's member
    at seat j (-inf where Y would not be a valid circle).

    Y's other members stay, so what they give each other is worked out once per seat j, and each
    newcomer only adds their own part, read off tables of the window's pairs (who may sit with
    whom, who is how far ahead in whose goals) made once: the same sums in the same order as
    `judge_some` (so the same figures) at a fraction of its work. Here is most of the trading's
    time."""
    size = window.shape[0]
    change = np.full((size, MAX_SIZE, size, MAX_SIZE), _NONE)
    seats = np.full(size * MAX_SIZE, -1, dtype=np.int64)  # the window's people, X's seat i at X·5 + i
    for x in range(size):
        if window[x] >= 0:
            seats[x * MAX_SIZE : (x + 1) * MAX_SIZE] = members[window[x]]
    pairs = _window_pairs(seats, tables)
    rest, mine = np.zeros(MAX_SIZE, dtype=np.int64), np.zeros(MAX_GOALS)
    for y in range(size):
        for j in range(MAX_SIZE):
            k = 0  # the stayers, as window seats
            for s in range(y * MAX_SIZE, (y + 1) * MAX_SIZE):
                if seats[s] >= 0 and s != y * MAX_SIZE + j:
                    rest[k] = s
                    k += 1
            if seats[y * MAX_SIZE + j] < 0 or k + 1 < MIN_SIZE:
                continue
            staying = _staying(seats[rest[:k]], tables)
            for a in range(size * MAX_SIZE):
                if a // MAX_SIZE != y and seats[a] >= 0:
                    score = _with_newcomer(seats, y, j, a, rest[:k], staying, pairs, tables, mine)
                    if score > _NONE:
                        change[a // MAX_SIZE, a % MAX_SIZE, y, j] = score - scores[window[y]]
    return change


@compiled
def _window_pairs(seats: Any, tables: Any) -> tuple[Any, Any]:
    """For every two of the window's people a and b: whether they may share a circle (hard rules,
    grades within the band), and gaps[a, b, g], how far a is ahead in b's g-th goal (0 if not)."""
    rules, facts, extras, weights = tables
    levels, goals, own, utility, _ = facts
    grades, band, top = extras[0], weights[2], utility.shape[0] - 1
    count = seats.shape[0]
    fit = np.zeros((count, count), dtype=np.bool_)
    gaps = np.zeros((count, count, goals.shape[1]), dtype=np.int8)
    for a in range(count):
        for b in range(count):
            pa, pb = seats[a], seats[b]
            if pa < 0 or pb < 0 or a // MAX_SIZE == b // MAX_SIZE:
                continue
            fit[a, b] = abs(grades[pa] - grades[pb]) <= band and allowed(rules, pa, pb)
            for g in range(goals.shape[1]):
                gaps[a, b, g] = min(max(int(levels[pa, goals[pb, g]]) - int(own[pb, g]), 0), top)
    return fit, gaps


@compiled
def _staying(people: Any, tables: Any) -> Any:
    """What the members staying in a circle give each other: best[x, g], the most any other
    stayer gives x's g-th goal; bits of who gives and who receives; wishes among them, their
    distinct functions and whether they may still sit together."""
    rules, facts, extras, weights = tables
    levels, goals, own, utility, _ = facts
    k = people.shape[0]
    best = np.zeros((MAX_SIZE, goals.shape[1]))
    gives, receives = 0, 0
    top = utility.shape[0] - 1
    for x in range(k):
        for g in range(goals.shape[1]):
            skill, mine = goals[people[x], g], int(own[people[x], g])
            for y in range(k):
                gap = int(levels[people[y], skill]) - mine
                if gap > 0 and y != x:
                    gives |= 1 << y
                    receives |= 1 << x
                    best[x, g] = max(best[x, g], utility[min(gap, top)])
    ok, wishes = seated_pairs(people, k, rules, extras, weights[2])
    return best, gives, receives, wishes, distinct_functions(people, k, extras[1]), ok


@compiled
def _with_newcomer(
    seats: Any, y: int, j: int, a: int, rest: Any, staying: Any, pairs: Any, tables: Any, mine: Any
) -> float:
    """The score of circle Y with the window's person a at seat j (the others being `rest`, as
    `_staying` found them), or -inf where it would not be a valid circle. `mine`: room for what a
    gets."""
    _, facts, extras, weights = tables
    utility, priority = facts[3], facts[4]
    functions, in_wish, wish_keys, wish_counts = extras[1:]
    best, gives, receives, wishes, distinct, ok = staying
    fit, gaps = pairs
    k, newcomer, n = rest.shape[0], seats[a], extras[0].shape[0]
    for x in range(k):
        if not (ok and fit[a, rest[x]]):
            return _NONE
    mine[:] = 0.0  # what the stayers give the newcomer's goals
    gave, got = False, False
    for x in range(k):
        for g in range(mine.shape[0]):
            if gaps[a, rest[x], g] > 0:
                gave, receives = True, receives | (1 << x)
            if gaps[rest[x], a, g] > 0:
                got, gives = True, gives | (1 << x)
                mine[g] = max(mine[g], utility[gaps[rest[x], a, g]])
    everyone = (1 << k) - 1
    if not (gave and got and gives & everyone == everyone and receives & everyone == everyone):
        return _NONE
    total, x = 0.0, 0  # in seat order, as judge_some sums it
    for s in range(y * MAX_SIZE, (y + 1) * MAX_SIZE):
        if s == y * MAX_SIZE + j:
            for g in range(mine.shape[0]):
                total += priority[g] * mine[g]
        elif seats[s] >= 0:
            for g in range(mine.shape[0]):
                gap = gaps[a, rest[x], g]
                total += priority[g] * (max(best[x, g], utility[gap]) if gap > 0 else best[x, g])
            x += 1
    seen = functions[newcomer] < 0
    for x in range(k):
        other = seats[rest[x]]
        seen = seen or functions[other] == functions[newcomer]
        if in_wish[newcomer] and in_wish[other]:
            at = key_in(wish_keys, min(newcomer, other) * n + max(newcomer, other))
            wishes += wish_counts[at] if at >= 0 else 0
    distinct += 0 if seen else 1
    score: float = total + weights[0] * max(distinct - 1, 0) + weights[1] * wishes
    return score


@compiled
def _best_cycles(change: Any, gain: Any, moves: Any) -> None:
    """For each circle A, the best rotation A -> B -> C -> A among later circles B and C (each
    rotation once: A is its earliest circle), where one gains anything (the rest are left at
    -inf). A first step that cannot reach the best so far, even with the best way out of B and
    the best way into A, is passed over: most are, as most replacements lose."""
    size = change.shape[0]
    out = np.full((size, MAX_SIZE), _NONE)  # out[b, sb]: the best B's member at sb can do elsewhere
    into = np.full((size, MAX_SIZE), _NONE)  # into[a, sa]: the best any member can do at A's seat sa
    for x in range(size):
        for i in range(MAX_SIZE):
            for y in range(size):
                for j in range(MAX_SIZE):
                    out[x, i] = max(out[x, i], change[x, i, y, j])
                    into[y, j] = max(into[y, j], change[x, i, y, j])
    for a in range(size):
        for sa in range(MAX_SIZE):
            for b in range(a + 1, size):
                for sb in range(MAX_SIZE):
                    into_b = change[a, sa, b, sb]
                    if into_b == _NONE or into_b + out[b, sb] + into[a, sa] <= max(gain[a], 0.0):
                        continue
                    for c in range(a + 1, size):
                        if c == b:
                            continue
                        for sc in range(MAX_SIZE):
                            total = into_b + change[b, sb, c, sc] + change[c, sc, a, sa]
                            if total > gain[a]:
                                gain[a] = total
                                moves[a, 0], moves[a, 1], moves[a, 2] = a, sa, b
                                moves[a, 3], moves[a, 4], moves[a, 5] = sb, c, sc
