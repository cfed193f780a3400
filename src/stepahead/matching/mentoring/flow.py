"""Mentoring as a flow: source → mentor (capacity) → mentee (1) → sink, over candidate pairs.

Load spreading (spec 1.1) makes a mentor's k-th mentee cost `penalty · (k − 1)`: the source
reaches each mentor through one unit arc per seat, the k-th costing that much. The costs are
convex, so the flow fills a mentor's cheaper seats first and the optimum is exact.

`match_candidates` finds the most mentees placed, then the most weight, with OR-Tools. OR-Tools
keeps its node potentials to itself, so `certify` rebuilds a dual certificate from the flow:
a vertex cover that proves the count (König), and LP duals α (mentors), β (mentees) that prove
the weight among matchings of that count. Any eligible pair outside the candidates that breaks
the certificate is a pair the flow must see (`mentoring/proof.py` scans for them).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from ortools.graph.python import min_cost_flow
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import breadth_first_order

from .._population import IntArray
from .pairs import Pairs
from .units import BoolArray

SOURCE, SINK, FIRST = 0, 1, 2  # node ids; mentors follow, then mentees


@dataclass(frozen=True, slots=True)
class Network:
    capacity: IntArray  # per mentor position
    mentees: int
    pairs: Pairs
    weight: IntArray  # per pair, in units
    penalty: int = 0  # load spreading: the k-th seat of a mentor costs penalty · (k − 1) units

    def mentor_node(self, mentor: IntArray) -> IntArray:
        node: IntArray = FIRST + mentor
        return node

    def mentee_node(self, mentee: IntArray) -> IntArray:
        node: IntArray = FIRST + len(self.capacity) + mentee
        return node

    @property
    def nodes(self) -> int:
        return FIRST + len(self.capacity) + self.mentees


@dataclass(frozen=True, slots=True)
class Flow:
    used: BoolArray  # per pair
    load: IntArray  # mentees per mentor
    placed: BoolArray  # per mentee

    @property
    def count(self) -> int:
        return int(self.placed.sum())

    @classmethod
    def of_pairs(cls, net: Network, used: BoolArray) -> Flow:
        """The flow that uses these of the network's pairs (loads and placements follow)."""
        return cls(
            used=used,
            load=np.bincount(net.pairs.mentor[used], minlength=len(net.capacity)).astype(np.int64),
            placed=np.bincount(net.pairs.mentee[used], minlength=net.mentees) > 0,
        )


def match_candidates(net: Network) -> Flow:
    """Most mentees placed, then the most weight, over the network's pairs (exact)."""
    if not len(net.pairs):
        return Flow.of_pairs(net, np.zeros(0, dtype=bool))
    solver = min_cost_flow.SimpleMinCostFlow()
    arcs = solver.add_arcs_with_capacity_and_unit_cost(*_flow_arcs(net))
    supply = min(int(net.capacity.sum()), len(np.unique(net.pairs.mentee)))
    solver.set_nodes_supplies(
        np.array([SOURCE, SINK], dtype=np.int32), np.array([supply, -supply], dtype=np.int64)
    )
    status = solver.solve_max_flow_with_min_cost()
    if status != solver.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed with status {status}")
    seats = _seat_count(net)
    flows = np.asarray(solver.flows(arcs))[seats : seats + len(net.pairs)]
    return Flow.of_pairs(net, flows > 0)


def _seat_count(net: Network) -> int:
    return int(net.capacity.sum()) if net.penalty else len(net.capacity)


def _seats(net: Network) -> tuple[IntArray, IntArray, IntArray]:
    """Source → mentor arcs: (mentor, capacity, seat rank k − 1). One arc of the whole capacity
    when there is no spreading, else one unit arc per seat."""
    mentors = np.arange(len(net.capacity), dtype=np.int64)
    if not net.penalty:
        return mentors, net.capacity, np.zeros(len(mentors), dtype=np.int64)
    owner, rank = seat_ranks(mentors, np.zeros_like(net.capacity), net.capacity)
    return owner, np.ones(len(owner), dtype=np.int64), rank


def seat_ranks(mentors: IntArray, lo: IntArray, hi: IntArray) -> tuple[IntArray, IntArray]:
    """Each mentor repeated once per seat rank k − 1 in [lo, hi), with that rank."""
    count = np.maximum(hi - lo, 0)
    owner = np.repeat(mentors, count)
    rank = np.repeat(lo, count) + np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
    return owner.astype(np.int64), rank.astype(np.int64)


def _flow_arcs(net: Network) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int32], IntArray, IntArray]:
    """Source → every mentor's seats, then the pairs (cost -w), then every mentee with a pair → sink."""
    owner, seat_capacity, rank = _seats(net)
    mentees = np.unique(net.pairs.mentee)
    ends = (
        np.concatenate(
            [np.full(len(owner), SOURCE), net.mentor_node(net.pairs.mentor), net.mentee_node(mentees)]
        ),
        np.concatenate(
            [net.mentor_node(owner), net.mentee_node(net.pairs.mentee), np.full(len(mentees), SINK)]
        ),
    )
    capacities = np.concatenate([seat_capacity, np.ones(len(net.pairs) + len(mentees), dtype=np.int64)])
    # Cost scaling runs about log(nodes · largest cost) phases: counting in the weights' common
    # divisor (0.005 for the spec's tables) takes a third off the solve, exactly.
    divisor = max(1, math.gcd(int(np.gcd.reduce(net.weight)), net.penalty))
    costs = np.concatenate(
        [rank * (net.penalty // divisor), -(net.weight // divisor), np.zeros(len(mentees), np.int64)]
    )
    return (
        ends[0].astype(np.int32),
        ends[1].astype(np.int32),
        capacities.astype(np.int64),
        costs.astype(np.int64),
    )


def grow(net: Network, pairs: Pairs, weight: IntArray) -> Network:
    """The network with new pairs added, kept in mentee-then-mentor order."""
    mentor = np.concatenate([net.pairs.mentor, pairs.mentor])
    mentee = np.concatenate([net.pairs.mentee, pairs.mentee])
    order = np.lexsort((mentor, mentee))
    grown = Pairs(mentor=mentor[order], mentee=mentee[order])
    return Network(net.capacity, net.mentees, grown, np.concatenate([net.weight, weight])[order], net.penalty)


def prune(net: Network, flow: Flow, cert: Certificate, slack: int, pinned: BoolArray) -> tuple[Network, Flow]:
    """Drops unused, unpinned pairs that the certificate holds with more than `slack` to spare
    (α + β - w), or that are covered twice; they stay valid for the certificate that was checked."""
    pairs = net.pairs
    spare = cert.mentor_dual[pairs.mentor] + cert.mentee_dual[pairs.mentee] - net.weight
    twice = cert.mentor_covered[pairs.mentor] & cert.mentee_covered[pairs.mentee]
    keep = flow.used | pinned | ~(twice | (spare > slack))
    kept = Network(
        net.capacity,
        net.mentees,
        Pairs(pairs.mentor[keep], pairs.mentee[keep]),
        net.weight[keep],
        net.penalty,
    )
    return kept, Flow(used=flow.used[keep], load=flow.load, placed=flow.placed)


def carry(flow: Flow, old: Pairs, net: Network) -> Flow:
    """The same flow over a network whose pairs are a superset of `old`."""
    used_keys = old.keys(net.mentees)[flow.used]
    used = np.isin(net.pairs.keys(net.mentees), used_keys)
    return Flow(used=used, load=flow.load, placed=flow.placed)


@dataclass(frozen=True, slots=True)
class Certificate:
    """Cover and duals for the candidate network. Pairs outside it break the proof when they are
    uncovered (mentor and mentee both uncovered), or singly covered with w > α + β."""

    mentor_covered: BoolArray
    mentee_covered: BoolArray
    mentor_dual: IntArray  # α
    mentee_dual: IntArray  # β
    sound: bool  # cover size equals the count and the dual objective equals the weight
    distance: IntArray  # node potentials the duals come from (to warm-start the next proof)
    passes: int  # Bellman–Ford passes it took


def certify(net: Network, flow: Flow, potentials: IntArray | None = None) -> Certificate | None:
    """The flow's certificate, or None when Bellman–Ford does not settle: from nothing it always
    does for an optimal flow; from `potentials` that already prove the flow (a repair's) it
    settles in a pass or two, and None then means the flow must be solved again."""
    reached = _reachable_from_source(net, flow)
    mentor_covered = ~reached[net.mentor_node(np.arange(len(net.capacity)))]
    mentee_covered = reached[net.mentee_node(np.arange(net.mentees))]
    arcs = _residual_arcs(net, flow, mentor_covered, mentee_covered)
    start, limit = (None, net.nodes + 1) if potentials is None else (potentials, 4)
    settled = _shortest_distances(net.nodes, arcs, start, limit)
    if settled is None:
        return None
    distance, passes = settled
    alpha = distance[net.mentor_node(np.arange(len(net.capacity)))] - distance[SOURCE]
    beta = distance[SINK] - distance[net.mentee_node(np.arange(net.mentees))]
    alpha = np.where(mentor_covered, alpha, np.maximum(alpha, 0))
    beta = np.where(mentee_covered, beta, np.maximum(beta, 0))
    cover = int(net.capacity[mentor_covered].sum()) + int(mentee_covered.sum())
    cert = Certificate(mentor_covered, mentee_covered, alpha, beta, False, distance, passes)
    sound = not reached[SINK] and cover == flow.count and _duals_balance(net, flow, cert)
    return Certificate(mentor_covered, mentee_covered, alpha, beta, sound, distance, passes)


def _duals_balance(net: Network, flow: Flow, cert: Certificate) -> bool:
    """Dual feasibility on the candidates, and strong duality: Σ seat duals + Σ β + Σ excess of
    used pairs = Σ used weight − Σ load penalties (doubly covered pairs are free: the count's big
    weight covers them). A seat of cost c has dual max(0, α − c); a covered mentor's seats are
    all full, so each pays α − c."""
    pairs = net.pairs
    excess = net.weight - cert.mentor_dual[pairs.mentor] - cert.mentee_dual[pairs.mentee]
    single = cert.mentor_covered[pairs.mentor] != cert.mentee_covered[pairs.mentee]
    if np.any(excess[single & ~flow.used] > 0):
        return False
    alpha, cap, pen = cert.mentor_dual, net.capacity, net.penalty
    # Seats whose cost is below α (with no spreading, every seat when α > 0).
    open_seats = np.minimum(cap, -(-np.maximum(alpha, 0) // pen)) if pen else np.where(alpha > 0, cap, 0)
    seats = np.where(cert.mentor_covered, cap, open_seats)
    dual = int((seats * alpha - pen * seats * (seats - 1) // 2).sum()) + int(cert.mentee_dual.sum())
    primal = int(net.weight[flow.used].sum()) - pen * int((flow.load * (flow.load - 1) // 2).sum())
    return dual + int(np.maximum(excess[flow.used], 0).sum()) == primal


def _reachable_from_source(net: Network, flow: Flow) -> BoolArray:
    """Nodes reachable in the residual graph where pair arcs have unbounded capacity (König)."""
    mentors = np.arange(len(net.capacity))
    mentees = np.arange(net.mentees)
    open_mentors = mentors[flow.load < net.capacity]
    tails = [np.full(len(open_mentors), SOURCE), net.mentor_node(net.pairs.mentor)]
    heads = [net.mentor_node(open_mentors), net.mentee_node(net.pairs.mentee)]
    tails += [net.mentee_node(net.pairs.mentee[flow.used]), net.mentee_node(mentees[~flow.placed])]
    heads += [net.mentor_node(net.pairs.mentor[flow.used]), np.full(int((~flow.placed).sum()), SINK)]
    t, h = np.concatenate(tails), np.concatenate(heads)
    graph = csr_matrix((np.ones(len(t), dtype=np.int8), (t, h)), shape=(net.nodes, net.nodes))
    order = breadth_first_order(graph, SOURCE, directed=True, return_predecessors=False)
    reached = np.zeros(net.nodes, dtype=bool)
    reached[order] = True
    return reached


def _residual_arcs(
    net: Network, flow: Flow, mentor_covered: BoolArray, mentee_covered: BoolArray
) -> tuple[IntArray, IntArray, IntArray]:
    """Residual arcs (min-cost sign: a pair costs -w) of the weight problem among matchings that
    place as many: covered people are held saturated, and doubly covered pairs are left out."""
    pairs = net.pairs
    single = mentor_covered[pairs.mentor] != mentee_covered[pairs.mentee]
    fwd, back = single & ~flow.used, flow.used
    mentors, mentees = np.arange(len(net.capacity)), np.arange(net.mentees)
    free_m, free_e = ~mentor_covered, ~mentee_covered
    parts = [
        (net.mentor_node(pairs.mentor[fwd]), net.mentee_node(pairs.mentee[fwd]), -net.weight[fwd]),
        (net.mentee_node(pairs.mentee[back]), net.mentor_node(pairs.mentor[back]), net.weight[back]),
        *_seat_arcs(net, flow, mentors[free_m]),
        _arcs(SINK, net.mentee_node(mentees[free_e & ~flow.placed]), reverse=True),
        _arcs(SINK, net.mentee_node(mentees[free_e & flow.placed]), reverse=False),
        _arcs(SINK, np.array([SOURCE]), reverse=False),
    ]
    if flow.count:
        parts.append(_arcs(SOURCE, np.array([SINK]), reverse=False))
    return tuple(np.concatenate([p[i] for p in parts]).astype(np.int64) for i in range(3))  # type: ignore[return-value]


def _seat_arcs(net: Network, flow: Flow, mentors: IntArray) -> list[tuple[IntArray, IntArray, IntArray]]:
    """Residual source ↔ mentor arcs: the next free seat (cost penalty · load) forward, and the
    last seat taken (cost penalty · (load − 1)) back."""
    load = flow.load[mentors]
    more, fewer = mentors[load < net.capacity[mentors]], mentors[load > 0]
    forward = _arcs(SOURCE, net.mentor_node(more), reverse=False)
    back = _arcs(SOURCE, net.mentor_node(fewer), reverse=True)
    return [
        (forward[0], forward[1], net.penalty * flow.load[more]),
        (back[0], back[1], -net.penalty * (flow.load[fewer] - 1)),
    ]


def _arcs(hub: int, nodes: IntArray, *, reverse: bool) -> tuple[IntArray, IntArray, IntArray]:
    """Zero-cost arcs hub → nodes (or nodes → hub)."""
    hubs = np.full(len(nodes), hub, dtype=np.int64)
    zeros = np.zeros(len(nodes), dtype=np.int64)
    return (nodes, hubs, zeros) if reverse else (hubs, nodes, zeros)


def _shortest_distances(
    nodes: int, arcs: tuple[IntArray, IntArray, IntArray], start: IntArray | None, limit: int
) -> tuple[IntArray, int] | None:
    """Bellman–Ford from a virtual root linked to every node (or from earlier distances, which
    only fall when arcs are added), relaxing only arcs out of nodes whose distance just changed.
    None when it has not settled after `limit` passes, as happens on a negative cycle."""
    order = np.argsort(arcs[0], kind="stable")
    tails, heads, costs = arcs[0][order], arcs[1][order], arcs[2][order]
    starts = np.searchsorted(tails, np.arange(nodes + 1))
    distance = np.zeros(nodes, dtype=np.int64) if start is None else start.copy()
    active = np.arange(nodes)
    for passes in range(1, limit + 1):
        out = _arcs_out_of(active, starts)
        reach = distance[tails[out]] + costs[out]
        better = reach < distance[heads[out]]
        if not better.any():
            return distance, passes
        np.minimum.at(distance, heads[out][better], reach[better])
        active = np.unique(heads[out][better])
    return None


def _arcs_out_of(nodes: npt.NDArray[np.int64], starts: IntArray) -> IntArray:
    first, count = starts[nodes], starts[nodes + 1] - starts[nodes]
    total = int(count.sum())
    shift = np.repeat(first - np.cumsum(count) + count, count)
    arcs: IntArray = shift + np.arange(total)
    return arcs
