"""Peer pairs: the spec's lexicographic optimum (most people placed, then most weight).

One method at every size; only how long the proof takes differs. Each stage leaves the best
matching so far and a valid bound on the optimum (`peer.incumbent`); when the caller's budget
(`stop`) runs out, the best matching is returned with the least bound and its gap.

1. Candidates: each person's k heaviest eligible pairs, found by compiled scans that skip
   most of the grade band (`peer.kernel`), plus each person's k-th best weight (nobody
   outside the list can beat it).
2. Relaxation (`peer.certified`), where the assignment solver is exact on the pool's units and
   every eligible pair could be listed: rounded and certified by its prices, which often
   proves the optimum outright on small pools.
3. Bound rounds (`_bounded_matching`), on pools of BOUND_FIRST_PEOPLE people or more: a
   matching and a bound within ~0.05% in about a minute at 100k people, secured before the
   proof, which takes far longer there.
4. Price and repair (`peer.price_repair`: our blossom solver with its duals, every eligible
   pair priced against them) until proven.

Weights are integers (1e-6 units) plus `big` per pair, so cardinality always comes first."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from .._model import MatchParams, Optimality, Participant, relative_gap
from .._population import SCALE, IntArray, Population, compile_population, to_units
from .._solution import Progress, Solution, Stop, never, silent, within
from . import certified
from .auction import auction_relaxation
from .certified import PROVABLE_PAIRS, certified_matching, union
from .certified import Pool as _Pool
from .certified import State as _State
from .general import STAGES_PER_LOOK
from .graph import Candidates, PairList, peer_weights
from .incumbent import Incumbent, Matching, merged
from .kernel import check_prices, top_candidates
from .price_repair import PeerPool, price_and_repair
from .proof import big_premium, units_array, units_of
from .relaxation import Relaxation, solve_relaxation
from .rounding import repair_around_left_out, round_relaxation
from .tables import PairTables, count_eligible, sampled_eligible

CANDIDATES_PER_PERSON = 10
# From this many people, the bound rounds run before price and repair: there the proof's first
# round alone (a blossom over ~1M candidate pairs) outlasts a minute, so a budget that runs out
# would otherwise leave only a rough matching. Below, they would cost more than the proof
# itself (10k: bound rounds 3-4 s of CPU against 6-10 s for the whole proof, load ~7).
BOUND_FIRST_PEOPLE = 30_000
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
# Every _SAMPLE_STRIDE-th row (grade order) is counted first, on pools of _SAMPLE_FROM people or
# more: when that sample puts the pool clearly past PROVABLE_PAIRS (_SAMPLE_MARGIN for its error),
# the full count is skipped. At 10k people every shape has 3.5-8.8M eligible pairs, and counting
# past 3M took 0.3-0.7 s of each match (up to 1.5 s under load) only to skip the stage.
_SAMPLE_STRIDE = 16
_SAMPLE_FROM = 4_096
_SAMPLE_MARGIN = 1.1


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


def solve_peer(
    pop: Population,
    params: MatchParams,
    progress: Progress,
    stop: Stop = never,
    bound_first: int | None = None,
) -> Solution:
    """Candidates, then the stages (`_stages`) until proven or stopped. `bound_first`: the pool
    size from which the bound rounds run (default BOUND_FIRST_PEOPLE)."""
    progress("Finding candidate partners", 0.0)
    tables = PairTables.of(pop, params)
    cands = top_candidates(tables, CANDIDATES_PER_PERSON)
    first = BOUND_FIRST_PEOPLE if bound_first is None else bound_first
    pairs, optimality = _stages(PeerPool(pop, params, tables), cands, progress, stop, first)
    progress("Done", 1.0)
    return _solution(pop, params, pairs, optimality)


def exact_peer(pop: Population, params: MatchParams, progress: Progress, stop: Stop = never) -> Solution:
    """Price and repair alone, from the candidates; stops on `stop` with its dual bound."""
    progress("Finding candidate partners", 0.0)
    tables = PairTables.of(pop, params)
    cands = top_candidates(tables, CANDIDATES_PER_PERSON)
    progress("Proving the optimum over every eligible pair", 0.3)
    pairs, optimality = price_and_repair(PeerPool(pop, params, tables), cands, progress, stop)
    progress("Done", 1.0)
    return _solution(pop, params, pairs, optimality)


def _stages(
    peer: PeerPool,
    cands: Candidates,
    progress: Progress,
    stop: Stop,
    bound_first: int,
    *,
    look_every: int = STAGES_PER_LOOK,
) -> tuple[Matching, Optimality]:
    """Relaxation, bound rounds and price and repair, each where it pays (module docstring),
    every one offering its matching and bound to `best`; out of budget, `best` is the answer.
    `look_every`: price and repair's blossom stages between two looks at `stop()`."""
    n = peer.pop.size
    best = Incumbent(weigh=lambda matching: _pair_units(peer, matching))
    exact_units = _coarsening(cands, n) == 1  # the assignment solver is exact on these units
    most = certified.PROVABLE_PAIRS  # read here, so that tests can lower it
    eligible = _eligible(peer.tables, most) if exact_units else most + 1
    pool = _Pool(peer.pop, peer.params, peer.tables, eligible)
    if pool.provable:
        progress("Solving the relaxation", 0.2)
        matching, optimality = certified_matching(pool, cands, _big(cands, n), progress, stop)
        if optimality.proven:
            return matching, optimality
        best.offer(matching, _units(peer, matching), optimality)
    if n >= bound_first:
        # even when the budget ran out during the candidates: one round gives a rounded matching
        # and a bound over every pair in seconds, where price and repair, stopped in its first
        # solve, gave half the pool placed and a bound 3,700 times the optimum's weight (100k
        # people, many skills, candidates past the budget under load)
        # The bound rounds' own fractions (0.6-0.85) squeezed below price and repair's (from 0.5),
        # so that the progress reported never falls back.
        matching, optimality = _bounded_matching(pool, cands, within(progress, 0.2, 0.5), stop)
        best.offer(matching, _units(peer, matching), optimality)
    if stop() and best.units >= 0:
        return best.result()
    progress("Proving the optimum over every eligible pair", 0.7)
    return price_and_repair(peer, cands, progress, stop, best, look_every=look_every)


def _eligible(tables: PairTables, most: int) -> int:
    """Eligible pairs, counted up to just past `most` (`count_eligible`), or `most` + 1 at once
    when a sample of rows spread over the grade order says the pool is well past it. A wrong
    guess only changes which stage proves the optimum, never the optimum."""
    past = tables.size >= _SAMPLE_FROM and sampled_eligible(tables, _SAMPLE_STRIDE) > _SAMPLE_MARGIN * most
    if past:
        return most + 1
    return count_eligible(tables, most)


def _units(peer: PeerPool, matching: Matching) -> int:
    """The matching's weight in 1e-6 units, from the spec (as every stage's pairs are)."""
    return int(_pair_units(peer, matching).sum())


def _pair_units(peer: PeerPool, matching: Matching) -> IntArray:
    """Each pair's weight in 1e-6 units, from the spec."""
    return to_units(_weights(peer.pop, peer.params, matching))


def _weights(pop: Population, params: MatchParams, matching: Matching) -> npt.NDArray[np.float64]:
    """Each pair's score, from the spec."""
    a = np.array([p[0] for p in matching], dtype=np.int64)
    b = np.array([p[1] for p in matching], dtype=np.int64)
    return peer_weights(pop, a, b, params)


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
    while True:  # the last round's relaxation is the one rounded below: no auction after it
        progress("Checking pairs outside the candidate lists", 0.6 + 0.05 * len(bounds2))
        bound2, violators = _bound_round(pool, cands, relax)
        bounds2.append(bound2)
        raise2 = bound2 - int(relax.prices.sum())
        pairs = union(pairs, violators, n)
        last = len(bounds2) == BOUND_ROUNDS
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
        matching = _rounded(relax, coarse, n)
        if len(bounds2) == 1 and len(violators):
            # Stopped after one round: the candidates' relaxation alone rounds ~2% below the
            # optimum (100k many-skills: 88,270 against 90,250). One auction with the pairs that
            # broke its prices (2 s there) rounds to 90,195 but placed 4 fewer: merged, the
            # matching keeps the most placed and the heavier pairs elsewhere. Neither is empty:
            # there are pairs (some broke the prices), and rounding re-solves around whoever it
            # leaves out (`repair_around_left_out`), so both place someone.
            wider = _rounded(auction_relaxation(pairs, n), coarse, n)
            matching, _ = merged(matching, wider, lambda pairs_of: units_array(pairs, pairs_of))
    found = units_of(pairs, matching) / SCALE
    return matching, Optimality(
        False, bound, relative_gap(found, bound), "relaxation bound over all eligible pairs"
    )


def _rounded(relax: Relaxation, known: Candidates, n: int) -> Matching:
    """The relaxation's pairs, re-solved exactly around the people rounding leaves out."""
    return repair_around_left_out(round_relaxation(relax, n), known.pairs, n, _big(known, n))


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


def _solution(
    pop: Population, params: MatchParams, pairs: list[tuple[int, int]], optimality: Optimality
) -> Solution:
    """Scores are recomputed from the spec, never from solver units."""
    if not pairs:
        return Solution((), (), optimality)
    scores = _weights(pop, params, pairs)
    return Solution(tuple(pairs), tuple(float(s) for s in scores), optimality)
