"""The relaxation stage of peer matching, on pools whose candidate relaxation the assignment
solver solves exactly: relax the candidates, round, and certify the matching by the prices.

Each price is lifted to at least half the person's k-th best weight, so the prices hold for
*every* eligible pair and their sum bounds the optimum of the whole graph. A better matching can
only use pairs whose reduced cost is within the gap between that bound and the matching; those
fall into small components, each solved exactly (blossom) unless the prices already certify it.
Where the prices cannot settle it (odd sets, too many people near their k-th best), the stage
returns its matching and that bound unproven, and price and repair takes over (`peer.pipeline`)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import rustworkx as rx

from .._model import Optimality, relative_gap
from .._population import SCALE, IntArray
from .._solution import Progress, Stop
from .graph import Candidates, PairList, pairs_of
from .price_repair import PeerPool
from .proof import blossom, units_array, units_of
from .relaxation import Relaxation, solve_relaxation
from .rounding import repair_around_left_out, round_relaxation

Matching = list[tuple[int, int]]

_MAX_ROUNDS = 6
_SUSPECT_SHARE = 0.25  # above this share of the pool, proving exactness costs a full pass
_EXACT_EDGE_BUDGET = 400_000  # pairs one blossom may be given
# Up to this many eligible pairs, an exact blossom over all of them is affordable (about 12 s
# at 600k pairs here) when the relaxation's prices cannot settle the optimum on their own.
FULL_EXACT_PAIRS = 600_000
# Up to this many, every eligible pair could be listed: past it the stage is skipped (its checks
# would list most of them) and price and repair starts from the candidates.
PROVABLE_PAIRS = 3_000_000
METHOD = "relaxation bound over all eligible pairs"


@dataclass(frozen=True, slots=True)
class Pool(PeerPool):
    eligible: int  # eligible pairs, counted only up to just past PROVABLE_PAIRS

    @property
    def exact_affordable(self) -> bool:
        """Every eligible pair fits one exact blossom."""
        return self.eligible <= FULL_EXACT_PAIRS

    @property
    def provable(self) -> bool:
        """Every eligible pair can be listed for a proof."""
        return self.eligible <= PROVABLE_PAIRS


class State:
    """Everything one round of relax → round → certify needs."""

    def __init__(self, pairs: PairList, n: int, big: int, *, repair: bool = True) -> None:
        self.pairs = pairs
        self.n = n
        self.big = big
        self.relax: Relaxation = solve_relaxation(pairs, n, big)
        rounded = round_relaxation(self.relax, n)
        self.matching = repair_around_left_out(rounded, pairs, n, big) if repair else rounded

    def value2(self, matching: Matching) -> int:
        """2 × the matching's value, the dummy's half pair included when someone is left over."""
        weight = units_of(self.pairs, matching)
        leftover = self.n - 2 * len(matching) > 0
        return 2 * (self.big * len(matching) + weight) + (self.big if leftover else 0)


def certified_matching(
    pool: Pool, cands: Candidates, big: int, progress: Progress, stop: Stop
) -> tuple[Matching, Optimality]:
    """The relaxation's matching, proven where its prices settle the optimum; otherwise unproven,
    with the bound of the prices over every eligible pair."""
    n = pool.pop.size
    pairs = cands.pairs
    kth2 = np.where(cands.kth_units > 0, cands.kth_units + big, -1)  # in price units (×2 of half)
    # On pools too large to solve exactly, a matching that still leaves the count placed
    # unproven is not worth repairing here: price and repair builds a better one.
    repair = pool.exact_affordable
    for round_no in range(_MAX_ROUNDS):
        state = State(pairs, n, big, repair=repair)
        lifted = np.maximum(state.relax.prices[:n], kth2)
        gap2 = int(lifted.sum() + state.relax.prices[n]) - state.value2(state.matching)
        if gap2 <= 0:
            return state.matching, _proven(state, "relaxation is integral")
        unsettled = state.matching, stopped(state, lifted)
        # gap2 ≥ big: odd sets the relaxation cannot see, so prices alone cannot prove the count
        # placed. Else only people with unlisted pairs and a price near their k-th best can hide
        # a pair that breaks the prices or could enter a better matching.
        suspects = np.flatnonzero((cands.kth_units > 0) & (2 * (state.relax.prices[:n] - kth2) <= gap2))
        if gap2 >= big or stop() or len(suspects) > max(64, _SUSPECT_SHARE * n):
            return unsettled
        progress("Checking every eligible pair", 0.3 + 0.05 * round_no)
        extra = pairs_of(pool.pop, pool.params, suspects)
        prices = lifted.copy()
        prices[suspects] = state.relax.prices[suspects]
        violated = _reduced2(extra, prices, big) < 0
        if violated.any():
            pairs = union(pairs, extra.select(violated), n)
            continue
        if stop():
            return unsettled
        return _solve_uncertified(state, union(pairs, extra, n), prices) or unsettled
    return unsettled


def _solve_uncertified(state: State, pool: PairList, prices: IntArray) -> tuple[Matching, Optimality] | None:
    """Exact blossom on the components of low-reduced-cost pairs the prices do not settle."""
    n, big = state.n, state.big
    gap2 = int(prices.sum() + state.relax.prices[n]) - state.value2(state.matching)
    reduced2 = _reduced2(pool, prices, big)
    near = pool.select(reduced2 <= gap2)
    label = _component_labels(near, n)
    troubled = np.unique(label[_troubled_people(pool, state.matching, prices, big, n)])
    edge_label = label[near.a]
    inside = np.isin(edge_label, troubled)
    if int(inside.sum()) > _EXACT_EDGE_BUDGET:
        return None
    kept = [p for p in state.matching if label[p[0]] not in set(troubled.tolist())]
    work = near.select(inside)
    order = np.argsort(edge_label[inside], kind="stable")
    work = work.select(order)
    bounds: list[int] = []
    if len(work):
        bounds = np.flatnonzero(np.r_[True, np.diff(label[work.a]) != 0, True]).tolist()
    for lo, hi in itertools.pairwise(bounds):
        kept.extend(blossom(work.select(np.arange(lo, hi)), big))
    kept.sort()
    optimality = Optimality(
        proven=True,
        upper_bound=units_of(pool, kept) / SCALE,
        gap=0.0,
        method="reduced-cost fixing + exact blossom",
    )
    return kept, optimality


def _troubled_people(pool: PairList, matching: Matching, prices: IntArray, big: int, n: int) -> IntArray:
    """People whose component the prices cannot settle: left out while priced, or in a pair
    that is not tight. Elsewhere the pairs already earn every price, which nothing can beat."""
    matched = np.zeros(n, dtype=bool)
    loose = np.zeros(n, dtype=bool)
    a = np.array([p[0] for p in matching], dtype=np.int64)
    b = np.array([p[1] for p in matching], dtype=np.int64)
    matched[a] = matched[b] = True
    slack = prices[a] + prices[b] - 2 * (units_array(pool, matching) + big)
    loose[a[slack > 0]] = True
    return np.flatnonzero(loose | (~matched & (prices[:n] > 0)))


def _component_labels(pairs: PairList, n: int) -> IntArray:
    graph = rx.PyGraph()
    graph.add_nodes_from(range(n))
    graph.add_edges_from_no_data(list(zip(pairs.a.tolist(), pairs.b.tolist(), strict=True)))
    label = np.empty(n, dtype=np.int64)
    for i, comp in enumerate(rx.connected_components(graph)):
        label[list(comp)] = i
    return label


def _reduced2(pairs: PairList, prices: IntArray, big: int) -> IntArray:
    return prices[pairs.a] + prices[pairs.b] - 2 * (pairs.units + big)


def union(first: PairList, second: PairList, n: int) -> PairList:
    both = PairList.concat([first, second])
    _, keep = np.unique(both.keys(n), return_index=True)
    return both.select(np.sort(keep))


def _score_bound(state: State, matching: Matching, bound2: int) -> float:
    """Bound on total weight among solutions placing as many people, in score units."""
    leftover = state.n - 2 * len(matching) > 0
    weight2 = bound2 - 2 * state.big * len(matching) - (state.big if leftover else 0)
    return max(weight2, 0) / 2 / SCALE


def stopped(state: State, prices: IntArray) -> Optimality:
    """Unproven: the rounded matching and the bound of the prices (each lifted to half the
    person's k-th best weight, so they hold for every eligible pair)."""
    bound2 = int(prices.sum() + state.relax.prices[state.n])
    bound = _score_bound(state, state.matching, bound2)
    found = units_of(state.pairs, state.matching) / SCALE
    gap = relative_gap(found, bound)
    return Optimality(False, max(bound, found), gap, METHOD)


def _proven(state: State, method: str) -> Optimality:
    bound = _score_bound(state, state.matching, state.value2(state.matching))
    return Optimality(proven=True, upper_bound=bound, gap=0.0, method=method)
