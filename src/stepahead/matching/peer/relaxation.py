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
import numpy.typing as npt
from ortools.graph.python import linear_sum_assignment

from .._kernels import numba
from .._population import IntArray
from .graph import PairList

# Bound rounds after the first (`peer.solve`) re-solve only the people the new pairs touch
# (`resolve_around`) while they are at most this share of the pool; past it, the whole list is
# solved again. At 100k people (one function) the 4th round touches ~5% and its cold solve was
# the largest item (36-47 s of CPU).
# Warm rounds with more touched lose bound: the 3rd touches ~70%, and re-solved warm its bound
# ended 0.05% above a cold one's; widening the re-solved set by a hop took in everyone.
WARM_SHARE = 0.1


@dataclass(frozen=True, slots=True)
class Relaxation:
    """sigma[i]: whom i gives to (n is the dummy); arc_value[i]: that arc's value;
    prices[v]: 2 × the fractional-matching dual of v, so prices[a] + prices[b] ≥ 2·w'(a, b)."""

    sigma: IntArray
    arc_value: IntArray
    prices: IntArray
    cold: bool = True  # solved whole, not re-solved around a few people (`resolve_around`)

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
    relax = _assign(tails, heads, values, n + 1)
    if relax is None:  # pragma: no cover - self arcs make it always feasible
        raise RuntimeError("assignment solver failed on the peer relaxation")
    return relax


def solve_coarse_relaxation(pairs: PairList, n: int, factor: int) -> Relaxation:
    """The weight-only relaxation (big = 0) solved on units // factor, with prices scaled back and
    each lifted by factor - 1, so that they still hold for every listed pair at full precision:
    p'a + p'b >= 2·(w // f) gives f·p'a + f·p'b + 2(f - 1) >= 2w. The bound loosens by at most
    n·(factor - 1)/2 units; the assignment solver needs fewer cost-scaling phases and finishes
    in about 60% of the time at 100k people."""
    relax = solve_relaxation(PairList(pairs.a, pairs.b, pairs.units // factor), n, 0)
    prices = relax.prices * factor
    prices[:n] += factor - 1
    return Relaxation(relax.sigma, relax.arc_value * factor, prices)


def _assign(tails: IntArray, heads: IntArray, values: IntArray, size: int) -> Relaxation | None:
    """Max-value assignment of givers 0..size-1 to receivers 0..size-1 over the arcs given."""
    solver = linear_sum_assignment.SimpleLinearSumAssignment()
    solver.add_arcs_with_cost(tails, heads, -values)
    if solver.solve() != solver.OPTIMAL:
        return None
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


def grown_relaxation(relax: Relaxation, pairs: PairList, added: PairList, n: int, factor: int) -> Relaxation:
    """The weight-only relaxation after `added` joined the list (`pairs` holds both): warm,
    re-solving only around the added pairs, while they touch few enough people for that to pay;
    a cold solve of the whole list otherwise."""
    touched = np.unique(np.concatenate([added.a, added.b]))
    if len(touched) > WARM_SHARE * n:
        return solve_coarse_relaxation(pairs, n, factor)
    return resolve_around(relax, pairs, touched, n, factor)


def resolve_around(relax: Relaxation, pairs: PairList, touched: IntArray, n: int, factor: int) -> Relaxation:
    """The weight-only relaxation after `pairs` grew by pairs between `touched` people, warm:
    everyone else keeps their price, and only the touched people (with the whole assignment
    cycles they sit in, so that the assignment stays a permutation) are solved again, each
    priced at least at what their pairs with the others need. Prices stay feasible for every
    listed pair; their sum is at most a little above a cold solve's, for a fraction of its time
    (a cold solve's assignment grew from 7 to 45 s of CPU over the rounds at 100k people).

    `relax` holds prices for the list before it grew, feasible at full precision (as from
    `solve_coarse_relaxation` with the same `factor`)."""
    inside = _cycles_of(relax.sigma, touched, n)
    local = np.full(n + 1, -1, dtype=np.int64)
    people = np.flatnonzero(inside)
    local[people] = np.arange(len(people))
    both = inside[pairs.a] & inside[pairs.b]
    floor = _floors(pairs.select(~both), relax.prices, inside, n)
    sub = pairs.select(both)
    a, b, values = local[sub.a], local[sub.b], sub.units // factor
    own = np.arange(len(people), dtype=np.int64)
    # p_i >= floor_i at full precision: the self arc's value, rounded up to coarse units
    self_values = -((-floor[people]) // factor)
    solved = _assign(
        np.concatenate([a, b, own]),
        np.concatenate([b, a, own]),
        np.concatenate([values, values, self_values]),
        len(people),
    )
    if solved is None:  # pragma: no cover - self arcs make it always feasible
        raise RuntimeError("assignment solver failed on the peer relaxation")
    return _merged(relax, people, solved, factor)


def _cycles_of(sigma: IntArray, touched: IntArray, n: int) -> npt.NDArray[np.bool_]:
    """People in the assignment cycles through `touched` (the dummy n left out: with weight only
    its arcs are worth nothing, and it stays in a cycle of its own)."""
    inside = np.zeros(n + 1, dtype=bool)
    for start in touched.tolist():
        node = start
        while not inside[node]:
            inside[node] = True
            node = int(sigma[node])
    inside[n] = False
    return inside[:n]


def _floors(crossing: PairList, prices: IntArray, inside: npt.NDArray[np.bool_], n: int) -> IntArray:
    """Per person, the least price the listed pairs with someone outside `inside` need (whose
    prices stay): p_i >= 2·w_ij − p_j, and never below 0. Pairs with both ends outside are
    ignored: their prices hold them already."""
    floor = np.zeros(n, dtype=np.int64)
    for mine, theirs in ((crossing.a, crossing.b), (crossing.b, crossing.a)):
        mask = inside[mine] & ~inside[theirs]
        np.maximum.at(floor, mine[mask], 2 * crossing.units[mask] - prices[theirs[mask]])
    return floor


def _merged(relax: Relaxation, people: IntArray, solved: Relaxation, factor: int) -> Relaxation:
    """`relax` with `people` given the assignment and prices `solved` found for them (local
    indices), prices scaled back and lifted by factor − 1 as in `solve_coarse_relaxation`."""
    n = len(relax.sigma) - 1
    sigma, arc_value, prices = relax.sigma.copy(), relax.arc_value.copy(), relax.prices.copy()
    if sigma[n] != n and np.isin(sigma[n], people):  # the dummy leaves the cycles re-solved
        sigma[n], arc_value[n] = n, 0
    sigma[people] = people[solved.sigma]
    # a self arc is a floor, not a pair: it is worth nothing to the rounding
    arc_value[people] = np.where(solved.sigma == np.arange(len(people)), 0, solved.arc_value * factor)
    prices[people] = solved.prices * factor + factor - 1
    return Relaxation(sigma, arc_value, prices, cold=False)
