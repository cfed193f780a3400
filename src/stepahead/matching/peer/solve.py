"""Peer pairs: the spec's lexicographic optimum (most people placed, then most weight).

1. Candidates: each person's k heaviest eligible pairs, found by compiled scans that skip
   most of the grade band (`peer.kernel`), plus each person's k-th best weight (nobody
   outside the list can beat it).
2. Relaxation: fractional matching over the candidates (assignment on the double cover) and its
   dual prices; lifting each price to at least half the person's k-th best weight makes them
   feasible for *every* eligible pair, so their sum bounds the optimum of the whole graph.
3. Rounding the relaxation gives a matching L; a better matching can only use pairs whose reduced
   cost is at most the gap between bound and L. Those pairs fall into small components; each is
   solved exactly (blossom) unless the prices already certify it. The result is provably optimal.
4. When the prices cannot settle it (odd sets, too many people near their k-th best): pools of
   up to PROVABLE_PAIRS eligible pairs, or EXACT_PEOPLE people, are proven by price and repair
   (`peer.price_repair`: our blossom solver with its duals, every pair priced against them);
   larger ones get a matching and a valid bound (`_bounded_matching`).

Weights are integers (1e-6 units) plus `big` per pair, so cardinality always comes first."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import rustworkx as rx

from .._model import MatchParams, Optimality, Participant, relative_gap
from .._population import SCALE, IntArray, Population, compile_population
from .._solution import Progress, Solution, Stop, never, silent
from .auction import auction_relaxation
from .graph import Candidates, PairList, pairs_of, peer_weights
from .kernel import check_prices, top_candidates
from .price_repair import PeerPool, price_and_repair
from .proof import big_premium, blossom, units_array, units_of
from .relaxation import Relaxation, solve_relaxation
from .rounding import repair_around_left_out, round_relaxation
from .tables import PairTables, count_eligible

CANDIDATES_PER_PERSON = 10
_MAX_ROUNDS = 6
_SUSPECT_SHARE = 0.25  # above this share of the pool, proving exactness costs a full pass
_EXACT_EDGE_BUDGET = 400_000  # pairs one blossom may be given
# Up to this many eligible pairs, an exact blossom over all of them is affordable (about 12 s
# at 600k pairs here) when the relaxation's prices cannot settle the optimum on their own.
FULL_EXACT_PAIRS = 600_000
# Up to this many, every eligible pair is listed to prove the optimum by a fixed-size relaxation
# and reduced-cost fixing (`peer.proof`): about 7 s at 1.7M pairs (5,000 people) here.
PROVABLE_PAIRS = 3_000_000
# Up to this many people, pools the relaxation cannot settle, or too large to list, are proven by
# price and repair whatever their eligible pairs; past it, pools of more than PROVABLE_PAIRS get a
# matching and a bound (`_bounded_matching`). CPU of match() here: 10k 2.3-4.4 s on every
# organisation shape; 20k 10 s (steep) to 21 s (one function), where the bound takes ~6 s.
EXACT_PEOPLE = 12_000
# Relax-and-check rounds for the bound on pools too large to prove: each adds the pairs that
# broke the prices and tightens the bound. At 100k people (one function) the raise that the
# pairs still breaking the prices need fell from 14,698 to 907, 27 and 1.6 score units over
# rounds 1-4 (of a bound of 85,198): two rounds left a 1.07% gap, four about 0.01%. Each round
# costs a relaxation (7-32 s of CPU there) and a check (6-9 s).
BOUND_ROUNDS = 4
# No further round once the raise is below this share of the bound: the gap is then about the
# raise plus what rounding loses (0.003% at 100k people), within the 0.05% the bound is held to,
# and each round costs a price check over the whole pool (9-10 s there).
_RAISE_ENOUGH = 3e-4
_FRESH_SOLVE_PAIRS = 600_000  # up to this, the final matching gets its own cardinality-first solve
# Per person and round, the pairs that break the prices most join the next relaxation. More
# tighten the bound but slow the solver; at 100k: 7 held, 36 s and a 0.38% gap; 8 held,
# 46-54 s and 0.28%; 10 held, 55 s and 0.20%.
_VIOLATORS_KEPT = 7


@dataclass(frozen=True, slots=True)
class _Pool:
    pop: Population
    params: MatchParams
    tables: PairTables
    eligible: int  # eligible pairs, counted only up to just past PROVABLE_PAIRS

    @property
    def exact_affordable(self) -> bool:
        """Every eligible pair fits one exact blossom."""
        return self.eligible <= FULL_EXACT_PAIRS

    @property
    def provable(self) -> bool:
        """Every eligible pair can be listed for a proof."""
        return self.eligible <= PROVABLE_PAIRS


def compile_kernels() -> None:
    """Run every compiled peer kernel once on a tiny pool, so numba writes them to its cache:
    otherwise the first large match after an install spends ~25 s compiling."""
    people = [Participant.build(f"P{i}", 1, skills={"a": i, "b": 3 - i}, goals=["a", "b"]) for i in range(4)]
    params = MatchParams()
    pop = compile_population(people, params)
    tables = PairTables.of(pop, params)
    cands = top_candidates(tables, 1)
    count_eligible(tables, PROVABLE_PAIRS)
    relax = solve_relaxation(cands.pairs, pop.size, 0)
    auction_relaxation(cands.pairs, pop.size)
    check_prices(tables, relax.prices[: pop.size], np.ones(pop.size, dtype=bool), _VIOLATORS_KEPT).shared()
    price_and_repair(PeerPool(pop, params, tables), cands, silent, never)


def solve_peer(pop: Population, params: MatchParams, progress: Progress, stop: Stop = never) -> Solution:
    """Candidates, the relaxation, then a proof where the pool allows it and a bound where not.

    `peer.price_repair` (our blossom solver with its duals, every pair priced against them)
    proves the optimum on every shape: pools the relaxation cannot settle go to it directly up
    to EXACT_PEOPLE people, whatever their eligible pairs (4-5 s at 10k on every shape, CPU,
    load ~7); larger pools with more than PROVABLE_PAIRS pairs still get a bound."""
    n = pop.size
    progress("Finding candidate partners", 0.0)
    tables = PairTables.of(pop, params)
    cands = top_candidates(tables, CANDIDATES_PER_PERSON)
    coarse = _coarsening(cands, n) > 1
    if coarse and n <= EXACT_PEOPLE:  # the relaxation's assignment solver cannot be exact here
        return _exact(PeerPool(pop, params, tables), cands, progress, stop)
    pool = _Pool(pop, params, tables, count_eligible(tables, PROVABLE_PAIRS))
    if not pool.provable and n <= EXACT_PEOPLE:
        return _exact(PeerPool(pop, params, tables), cands, progress, stop)
    progress("Solving the relaxation", 0.5)
    if coarse:
        pairs, optimality = _bounded_matching(pool, cands, progress, stop)
    else:
        pairs, optimality = _certified_matching(pool, cands, _big(cands, n), progress, stop)
    progress("Done", 1.0)
    return _solution(pop, params, pairs, optimality)


def exact_peer(pop: Population, params: MatchParams, progress: Progress, stop: Stop = never) -> Solution:
    """Proven optimal at every size by price and repair; stops on `stop` with its dual bound."""
    progress("Finding candidate partners", 0.0)
    tables = PairTables.of(pop, params)
    cands = top_candidates(tables, CANDIDATES_PER_PERSON)
    return _exact(PeerPool(pop, params, tables), cands, progress, stop)


def _exact(pool: PeerPool, cands: Candidates, progress: Progress, stop: Stop) -> Solution:
    progress("Proving the optimum over every eligible pair", 0.3)
    pairs, optimality = price_and_repair(pool, cands, progress, stop)
    progress("Done", 1.0)
    return _solution(pool.pop, pool.params, pairs, optimality)


# OR-Tools scales costs by the node count and bounds price changes by that times the node
# count again; past this, its int64 prices may overflow.
_COST_LIMIT = 2**61


def _coarsening(cands: Candidates, n: int) -> int:
    """Smallest power of ten by which weight units must shrink for the solver's arithmetic."""
    factor = 1
    while _big(_coarsen(cands, factor), n) * (n + 2) ** 2 > _COST_LIMIT:
        factor *= 10
    return factor


def _coarsen(cands: Candidates, factor: int) -> Candidates:
    if factor == 1:
        return cands
    pairs = PairList(cands.pairs.a, cands.pairs.b, cands.pairs.units // factor)
    return Candidates(pairs, cands.kth_units // factor)


def _bounded_matching(
    pool: _Pool, cands: Candidates, progress: Progress, stop: Stop
) -> tuple[list[tuple[int, int]], Optimality]:
    """Pools too large to prove: a matching from the relaxation and a valid bound on the optimum.

    The bound is the best fractional matching by weight alone, over the candidates and the
    pairs that broke its prices in the rounds before (the least of the rounds' bounds, each of
    which holds). Its prices hold for listed pairs
    and, for anyone priced at least at their k-th best, for unlisted ones too; everyone else has
    their price raised to cover every pair they have, the raise shared between the two people
    of a pair that breaks both prices (`PriceCheck.shared`)."""
    n = pool.pop.size
    pairs = cands.pairs
    bounds2: list[int] = []  # every round's bound holds: the least is kept
    relax = auction_relaxation(pairs, n)
    for round_no in range(BOUND_ROUNDS):
        progress("Checking pairs outside the candidate lists", 0.6 + 0.05 * round_no)
        bound2, violators = _bound_round(pool, cands, relax)
        bounds2.append(bound2)
        raise2 = bound2 - int(relax.prices.sum())
        pairs = _union(pairs, violators, n)
        last = round_no + 1 == BOUND_ROUNDS
        if not len(violators) or raise2 <= _RAISE_ENOUGH * bound2 or stop() or last:
            break
        # solved whole each round: an auction takes 2-4 s of CPU at 100k people (`peer.auction`)
        relax = auction_relaxation(pairs, n)
    bound = min(bounds2) / 2 / SCALE
    progress("Rounding the relaxation", 0.85)
    known = Candidates(pairs, cands.kth_units)
    coarse = _coarsen(known, _coarsening(known, n))
    if len(pairs) <= _FRESH_SOLVE_PAIRS and not stop():
        matching = _State(coarse.pairs, n, _big(coarse, n)).matching
    else:
        # The last relaxation rounds to nearly everyone placed; on pools this large a fresh
        # cardinality-first solve would cost as much as all the rounds before, so only the
        # people rounding leaves out are re-solved exactly, with their neighbourhoods.
        matching = repair_around_left_out(round_relaxation(relax, n), coarse.pairs, n, _big(coarse, n))
    found = units_of(pairs, matching) / SCALE
    return matching, Optimality(
        False, bound, relative_gap(found, bound), "relaxation bound over all eligible pairs"
    )


def _bound_round(pool: _Pool, cands: Candidates, relax: Relaxation) -> tuple[int, PairList]:
    """2 × the bound of one relaxation's prices over every eligible pair, and the pairs that
    broke them. Only people priced below their k-th best can have an unlisted pair that does,
    and such a pair weighs at most both people's k-th best (`listed`), which lets the scan skip
    most partners; the prices hold for every listed pair already."""
    n = pool.pop.size
    prices = relax.prices[:n]
    short = (cands.kth_units > 0) & (prices < cands.kth_units)
    check = check_prices(pool.tables, prices, short, _VIOLATORS_KEPT, listed=cands.kth_units)
    return int(check.shared().sum()) + int(relax.prices[n]), check.violators()


def _big(cands: Candidates, n: int) -> int:
    """The premium for any matching of the pool (n // 2 pairs at most); even, so the dummy's
    half of it is exact."""
    return big_premium(cands.pairs, n // 2)


class _State:
    """Everything one round of relax → round → certify needs."""

    def __init__(self, pairs: PairList, n: int, big: int, *, repair: bool = True) -> None:
        self.pairs = pairs
        self.n = n
        self.big = big
        self.relax: Relaxation = solve_relaxation(pairs, n, big)
        rounded = round_relaxation(self.relax, n)
        self.matching = repair_around_left_out(rounded, pairs, n, big) if repair else rounded

    def value2(self, matching: list[tuple[int, int]]) -> int:
        """2 × the matching's value, the dummy's half pair included when someone is left over."""
        weight = units_of(self.pairs, matching)
        leftover = self.n - 2 * len(matching) > 0
        return 2 * (self.big * len(matching) + weight) + (self.big if leftover else 0)


def _certified_matching(
    pool: _Pool, cands: Candidates, big: int, progress: Progress, stop: Stop
) -> tuple[list[tuple[int, int]], Optimality]:
    n = pool.pop.size
    pairs = cands.pairs
    kth2 = np.where(cands.kth_units > 0, cands.kth_units + big, -1)  # in price units (×2 of half)
    # On pools too large to solve exactly, a matching that still leaves the count placed
    # unproven is not worth repairing here: the bounded path builds a better one.
    repair = pool.exact_affordable
    for round_no in range(_MAX_ROUNDS):
        state = _State(pairs, n, big, repair=repair)
        prices = np.maximum(state.relax.prices[:n], kth2)
        gap2 = int(prices.sum() + state.relax.prices[n]) - state.value2(state.matching)
        if gap2 <= 0:
            return state.matching, _proven(state, "relaxation is integral")
        if gap2 >= big:
            # Odd sets the relaxation cannot see: prices alone cannot prove the count placed
            # (nor bound the weight usefully once out of time: the bounded path does that).
            return _exact_or_bounded(pool, state, cands, progress, stop)
        if stop():
            return state.matching, _stopped(state, prices)
        # Only people with unlisted pairs and a price near their k-th best can hide a pair
        # that breaks the prices or could enter a better matching.
        suspects = np.flatnonzero((cands.kth_units > 0) & (2 * (state.relax.prices[:n] - kth2) <= gap2))
        if len(suspects) > max(64, _SUSPECT_SHARE * n):
            return _exact_or_bounded(pool, state, cands, progress, stop)
        progress("Checking every eligible pair", 0.6 + 0.05 * round_no)
        extra = pairs_of(pool.pop, pool.params, suspects)
        prices[suspects] = state.relax.prices[suspects]
        violated = _reduced2(extra, prices, big) < 0
        if violated.any():
            pairs = _union(pairs, extra.select(violated), n)
            continue
        if stop():
            return state.matching, _stopped(state, prices)
        settled = _solve_uncertified(state, _union(pairs, extra, n), prices)
        return settled or _exact_or_bounded(pool, state, cands, progress, stop)
    return _exact_or_bounded(pool, state, cands, progress, stop)


def _exact_or_bounded(
    pool: _Pool, state: _State, cands: Candidates, progress: Progress, stop: Stop
) -> tuple[list[tuple[int, int]], Optimality]:
    """Where the relaxation's prices cannot settle it: price and repair (our blossom solver with
    its duals, every eligible pair priced against them) on pools whose eligible pairs could all be
    listed, which it never does (5k people: 4-30 s where listing them all and solving took up to
    3 minutes here); larger pools get a matching and a bound."""
    if not pool.provable or stop():
        return _bounded_matching(pool, cands, progress, stop)
    progress("Proving the optimum over every eligible pair", 0.7)
    return price_and_repair(PeerPool(pool.pop, pool.params, pool.tables), cands, progress, stop)


def _solve_uncertified(
    state: _State, pool: PairList, prices: IntArray
) -> tuple[list[tuple[int, int]], Optimality] | None:
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


def _troubled_people(
    pool: PairList, matching: list[tuple[int, int]], prices: IntArray, big: int, n: int
) -> IntArray:
    """People whose component the prices cannot settle: left out while priced, or in a pair
    that is not tight. Elsewhere the pairs already earn every price, which nothing can beat."""
    matched = np.zeros(n, dtype=bool)
    loose = np.zeros(n, dtype=bool)
    if matching:
        a = np.array([p[0] for p in matching], dtype=np.int64)
        b = np.array([p[1] for p in matching], dtype=np.int64)
        matched[a] = matched[b] = True
        units = units_array(pool, matching)
        slack = prices[a] + prices[b] - 2 * (units + big)
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


def _union(first: PairList, second: PairList, n: int) -> PairList:
    both = PairList.concat([first, second])
    _, keep = np.unique(both.keys(n), return_index=True)
    return both.select(np.sort(keep))


def _score_bound(state: _State, matching: list[tuple[int, int]], bound2: int) -> float:
    """Bound on total weight among solutions placing as many people, in score units."""
    leftover = state.n - 2 * len(matching) > 0
    weight2 = bound2 - 2 * state.big * len(matching) - (state.big if leftover else 0)
    return max(weight2, 0) / 2 / SCALE


def _stopped(state: _State, prices: IntArray) -> Optimality:
    """Out of time: the rounded matching and the bound of the prices (each lifted to half the
    person's k-th best weight, so they hold for every eligible pair)."""
    bound2 = int(prices.sum() + state.relax.prices[state.n])
    bound = _score_bound(state, state.matching, bound2)
    found = units_of(state.pairs, state.matching) / SCALE
    gap = relative_gap(found, bound)
    return Optimality(False, max(bound, found), gap, "relaxation bound over all eligible pairs")


def _proven(state: _State, method: str) -> Optimality:
    bound = _score_bound(state, state.matching, state.value2(state.matching))
    return Optimality(proven=True, upper_bound=bound, gap=0.0, method=method)


def _solution(
    pop: Population, params: MatchParams, pairs: list[tuple[int, int]], optimality: Optimality
) -> Solution:
    """Scores are recomputed from the spec, never from solver units."""
    if not pairs:
        return Solution((), (), optimality)
    a = np.array([p[0] for p in pairs], dtype=np.int64)
    b = np.array([p[1] for p in pairs], dtype=np.int64)
    scores: npt.NDArray[np.float64] = peer_weights(pop, a, b, params)
    return Solution(tuple(pairs), tuple(float(s) for s in scores), optimality)
