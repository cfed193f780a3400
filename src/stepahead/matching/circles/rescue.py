"""Seating the unplaced by breaking up the circles in their way, solved exactly around them.

An unplaced person often has only a handful of valid circles (one, three: their skills fit few
others), and each of those overlaps circles already formed. The local search only looks among a
person's likely circle-mates, and the LP over all circles is too degenerate for rounding to find
the packing that seats them. So for each circle holding an unplaced person, the people of the
circles it would break up are re-packed exactly with it (every valid circle among them enumerated,
then the most members by integer programming): kept when more people are placed that way. At 100
people of the many-skills shape this seats the two the search left out, reaching the LP's floor.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_matrix

from .._model import MatchParams
from .._population import FloatArray, IntArray, Population
from .._solution import Stop, never
from .catalogue import catalogue
from .pack import lexicographic_packing

OPTIONS = 64  # circles of one unplaced person tried at most (all of them when fewer)


def rescue(
    pop: Population, params: MatchParams, rows: IntArray, scores: FloatArray, stop: Stop = never
) -> tuple[IntArray, FloatArray]:
    """The circles with as many of the unplaced seated as rearranging one neighbourhood at a time
    manages (each exact: every circle among its people); the others kept as they were."""
    rows, scores = rows.copy(), scores.copy()
    tried: set[tuple[int, ...]] = set()
    # A move that seats one person can open one for a person already passed over (their circle
    # now breaks up differently), so passes repeat until one seats nobody: each move seats at
    # least one more person, so there are at most as many passes as people.
    while not stop():
        placed = int((rows >= 0).sum())
        rows, scores = _rescue_pass(pop, params, rows, scores, tried, stop)
        if int((rows >= 0).sum()) == placed:
            break
    return rows, scores


def _rescue_pass(
    pop: Population,
    params: MatchParams,
    rows: IntArray,
    scores: FloatArray,
    tried: set[tuple[int, ...]],
    stop: Stop,
) -> tuple[IntArray, FloatArray]:
    for person in range(pop.size):
        if stop():
            break
        if _circle_of(rows, pop.size)[person] >= 0:
            continue
        for option in _options(pop, params, person):
            circle_of = _circle_of(rows, pop.size)
            if circle_of[person] >= 0:
                break
            broken = np.unique(circle_of[option[option >= 0]])
            broken = broken[broken >= 0]
            people = np.union1d(option[option >= 0], rows[broken][rows[broken] >= 0])
            placed_now = int((rows[broken] >= 0).sum())
            # The same people with as many of them seated ask the same question again.
            if (key := (placed_now, *people.tolist())) in tried:
                continue
            tried.add(key)
            better = _repack(pop, params, people, placed_now)
            if better is not None:
                keep = np.setdiff1d(np.arange(len(rows)), broken)
                rows = np.concatenate([rows[keep], better[0]])
                scores = np.concatenate([scores[keep], better[1]])
    return rows, scores


def _circle_of(rows: IntArray, people: int) -> IntArray:
    circle_of = np.full(people, -1, dtype=np.int64)
    for c, row in enumerate(rows):
        circle_of[row[row >= 0]] = c
    return circle_of


def _options(pop: Population, params: MatchParams, person: int) -> IntArray:
    """Valid circles holding the person: all when few, else the first OPTIONS (index order)."""
    others = np.delete(np.arange(pop.size, dtype=np.int64), person)
    found = catalogue(pop, params, np.concatenate([[person], others]), store=OPTIONS, all_anchors=False)
    return found.rows


def _repack(
    pop: Population, params: MatchParams, people: IntArray, placed_now: int
) -> tuple[IntArray, FloatArray] | None:
    """The best circles among these people when they seat more than `placed_now` of them. They
    are an option's members and those of the circles it breaks, 25 at most: the catalogue is
    complete within its budgets, and holds the option itself."""
    found = catalogue(pop, params, people)
    if _most_members(found.rows, pop.size) <= placed_now:  # the cheap question first
        return None
    chosen = lexicographic_packing(found.rows, found.scores)
    return found.rows[chosen], found.scores[chosen]


def _most_members(rows: IntArray, people: int) -> int:
    real = rows >= 0
    circle = np.repeat(np.arange(len(rows)), real.sum(axis=1))
    seats = csr_matrix((np.ones(len(circle)), (rows[real], circle)), shape=(people, len(rows)))
    sizes = real.sum(axis=1).astype(np.float64)
    found = milp(
        -sizes,
        constraints=[LinearConstraint(seats, 0, 1)],
        integrality=np.ones(len(rows)),
        bounds=Bounds(0, 1),
        options={"mip_rel_gap": 0.0},
    )
    return round(float(-found.fun)) if found.x is not None else 0
