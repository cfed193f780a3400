"""Large-neighbourhood repair: cut out a few neighbouring circles and the unplaced people around
them, solve that small region exactly, and keep the result when it places more or scores more."""

from __future__ import annotations

import numpy as np

from .._model import MatchParams
from .._population import IntArray, Population
from .board import FAN_OUT, Board, Peers
from .exact import best_packing

# People per region: every subset of 3 to 5 of them is judged (about 3,400 for 14, 1,500 for 12).
SMALL_REGION, REGION, SMALL_POOL = 14, 12, 60
GAIN = 1e-9


def repair(pop: Population, params: MatchParams, peers: Peers, board: Board, anchors: IntArray) -> int:
    """One region per anchor person (skipping anchors a previous repair already reshaped this
    round). Returns how many regions improved."""
    improved = 0
    touched = np.zeros(pop.size, dtype=bool)
    for anchor in anchors:
        if touched[anchor]:
            continue
        size = SMALL_REGION if pop.size <= SMALL_POOL else REGION
        people, circles = region(board, peers, int(anchor), size)
        if _improve(pop, params, board, people, circles):
            touched[people] = True
            improved += 1
    return improved


def region(board: Board, peers: Peers, anchor: int, size: int) -> tuple[IntArray, IntArray]:
    """The anchor with its circle, then, breadth first over peers (a few nearest from each),
    whole circles and unplaced people, up to `size` people."""
    people: list[int] = []
    circles: list[int] = []
    frontier = [anchor]
    while frontier and len(people) < size:
        person = frontier.pop(0)
        if person in people:
            continue
        circle = int(board.circle_of[person])
        joining = [person] if circle < 0 else [int(p) for p in board.members[circle] if p >= 0]
        if len(people) + len(joining) > size:
            continue
        people.extend(joining)
        if circle >= 0:
            circles.append(circle)
        for p in joining:
            frontier.extend(int(q) for q in peers.of(p)[:FAN_OUT])
    return np.array(people, dtype=np.int64), np.array(circles, dtype=np.int64)


def _improve(pop: Population, params: MatchParams, board: Board, people: IntArray, circles: IntArray) -> bool:
    rows, scores = best_packing(pop, params, people)
    placed_now = int((board.members[circles] >= 0).sum())
    score_now = float(board.score[circles].sum())
    placed = int((rows >= 0).sum())
    if placed < placed_now or (placed == placed_now and float(scores.sum()) <= score_now + GAIN):
        return False
    for circle in circles:
        board.close(int(circle))
    for row, score in zip(rows, scores, strict=True):
        board.open(row, float(score))
    return True
