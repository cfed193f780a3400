"""The bound's relaxation by auction (`peer.auction`) against oracles: every listed pair (its
prices must hold for each, whatever ε), the exact LP optimum (OR-Tools' assignment with its
recovered duals: the auction may exceed it by n·ε at most, never fall below it), and networkx's
heaviest matching (a bound must never be below it)."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from stepahead.matching.peer import auction
from stepahead.matching.peer.auction import auction_relaxation
from stepahead.matching.peer.graph import PairList
from stepahead.matching.peer.relaxation import solve_relaxation


def random_pairs(rng: np.random.Generator, n: int, count: int) -> PairList:
    a = rng.integers(0, n, count)
    b = rng.integers(0, n, count)
    keep = a != b
    lo, hi = np.minimum(a, b)[keep], np.maximum(a, b)[keep]
    _, first = np.unique(lo * n + hi, return_index=True)
    units = rng.integers(1, 2_000_000, len(first))
    # ties and a few heavy pairs, where the double cover's odd cycles live
    units[rng.random(len(units)) < 0.3] = 1_000_000
    return PairList(lo[first], hi[first], units)


def heaviest_matching(pairs: PairList) -> int:
    graph = nx.Graph()
    for a, b, u in zip(pairs.a.tolist(), pairs.b.tolist(), pairs.units.tolist(), strict=True):
        graph.add_edge(a, b, weight=u)
    return sum(graph[a][b]["weight"] for a, b in nx.max_weight_matching(graph))


@settings(max_examples=150, deadline=None)
@given(
    seed=st.integers(0, 100_000),
    n=st.integers(1, 60),
    density=st.floats(0.0, 5.0),
    epsilon=st.sampled_from([1, 16, 1_000, 100_000]),
)
def test_auction_prices_hold_every_pair_within_n_epsilon_of_the_optimum(
    seed: int, n: int, density: float, epsilon: int
) -> None:
    rng = np.random.default_rng(seed)
    pairs = random_pairs(rng, n, int(density * n))
    relax = auction_relaxation(pairs, n, epsilon)
    prices = relax.prices
    assert len(prices) == n + 1
    assert prices[n] == 0
    assert (prices >= 0).all()
    assert (prices[pairs.a] + prices[pairs.b] >= 2 * pairs.units).all()
    exact = solve_relaxation(pairs, n, 0).bound2
    assert exact <= relax.bound2 <= exact + n * epsilon
    assert relax.bound2 >= 2 * heaviest_matching(pairs)


@settings(max_examples=80, deadline=None)
@given(seed=st.integers(0, 100_000), n=st.integers(1, 40), density=st.floats(0.0, 4.0))
def test_the_auction_assignment_is_a_permutation_over_listed_arcs(seed: int, n: int, density: float) -> None:
    rng = np.random.default_rng(seed)
    pairs = random_pairs(rng, n, int(density * n))
    relax = auction_relaxation(pairs, n)
    assert sorted(relax.sigma.tolist()) == list(range(n + 1))
    weight = {
        (a, b): u for a, b, u in zip(pairs.a.tolist(), pairs.b.tolist(), pairs.units.tolist(), strict=True)
    }
    for giver, receiver in enumerate(relax.sigma.tolist()):
        expected = 0 if giver == receiver else weight[min(giver, receiver), max(giver, receiver)]
        assert relax.arc_value[giver] == expected


def test_a_pool_without_pairs_is_priced_at_nothing() -> None:
    relax = auction_relaxation(PairList.empty(), 5)
    assert relax.sigma.tolist() == list(range(6))
    assert not relax.prices.any()
    assert not relax.arc_value.any()


def test_a_triangle_is_priced_at_its_fractional_optimum() -> None:
    # Three pairs of 1,000 units: the heaviest matching takes one, the relaxation half of each.
    pairs = PairList(np.array([0, 0, 1]), np.array([1, 2, 2]), np.array([1_000, 1_000, 1_000]))
    relax = auction_relaxation(pairs, 3, epsilon=1)
    assert 3_000 <= relax.bound2 <= 3_000 + 3


@settings(max_examples=50, deadline=None)
@given(first=st.integers(1, 10**12), last=st.integers(1, 10**6))
def test_epsilon_falls_by_the_scaling_factor_and_ends_at_the_last(first: int, last: int) -> None:
    steps = auction._schedule(first, last).tolist()
    assert steps[-1] == last
    assert steps[0] == max(first, last)
    assert all(a > b and b >= a // auction._SCALING for a, b in itertools.pairwise(steps))
