"""The LP relaxation of circle packing, solved by column generation over a pool of candidates.

Each person sits in at most one circle; x_c ∈ [0, 1]. The LP over a small working set of columns
gives duals (one per person, one for the optional floor on members); every candidate is priced by
its reduced cost and those that price out join the working set, until none does: then the LP
optimum over the working set is the optimum over the whole pool. `alive` masks candidates out
(circles a dive has ruled out), so the same loop serves the root LP and every dive step.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_matrix, vstack

from .._population import FloatArray, IntArray
from .._solution import Stop
from .score import BoolArray

ADD_PER_ROUND = 4_000  # columns added per pricing round
MAX_ROUNDS = 200
EPS = 1e-7
# A floor on members: (members per column, how many at least); None when there is none.
Floor = tuple[FloatArray, int] | None


@dataclass(frozen=True, slots=True)
class Relaxation:
    """The LP optimum over every alive candidate (bound = -inf when no packing meets the floor)."""

    bound: float
    x: FloatArray  # values of the working columns
    working: IntArray
    person_duals: FloatArray
    floor_dual: float

    def reduced(self, seats: csr_matrix, value: FloatArray, floor: Floor) -> FloatArray:
        """value − the members' duals + the floor's dual × members (the bounds x ≤ 1 need no
        dual: the packing rows imply them)."""
        reduced: FloatArray = value - seats.T @ self.person_duals
        if floor is not None:
            reduced = reduced + self.floor_dual * floor[0]
        return reduced


def relax(
    seats: csr_matrix,
    value: FloatArray,
    floor: Floor,
    working: IntArray,
    alive: BoolArray | None,
    stop: Stop,
) -> Relaxation | None:
    """Column generation until no alive candidate prices out; None when stopped or not done
    within MAX_ROUNDS (then there is no bound). With a floor, `working` must hold a packing
    that meets it (else the answer is bound -inf: none found)."""
    if alive is not None:
        working = working[alive[working]]
    for _ in range(MAX_ROUNDS):
        if stop():
            return None
        found = solve_lp(seats[:, working], value[working], floor, working)
        if found is None:  # the working columns cannot meet the floor: no packing among them
            return Relaxation(-np.inf, np.zeros(len(working)), working, np.zeros(seats.shape[0]), 0.0)
        reduced = found.reduced(seats, value, floor)
        if alive is not None:
            reduced[~alive] = -np.inf
        reduced[working] = np.minimum(reduced[working], 0.0)
        fresh = np.flatnonzero(reduced > EPS)
        if not len(fresh):
            return found
        top = fresh[best_first(reduced[fresh], ADD_PER_ROUND)]
        working = np.union1d(working, top)
    return None


def solve_lp(seats: csr_matrix, value: FloatArray, floor: Floor, working: IntArray) -> Relaxation | None:
    """The LP over the working columns; None when the floor makes it infeasible."""
    if not len(working):
        return Relaxation(0.0, np.zeros(0), working, np.zeros(seats.shape[0]), 0.0) if floor is None else None
    a_ub, b_ub = seats, np.ones(seats.shape[0])
    if floor is not None:
        a_ub = vstack([seats, csr_matrix(-floor[0][working][None, :])]).tocsr()
        b_ub = np.concatenate([b_ub, [-float(floor[1])]])
    # x ≤ 1 is left to the packing rows (every circle has members): stated as a bound, HiGHS may
    # put duals on it, columns at 1 then price out again and the pricing search spends its budget
    # finding circles already in (200 people: the placed stage took 19.5 s, now 5.3 s).
    found = linprog(-value, A_ub=a_ub, b_ub=b_ub, bounds=(0, None), method="highs")
    if found.status == 2:
        return None
    if found.status != 0:  # pragma: no cover - bounded (x ≥ 0 under packing rows): solved or infeasible
        raise RuntimeError(f"circle LP failed: {found.message}")
    marginals = -np.asarray(found.ineqlin.marginals)
    floor_dual = float(marginals[-1]) if floor is not None else 0.0
    duals = marginals[: seats.shape[0]]
    return Relaxation(float(-found.fun), np.asarray(found.x), working, duals, floor_dual)


def best_first(values: FloatArray, most: int) -> IntArray:
    """The indices of the `most` largest values, largest first, ties by index: the head of a
    stable argsort of -values, without sorting them all."""
    if most >= len(values) or most <= 0:
        order: IntArray = np.argsort(-values, kind="stable")[: max(most, 0)]
        return order
    cut = np.partition(values, len(values) - most)[len(values) - most]
    above = np.flatnonzero(values > cut)
    tied = np.flatnonzero(values == cut)[: most - len(above)]
    head = np.concatenate([above, tied])
    chosen: IntArray = head[np.argsort(-values[head], kind="stable")]
    return chosen
