"""Peer matching's stages (`peer.solve._stages`) as one method: stopped at any point by the
budget it returns a matching with a bound that holds for the optimum of the whole eligible graph;
never stopped, it proves the optimum, with or without the bound rounds before price and repair."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stepahead.matching import MatchParams
from stepahead.matching._model import relative_gap
from stepahead.matching._population import SCALE, compile_population
from stepahead.matching._solution import never, silent
from stepahead.matching.peer import certified
from stepahead.matching.peer import solve as peer_solve
from stepahead.matching.peer.graph import Candidates, PairList, all_pairs
from stepahead.matching.peer.kernel import top_candidates
from stepahead.matching.peer.price_repair import PeerPool
from stepahead.matching.peer.proof import big_premium, units_of
from stepahead.matching.peer.relaxation import solve_relaxation
from stepahead.matching.peer.tables import PairTables, count_eligible
from stepahead.synthetic import SHAPES, generate_organisation
from tests.support.budget import Budget
from tests.support.pools import random_pool
from tests.unit.matching.test_peer import objective, oracle
from tests.unit.matching.test_peer_proof import assert_unproven_with_a_bound, fast_oracle, is_matching


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    calls=st.integers(0, 12),
    bound_first=st.sampled_from([0, 10**9]),
    per_person=st.sampled_from([1, 3, 10]),
    provable=st.booleans(),
)
def test_a_stopped_run_returns_a_matching_and_a_bound_on_the_optimum(
    seed: int, calls: int, bound_first: int, per_person: int, provable: bool
) -> None:
    """Whatever stage the budget runs out in: a matching of eligible pairs, no better than the
    optimum, and a bound at least the optimum's weight (networkx on every eligible pair), with
    the gap between them; proven only when it is the optimum."""
    rng = random.Random(seed)
    params = MatchParams(band=rng.choice([0, 1, 2]))
    people = random_pool(rng, rng.randint(2, 30), skills=rng.choice([2, 4, 8]), identical=seed % 7 == 0)
    pop = compile_population(people, params)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(peer_solve, "CANDIDATES_PER_PERSON", per_person)
        if not provable:  # as in pools too large to certify: price and repair from the start
            patch.setattr(certified, "PROVABLE_PAIRS", 0)
        solution = peer_solve.solve_peer(pop, params, silent, Budget(calls), bound_first=bound_first)
    pairs = [(int(a), int(b)) for a, b in solution.groups]
    best_pairs, best_units = oracle(people, params)
    found_pairs, found_units = objective(people, params, pairs)
    assert len({p for pair in pairs for p in pair}) == 2 * len(pairs)
    assert (found_pairs, found_units) <= (best_pairs, best_units)
    optimality = solution.optimality
    assert optimality is not None
    assert optimality.upper_bound >= best_units / SCALE - 1e-6
    gap = relative_gap(found_units / SCALE, optimality.upper_bound)
    assert optimality.gap == pytest.approx(gap, abs=1e-9)
    if optimality.proven:
        assert (found_pairs, found_units) == (best_pairs, best_units)


def test_a_budget_spent_before_the_start_still_gets_an_answer() -> None:
    """Stopped at the first question, on a pool large enough for every stage to have work."""
    params = MatchParams()
    people = generate_organisation(400, seed=3, shape="steep")
    pop = compile_population(people, params)
    solution = peer_solve.solve_peer(pop, params, silent, lambda: True, bound_first=0)
    everything = all_pairs(pop, params)
    pairs = [(int(a), int(b)) for a, b in solution.groups]
    assert is_matching(everything, pairs)
    assert solution.optimality is not None
    best = fast_oracle(everything)
    assert solution.optimality.upper_bound >= best[1] / SCALE - 1e-6
    assert (len(pairs), units_of(everything, pairs)) <= best


@pytest.mark.parametrize("seed", range(3))
def test_a_budget_spent_before_the_bound_rounds_still_gets_one_round(seed: int) -> None:
    """Out of budget before they start, the bound rounds still run one round: a rounded matching
    within 1% of its bound over every eligible pair (the relaxation's bound alone left ~45%)."""
    params = MatchParams()
    pop = compile_population(generate_organisation(400, seed=seed, shape="steep"), params)
    solution = peer_solve.solve_peer(pop, params, silent, lambda: True, bound_first=0)
    everything = all_pairs(pop, params)
    pairs = [(int(a), int(b)) for a, b in solution.groups]
    assert is_matching(everything, pairs)
    assert solution.optimality is not None
    assert solution.optimality.upper_bound >= fast_oracle(everything)[1] / SCALE - 1e-6
    assert solution.optimality.gap < 0.01


@settings(max_examples=30, deadline=None)
@given(
    shape=st.sampled_from(sorted(SHAPES)),
    size=st.integers(2, 220),
    seed=st.integers(0, 10_000),
    bound_first=st.sampled_from([0, 10**9]),
)
def test_the_unstopped_stages_prove_the_optimum_on_every_shape(
    shape: str, size: int, seed: int, bound_first: int
) -> None:
    """Never stopped, the stages end proven at the full-graph optimum (rustworkx's blossom on
    every eligible pair), whether the bound rounds ran first (as on large pools) or not."""
    params = MatchParams()
    pop = compile_population(generate_organisation(size, seed=seed, shape=shape), params)
    everything = all_pairs(pop, params)
    solution = peer_solve.solve_peer(pop, params, silent, never, bound_first=bound_first)
    pairs = [(int(a), int(b)) for a, b in solution.groups]
    assert is_matching(everything, pairs)
    assert (len(pairs), units_of(everything, pairs) if pairs else 0) == (
        fast_oracle(everything) if len(everything) else (0, 0)
    )
    assert solution.optimality is not None
    assert solution.optimality.proven


@pytest.mark.parametrize("calls", range(0, 12, 2))
def test_price_and_repair_from_the_start_stopped_keeps_a_bound_on_the_optimum(calls: int) -> None:
    """Too many pairs to certify and no bound rounds: price and repair alone, from each person's
    one best candidate (so that pricing finds pairs to add), stopped after a few of its
    questions, still bounds the optimum over every eligible pair."""
    rng = random.Random(calls)
    params = MatchParams(band=2)
    people = random_pool(rng, 30, skills=4)
    pop = compile_population(people, params)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(certified, "PROVABLE_PAIRS", 0)
        patch.setattr(peer_solve, "CANDIDATES_PER_PERSON", 1)
        solution = peer_solve.solve_peer(pop, params, silent, Budget(calls), bound_first=10**9)
    pairs = [(int(a), int(b)) for a, b in solution.groups]
    best_pairs, best_units = oracle(people, params)
    assert objective(people, params, pairs) <= (best_pairs, best_units)
    assert solution.optimality is not None
    assert solution.optimality.upper_bound >= best_units / SCALE - 1e-6


def test_stopped_while_checking_pairs_outside_the_candidates_keeps_the_relaxations_bound() -> None:
    """The budget runs out once the relaxation stage has priced every pair outside the
    candidates and found none breaking its prices, before it solves what they leave open: its
    rounded matching goes on unproven, with the bound of its prices over every eligible pair."""
    params = MatchParams(band=0)
    pop = compile_population(generate_organisation(21, seed=2, shape="steep"), params)
    tables = PairTables.of(pop, params)
    pool = certified.Pool(pop, params, tables, count_eligible(tables, 10**9))
    cands = top_candidates(tables, 2)
    big = big_premium(cands.pairs, pop.size // 2)
    matching, optimality = certified.certified_matching(pool, cands, big, silent, Budget(1))
    assert_unproven_with_a_bound(matching, optimality, all_pairs(pop, params))


def test_stopped_inside_price_and_repairs_solve_keeps_the_least_bound_of_the_stages() -> None:
    """The bound rounds have bounded the optimum; the budget then runs out inside price and
    repair's first blossom solve (it looks after every stage here), whose duals are not worth
    raising into a bound of their own: the matching is merged in, the earlier bound kept."""
    params = MatchParams()
    pop = compile_population(generate_organisation(200, seed=1, shape="steep"), params)
    tables = PairTables.of(pop, params)
    cands = top_candidates(tables, peer_solve.CANDIDATES_PER_PERSON)
    peer = PeerPool(pop, params, tables)
    pairs, optimality = peer_solve._stages(peer, cands, silent, Budget(4), 0, look_every=1)
    everything = all_pairs(pop, params)
    best = fast_oracle(everything)
    assert is_matching(everything, pairs)
    assert not optimality.proven
    assert (len(pairs), units_of(everything, pairs)) <= best
    assert optimality.upper_bound >= best[1] / SCALE - 1e-6


def test_a_pool_whose_sample_is_well_past_the_provable_count_is_not_counted_in_full() -> None:
    """From 4,096 people a sample of rows is counted first: well past the limit, the pool is
    taken as past it at once (rightly: the full count is past it too)."""
    params = MatchParams()
    tables = PairTables.of(compile_population(generate_organisation(4_096, seed=1), params), params)
    most = 100_000
    assert peer_solve._eligible(tables, most) == most + 1
    assert count_eligible(tables, most) > most


def test_weights_past_the_assignment_solvers_arithmetic_are_coarsened_just_enough() -> None:
    """Candidates so heavy that the relaxation overflows the assignment solver's int64 prices
    (on large pools the premium for the count placed gets there): their units shrink by the
    least power of ten that lets it solve them."""
    heaviest = 10**17
    pairs = PairList(
        np.array([0, 0, 1, 2, 3]), np.array([1, 2, 2, 3, 4]), heaviest - np.array([0, 7, 3, 1, 11])
    )
    cands = Candidates(pairs, np.zeros(5, dtype=np.int64))
    with pytest.raises(RuntimeError, match="assignment solver failed"):
        solve_relaxation(pairs, 5, peer_solve._big(cands, 5))
    factor = peer_solve._coarsening(cands, 5)
    assert factor == 10
    coarse = peer_solve._coarsen(cands, factor)
    assert (coarse.pairs.units == pairs.units // 10).all()
    relax = solve_relaxation(coarse.pairs, 5, peer_solve._big(coarse, 5))
    assert relax.bound2 > 0
