"""The mentoring min-cost flow with load spreading (`mentoring.flow`) against a networkx oracle
that models every seat of every mentor as its own arc, and its certificate on grown networks."""

from __future__ import annotations

from dataclasses import replace

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stepahead.matching.mentoring.flow import (
    Certificate,
    Flow,
    Network,
    _duals_balance,
    carry,
    certify,
    grow,
    match_candidates,
)
from stepahead.matching.mentoring.pairs import Pairs


def objective(net: Network, flow: Flow) -> tuple[int, int]:
    """(placed, weight less load penalties) of a flow."""
    weight = int(net.weight[flow.used].sum()) - net.penalty * int((flow.load * (flow.load - 1) // 2).sum())
    return flow.count, weight


def valid(net: Network, flow: Flow) -> bool:
    used = net.pairs
    load = np.bincount(used.mentor[flow.used], minlength=len(net.capacity))
    per_mentee = np.bincount(used.mentee[flow.used], minlength=net.mentees)
    return bool(
        (load == flow.load).all()
        and (load <= net.capacity).all()
        and (per_mentee <= 1).all()
        and ((per_mentee == 1) == flow.placed).all()
    )


def oracle(net: Network) -> tuple[int, int]:
    """networkx max flow of min cost, one unit arc per seat (the k-th costs penalty · (k - 1))."""
    graph = nx.DiGraph()
    for m, cap in enumerate(net.capacity.tolist()):
        for k in range(cap):
            graph.add_edge("s", ("seat", m, k), capacity=1, weight=net.penalty * k)
            graph.add_edge(("seat", m, k), ("m", m), capacity=1, weight=0)
    for m, e, w in zip(
        net.pairs.mentor.tolist(), net.pairs.mentee.tolist(), net.weight.tolist(), strict=True
    ):
        graph.add_edge(("m", m), ("e", e), capacity=1, weight=-w)
        graph.add_edge(("e", e), "t", capacity=1, weight=0)
    if "s" not in graph or "t" not in graph:
        return 0, 0
    flow = nx.max_flow_min_cost(graph, "s", "t")
    placed = sum(flow[u]["t"] for u in graph.predecessors("t"))
    return placed, -int(nx.cost_of_flow(graph, flow))


@st.composite
def networks(draw: st.DrawFn) -> tuple[Network, Pairs, np.ndarray]:
    """A network over some pairs, and more pairs (with weights) to add to it."""
    mentors = draw(st.integers(1, 5))
    mentees = draw(st.integers(1, 8))
    capacity = np.array(draw(st.lists(st.integers(1, 3), min_size=mentors, max_size=mentors)), dtype=np.int64)
    every = [(m, e) for m in range(mentors) for e in range(mentees)]
    chosen = draw(st.lists(st.sampled_from(every), unique=True, max_size=len(every)))
    weights = draw(st.lists(st.integers(1, 12), min_size=len(chosen), max_size=len(chosen)))
    split = draw(st.integers(0, len(chosen)))
    penalty = draw(st.sampled_from([0, 1, 2, 5]))
    quantum = draw(st.sampled_from([1, 5_000]))

    def pairs_of(items: list[tuple[int, int]]) -> Pairs:
        arr = np.array(items, dtype=np.int64).reshape(-1, 2)
        return Pairs(mentor=arr[:, 0], mentee=arr[:, 1])

    old = pairs_of(chosen[:split])
    weight = np.array(weights, dtype=np.int64) * quantum
    order = np.lexsort((old.mentor, old.mentee))
    net = Network(
        capacity,
        mentees,
        Pairs(old.mentor[order], old.mentee[order]),
        weight[:split][order],
        penalty * quantum,
    )
    return net, pairs_of(chosen[split:]), weight[split:]


def proof_round(case: tuple[Network, Pairs, np.ndarray]) -> tuple[Network, Flow, Certificate, Network]:
    """A case as a proof round meets it: the network solved and soundly certified, then grown by
    the added pairs with a side the certificate covers (those cannot place anyone more)."""
    net, more, weight = case
    flow = match_candidates(net)
    cert = certify(net, flow)
    assert cert is not None
    assert cert.sound
    keep = cert.mentor_covered[more.mentor] | cert.mentee_covered[more.mentee]
    return net, flow, cert, grow(net, Pairs(more.mentor[keep], more.mentee[keep]), weight[keep])


@settings(max_examples=200, deadline=None)
@given(networks())
def test_grown_network_keeps_count_and_is_certified(case: tuple[Network, Pairs, np.ndarray]) -> None:
    """The proof rounds' case: pairs with a side the cover holds cannot place anyone more, the
    old flow stays valid over the grown network, and a fresh solve there is certified optimal
    and matches the oracle."""
    net, flow, _, grown = proof_round(case)
    carried = carry(flow, net.pairs, grown)
    assert valid(grown, carried)
    assert objective(grown, carried) == objective(net, flow)
    cold = match_candidates(grown)
    assert objective(grown, cold) == oracle(grown)
    assert objective(grown, cold)[0] == flow.count
    fresh = certify(grown, cold)
    assert fresh is not None
    assert fresh.sound
    # The old flow is certified over the grown network exactly when it is still optimal there.
    again = certify(grown, carried)
    still = objective(grown, carried) == objective(grown, cold)
    assert (again is not None and again.sound) == still


@settings(max_examples=300, deadline=None)
@given(networks())
def test_flow_matches_the_oracle(case: tuple[Network, Pairs, np.ndarray]) -> None:
    net, more, weight = case
    whole = grow(net, more, weight)
    assert objective(whole, match_candidates(whole)) == oracle(whole)


def test_spreading_moves_a_mentee_to_an_idle_mentor() -> None:
    """Mentor 0 fits both mentees best (10 each), mentor 1 fits mentee 1 at 9: with no spreading
    mentor 0 takes both (20); with a penalty of 5 for a second mentee, 10 + 9 = 19 beats 15."""
    pairs = Pairs(mentor=np.array([0, 0, 1]), mentee=np.array([0, 1, 1]))
    weight = np.array([10, 10, 9])
    flat = match_candidates(Network(np.array([2, 1]), 2, pairs, weight))
    spread = match_candidates(Network(np.array([2, 1]), 2, pairs, weight, penalty=5))
    assert flat.load.tolist() == [2, 0]
    assert spread.load.tolist() == [1, 1]


@settings(max_examples=100, deadline=None)
@given(networks())
def test_spread_fills_cheaper_seats_first(case: tuple[Network, Pairs, np.ndarray]) -> None:
    """Seat costs are convex, so the flow's penalty is penalty · L(L - 1)/2 per mentor of load L,
    never more: no optimal flow takes a dear seat while a cheaper one of the same mentor is free."""
    net, _, _ = case
    flow = match_candidates(net)
    assert valid(net, flow)
    seats = np.arange(int(net.capacity.max()))
    marginal = net.penalty * seats
    assert (np.diff(marginal) >= 0).all()
    assert objective(net, flow) == oracle(net)


def test_weights_the_flow_solver_cannot_count_in_are_an_error_naming_its_status() -> None:
    """Costs near 2^62 overflow OR-Tools' cost scaling: refused, never a flow that is not optimal.
    (The engine's weights are a few units of the spec's tables.)"""
    net = Network(
        np.array([1, 1]), 2, Pairs(np.array([0, 1]), np.array([0, 1])), np.array([2**62 - 1, 2**62 - 3])
    )
    with pytest.raises(RuntimeError, match=r"min-cost flow failed with status .*BAD_COST_RANGE"):
        match_candidates(net)


def test_a_certificate_that_underprices_an_unused_pair_proves_nothing() -> None:
    """Mentor 0 (capacity 1) holds mentee 0 at 9; the pair to mentee 1 at 5 is unused, its mentee
    uncovered and its dual 0, so the mentor's dual must be at least 5. One lower is refused."""
    net = Network(np.array([1]), 2, Pairs(np.array([0, 0]), np.array([0, 1])), np.array([9, 5]))
    flow = match_candidates(net)
    cert = certify(net, flow)
    assert cert is not None
    assert cert.sound
    assert flow.used.tolist() == [True, False]
    assert (cert.mentor_covered.tolist(), cert.mentee_covered.tolist()) == ([True], [False, False])
    assert _duals_balance(net, flow, cert)
    cheaper = replace(cert, mentor_dual=np.array([4]), mentee_dual=np.array([5, 0]))
    assert not _duals_balance(net, flow, cheaper)
