"""Peer pairs against an exact oracle on the full eligible graph, plus properties."""

from __future__ import annotations

import random

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stepahead.matching import MatchParams, Participant, hard_rules_allow, peer_weight
from stepahead.matching._population import SCALE, compile_population
from stepahead.matching._solution import never, silent
from stepahead.matching.peer import certified, price_repair
from stepahead.matching.peer import solve as peer_solve
from stepahead.matching.peer.kernel import top_candidates
from stepahead.matching.peer.tables import PairTables
from tests.support.pools import random_pool


def solve(people: list[Participant], params: MatchParams) -> tuple[list[tuple[int, int]], object]:
    solution = peer_solve.solve_peer(compile_population(people, params), params, silent)
    return [tuple(g) for g in solution.groups], solution.optimality  # type: ignore[misc]


def units(people: list[Participant], params: MatchParams, i: int, j: int) -> int:
    weight = peer_weight(people[i], people[j], params)
    assert weight is not None, f"{people[i].id}-{people[j].id} is not eligible"
    return round(weight * SCALE)


def oracle(people: list[Participant], params: MatchParams) -> tuple[int, int]:
    """(pairs, total weight units) of the lexicographic optimum, by brute-force blossom."""
    weights = {}
    for i in range(len(people)):
        for j in range(i + 1, len(people)):
            if peer_weight(people[i], people[j], params) is not None:
                weights[i, j] = units(people, params, i, j)
    big = max(weights.values(), default=0) * (len(people) // 2 + 1) + 2
    graph = nx.Graph()
    graph.add_weighted_edges_from((i, j, u + big) for (i, j), u in weights.items())
    found = nx.max_weight_matching(graph)
    return len(found), sum(weights[min(a, b), max(a, b)] for a, b in found)


def eligible(people: list[Participant], params: MatchParams) -> int:
    return sum(
        peer_weight(people[i], people[j], params) is not None
        for i in range(len(people))
        for j in range(i + 1, len(people))
    )


def objective(
    people: list[Participant], params: MatchParams, pairs: list[tuple[int, int]]
) -> tuple[int, int]:
    return len(pairs), sum(units(people, params, a, b) for a, b in pairs)


@pytest.mark.parametrize("seed", range(60))
@pytest.mark.parametrize("per_person", [1, 3, 10])
def test_equals_the_exact_optimum_and_proves_it(
    seed: int, per_person: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Few candidates per person force the dual check to find pairs outside the lists.
    monkeypatch.setattr(peer_solve, "CANDIDATES_PER_PERSON", per_person)
    rng = random.Random(seed)
    params = MatchParams(band=rng.choice([0, 1, 2]))
    people = random_pool(rng, rng.randint(0, 36), skills=rng.choice([2, 4, 8]), identical=seed % 10 == 0)
    pairs, optimality = solve(people, params)
    assert objective(people, params, pairs) == oracle(people, params)
    assert optimality.proven  # type: ignore[attr-defined]


@pytest.mark.parametrize("size", [0, 1, 2, 3, 7])
def test_identical_people_cannot_help_each_other(size: int) -> None:
    people = [Participant.build(f"P{i}", 3, skills={"sql": 2}, goals=["sql"]) for i in range(size)]
    pairs, optimality = solve(people, MatchParams())
    assert pairs == []
    assert optimality.proven  # type: ignore[attr-defined]


def test_odd_structure_falls_back_to_an_exact_solve() -> None:
    # Two triangles joined by nothing: the relaxation covers all six fractionally, two pairs is the truth.
    people = []
    for t in range(2):
        for k in range(3):
            skills = {f"t{t}s{m}": (3 if m == k else 1) for m in range(3)}
            goals = [f"t{t}s{m}" for m in range(3) if m != k]
            people.append(Participant.build(f"T{t}{k}", 1, skills=skills, goals=goals))
    pairs, optimality = solve(people, MatchParams())
    assert objective(people, MatchParams(), pairs) == oracle(people, MatchParams())
    assert optimality.proven  # type: ignore[attr-defined]


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), size=st.integers(0, 30), band=st.integers(0, 2))
def test_pairs_obey_every_hard_rule(seed: int, size: int, band: int) -> None:
    people = random_pool(random.Random(seed), size)
    params = MatchParams(band=band)
    pairs, _ = solve(people, params)
    placed = [i for pair in pairs for i in pair]
    assert len(placed) == len(set(placed))
    for a, b in pairs:
        assert a < b
        assert hard_rules_allow(people[a], people[b])
        assert abs(people[a].grade - people[b].grade) <= band
        assert peer_weight(people[a], people[b], params) is not None


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), size=st.integers(2, 30))
def test_deterministic_and_row_order_does_not_change_the_objective(seed: int, size: int) -> None:
    rng = random.Random(seed)
    people = random_pool(rng, size)
    params = MatchParams()
    first, _ = solve(people, params)
    assert solve(people, params)[0] == first
    shuffled = people[:]
    rng.shuffle(shuffled)
    again, _ = solve(shuffled, params)
    assert objective(shuffled, params, again) == objective(people, params, first)


def eligible_graph(people: list[Participant], params: MatchParams) -> nx.Graph:
    graph = nx.Graph()
    for i in range(len(people)):
        for j in range(i + 1, len(people)):
            if peer_weight(people[i], people[j], params) is not None:
                graph.add_edge(i, j, weight=units(people, params, i, j))
    return graph


def exact_weight(people: list[Participant], params: MatchParams) -> float:
    """The heaviest matching of the whole eligible graph by weight alone (networkx)."""
    graph = eligible_graph(people, params)
    return float(sum(graph[a][b]["weight"] for a, b in nx.max_weight_matching(graph)) / SCALE)


@pytest.mark.parametrize("seed", range(40))
def test_the_bound_on_pools_too_large_to_prove_holds_for_every_matching(seed: int) -> None:
    # The bounded path, taken directly: its bound must beat the heaviest matching of the whole
    # eligible graph, however few candidates it started from (coarse prices included).
    rng = random.Random(seed)
    params = MatchParams(band=rng.choice([0, 1, 2]))
    people = random_pool(rng, rng.randint(2, 36), skills=rng.choice([2, 4, 8]))
    pop = compile_population(people, params)
    tables = PairTables.of(pop, params)
    cands = top_candidates(tables, rng.choice([1, 2, 5]))
    pool = peer_solve._Pool(pop, params, tables, eligible=10**9)
    pairs, optimality = peer_solve._bounded_matching(pool, cands, silent, never)
    graph = eligible_graph(people, params)
    heaviest = exact_weight(people, params)
    assert optimality.upper_bound >= heaviest - 1e-9
    assert not optimality.proven
    assert objective(people, params, pairs)[1] / SCALE <= heaviest + 1e-9
    placed = [i for pair in pairs for i in pair]
    assert len(placed) == len(set(placed))
    assert all(graph.has_edge(a, b) for a, b in pairs)


@pytest.mark.parametrize("seed", range(30))
def test_more_bound_rounds_tighten_the_bound_and_it_still_holds(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # One candidate each leaves most pairs unlisted, so the rounds (relax, check every pair of
    # those priced below their best, add what broke the prices) have work to do: each round's
    # bound must hold for the whole eligible graph, and the bound kept is the least of them.
    rng = random.Random(900 + seed)
    params = MatchParams(band=rng.choice([1, 2]))
    people = random_pool(rng, rng.randint(6, 36), skills=rng.choice([2, 4, 8]), identical=seed % 7 == 0)
    pop = compile_population(people, params)
    tables = PairTables.of(pop, params)
    cands = top_candidates(tables, 1)
    pool = peer_solve._Pool(pop, params, tables, eligible=10**9)
    heaviest = exact_weight(people, params)
    monkeypatch.setattr(peer_solve, "_RAISE_ENOUGH", 0.0)
    bounds = []
    for rounds in (1, 2, 5):
        monkeypatch.setattr(peer_solve, "BOUND_ROUNDS", rounds)
        pairs, optimality = peer_solve._bounded_matching(pool, cands, silent, never)
        assert optimality.upper_bound >= heaviest - 1e-9
        assert objective(people, params, pairs)[1] / SCALE <= heaviest + 1e-9
        bounds.append(optimality.upper_bound)
    assert bounds[0] >= bounds[1] >= bounds[2]


@pytest.mark.parametrize("seed", range(30))
@pytest.mark.parametrize("per_person", [1, 3])
@pytest.mark.parametrize(("lift_most", "near"), [(0.0, 0), (100.0, 0), (100.0, 2_000_000)])
def test_price_and_repair_equals_the_exact_optimum_and_proves_it(
    seed: int, per_person: int, lift_most: float, near: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The exact method (our blossom solver with its duals, every pair priced against them):
    few candidates force the pricing to find the rest; each round after the first starts from
    the relaxation's prices solved again (lift_most 0) or from the last start's prices raised to
    price the new pairs (100); pairs that come close to breaking the duals join too (near), or
    only those that break them (0)."""
    monkeypatch.setattr(peer_solve, "CANDIDATES_PER_PERSON", per_person)
    monkeypatch.setattr(price_repair, "LIFT_MOST", lift_most)
    monkeypatch.setattr(price_repair, "NEAR", near)
    rng = random.Random(700 + seed)
    params = MatchParams(band=rng.choice([0, 1, 2]))
    people = random_pool(rng, rng.randint(0, 36), skills=rng.choice([2, 4, 8]), identical=seed % 10 == 0)
    solution = peer_solve.exact_peer(compile_population(people, params), params, silent)
    pairs = [(int(a), int(b)) for a, b in solution.groups]
    assert objective(people, params, pairs) == oracle(people, params)
    assert solution.optimality is not None
    assert solution.optimality.proven


@pytest.mark.parametrize("seed", range(12))
def test_pools_too_large_to_list_are_proven_at_every_size(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past PROVABLE_PAIRS eligible pairs (here 5) the relaxation stage is skipped and price and
    repair proves the optimum, with the bound rounds before it (bound_first 0, as on large
    pools) or not: the same answer, proven either way."""
    monkeypatch.setattr(certified, "PROVABLE_PAIRS", 5)
    monkeypatch.setattr(peer_solve, "CANDIDATES_PER_PERSON", 2)
    rng = random.Random(900 + seed)
    params = MatchParams(band=rng.choice([1, 2]))
    people = random_pool(rng, rng.randint(12, 36), skills=rng.choice([2, 4]))
    pop = compile_population(people, params)
    for bound_first in (0, 10**9):
        solution = peer_solve.solve_peer(pop, params, silent, never, bound_first=bound_first)
        pairs = [(int(a), int(b)) for a, b in solution.groups]
        assert objective(people, params, pairs) == oracle(people, params)
        assert solution.optimality is not None
        assert solution.optimality.proven
        if eligible(people, params) > 5 and pairs:
            assert solution.optimality.method == price_repair.METHOD
