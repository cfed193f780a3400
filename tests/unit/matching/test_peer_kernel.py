"""The compiled pair scans (`peer.kernel`, `peer.tables`) against the numpy enumeration of
every eligible pair (the oracle)."""

from __future__ import annotations

import random

import numba
import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stepahead.matching import MatchParams
from stepahead.matching._population import IntArray, Population, compile_population
from stepahead.matching.peer import cover, tiers
from stepahead.matching.peer.cover import cover_lift
from stepahead.matching.peer.general import max_weight_matching
from stepahead.matching.peer.graph import PairList, all_pairs
from stepahead.matching.peer.kernel import (
    _excess,
    _top_k,
    check_prices,
    top_candidates,
    top_k_partners,
)
from stepahead.matching.peer.proof import big_premium
from stepahead.matching.peer.relaxation import _label_correcting
from stepahead.matching.peer.solve import compile_kernels
from stepahead.matching.peer.tables import PairTables, _count_eligible, count_eligible, sampled_eligible
from stepahead.synthetic import generate_organisation
from tests.support.kernels import compiled_only
from tests.support.pools import compiled_case, peer_cases

pools = peer_cases(0, 60)
compiled = compiled_case


def partners_by_weight(pairs: PairList, n: int) -> list[list[tuple[int, int]]]:
    """Per person, (units, partner) heaviest first, ties to the lower partner."""
    found: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    for a, b, u in zip(pairs.a.tolist(), pairs.b.tolist(), pairs.units.tolist(), strict=True):
        found[a].append((u, b))
        found[b].append((u, a))
    return [sorted(row, key=lambda x: (-x[0], x[1])) for row in found]


@settings(max_examples=60, deadline=None)
@given(case=pools, k=st.integers(1, 6))
def test_top_k_partners_are_the_k_heaviest_of_all_eligible(
    case: tuple[random.Random, int, int, int, bool], k: int
) -> None:
    pop, params, tables = compiled(case)
    expected = partners_by_weight(all_pairs(pop, params), pop.size)
    units, partner, count = top_k_partners(tables, k)
    for person, row in enumerate(expected):
        listed = [(int(u), int(p)) for u, p in zip(units[person], partner[person], strict=True) if p >= 0]
        assert listed == row[:k]
        assert count[person] == len(row) or (len(row) > k and count[person] >= k)


@settings(max_examples=40, deadline=None)
@given(case=pools, k=st.integers(1, 4))
def test_no_pair_left_out_of_the_candidates_beats_either_persons_kth(
    case: tuple[random.Random, int, int, int, bool], k: int
) -> None:
    pop, params, tables = compiled(case)
    cands = top_candidates(tables, k)
    listed = set(zip(cands.pairs.a.tolist(), cands.pairs.b.tolist(), strict=True))
    everything = all_pairs(pop, params)
    for a, b, u in zip(everything.a.tolist(), everything.b.tolist(), everything.units.tolist(), strict=True):
        if (a, b) not in listed:
            assert cands.kth_units[a] >= u > 0 or cands.kth_units[b] >= u > 0
            assert cands.kth_units[a] > 0
            assert cands.kth_units[b] > 0


@settings(max_examples=40, deadline=None)
@given(case=pools)
def test_counts_every_eligible_pair(case: tuple[random.Random, int, int, int, bool]) -> None:
    pop, params, tables = compiled(case)
    assert count_eligible(tables, 10**9) == len(all_pairs(pop, params))
    # every row sampled is the whole count
    assert sampled_eligible(tables, 1) == len(all_pairs(pop, params))


def test_a_sample_of_rows_estimates_the_count() -> None:
    params = MatchParams()
    pop = compile_population(generate_organisation(800, seed=3), params)
    tables = PairTables.of(pop, params)
    total = count_eligible(tables, 10**9)
    assert abs(sampled_eligible(tables, 16) - total) < 0.1 * total


def test_counting_stops_once_past_the_limit() -> None:
    params = MatchParams()
    pop = compile_population(generate_organisation(800, seed=3), params)  # rows counted in 3 passes
    tables = PairTables.of(pop, params)
    total = count_eligible(tables, 10**9)
    assert total == len(all_pairs(pop, params))
    assert 1_000 < count_eligible(tables, 1_000) < total


def random_prices(size: int, seed: int) -> tuple[IntArray, npt.NDArray[np.bool_]]:
    """Prices in the range of real ones (a tenth at 0, like unmatched people) and who to check."""
    rng = np.random.default_rng(seed)
    prices = rng.integers(0, 4_000_000, size)
    prices[rng.random(size) < 0.1] = 0
    return prices, rng.random(size) < 0.5


@settings(max_examples=50, deadline=None)
@given(case=pools, keep=st.integers(1, 4), price_seed=st.integers(0, 1000))
def test_raised_prices_cover_every_pair_and_violators_are_the_worst(
    case: tuple[random.Random, int, int, int, bool], keep: int, price_seed: int
) -> None:
    pop, params, tables = compiled(case)
    prices, picked = random_prices(pop.size, price_seed)
    check = check_prices(tables, prices, picked, keep)
    raised, violators = check.raised(), check.violators()
    everything = all_pairs(pop, params)
    expected = prices.copy()
    for a, b, u in zip(everything.a.tolist(), everything.b.tolist(), everything.units.tolist(), strict=True):
        for mine, other in ((a, b), (b, a)):
            if picked[mine]:
                expected[mine] = max(expected[mine], 2 * u - prices[other])
    assert np.array_equal(raised, expected)
    assert_holds_the_worst(excesses(everything, prices, picked, 0), keep, violators)
    weights = dict(zip(everything.keys(pop.size).tolist(), everything.units.tolist(), strict=True))
    assert violators.units.tolist() == [weights[key] for key in violators.keys(pop.size).tolist()]


@settings(max_examples=200, deadline=None)
@given(case=pools, keep=st.integers(1, 4), price_seed=st.integers(0, 1000))
def test_shared_raises_cover_every_pair_for_less(
    case: tuple[random.Random, int, int, int, bool], keep: int, price_seed: int
) -> None:
    pop, params, tables = compiled(case)
    prices, picked = random_prices(pop.size, price_seed)
    check = check_prices(tables, prices, picked, keep)
    shared, raised = check.shared(), check.raised()
    everything = all_pairs(pop, params)
    concerned = picked[everything.a] | picked[everything.b]
    assert np.all((shared[everything.a] + shared[everything.b] >= 2 * everything.units)[concerned])
    assert np.all(shared >= prices)
    assert shared.sum() <= raised.sum()


def test_a_pair_that_breaks_both_prices_is_paid_for_once() -> None:
    # Rows 0 and 1 each hold the other, 10 over; row 2 holds two pairs, 4 and 6 over.
    excess = np.array([[10, 0], [10, 0], [6, 4], [0, 0]])
    partner = np.array([[1, -1], [0, -1], [3, 0], [-1, -1]])
    lift = cover_lift(excess, partner)
    assert lift[0] + lift[1] >= 10
    assert lift[2] + lift[3] >= 6
    assert lift[2] >= 4  # its least held excess covers whatever it did not hold
    assert lift.sum() == 10 + 6  # raising each by its own worst would cost 26


def test_past_its_limit_each_person_takes_their_own_worst_excess(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cover, "MAX_SHARED_PAIRS", 0)
    params = MatchParams()
    pop = compile_population(generate_organisation(80, seed=3), params)
    tables = PairTables.of(pop, params)
    prices, picked = random_prices(pop.size, 7)
    check = check_prices(tables, prices, picked, 3)
    assert len(check.violators())
    assert cover_lift(check.excess, check.partner) is None
    assert np.array_equal(check.shared(), check.raised())


@pytest.mark.parametrize("size", [0, 1])
def test_tiny_pools(size: int) -> None:
    params = MatchParams()
    pop = compile_population(generate_organisation(size, seed=1) if size else [], params)
    tables = PairTables.of(pop, params)
    assert len(top_candidates(tables, 3).pairs) == 0
    assert count_eligible(tables, 10) == 0
    check = check_prices(tables, np.zeros(size, dtype=np.int64), np.ones(size, dtype=bool), 2)
    raised, violators = check.raised(), check.violators()
    assert len(violators) == 0
    assert raised.tolist() == [0] * size


@compiled_only
def test_compiling_the_kernels_covers_every_one_a_match_can_call() -> None:
    compile_kernels()
    for kernel in (_top_k, _excess, _count_eligible, _label_correcting):
        assert kernel.signatures, kernel


@settings(max_examples=40, deadline=None)
@given(case=pools, keep=st.integers(1, 4), per_person=st.integers(1, 3), listed=st.booleans())
def test_prices_with_blossom_duals_on_random_pools(
    case: tuple[random.Random, int, int, int, bool], keep: int, per_person: int, listed: bool
) -> None:
    assert_blossom_pricing(*compiled(case), keep, per_person, 64, listed=listed)


def test_pairs_the_list_settles_are_skipped() -> None:
    """Priced at each person's k-th best weight, every unlisted pair holds (none is heavier than
    either person's k-th best) while listed pairs heavier than that break the prices: told the
    list holds, the scan reports nothing; not told, it reports the listed pairs."""
    params = MatchParams()
    pop = compile_population(generate_organisation(150, seed=4), params)
    tables = PairTables.of(pop, params)
    cands = top_candidates(tables, 2)
    everyone = np.ones(pop.size, dtype=bool)
    kth_prices = cands.kth_units.copy()
    broken = check_prices(tables, kth_prices, everyone, 3).violators()
    assert len(broken)
    assert set(broken.keys(pop.size).tolist()) <= set(cands.pairs.keys(pop.size).tolist())
    assert not len(check_prices(tables, kth_prices, everyone, 3, listed=cands.kth_units).violators())


# As plain Python (NUMBA_DISABLE_JIT) the larger pools take minutes; the first case covers the code.
_LARGE_POOL = pytest.mark.skipif(bool(numba.config.DISABLE_JIT), reason="minutes as plain Python")


@pytest.mark.parametrize(
    ("shape", "size", "per_person", "class_min"),
    [
        ("steep", 120, 2, 5),
        *(
            pytest.param(shape, size, per_person, class_min, marks=_LARGE_POOL)
            for shape, size, per_person in (("steep", 200, 3), ("steep", 400, 3), ("few-skills", 300, 2))
            for class_min in (1, 5, 64)
        ),
    ],
)
def test_prices_with_blossom_duals_on_organisations_with_large_blossoms(
    shape: str, size: int, per_person: int, class_min: int
) -> None:
    """Steep pyramids leave people out, and the premium for the count placed moves into nested
    blossoms holding most of the pool: the tiers by blossom class must still see every pair."""
    params = MatchParams()
    pop = compile_population(generate_organisation(size, seed=2, shape=shape), params)
    tables = PairTables.of(pop, params)
    assert_blossom_pricing(pop, params, tables, 3, per_person, class_min, listed=class_min == 5)


def assert_blossom_pricing(
    pop: Population,
    params: MatchParams,
    tables: PairTables,
    keep: int,
    per_person: int,
    class_min: int,
    *,
    listed: bool = False,
) -> None:
    """Duals of our blossom solver on a few candidates, priced over every eligible pair: the
    scan's tiers (blossom classes from `class_min` people) never skip a pair that breaks them,
    nor does the cap from the candidates' k-th best weights when `listed` (the duals hold on
    the candidates, so every pair that breaks them is unlisted)."""
    cands = top_candidates(tables, per_person)
    big = big_premium(cands.pairs, pop.size // 2)
    found = max_weight_matching(pop.size, cands.pairs.a, cands.pairs.b, cands.pairs.units + big)
    prices = found.u - big
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tiers, "_CLASS_MIN", class_min)
        patch.setattr(tiers, "_CLASS_SHARE", 0.0)
        everyone = np.ones(pop.size, dtype=bool)
        kth = cands.kth_units if listed else None
        violators = check_prices(tables, prices, everyone, keep, found.tree(), kth).violators()
    everything = all_pairs(pop, params)
    over = 2 * everything.units - prices[everything.a] - prices[everything.b]
    over -= found.shared2(everything.a, everything.b)
    excess: dict[int, list[tuple[int, int, int]]] = {i: [] for i in range(pop.size)}
    for a, b, o in zip(everything.a.tolist(), everything.b.tolist(), over.tolist(), strict=True):
        if o > 0:
            excess[a].append((o, a, b))
            excess[b].append((o, a, b))
    assert_holds_the_worst(excess, keep, violators)


@settings(max_examples=50, deadline=None)
@given(case=pools, keep=st.integers(1, 4), price_seed=st.integers(0, 1000), margin=st.integers(1, 400_000))
def test_a_margin_also_holds_pairs_that_come_close_to_breaking_the_prices(
    case: tuple[random.Random, int, int, int, bool], keep: int, price_seed: int, margin: int
) -> None:
    """With `margin`, each checked row holds its `keep` pairs of largest excess among those whose
    excess 2·w − p_i − p_j is above −margin (all of them when fewer), and no other."""
    pop, params, tables = compiled(case)
    prices, picked = random_prices(pop.size, price_seed)
    check = check_prices(tables, prices, picked, keep, margin=margin)
    close = excesses(all_pairs(pop, params), prices, picked, -margin)
    assert_holds_the_worst(close, keep, check.violators())


Rows = dict[int, list[tuple[int, int, int]]]


def excesses(everything: PairList, prices: IntArray, picked: npt.NDArray[np.bool_], above: int) -> Rows:
    """Per picked person, (excess 2·w − p_i − p_j, a, b) of each pair whose excess is above `above`."""
    rows: Rows = {i: [] for i in range(len(prices))}
    for a, b, u in zip(everything.a.tolist(), everything.b.tolist(), everything.units.tolist(), strict=True):
        for mine, other in ((a, b), (b, a)):
            if picked[mine] and 2 * u - prices[mine] - prices[other] > above:
                rows[mine].append((2 * u - prices[mine] - prices[other], min(a, b), max(a, b)))
    return rows


def assert_holds_the_worst(rows: Rows, keep: int, found: PairList) -> None:
    """The pairs held are among those listed, and each row's `keep` strictly worst are held."""
    held = set(zip(found.a.tolist(), found.b.tolist(), strict=True))
    for row in rows.values():
        row.sort(reverse=True)
        strictly_worst = [(a, b) for over, a, b in row[:keep] if len(row) <= keep or over > row[keep][0]]
        assert set(strictly_worst) <= held
    assert held <= {(a, b) for row in rows.values() for _, a, b in row}


def test_two_separate_large_blossoms_price_their_own_pairs_by_class_and_share_nothing_across() -> None:
    """Everyone in one of two large top-level blossoms (2 × duals 10 and 1,000): each is its own
    class, priced by its blossom's duals, and a pair across them shares no blossom dual."""
    n = 200
    parent = np.full(2 * n, -1, dtype=np.int64)
    parent[:100], parent[100:n] = n, n + 1
    above = np.zeros(2 * n, dtype=np.int64)
    above[n], above[n + 1] = 10, 1_000
    prices = np.arange(n, dtype=np.int64) * 1_000
    found = tiers.price_tiers(prices, np.arange(n), parent, above)
    assert (found.person_class == np.repeat([0, 1], 100)).all()
    assert found.common.tolist() == [[10, 0], [0, 1_000]]
    assert set(found.klass.tolist()) == {0, 1}  # nobody is outside a class
    assert (found.floor[found.tier] <= prices).all()
    assert (found.klass[found.tier] == found.person_class).all()


def test_shortest_distances_report_a_negative_cycle_rather_than_loop() -> None:
    """An optimal assignment's residual graph has none (the relaxation raises if it ever did):
    0 → 1 → 0 at −1 each would lower the distances for ever."""
    starts = np.array([0, 1, 2], dtype=np.int64)
    assert _label_correcting(starts, np.array([1, 0]), np.array([-1, -1]), 2) is None
    assert _label_correcting(starts, np.array([1, 0]), np.array([-1, 1]), 2).tolist() == [0, -1]


def test_people_priced_beyond_any_pair_they_could_have_are_never_reported() -> None:
    """Half the pool priced far above what any partner could give them: their scans stop before
    the first partner; the rest are checked as usual (every pair held that brute force finds)."""
    params = MatchParams()
    pop = compile_population(generate_organisation(60, seed=5), params)
    tables = PairTables.of(pop, params)
    prices = np.where(np.arange(pop.size) % 2 == 0, 10**9, 0).astype(np.int64)
    everyone = np.ones(pop.size, dtype=bool)
    found = check_prices(tables, prices, everyone, 3).violators()
    assert len(found)
    assert not (prices[found.a] + prices[found.b] >= 10**9).any()
    assert_holds_the_worst(excesses(all_pairs(pop, params), prices, everyone, 0), 3, found)
