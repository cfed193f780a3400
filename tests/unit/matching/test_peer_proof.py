"""The fixed-size proof (`peer.proof`) against networkx's blossom on whole graphs: random
graphs, weight ties, odd structures it must decline, and synthetic organisations."""

from __future__ import annotations

import random

import networkx as nx
import numpy as np
import pytest
import rustworkx as rx
from hypothesis import given, settings
from hypothesis import strategies as st

from stepahead.matching import MatchParams
from stepahead.matching._population import compile_population
from stepahead.matching._solution import never, silent
from stepahead.matching.peer import proof
from stepahead.matching.peer.graph import PairList, all_pairs
from stepahead.matching.peer.kernel import top_candidates
from stepahead.matching.peer.proof import blossom, fixed_size_optimum, units_of
from stepahead.matching.peer.solve import _exact_or_bounded, _Pool, _State, solve_peer
from stepahead.matching.peer.tables import PairTables
from stepahead.synthetic import generate_organisation


def random_pairs(rng: random.Random, people: int, density: float, heaviest: int) -> PairList:
    edges = [(a, b) for a in range(people) for b in range(a + 1, people) if rng.random() < density]
    units = [rng.randint(1, heaviest) for _ in edges]  # small ranges: many ties
    return PairList(
        np.array([e[0] for e in edges], dtype=np.int64),
        np.array([e[1] for e in edges], dtype=np.int64),
        np.array(units, dtype=np.int64),
    )


def oracle(pairs: PairList) -> tuple[int, int]:
    """(pairs, weight) of the maximum-weight matching among the largest ones."""
    graph = nx.Graph()
    graph.add_weighted_edges_from(zip(pairs.a.tolist(), pairs.b.tolist(), pairs.units.tolist(), strict=True))
    found = nx.max_weight_matching(graph, maxcardinality=True)
    weight = sum(graph[a][b]["weight"] for a, b in found)
    return len(found), weight


def fast_oracle(pairs: PairList) -> tuple[int, int]:
    """The same as `oracle`, by rustworkx's blossom in max-cardinality mode (networkx is too
    slow past a few thousand pairs)."""
    graph = rx.PyGraph()
    graph.add_nodes_from(range(int(max(pairs.a.max(), pairs.b.max())) + 1))
    graph.add_edges_from(list(zip(pairs.a.tolist(), pairs.b.tolist(), pairs.units.tolist(), strict=True)))
    found = rx.max_weight_matching(graph, max_cardinality=True, weight_fn=lambda w: w)
    return len(found), units_of(pairs, sorted((min(a, b), max(a, b)) for a, b in found))


def assert_declined_rightly(pairs: PairList) -> None:
    """It may only decline when the largest matching leaves out two or more people who have pairs."""
    live = len(np.unique(np.concatenate([pairs.a, pairs.b])))
    assert oracle(pairs)[0] < live // 2


def is_matching(pairs: PairList, matching: list[tuple[int, int]]) -> bool:
    listed = set(zip(pairs.a.tolist(), pairs.b.tolist(), strict=True))
    people = [p for pair in matching for p in pair]
    return len(people) == len(set(people)) and all(pair in listed for pair in matching)


@settings(max_examples=150, deadline=None)
@given(
    seed=st.integers(0, 100_000),
    people=st.integers(0, 24),
    density=st.sampled_from([0.1, 0.25, 0.6, 1.0]),
    heaviest=st.sampled_from([1, 3, 1_000, 5_000_000]),
)
def test_when_it_answers_it_is_the_exact_optimum(
    seed: int, people: int, density: float, heaviest: int
) -> None:
    pairs = random_pairs(random.Random(seed), people, density, heaviest)
    found = fixed_size_optimum(pairs, budget=10_000)
    if found is None:
        assert_declined_rightly(pairs)
        return
    assert is_matching(pairs, found)
    assert (len(found), units_of(pairs, found)) == oracle(pairs)


@pytest.mark.parametrize("seed", range(30))
def test_widens_the_pairs_it_admits_until_the_gap_proves_it(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Starting from tight pairs only, most instances need a wider set before the proof closes.
    monkeypatch.setattr(proof, "_FIRST_LIMIT", 1)
    pairs = random_pairs(random.Random(seed), 16 + seed % 5, 0.4, 1_000_000)
    found = fixed_size_optimum(pairs, budget=10_000)
    if found is None:
        assert_declined_rightly(pairs)
    else:
        assert (len(found), units_of(pairs, found)) == oracle(pairs)


def test_widens_when_the_tight_pairs_cannot_place_everyone(monkeypatch: pytest.MonkeyPatch) -> None:
    # Two heavy triangles joined by a light bridge: the relaxation takes each triangle by halves,
    # so its tight pairs hold two pairs at most; placing all six needs the bridge.
    monkeypatch.setattr(proof, "_FIRST_LIMIT", 1)
    pairs = PairList(
        np.array([0, 0, 1, 3, 3, 4, 2]), np.array([1, 2, 2, 4, 5, 5, 3]), np.array([100] * 6 + [1])
    )
    found = fixed_size_optimum(pairs, budget=100)
    assert found is not None
    assert (2, 3) in found
    assert (len(found), units_of(pairs, found)) == oracle(pairs) == (3, 201)


def test_declines_when_odd_structure_keeps_people_out() -> None:
    # Two separate triangles: every pair is in some matching of three fractionally, two at most in fact.
    pairs = PairList(np.array([0, 0, 1, 3, 3, 4]), np.array([1, 2, 2, 4, 5, 5]), np.arange(1, 7))
    assert fixed_size_optimum(pairs, budget=100) is None


def test_declines_past_its_budget() -> None:
    pairs = random_pairs(random.Random(1), 20, 1.0, 1_000_000)
    assert fixed_size_optimum(pairs, budget=0) is None


def test_an_odd_count_leaves_exactly_one_out() -> None:
    pairs = random_pairs(random.Random(2), 9, 1.0, 100)
    found = fixed_size_optimum(pairs, budget=1_000)
    assert found is not None
    assert len(found) == 4
    assert (len(found), units_of(pairs, found)) == oracle(pairs)


def test_blossom_places_the_most_people_first() -> None:
    # A heavy middle pair against two light ones around it: the premium makes two pairs win.
    pairs = PairList(np.array([0, 1, 2]), np.array([1, 2, 3]), np.array([1, 100, 1]))
    assert blossom(pairs, big=1_000) == [(0, 1), (2, 3)]
    assert blossom(pairs, big=0) == [(1, 2)]
    assert blossom(PairList.empty(), big=1) == []


@pytest.mark.parametrize("size", [300, 700])
def test_proves_synthetic_organisations_exactly(size: int) -> None:
    # The path the engine takes when the relaxation over candidates cannot settle the optimum.
    params = MatchParams()
    pop = compile_population(generate_organisation(size, seed=size), params)
    tables = PairTables.of(pop, params)
    cands = top_candidates(tables, 10)
    pool = _Pool(pop, params, tables, eligible=len(all_pairs(pop, params)))
    state = _State(cands.pairs, pop.size, 10**12)
    matching, optimality = _exact_or_bounded(pool, state, cands, silent, never)
    everything = all_pairs(pop, params)
    assert optimality.proven
    assert optimality.method.startswith("fixed-size relaxation")
    assert is_matching(everything, matching)
    assert (len(matching), units_of(everything, matching)) == fast_oracle(everything)
    # and the engine as a whole reaches the same objective
    again = solve_peer(pop, params, silent)
    assert len(again.groups) == len(matching)
