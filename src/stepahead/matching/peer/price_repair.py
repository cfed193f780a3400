"""Peer pairs proven optimal over every eligible pair by price and repair (Applegate and Cook).

1. Our general-graph matching (`peer.general`) solves the candidate pairs exactly, warm from
   the fractional relaxation's prices, and returns vertex and blossom duals.
2. The compiled scan prices every eligible pair against those duals: a pair whose reduced cost
   y_a + y_b + Σ_{B ∋ a,b} z_B − w_ab is negative could improve the matching.
3. Pairs that break their prices join the candidates and the solve repeats, until none do: then
   the duals are feasible for the whole graph and equal to the matching's value, which proves it.

The same method at every size; given a budget (`stop`), it returns its best matching with the
dual bound, the duals raised until every eligible pair is priced (`PriceCheck.shared`).
Weights are integers (1e-6 units) plus `big` per pair, so the count placed comes first."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._model import MatchParams, Optimality, relative_gap
from .._population import SCALE, IntArray, Population, to_units
from .._solution import Progress, Stop
from .general import GeneralMatching, max_weight_matching
from .graph import Candidates, PairList, peer_weights
from .kernel import check_prices
from .proof import big_premium, units_of
from .relaxation import solve_relaxation
from .tables import PairTables

# Per person and round, the pairs that break the prices most join the candidates.
VIOLATORS_KEPT = 7
# OR-Tools scales costs by the node count and bounds price changes by that again: past this its
# int64 prices may overflow, so the warm start's relaxation is solved on coarser units.
_COST_LIMIT = 2**61
METHOD = "primal-dual blossom on candidate pairs + every eligible pair priced"


@dataclass(frozen=True, slots=True)
class PeerPool:
    pop: Population
    params: MatchParams
    tables: PairTables


@dataclass(frozen=True, slots=True)
class _Priced:
    """What pricing every eligible pair against a solve's duals found."""

    violators: PairList  # pairs with a negative reduced cost (the worst few per person)
    raise2: int  # 2 × how much the duals must rise so that every eligible pair is priced


def price_and_repair(
    pool: PeerPool, cands: Candidates, progress: Progress, stop: Stop
) -> tuple[list[tuple[int, int]], Optimality]:
    n = pool.pop.size
    big = big_premium(cands.pairs, n // 2)  # everyone's heaviest pair is a candidate
    pairs = cands.pairs
    round_no = 0
    while True:
        progress("Solving the candidate pairs exactly", min(0.5 + 0.1 * round_no, 0.9))
        found = max_weight_matching(n, pairs.a, pairs.b, pairs.units + big, stop, _warm_start(pairs, n, big))
        progress("Pricing every eligible pair", min(0.55 + 0.1 * round_no, 0.95))
        priced = _price(pool, found, big, cands.kth_units)
        matching = found.pairs()
        if found.finished and not len(priced.violators):
            return matching, Optimality(True, units_of(pairs, matching) / SCALE, 0.0, METHOD)
        if not found.finished or stop():
            return matching, _bounded(pairs, matching, found.bound2() + priced.raise2, big)
        pairs = _union(pairs, priced.violators, n)
        round_no += 1


def _warm_start(pairs: PairList, n: int, big: int) -> IntArray:
    """Duals feasible for every candidate pair, from the fractional relaxation (the bipartite
    double cover): its prices, solved on units coarse enough for the assignment solver and
    lifted back so that u_a + u_b ≥ 2·(w_ab + big) still holds at full precision."""
    factor = 1
    heaviest = int(pairs.units.max(initial=0)) + big
    while heaviest // factor * (n + 2) ** 2 > _COST_LIMIT:
        factor *= 10
    coarse = PairList(pairs.a, pairs.b, pairs.units // factor)
    relax = solve_relaxation(coarse, n, big // factor)
    warm: IntArray = relax.prices[:n] * factor + (2 * factor if factor > 1 else 0)
    return warm


def _price(pool: PeerPool, found: GeneralMatching, big: int, kth: IntArray) -> _Priced:
    """Every eligible pair against the duals (prices 2y − big in weight units, as the scan
    takes them, plus the duals of the blossoms holding both people). The duals hold for every
    solved pair, each person's k best among them, so the scan skips what those settle."""
    everyone = np.ones(found.n, dtype=bool)
    check = check_prices(pool.tables, found.u - big, everyone, VIOLATORS_KEPT, found.tree(), kth)
    found_pairs = check.violators()
    weights = to_units(peer_weights(pool.pop, found_pairs.a, found_pairs.b, pool.params))
    lifted = check.shared() + big - found.u  # ≥ 0: each person's raise, population order
    return _Priced(PairList(found_pairs.a, found_pairs.b, weights), int(lifted.sum()))


def _bounded(pairs: PairList, matching: list[tuple[int, int]], bound2: int, big: int) -> Optimality:
    """Stopped by the budget: the matching, and the dual bound on the weight of any matching that
    places as many people."""
    found = units_of(pairs, matching) / SCALE
    bound = max(bound2 - 2 * big * len(matching), 0) / 2 / SCALE
    return Optimality(False, max(bound, found), relative_gap(found, bound), METHOD)


def _union(first: PairList, second: PairList, n: int) -> PairList:
    both = PairList.concat([first, second])
    _, keep = np.unique(both.keys(n), return_index=True)
    return both.select(np.sort(keep))
