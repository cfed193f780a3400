"""Large-neighbourhood search over a catalogue of circles: free a few neighbouring circles and the
unplaced people near them, re-pack that region exactly among the catalogue's circles inside it,
and keep the result when it places more people, or as many with more score."""

from __future__ import annotations

import numpy as np

from .._population import FloatArray, IntArray
from .._solution import Stop
from .pack import lexicographic_packing

REGION = 18  # people per region
ROUNDS = 3
GAIN = 1e-9


def improve(rows: IntArray, scores: FloatArray, chosen: IntArray, people: int, stop: Stop) -> IntArray:
    """A better packing (indices into rows), region by region around each person in turn."""
    chosen = chosen.copy()
    sizes = (rows >= 0).sum(axis=1)
    for _ in range(ROUNDS):
        improved = False
        for anchor in _anchors(rows, chosen, people):
            if stop():
                return chosen
            better = _repack(rows, scores, sizes, chosen, people, int(anchor))
            if better is not None:
                chosen, improved = better, True
        if not improved:
            break
    return chosen


def _anchors(rows: IntArray, chosen: IntArray, people: int) -> IntArray:
    """The unplaced first, then one member of each circle."""
    circle_of = _circle_of(rows, chosen, people)
    unplaced = np.flatnonzero(circle_of < 0)
    seated = rows[chosen, 0]
    return np.concatenate([unplaced, np.sort(seated)])


def _circle_of(rows: IntArray, chosen: IntArray, people: int) -> IntArray:
    circle_of = np.full(people, -1, dtype=np.int64)
    for c in chosen:
        circle_of[rows[c][rows[c] >= 0]] = c
    return circle_of


def _region(rows: IntArray, scores: FloatArray, chosen: IntArray, people: int, anchor: int) -> IntArray:
    """The anchor, then the members of its best candidate circles, each with their current circle
    (whole circles only), up to REGION people."""
    circle_of = _circle_of(rows, chosen, people)
    mine = np.flatnonzero((rows == anchor).any(axis=1))
    mine = mine[np.argsort(-scores[mine], kind="stable")]
    region: list[int] = []
    for candidate in [np.array([anchor]), *(rows[c][rows[c] >= 0] for c in mine[:30])]:
        for person in candidate:
            if person in region:
                continue
            c = circle_of[person]
            joining = [int(person)] if c < 0 else [int(p) for p in rows[c] if p >= 0]
            if len(region) + len(joining) <= REGION:
                region.extend(p for p in joining if p not in region)
        if len(region) >= REGION:
            break
    return np.array(sorted(region), dtype=np.int64)


def _repack(
    rows: IntArray, scores: FloatArray, sizes: IntArray, chosen: IntArray, people: int, anchor: int
) -> IntArray | None:
    region = _region(rows, scores, chosen, people, anchor)
    inside = np.zeros(people + 1, dtype=bool)  # the last slot stands for empty seats (-1)
    inside[region] = True
    inside[-1] = True
    local = np.flatnonzero(inside[rows].all(axis=1))
    current = chosen[inside[rows[chosen]].all(axis=1)]
    if len(local) <= len(current):
        return None
    picked = local[lexicographic_packing(rows[local], scores[local])]
    placed_now, placed = int(sizes[current].sum()), int(sizes[picked].sum())
    score_now, score = float(scores[current].sum()), float(scores[picked].sum())
    if placed < placed_now or (placed == placed_now and score <= score_now + GAIN):
        return None
    return np.union1d(np.setdiff1d(chosen, current), picked)
