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
from .general import STAGES_PER_LOOK, GeneralMatching, max_weight_matching
from .graph import Candidates, PairList, peer_weights
from .incumbent import Incumbent
from .kernel import PriceCheck, check_prices
from .proof import big_premium, units_of
from .relaxation import solve_relaxation
from .tables import PairTables

# Per person and round, the pairs that break the prices most join the candidates. At 10k people
# (CPU, side by side, load ~4.5) 16 end in 3 rounds on every shape where 7 took 4 on some (even),
# the extra pairs solving in no more time: even 6.5 -> 5.5 s, one-function 6.3 -> 5.9 s,
# languages 3.7 -> 3.0 s, steep 6.6 -> 6.4 s; 24 was no better.
VIOLATORS_KEPT = 16
# ... and pairs that come within this of breaking them (2·w − prices, weight units): the next
# solve moves the duals, and pairs priced this close are the ones it tends to break. At 10k people
# (CPU, load ~9): steep 5 -> 3 rounds, 5.2 -> 4.2 s; one-function 4 -> 3 rounds (0: only pairs
# that break the prices; 30k: 4 rounds; 400k: each check takes twice as long).
NEAR = 100_000
# OR-Tools scales costs by the node count and bounds price changes by that again: past this its
# int64 prices may overflow, so the warm start's relaxation is solved on coarser units.
_COST_LIMIT = 2**61
# Up to this many new pairs per person, the next solve starts from the last start's duals (the
# relaxation's prices) raised to price the new pairs (`_raised`); past it, from the relaxation
# solved again. At 10k people, side by side (CPU, load ~4.5): the third round's 1-2k new pairs
# solve as fast from the raised prices as from a fresh relaxation, which they save (0.3-0.5 s);
# from the last solve's duals (blossom duals moved into their people) they took 2-3x as long.
# With the second round's ~25k new pairs, raised prices took 55 s against 0.6 s.
LIFT_MOST = 0.25
METHOD = "primal-dual blossom on candidate pairs + every eligible pair priced"


@dataclass(frozen=True, slots=True)
class PeerPool:
    pop: Population
    params: MatchParams
    tables: PairTables


def price_and_repair(
    pool: PeerPool,
    cands: Candidates,
    progress: Progress,
    stop: Stop,
    best: Incumbent | None = None,
    *,
    look_every: int = STAGES_PER_LOOK,
) -> tuple[list[tuple[int, int]], Optimality]:
    """Proven optimal unless `stop()` says stop first: then the best matching it or an earlier
    stage (`best`) found, with the least of their bounds. Each blossom solve looks at `stop()`
    every `look_every` stages."""
    n = pool.pop.size
    big = big_premium(cands.pairs, n // 2)  # everyone's heaviest pair is a candidate
    pairs = cands.pairs
    warm = _warm_start(pairs, n, big)
    best = best or Incumbent()
    round_no = 0
    while True:
        progress("Solving the candidate pairs exactly", min(0.5 + 0.1 * round_no, 0.9))
        found = max_weight_matching(n, pairs.a, pairs.b, pairs.units + big, stop, warm, look_every=look_every)
        check = None
        if found.finished:
            progress("Pricing every eligible pair", min(0.55 + 0.1 * round_no, 0.95))
            check = _check(pool, found, big, cands.kth_units, NEAR)
            if not ((check.excess > 0) & (check.partner >= 0)).any():
                matching = found.pairs()
                return matching, Optimality(True, units_of(pairs, matching) / SCALE, 0.0, METHOD)
        if check is None or stop():
            return _stopped(pool, pairs, found, big, cands.kth_units, check, best)
        new = _new_pairs(pairs, _violators(pool, check), n)
        pairs = PairList.concat([pairs, new])
        few = len(new) <= LIFT_MOST * n
        warm = _raised(warm, new, big) if few else _warm_start(pairs, n, big)
        round_no += 1


def _stopped(
    pool: PeerPool,
    pairs: PairList,
    found: GeneralMatching,
    big: int,
    kth: IntArray,
    check: PriceCheck | None,
    best: Incumbent,
) -> tuple[list[tuple[int, int]], Optimality]:
    """Stopped by the budget: the duals raised until every eligible pair is priced bound the
    optimum. Mid-solve duals are loose, and raising them costs a pass over every pair (seconds
    at 100k people): skipped when an earlier stage has a bound already."""
    matching = found.pairs()
    if found.finished or best.bound == float("inf"):
        bound2 = found.bound2() + _raise2(pool, found, big, kth, check)
        most = max(len(matching), best.pairs)  # the optimum places at least as many
        best.offer(matching, units_of(pairs, matching), _bounded(pairs, matching, bound2, big, most))
    else:
        best.offer(matching, units_of(pairs, matching))
    return best.result()


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


def _raised(warm: IntArray, new: PairList, big: int) -> IntArray:
    """The last start's duals, feasible for every pair solved before, with one end of each new
    pair that breaks them raised to price it (its other pairs only gain)."""
    u = warm.copy()
    short = 2 * (new.units + big) - u[new.a] - u[new.b]
    np.maximum.at(u, new.a, u[new.a] + np.maximum(short, 0))
    return u


def _check(pool: PeerPool, found: GeneralMatching, big: int, kth: IntArray, near: int = 0) -> PriceCheck:
    """Every eligible pair against the duals (prices 2y − big in weight units, as the scan takes
    them, plus the duals of the blossoms holding both people). The duals hold for every solved
    pair, each person's k best among them, so the scan skips what those settle."""
    everyone = np.ones(found.n, dtype=bool)
    return check_prices(pool.tables, found.u - big, everyone, VIOLATORS_KEPT, found.tree(), kth, near)


def _violators(pool: PeerPool, check: PriceCheck) -> PairList:
    found_pairs = check.violators()
    weights = to_units(peer_weights(pool.pop, found_pairs.a, found_pairs.b, pool.params))
    return PairList(found_pairs.a, found_pairs.b, weights)


def _raise2(pool: PeerPool, found: GeneralMatching, big: int, kth: IntArray, check: PriceCheck | None) -> int:
    """2 × how much the duals must rise so that every eligible pair is priced, the raise shared
    between the two people of a pair (`PriceCheck.shared`, a small covering programme: only
    worked out when the budget stops the method, as it is needed only for the bound)."""
    check = _check(pool, found, big, kth) if check is None or NEAR else check
    lifted = check.shared() + big - found.u  # ≥ 0: each person's raise, population order
    return int(lifted.sum())


def _bounded(
    pairs: PairList, matching: list[tuple[int, int]], bound2: int, big: int, most: int
) -> Optimality:
    """The dual bound on the weight of any matching of at least `most` pairs."""
    found = units_of(pairs, matching) / SCALE
    bound = max(bound2 - 2 * big * most, 0) / 2 / SCALE
    return Optimality(False, max(bound, found), relative_gap(found, bound), METHOD)


def _new_pairs(known: PairList, found: PairList, n: int) -> PairList:
    """The pairs of `found` not already in `known` (priced pairs never break the duals, but a
    pair held twice would only be solved twice)."""
    fresh = ~np.isin(found.keys(n), known.keys(n))
    return found.select(fresh)
