"""The warm repair of a mentoring flow (`mentoring.repair`, `mentoring.circulate`): after pairs
are added that cannot place anyone more, the repaired flow must be optimal over the grown
network (same objective as a cold solve and as networkx), valid, and proven by the potentials
it returns (a sound certificate in one Bellman–Ford pass from them)."""

from __future__ import annotations

import networkx as nx
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from stepahead.matching.mentoring.circulate import circulate
from stepahead.matching.mentoring.flow import Network, carry, certify, grow, match_candidates
from stepahead.matching.mentoring.pairs import Pairs
from stepahead.matching.mentoring.repair import repair

from .test_mentoring_flow import networks, objective, oracle, proof_round, valid


@settings(max_examples=300, deadline=None)
@given(networks())
def test_repair_matches_a_cold_solve_and_the_oracle(case: tuple[Network, Pairs, np.ndarray]) -> None:
    net, flow, cert, grown = proof_round(case)
    repaired = repair(grown, carry(flow, net.pairs, grown), cert)
    assert repaired is not None
    fixed, potentials = repaired
    assert valid(grown, fixed)
    assert objective(grown, fixed) == oracle(grown)
    assert objective(grown, fixed) == objective(grown, match_candidates(grown))
    proof = certify(grown, fixed, potentials=potentials)
    assert proof is not None
    assert proof.sound


def test_repair_reroutes_around_a_better_pair() -> None:
    """Mentor 0 (capacity 1) holds mentee 0 at 5; mentee 1 has nobody. A pair mentor 0 → mentee 1
    at 9 cannot place anyone more (mentor 0 is full), but moves the weight: repaired, mentor 0
    takes mentee 1."""
    net = Network(np.array([1]), 2, Pairs(np.array([0]), np.array([0])), np.array([5]))
    flow = match_candidates(net)
    cert = certify(net, flow)
    assert cert is not None
    assert cert.mentor_covered[0]
    grown = grow(net, Pairs(np.array([0]), np.array([1])), np.array([9]))
    repaired = repair(grown, carry(flow, net.pairs, grown), cert)
    assert repaired is not None
    fixed = repaired[0]
    assert grown.pairs.mentee[fixed.used].tolist() == [1]


@st.composite
def circulations(draw: st.DrawFn) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
    """Unit arcs on a few nodes whose costs are >= 0 except some: a warm start's shape."""
    nodes = draw(st.integers(2, 7))
    count = draw(st.integers(0, 16))
    ends = st.tuples(st.integers(0, nodes - 1), st.integers(0, nodes - 1)).filter(lambda t: t[0] != t[1])
    arcs = draw(st.lists(ends, min_size=count, max_size=count))
    costs = draw(st.lists(st.integers(-6, 9), min_size=count, max_size=count))
    arr = np.array(arcs, dtype=np.int64).reshape(-1, 2)
    return nodes, arr[:, 0].copy(), arr[:, 1].copy(), np.array(costs, dtype=np.int64)


@settings(max_examples=300, deadline=None)
@given(circulations())
def test_circulation_is_the_cheapest_and_priced(case: tuple[int, np.ndarray, np.ndarray, np.ndarray]) -> None:
    """Against networkx's min-cost flow with zero demands (parallel arcs split by a middle node);
    the prices it returns keep every residual arc's reduced cost >= 0."""
    nodes, tails, heads, costs = case
    flow, price = circulate(nodes, tails, heads, costs)
    assert len(flow) == len(tails)
    graph = nx.DiGraph()
    graph.add_nodes_from(range(nodes))
    for i, (t, h, c) in enumerate(zip(tails.tolist(), heads.tolist(), costs.tolist(), strict=True)):
        graph.add_edge(t, ("arc", i), capacity=1, weight=c)
        graph.add_edge(("arc", i), h, capacity=1, weight=0)
    out = np.bincount(tails, weights=flow, minlength=nodes)
    assert (out == np.bincount(heads, weights=flow, minlength=nodes)).all()  # a circulation
    best = nx.min_cost_flow_cost(graph)
    assert int((flow * costs).sum()) == best
    reduced = costs + price[tails] - price[heads]
    assert (reduced[flow == 0] >= 0).all()  # forward residual arcs
    assert (reduced[flow == 1] <= 0).all()  # reverse residual arcs


def test_repair_offers_a_mentor_no_more_seats_than_its_pairs() -> None:
    """A mentor of huge capacity (no spreading, so the cold flow has one source arc for it) must
    not cost one arc per seat in the repair: it can gain at most one mentee per pair."""
    pairs = Pairs(np.array([0, 0, 1]), np.array([0, 1, 1]))
    net = Network(np.array([10**12, 1]), 2, pairs, np.array([5, 3, 4]))
    flow = match_candidates(net)
    cert = certify(net, flow)
    assert cert is not None
    repaired = repair(net, flow, cert)
    assert repaired is not None
    # Both placed: mentor 0 takes mentee 0 (5), mentor 1 mentee 1 (4).
    assert objective(net, repaired[0]) == objective(net, flow) == (2, 9)
