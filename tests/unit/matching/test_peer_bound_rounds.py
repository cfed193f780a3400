"""The bounded peer path's rounds (each relaxation an auction, `peer.auction`), and scans that
know when no cross-function bonus can be earned (`tables._cross_cap`). Each against an oracle:
every eligible pair, networkx's heaviest matching of the whole eligible graph."""

from __future__ import annotations

import dataclasses
import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stepahead.matching import MatchParams, Participant
from stepahead.matching._population import SCALE, compile_population
from stepahead.matching._solution import never, silent
from stepahead.matching.peer import rounding
from stepahead.matching.peer import solve as peer_solve
from stepahead.matching.peer.graph import PairList, all_pairs
from stepahead.matching.peer.kernel import check_prices, top_candidates, top_k_partners
from stepahead.matching.peer.proof import big_premium
from stepahead.matching.peer.relaxation import Relaxation
from stepahead.matching.peer.tables import PairTables, _cross_cap
from tests.support.pools import random_pool
from tests.unit.matching.test_peer import eligible_graph, exact_weight, objective


def with_functions(people: list[Participant], rng: random.Random, kind: str) -> list[Participant]:
    """One function for everyone, or one in the low grades and a mix above."""
    if kind == "one":
        return [dataclasses.replace(p, function="sales") for p in people]
    mixed = ("", "sales", "finance")
    return [dataclasses.replace(p, function="sales" if p.grade <= 2 else rng.choice(mixed)) for p in people]


def test_the_cross_function_cap_is_zero_where_no_band_holds_two_functions() -> None:
    params = MatchParams(band=1, cross_function_bonus=0.25)
    grades = np.array([1, 1, 2, 3, 4, 4, 5], dtype=np.int64)
    functions = np.array([0, 0, -1, 0, 1, 0, 1], dtype=np.int64)
    # grades 1-2 see function 0 only; 3-5 see 0 and 1; no function earns nothing anywhere
    assert _cross_cap(functions, grades, params).tolist() == [0, 0, 0, 0.25, 0.25, 0.25, 0.25]
    assert not _cross_cap(np.zeros(7, dtype=np.int64), grades, params).any()


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    size=st.integers(0, 50),
    band=st.integers(0, 2),
    kind=st.sampled_from(["one", "low-grades-one"]),
    k=st.integers(1, 5),
    keep=st.integers(1, 3),
)
def test_scans_where_few_functions_meet_find_every_pair_the_oracle_does(
    seed: int, size: int, band: int, kind: str, k: int, keep: int
) -> None:
    rng = random.Random(seed)
    params = MatchParams(band=band)
    people = with_functions(random_pool(rng, size, skills=rng.choice([2, 4, 8])), rng, kind)
    pop = compile_population(people, params)
    tables = PairTables.of(pop, params)
    everything = all_pairs(pop, params)
    expected: list[list[tuple[int, int]]] = [[] for _ in range(pop.size)]
    for a, b, u in zip(everything.a.tolist(), everything.b.tolist(), everything.units.tolist(), strict=True):
        expected[a].append((u, b))
        expected[b].append((u, a))
    units, partner, _ = top_k_partners(tables, k)
    for person, row in enumerate(expected):
        listed = [(int(u), int(p)) for u, p in zip(units[person], partner[person], strict=True) if p >= 0]
        assert listed == sorted(row, key=lambda x: (-x[0], x[1]))[:k]
    prices = np.random.default_rng(seed).integers(0, 3_000_000, pop.size)
    raised = check_prices(tables, prices, np.ones(pop.size, dtype=bool), keep).raised()
    for a, b, u in zip(everything.a.tolist(), everything.b.tolist(), everything.units.tolist(), strict=True):
        assert raised[a] + prices[b] >= 2 * u
        assert raised[b] + prices[a] >= 2 * u


@pytest.mark.parametrize("seed", range(40))
def test_the_bound_after_every_round_holds_for_every_matching(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(peer_solve, "_RAISE_ENOUGH", 0.0)
    monkeypatch.setattr(peer_solve, "BOUND_ROUNDS", 5)
    rng = random.Random(4_000 + seed)
    params = MatchParams(band=rng.choice([1, 2]))
    people = random_pool(rng, rng.randint(6, 40), skills=rng.choice([2, 4, 8]), identical=seed % 9 == 0)
    if seed % 3 == 0:
        people = with_functions(people, rng, "one")
    pop = compile_population(people, params)
    tables = PairTables.of(pop, params)
    cands = top_candidates(tables, rng.choice([1, 2]))
    pool = peer_solve._Pool(pop, params, tables, eligible=10**9)
    pairs, optimality = peer_solve._bounded_matching(pool, cands, silent, never)
    heaviest = exact_weight(people, params)
    assert optimality.upper_bound >= heaviest - 1e-9
    assert not optimality.proven
    assert objective(people, params, pairs)[1] / SCALE <= heaviest + 1e-9
    graph = eligible_graph(people, params)
    assert all(graph.has_edge(a, b) for a, b in pairs)
    placed = [i for pair in pairs for i in pair]
    assert len(placed) == len(set(placed))


def alternate_by_every_try(cycle: list[int], arc_value: np.ndarray, n: int) -> list[tuple[int, int]]:
    """The rounding's reference: sum each try of alternate arcs, keep the first best."""
    size = len(cycle)
    best: list[tuple[int, int]] = []
    best_value = -1
    for shift in range(size if size % 2 else 2) if size >= 2 else ():
        chosen = [
            (cycle[(shift + 2 * t) % size], cycle[(shift + 2 * t + 1) % size]) for t in range(size // 2)
        ]
        value = sum(int(arc_value[a]) for a, _ in chosen)
        if value > best_value:
            best, best_value = chosen, value
    return [(min(a, b), max(a, b)) for a, b in best if n not in (a, b)]


@pytest.mark.parametrize("seed", range(300))
def test_rounding_a_cycle_keeps_the_first_best_alternate_arcs(seed: int) -> None:
    rng = random.Random(seed)
    n = 60
    cycle = rng.sample(range(n + 1), rng.randint(0, 41))
    values = np.array([rng.choice([0, 5, 7, rng.randint(0, 100)]) for _ in range(n + 1)], dtype=np.int64)
    assert rounding._best_alternate(cycle, values, n) == alternate_by_every_try(cycle, values, n)


def round_by_walking_every_cycle(sigma: np.ndarray, arc_value: np.ndarray, n: int) -> list[tuple[int, int]]:
    """The rounding's reference: every cycle walked and given its best alternate arcs."""
    seen = np.zeros(n + 1, dtype=bool)
    pairs: list[tuple[int, int]] = []
    for start in range(n + 1):
        cycle = []
        node = start
        while not seen[node]:
            seen[node] = True
            cycle.append(node)
            node = int(sigma[node])
        pairs.extend(alternate_by_every_try(cycle, arc_value, n))
    return sorted(pairs)


@settings(max_examples=200, deadline=None)
@given(seed=st.integers(0, 100_000), n=st.integers(0, 40), pairs_share=st.floats(0.0, 1.0))
def test_rounding_takes_pairs_and_longer_cycles_as_walking_every_cycle_does(
    seed: int, n: int, pairs_share: float
) -> None:
    # a permutation of people and the dummy, mostly 2-cycles and fixed points as an auction leaves
    rng = np.random.default_rng(seed)
    sigma = np.arange(n + 1)
    order = rng.permutation(n + 1)
    cut = int(pairs_share * (n + 1)) // 2 * 2
    sigma[order[:cut:2]], sigma[order[1:cut:2]] = order[1:cut:2], order[:cut:2]
    rest = order[cut:][rng.random(n + 1 - cut) < 0.7]
    sigma[rest] = np.roll(rest, 1)
    arc_value = rng.choice([0, 5, 7, 100], n + 1)
    relax = Relaxation(sigma, arc_value, np.zeros(n + 1, dtype=np.int64))
    assert rounding.round_relaxation(relax, n) == round_by_walking_every_cycle(sigma, arc_value, n)


def test_repair_places_the_left_out_even_when_their_neighbourhood_is_too_large_to_re_solve() -> None:
    """Persons 0 and 3 are left out around the pair (1, 2); two hops on, 2 knows thousands of
    people, past the repair's limit: it re-solves only the hops before (0-1 and 2-3 placed)
    and keeps the rounded pairs beyond as they were, though a re-solve would improve them."""
    far = np.arange(4, 4 + 4 * 752).reshape(-1, 4)  # groups a, b, c, d: a-b and c-d rounded
    a = np.concatenate([[0, 1, 2], far[:, 0], far[:, 2], far[:, 0], far[:, 1], np.full(far.size, 2)])
    b = np.concatenate([[1, 2, 3], far[:, 1], far[:, 3], far[:, 2], far[:, 3], far.ravel()])
    units = np.concatenate([[10, 10, 10], np.ones(2 * len(far)), np.full(2 * len(far), 5), np.ones(far.size)])
    pairs = PairList(a, b, units.astype(np.int64))
    n = 4 + far.size
    rounded = [(1, 2)] + [(x, y) for x, y, _, _ in far.tolist()] + [(x, y) for _, _, x, y in far.tolist()]
    assert far.size + 4 > rounding._REPAIR_MAX_PEOPLE
    repaired = rounding.repair_around_left_out(sorted(rounded), pairs, n, big_premium(pairs, n // 2))
    assert repaired == sorted([(0, 1), (2, 3), *rounded[1:]])
