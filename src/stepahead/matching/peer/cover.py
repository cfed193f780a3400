"""Sharing a price raise between the two people of each pair that breaks the prices.

A price check keeps, for each person it checks, the `keep` pairs that break their price most;
any pair it did not keep breaks it by no more than the least one kept (when all `keep` slots are
full; otherwise it kept them all). Raising each person by their own worst excess covers every
pair, but a pair between two checked people is then paid for twice, and at 100k people that
alone is about half the bound's slack. Cheaper, and still covering every pair:
1. lift each person by their least kept excess r_i, which covers every pair not kept;
2. share what kept pairs still need, e − r_i − r_j, by the smallest fractional vertex cover
   (min Σ x subject to x_i + x_j ≥ e'_ij, x ≥ 0), a small linear programme for HiGHS.
Its answer is rounded up and checked in integers, so the lifts hold whatever the solver's
tolerances. Past MAX_SHARED_PAIRS, or should HiGHS fail, each person takes their own worst
excess as before."""

from __future__ import annotations

import numpy as np
from scipy import sparse

from .._population import IntArray

# Past this many pairs to share, the programme can take HiGHS a minute (a first price check at
# 100k people holds 600k); the second check at 100k holds about 16k, solved in 0.1 s.
MAX_SHARED_PAIRS = 100_000


def cover_lift(excess: IntArray, partner: IntArray) -> IntArray | None:
    """Per row, how much to add to its price so that every pair the check saw, or could have
    seen, holds: lift_i + lift_j ≥ excess_ij. Rows and partners index the same people. None
    past MAX_SHARED_PAIRS, or should HiGHS fail: each row then takes its own worst excess."""
    held = partner >= 0
    if not held.any():
        return np.zeros(len(excess), dtype=np.int64)
    # a full row's least held excess; a row with a free slot held every pair that broke it
    floor: IntArray = np.where(held.all(axis=1), excess.min(axis=1), 0)
    rows, slots = np.nonzero(held)
    cols = partner[rows, slots]
    need = excess[rows, slots] - floor[rows] - floor[cols]
    short = need > 0
    if not short.any():
        return floor
    if int(short.sum()) > MAX_SHARED_PAIRS:
        return None
    a, b, need = rows[short], cols[short], need[short]
    nodes, local = np.unique(np.concatenate([a, b]), return_inverse=True)
    share = _fractional_cover(local[: len(a)], local[len(a) :], need, len(nodes))
    if share is None:  # pragma: no cover - HiGHS solves these small covering programmes
        return None
    lift = floor.copy()
    lift[nodes] += share
    return lift


def _fractional_cover(a: IntArray, b: IntArray, need: IntArray, nodes: int) -> IntArray | None:
    """Smallest Σ x with x_a + x_b ≥ need on every edge, in whole units (rounded up, then any
    edge the rounding left short is made up at its first end)."""
    from scipy.optimize import linprog  # a second to import: only pools that need the LP pay it

    edges = len(a)
    matrix = sparse.csr_matrix(
        (np.ones(2 * edges), (np.tile(np.arange(edges), 2), np.concatenate([a, b]))), shape=(edges, nodes)
    )
    result = linprog(
        np.ones(nodes), A_ub=-matrix, b_ub=-need.astype(np.float64), bounds=(0, None), method="highs"
    )
    if result.status != 0:  # pragma: no cover - always feasible (x = need everywhere)
        return None
    share = np.ceil(result.x).astype(np.int64)
    missing = need - share[a] - share[b]
    extra = np.zeros(nodes, dtype=np.int64)
    np.maximum.at(extra, a, np.maximum(missing, 0))
    cover: IntArray = share + extra
    return cover
