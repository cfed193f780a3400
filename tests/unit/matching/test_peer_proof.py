"""Blossom with the premium (`peer.proof`) against networkx's on random graphs with weight ties,
and the engine's proof where the relaxation cannot settle it, on synthetic organisations."""

from __future__ import annotations

import random

import networkx as nx
import numpy as np
import pytest
import rustworkx as rx
from hypothesis import given, settings
from hypothesis import strategies as st

from stepahead.matching import MatchParams
from stepahead.matching._model import Optimality
from stepahead.matching._population import SCALE, compile_population
from stepahead.matching._solution import never, silent
from stepahead.matching.peer import certified, price_repair
from stepahead.matching.peer import solve as peer_solve
from stepahead.matching.peer.graph import PairList, all_pairs
from stepahead.matching.peer.kernel import top_candidates
from stepahead.matching.peer.price_repair import PeerPool, price_and_repair
from stepahead.matching.peer.proof import big_premium, blossom, units_of
from stepahead.matching.peer.relaxation import solve_relaxation
from stepahead.matching.peer.solve import solve_peer
from stepahead.matching.peer.tables import PairTables, count_eligible
from stepahead.synthetic import SHAPES, generate_organisation


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


def is_matching(pairs: PairList, matching: list[tuple[int, int]]) -> bool:
    listed = set(zip(pairs.a.tolist(), pairs.b.tolist(), strict=True))
    people = [p for pair in matching for p in pair]
    return len(people) == len(set(people)) and all(pair in listed for pair in matching)


@settings(max_examples=150, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    people=st.integers(0, 14),
    density=st.floats(0.1, 1.0),
    heaviest=st.sampled_from([1, 3, 1000]),
)
def test_blossom_with_the_premium_is_the_lexicographic_optimum(
    seed: int, people: int, density: float, heaviest: int
) -> None:
    pairs = random_pairs(random.Random(seed), people, density, heaviest)
    found = blossom(pairs, big_premium(pairs, people // 2))
    assert is_matching(pairs, found)
    if len(pairs):
        assert (len(found), units_of(pairs, found)) == oracle(pairs)


def test_blossom_places_the_most_people_first() -> None:
    # A heavy middle pair against two light ones around it: the premium makes two pairs win.
    pairs = PairList(np.array([0, 1, 2]), np.array([1, 2, 3]), np.array([1, 100, 1]))
    assert blossom(pairs, big=1_000) == [(0, 1), (2, 3)]
    assert blossom(pairs, big=0) == [(1, 2)]
    assert blossom(PairList.empty(), big=1) == []


@pytest.mark.parametrize("size", [300, 700])
def test_proves_synthetic_organisations_exactly(size: int) -> None:
    # The stage that proves the optimum when the relaxation over candidates cannot settle it.
    params = MatchParams()
    pop = compile_population(generate_organisation(size, seed=size), params)
    tables = PairTables.of(pop, params)
    cands = top_candidates(tables, 10)
    matching, optimality = price_and_repair(PeerPool(pop, params, tables), cands, silent, never)
    everything = all_pairs(pop, params)
    assert optimality.proven
    assert optimality.method == price_repair.METHOD
    assert is_matching(everything, matching)
    assert (len(matching), units_of(everything, matching)) == fast_oracle(everything)
    # and the engine as a whole reaches the same objective
    again = solve_peer(pop, params, silent)
    assert len(again.groups) == len(matching)


@settings(max_examples=40, deadline=None)
@given(
    shape=st.sampled_from(sorted(SHAPES)),
    size=st.integers(2, 260),
    seed=st.integers(0, 10_000),
    per_person=st.sampled_from([2, 10]),
)
def test_peer_pairs_on_every_shape_are_the_full_graph_optimum(
    shape: str, size: int, seed: int, per_person: int
) -> None:
    """The engine (`match`) and price and repair (`exact_peer`, few candidates so that pricing
    must find the rest) against rustworkx's blossom on every eligible pair, organisations of
    every shape: both proven, both the optimum."""
    params = MatchParams()
    people = generate_organisation(size, seed=seed, shape=shape)
    pop = compile_population(people, params)
    everything = all_pairs(pop, params)
    best = fast_oracle(everything) if len(everything) else (0, 0)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(peer_solve, "CANDIDATES_PER_PERSON", per_person)
        for solve in (peer_solve.solve_peer, peer_solve.exact_peer):
            solution = solve(pop, params, silent)
            found = [(int(a), int(b)) for a, b in solution.groups]
            assert is_matching(everything, found)
            assert (len(found), units_of(everything, found) if found else 0) == best
            assert solution.optimality is not None
            assert solution.optimality.proven


def _relaxation_pool(size: int, seed: int, shape: str, band: int, per_person: int) -> tuple:
    """A pool for the relaxation stage alone (`certified_matching`), with every eligible pair."""
    params = MatchParams(band=band)
    pop = compile_population(generate_organisation(size, seed=seed, shape=shape), params)
    tables = PairTables.of(pop, params)
    pool = certified.Pool(pop, params, tables, count_eligible(tables, 10**9))
    cands = top_candidates(tables, per_person)
    return pool, cands, big_premium(cands.pairs, pop.size // 2), all_pairs(pop, params)


def assert_unproven_with_a_bound(
    matching: list[tuple[int, int]], optimality: Optimality, everything: PairList
) -> None:
    best = fast_oracle(everything)
    assert is_matching(everything, matching)
    assert not optimality.proven
    assert (len(matching), units_of(everything, matching)) <= best
    assert optimality.upper_bound >= best[1] / SCALE - 1e-6


def test_the_relaxation_stage_out_of_rounds_hands_over_unproven_with_a_bound(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each round finds pairs outside the candidates that break the prices (three rounds on this
    pool); allowed two, the stage returns its matching unproven, its bound still holding over
    every eligible pair, and price and repair proves the optimum from there."""
    pool, cands, big, everything = _relaxation_pool(66, 408, "even", 2, 3)
    monkeypatch.setattr(certified, "_MAX_ROUNDS", 2)
    matching, optimality = certified.certified_matching(pool, cands, big, silent, never)
    assert_unproven_with_a_bound(matching, optimality, everything)
    proven, proof = price_and_repair(pool, cands, silent, never)
    assert proof.proven
    assert (len(proven), units_of(everything, proven)) == fast_oracle(everything)


def test_components_too_large_for_one_blossom_leave_the_relaxation_stage_unproven(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The pairs the prices cannot settle form components past the exact solve's budget (here
    none is allowed): no exact solve, the matching goes on unproven with the prices' bound."""
    pool, cands, big, everything = _relaxation_pool(41, 120, "steep", 2, 3)
    monkeypatch.setattr(certified, "_EXACT_EDGE_BUDGET", 0)
    matching, optimality = certified.certified_matching(pool, cands, big, silent, never)
    assert_unproven_with_a_bound(matching, optimality, everything)


def test_warm_duals_for_weights_past_the_assignment_solver_are_solved_coarser_and_still_hold() -> None:
    """Weights whose relaxation the assignment solver cannot price without overflowing (on large
    pools the premium alone gets there): the warm start solves it on units ten times coarser and
    lifts the prices back, so that they still price every pair at full precision."""
    heaviest = 10**17
    pairs = PairList(
        np.array([0, 0, 1, 2, 3]), np.array([1, 2, 2, 3, 4]), heaviest - np.array([0, 7, 3, 1, 11])
    )
    big = big_premium(pairs, 2)
    with pytest.raises(RuntimeError, match="assignment solver failed"):
        solve_relaxation(pairs, 5, big)
    warm = price_repair._warm_start(pairs, 5, big)
    assert (warm >= 0).all()
    assert (warm[pairs.a] + warm[pairs.b] >= 2 * (pairs.units + big)).all()


def test_price_and_repair_stopped_inside_its_first_solve_bounds_the_optimum() -> None:
    """Out of budget before the blossom solve is done (it looks after every stage here; on large
    pools, after 64): its duals are raised until they price every eligible pair, and bound it."""
    params = MatchParams()
    pop = compile_population(generate_organisation(200, seed=1, shape="steep"), params)
    tables = PairTables.of(pop, params)
    cands = top_candidates(tables, peer_solve.CANDIDATES_PER_PERSON)
    peer = PeerPool(pop, params, tables)
    matching, optimality = price_and_repair(peer, cands, silent, lambda: True, look_every=1)
    assert_unproven_with_a_bound(matching, optimality, all_pairs(pop, params))
