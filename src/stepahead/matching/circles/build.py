"""Building circles: every circle a person could form with their nearest free peers is enumerated
and judged in one batch; people with the fewest options choose first."""

from __future__ import annotations

from itertools import combinations

import numpy as np

from .._model import MatchParams
from .._population import FloatArray, IntArray, Population
from .board import Board, Peers
from .score import MAX_SIZE, MIN_SIZE, BoolArray, judge

JUDGE_BATCH = 50_000  # rows judged per call: bounds the (rows, 5, 5, 3) working arrays
_COMBOS: dict[int, list[IntArray]] = {}


def _combos(width: int) -> list[IntArray]:
    """Index sets choosing the 2 to 4 other members from a neighbourhood of `width`."""
    if width not in _COMBOS:
        _COMBOS[width] = [
            np.array(list(combinations(range(width), k)), dtype=np.intp).reshape(-1, k)
            for k in range(MIN_SIZE - 1, MAX_SIZE)
        ]
    return _COMBOS[width]


def local_circles(
    pop: Population, params: MatchParams, peers: Peers, seeds: IntArray, free: BoolArray, width: int
) -> tuple[IntArray, IntArray, FloatArray]:
    """Every valid circle of a seed with free peers among its `width` nearest: (seed index into
    `seeds`, rows, scores)."""
    near = _neighbourhoods(peers, seeds, free, width)
    owners, rows = [], []
    for combo in _combos(width):
        picks = near[:, combo]  # (seeds, combos, k)
        whole = (picks >= 0).all(axis=2)
        owner, which = np.nonzero(whole)
        row = np.full((len(owner), MAX_SIZE), -1, dtype=np.int64)
        row[:, 0] = seeds[owner]
        row[:, 1 : 1 + combo.shape[1]] = picks[owner, which]
        owners.append(owner)
        rows.append(row)
    owner, row = np.concatenate(owners), np.concatenate(rows)
    valid, score = _judge_in_batches(pop, params, row)
    return owner[valid], row[valid], score[valid]


def _neighbourhoods(peers: Peers, seeds: IntArray, free: BoolArray, width: int) -> IntArray:
    near = np.full((len(seeds), width), -1, dtype=np.int64)
    for i, seed in enumerate(seeds):
        mates = peers.around(int(seed), free, width)
        near[i, : len(mates)] = mates
    return near


def _judge_in_batches(pop: Population, params: MatchParams, rows: IntArray) -> tuple[BoolArray, FloatArray]:
    valid = np.zeros(len(rows), dtype=bool)
    score = np.zeros(len(rows), dtype=np.float64)
    for start in range(0, len(rows), JUDGE_BATCH):
        verdict = judge(pop, params, rows[start : start + JUDGE_BATCH])
        valid[start : start + JUDGE_BATCH] = verdict.valid
        score[start : start + JUDGE_BATCH] = verdict.score
    return valid, score


def preference(
    rows: IntArray, scores: FloatArray, target: int, worth: FloatArray | None = None
) -> FloatArray:
    """Which circle a person picks: the best score per member, then the size nearest the target.
    Given each person's `worth` (the most they could bring to any circle, the bound's shares):
    the circle that falls least short of its members' worth, so nobody who could bring much is
    spent on a circle that uses little of it (10k people: +0.1-0.2 % score)."""
    sizes = (rows >= 0).sum(axis=1)
    if worth is not None:
        short = np.where(rows >= 0, worth[np.maximum(rows, 0)], 0.0).sum(axis=1) - scores
        near: FloatArray = -short - 1e-6 * np.abs(sizes - target)
        return near
    key: FloatArray = scores / sizes - 1e-6 * np.abs(sizes - target)
    return key


def build(
    pop: Population,
    params: MatchParams,
    peers: Peers,
    board: Board,
    order: IntArray,
    width: int,
    worth: FloatArray | None = None,
) -> int:
    """Open circles around free people, those with the fewest valid circles first (each picks
    by `preference`). Returns how many circles were opened."""
    seeds = order[board.circle_of[order] < 0]
    owner, rows, scores = local_circles(pop, params, peers, seeds, board.circle_of < 0, width)
    options = np.bincount(owner, minlength=len(seeds))
    rank = np.argsort(owner, kind="stable")
    starts = np.searchsorted(owner[rank], np.arange(len(seeds) + 1))
    opened = 0
    for i in np.lexsort((np.arange(len(seeds)), options)):
        if options[i] == 0 or board.circle_of[seeds[i]] >= 0:
            continue
        mine = rank[starts[i] : starts[i + 1]]
        found = (rows[mine], scores[mine])
        opened += _open_best(pop, params, peers, board, int(seeds[i]), found, width, worth)
    return opened


def _open_best(
    pop: Population,
    params: MatchParams,
    peers: Peers,
    board: Board,
    seed: int,
    found: tuple[IntArray, FloatArray],
    width: int,
    worth: FloatArray | None,
) -> int:
    rows, scores = found
    free = board.circle_of < 0
    available = (free[np.maximum(rows, 0)] | (rows < 0)).all(axis=1)
    if not available.any():  # neighbours were taken: look again among those still free
        _, rows, scores = local_circles(pop, params, peers, np.array([seed]), free, width)
        available = np.ones(len(rows), dtype=bool)
    if not available.any():
        return 0
    key = np.where(available, preference(rows, scores, params.circle_size, worth), -np.inf)
    best = int(np.argmax(key))
    board.open(rows[best], float(scores[best]))
    return 1
