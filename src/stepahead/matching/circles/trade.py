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
from .._model import MatchParams
from .._population import FloatArray, IntArray, Population
from .._rules import compiled, compiled_parallel
from .._solution import Stop, never
from .board import Board
from .moves import GAIN, take_disjoint
from .score import MAX_SIZE, MIN_SIZE, judge, judge_some, judge_tables

# Circles per window (every rotation among them is tried) and rounds of fresh windows. 10k people,
# many skills (AMD EPYC, 2 cores, quiet): windows of 24 and 8 rounds +18.4 score for ~3.8 s; 64
# and 15 rounds +66 (13.7 s in all); 128 and 10 rounds +97 (19,268.1 -> 19,365.2, 7.8 -> 17.1 s
# in all). A round judges about circles × window × 25 replacements, so pools of more than ~10k
# people get smaller windows: a round stays at most ~6.6M replacements (~2 s).
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
        if verdict.valid.all() and verdict.score.sum() - board.score[circles[i]].sum() > GAIN:
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
    at seat j (-inf where Y would not be a valid circle)."""
    size = window.shape[0]
    count = size * MAX_SIZE * size * MAX_SIZE
    rows = np.full((count, MAX_SIZE), -1, dtype=np.int64)
    for x in range(size):
        for i in range(MAX_SIZE):
            for y in range(size):
                if x == y or window[x] < 0 or window[y] < 0 or members[window[x], i] < 0:
                    continue
                for j in range(MAX_SIZE):
                    if members[window[y], j] >= 0:
                        k = ((x * MAX_SIZE + i) * size + y) * MAX_SIZE + j
                        rows[k] = members[window[y]]
                        rows[k, j] = members[window[x], i]
    score = np.zeros(count)
    compatible, exchange = np.zeros(count, dtype=np.bool_), np.zeros(count, dtype=np.bool_)
    sizes = np.zeros(count, dtype=np.int64)
    judge_some(rows, 0, count, tables, (score, compatible, exchange, sizes))
    change = np.full(count, _NONE)
    for k in range(count):
        if compatible[k] and exchange[k] and sizes[k] >= MIN_SIZE:
            change[k] = score[k] - scores[window[(k // MAX_SIZE) % size]]
    return change.reshape((size, MAX_SIZE, size, MAX_SIZE))


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
