"""The fractional relaxation of peer matching, solved as an assignment on the bipartite double
cover, and the dual prices that certify it.

Everyone appears as a "giver" and a "receiver"; a pair A–B becomes the arcs A→B and B→A, and
A→A means "A stays unmatched". An optimal assignment is a set of cycles: 2-cycles are pairs,
even cycles split into pairs of equal value, odd cycles are the only fractional part. A dummy
person D, worth half a pair to whoever is left over, absorbs the odd one out when the pool is
odd, so parity alone never looks like a gap.

Prices: OR-Tools does not return the assignment's duals, so they are recovered as shortest-path
distances in the optimal assignment's residual graph (difference constraints), found by a
queue-based label-correcting pass (numba)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ortools.graph.python import linear_sum_assignment

from .._kernels import numba
from .._population import IntArray
from .graph import PairList


@dataclass(frozen=True, slots=True)
class Relaxation:
    """sigma[i]: whom i gives to (n is the dummy); arc_value[i]: that arc's value;
    prices[v]: 2 × the fractional-matching dual of v, so prices[a] + prices[b] ≥ 2·w'(a, b)."""

    sigma: IntArray
    arc_value: IntArray
    prices: IntArray

    @property
    def bound2(self) -> int:
        """2 × the relaxation's optimum."""
        return int(self.prices.sum())


def solve_relaxation(pairs: PairList, n: int, big: int) -> Relaxation:
    """Max-weight fractional matching of pairs (values big + units) plus the dummy n (big / 2)."""
    people = np.arange(n, dtype=np.int64)
    dummy = np.full(n, n, dtype=np.int64)
    value = pairs.units + big
    half = np.full(n, big // 2, dtype=np.int64)
    tails = np.concatenate([pairs.a, pairs.b, people, dummy, people, [n]])
    heads = np.concatenate([pairs.b, pairs.a, dummy, people, people, [n]])
    values = np.concatenate([value, value, half, half, np.zeros(n + 1, dtype=np.int64)])
    return _assign(tails, heads, values, n + 1)


def _assign(tails: IntArray, heads: IntArray, values: IntArray, size: int) -> Relaxation:
    """Max-value assignment of givers 0..size-1 to receivers 0..size-1 over the arcs given."""
    solver = linear_sum_assignment.SimpleLinearSumAssignment()
    solver.add_arcs_with_cost(tails, heads, -values)
    if solver.solve() != solver.OPTIMAL:
        # Self arcs make it always feasible: only values past what the solver's int64 prices
        # hold fail it (callers coarsen their units below `_COST_LIMIT` for that).
        raise RuntimeError("assignment solver failed on the peer relaxation")
    sigma = np.fromiter((solver.right_mate(i) for i in range(size)), dtype=np.int64, count=size)
    arc_value = np.fromiter((-solver.assignment_cost(i) for i in range(size)), dtype=np.int64, count=size)
    return Relaxation(sigma, arc_value, _prices(tails, heads, values, sigma, arc_value))


def _prices(
    tails: IntArray, heads: IntArray, values: IntArray, sigma: IntArray, arc_value: IntArray
) -> IntArray:
    """Dual prices of the assignment from its residual graph.

    In cost form c = -value, duals u (givers) and v (receivers) need u_i + v_j ≤ c_ij with
    equality on assigned arcs. With i' the giver assigned to j, that is u_i ≤ u_i' + c_ij - c_i'j:
    shortest-path distances from a virtual source that reaches everyone at 0."""
    size = len(sigma)
    giver_of = np.empty(size, dtype=np.int64)
    giver_of[sigma] = np.arange(size)
    cost = -values
    assigned_cost = -arc_value  # cost of the arc into receiver sigma[i] is -arc_value[i]
    cost_into = np.empty(size, dtype=np.int64)
    cost_into[sigma] = assigned_cost
    source = giver_of[heads]
    length = cost - cost_into[heads]
    keep = source != tails
    u = _shortest_distances(source[keep], tails[keep], length[keep], size)
    v = cost_into - u[giver_of]
    # max form: p = -u, q = -v; the symmetric fractional dual is (p + q) / 2
    return -(u + v)


def _shortest_distances(src: IntArray, dst: IntArray, length: IntArray, size: int) -> IntArray:
    """Shortest distances from a virtual source that reaches every node at 0."""
    order = np.argsort(src, kind="stable")
    starts = np.searchsorted(src[order], np.arange(size + 1))
    dist = _label_correcting(starts, dst[order], length[order], size)
    if dist is None:  # pragma: no cover - an optimal assignment has no negative cycle
        raise RuntimeError("negative cycle: the assignment was not optimal")
    return dist


@numba.njit(cache=True, nogil=True)
def _label_correcting(starts: IntArray, heads: IntArray, length: IntArray, size: int) -> IntArray | None:
    """Bellman-Ford with a FIFO queue of the nodes whose distance just fell: after the first
    sweep only the few nodes near a change are revisited, not every arc in every round."""
    dist = np.zeros(size, dtype=np.int64)
    queue = np.arange(size, dtype=np.int64)  # a ring: each node is in it at most once
    queued = np.ones(size, dtype=np.bool_)
    visits = np.zeros(size, dtype=np.int64)
    head, held = 0, size
    while held:
        node = queue[head]
        head = (head + 1) % size
        held -= 1
        queued[node] = False
        visits[node] += 1
        if visits[node] > size:
            return None
        for arc in range(starts[node], starts[node + 1]):
            to = heads[arc]
            if dist[node] + length[arc] < dist[to]:
                dist[to] = dist[node] + length[arc]
                if not queued[to]:
                    queue[(head + held) % size] = to
                    held += 1
                    queued[to] = True
    return dist
