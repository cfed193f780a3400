"""LP diving: a packing built by fixing, one circle at a time, a circle the LP leans on, checked
by the LP over what remains.

The cardinality LP of circle packing is massively degenerate (every person's dual near 1, almost
every circle at reduced cost 0), so greedy rounding and short branch-and-bound both miss packings
that exist: at 50 people they came one person short of the LP's floor in three shapes out of four.
A dive looks ahead instead: a candidate circle is fixed only when the LP over the people left,
plus what is fixed, still reaches the target; otherwise the next candidate is tried (a few per
step). Reaching the floor of the root LP proves the packing optimal.
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_matrix

from .._population import FloatArray, IntArray
from .._solution import Stop
from .lp import relax
from .score import BoolArray

TRIES = 6  # candidates looked at per step before settling for the best of them


def dive(
    rows: IntArray, seats: csr_matrix, value: FloatArray, working: IntArray, target: float, stop: Stop
) -> IntArray:
    """Circles (indices into rows) fixed one by one; `target` is the total the dive aims to keep
    reachable (the root LP's floor). Deterministic: candidates by LP value, then value, then index."""
    alive = np.ones(len(rows), dtype=bool)
    chosen: list[int] = []
    fixed = 0.0
    root = relax(seats, value, None, working, alive, stop)
    if root is None:
        return np.zeros(0, dtype=np.int64)
    x, working, bound = root.x, root.working, root.bound
    while bound > 1e-9 and not stop():
        step = _step(rows, seats, value, x, working, alive, target - fixed, stop)
        if step is None:
            break
        circle, alive, x, working, bound = step
        chosen.append(circle)
        fixed += float(value[circle])
    return np.array(chosen, dtype=np.int64)


def _step(
    rows: IntArray,
    seats: csr_matrix,
    value: FloatArray,
    x: FloatArray,
    working: IntArray,
    alive: BoolArray,
    target: float,
    stop: Stop,
) -> tuple[int, BoolArray, FloatArray, IntArray, float] | None:
    """The first candidate whose fixing keeps the target reachable, else the best tried."""
    order = np.lexsort((working, -value[working], -x))
    candidates = [int(working[k]) for k in order[:TRIES] if x[k] > 1e-9]
    best: tuple[float, tuple[int, BoolArray, FloatArray, IntArray, float]] | None = None
    for circle in candidates:
        left = alive & ~_overlaps(rows, seats, circle)
        found = relax(seats, value, None, working, left, stop)
        if found is None:
            return None
        reach = float(value[circle]) + found.bound
        if best is None or reach > best[0] + 1e-9:
            best = (reach, (circle, left, found.x, found.working, found.bound))
        if reach >= target - 1e-6:
            break
    return None if best is None else best[1]


def _overlaps(rows: IntArray, seats: csr_matrix, circle: int) -> BoolArray:
    """Candidates sharing a member with this circle (itself included): the members' rows of
    `seats` list them, where scanning every candidate would cost millions of look-ups."""
    shared: BoolArray = np.zeros(len(rows), dtype=bool)
    for person in rows[circle][rows[circle] >= 0]:
        shared[seats.indices[seats.indptr[person] : seats.indptr[person + 1]]] = True
    return shared
