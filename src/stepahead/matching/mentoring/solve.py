"""Mentoring modes (traditional, reverse, open): each mentee gets at most one mentor, each mentor
at most `capacity` mentees; place the most mentees, then the most total weight (spec matching-v1).

Exact at any size, without a mentors × mentees matrix:
1. a scan of all pairs keeps each mentee's best few mentors, plus every wished-for pair;
2. a min-cost flow over those candidates places the most mentees, then the most weight;
3. the flow's dual certificate is checked against every eligible pair by further scans; pairs
   that break it join the candidates and the flow runs again. When none do, the match is optimal
   over all eligible pairs, not only the candidates, and `Optimality.proven` says so.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._model import MatchParams, Optimality, relative_gap
from .._population import SCALE, IntArray, Population, bonuses, pair_keys, values_given
from .._solution import Progress, Solution, Stop, never
from .flow import Certificate, Flow, Network, carry, certify, grow, match_candidates, prune
from .load import load_penalty
from .pairs import Pairs, Sides, merge
from .proof import Found, Recheck, find_shortfalls
from .repair import repair
from .scan import BestLists, Report, ScanSpec, known_rows, scan
from .units import BoolArray, best_values, eligible, pair_weights, units

BEST_PER_MENTEE = 5
# A mentor's own list holds this many mentees per unit of capacity, plus BEST_PER_MENTEE, up to
# MAX_PER_MENTOR. Where mentors are scarce (100k mentees, 25k mentors) their best mentees are
# contested, and short lists left the proof to add their next best over three more rounds, each
# a full min-cost flow: longer lists cost one scan's worth of list inserts and save one or two
# of those rounds (standard 100k: four flows to three; 25k on four shapes: one round fewer).
BEST_PER_MENTOR_SLOT = 8
MAX_PER_MENTOR = 128
MAX_ROUNDS = 40
# Unused candidates this far from useful are dropped before the flow runs again; the proof scans
# still check them like any other pair.
PRUNE_SLACK = 100_000
# Repair the last flow (a warm circulation, `mentoring/repair.py`) instead of solving afresh when
# the pairs that break its certificate are at most this share of the candidates. Open few-skills
# at 100k: 53 breaking pairs repair in 2.5 s CPU and 1 in 0.2 s, against 13 s cold; 3,639 (0.3 %)
# take 12 s, no better than cold. At 30k, 350 (0.15 %) take 1 s against 2 s cold.
REPAIR_LIMIT = 0.002
METHOD = "min-cost flow over candidate pairs, dual certificate checked against all eligible pairs"


def solve_mentoring(pop: Population, params: MatchParams, progress: Progress, stop: Stop = never) -> Solution:
    sides = Sides.of(pop)
    stage = "Finding each mentee's best mentors"
    progress(stage, 0.0)
    candidates = first_candidates(pop, params, sides, lambda done: progress(stage, 0.3 * done))
    progress("Matching mentors and mentees", 0.3)
    current = _match(pop, params, sides, candidates)
    recheck: Recheck | None = None  # None: check every pair
    for round_ in range(MAX_ROUNDS):
        if stop():  # out of time: the flow is valid, the proof unfinished
            break
        progress("Checking that no other pair does better", _fraction(round_, 0.0))
        found = find_shortfalls(pop, params, sides, current.net.pairs, current.cert, recheck)
        if not len(found.pairs):
            progress("Matched", 1.0)
            return _solution(pop, params, sides, current, proven=current.cert.sound)
        progress("Matching mentors and mentees", _fraction(round_, 0.5))
        checked = current.cert
        current = _extend(pop, params, sides, current, found)
        recheck = Recheck.since(checked, current.cert, found.unsettled)
    progress("Matched", 1.0)
    return _solution(pop, params, sides, current, proven=False)


@dataclass(frozen=True, slots=True)
class _Round:
    net: Network
    flow: Flow
    cert: Certificate
    found: IntArray  # keys of every pair a proof scan added: never pruned, so rounds cannot cycle


def _match(pop: Population, params: MatchParams, sides: Sides, candidates: Pairs) -> _Round:
    weights = _weights(pop, params, sides, candidates)
    net = Network(sides.capacity, len(sides.mentees), candidates, weights, units(params.spread))
    return _solve(net, np.zeros(0, dtype=np.int64))


def _solve(net: Network, found: IntArray) -> _Round:
    flow = match_candidates(net)
    cert = certify(net, flow)
    # An optimal flow's residual graph has no negative cycle, so its certificate always settles:
    # this only catches a wrong answer from OR-Tools, rather than pass it off as the optimum.
    if cert is None:  # pragma: no cover - a defensive check on the flow solver
        raise RuntimeError("min-cost flow returned a flow that is not optimal")
    return _Round(net, flow, cert, found)


def _extend(pop: Population, params: MatchParams, sides: Sides, current: _Round, found: Found) -> _Round:
    """Adds the pairs found. When none can place anyone more, the count is settled and only the
    weight moves: if few of them break the certificate, the last flow is repaired around them
    (its prices prove the result); otherwise the flow is solved again."""
    mentees = len(sides.mentees)
    ever_found = np.union1d(current.found, found.pairs.keys(mentees))
    pinned = _wished(pop, sides, current.net.pairs) | np.isin(current.net.pairs.keys(mentees), ever_found)
    kept, kept_flow = prune(current.net, current.flow, current.cert, PRUNE_SLACK, pinned)
    weights = _weights(pop, params, sides, found.pairs)
    net = grow(kept, found.pairs, weights)
    few = _breaking(found.pairs, weights, current.cert) <= REPAIR_LIMIT * len(kept.pairs)
    repaired = (
        repair(net, carry(kept_flow, kept.pairs, net), current.cert)
        if few and not found.may_place_more
        else None
    )
    if repaired is not None:
        flow, potentials = repaired
        cert = certify(net, flow, potentials=potentials)
        # The repair's prices settle its certificate in a pass or two, and it is sound: no
        # randomised pool has done otherwise. Should one ever not, the flow is solved afresh.
        if cert is not None and cert.sound:  # pragma: no branch - a safety net, see above
            return _Round(net, flow, cert, ever_found)
    return _solve(net, ever_found)


def _breaking(pairs: Pairs, weights: IntArray, cert: Certificate) -> int:
    """How many of the pairs break the certificate (w > α + β; found pairs are singly covered)."""
    return int((weights > cert.mentor_dual[pairs.mentor] + cert.mentee_dual[pairs.mentee]).sum())


def _wished(pop: Population, sides: Sides, pairs: Pairs) -> BoolArray:
    """Wished-for pairs stay candidates: the scans that check the others leave wishes out."""
    if not len(pop.wish_keys):
        return np.zeros(len(pairs), dtype=bool)
    keys = pair_keys(pop, sides.mentors[pairs.mentor], sides.mentees[pairs.mentee])
    pos = np.minimum(np.searchsorted(pop.wish_keys, keys), len(pop.wish_keys) - 1)
    wished: BoolArray = pop.wish_keys[pos] == keys
    return wished


def _fraction(round_: int, within: float) -> float:
    """Progress never knows how many rounds remain; most runs need one or two."""
    return 0.4 + 0.6 * (1 - 1 / (round_ + 1.5 + within))


def _weights(pop: Population, params: MatchParams, sides: Sides, pairs: Pairs) -> IntArray:
    return pair_weights(pop, params, sides.mentors[pairs.mentor], sides.mentees[pairs.mentee])


def first_candidates(
    pop: Population, params: MatchParams, sides: Sides, report: Report | None = None
) -> Pairs:
    """Each mentee's best mentors by v + cross-function bonus, and every eligible wished-for pair."""
    mentors, mentees = len(sides.mentors), len(sides.mentees)
    per_mentor = np.minimum(BEST_PER_MENTOR_SLOT * sides.capacity + BEST_PER_MENTEE, MAX_PER_MENTOR)
    best = BestLists(mentees, BEST_PER_MENTEE, per_mentor)
    spec = ScanSpec(
        mentors=np.arange(mentors, dtype=np.int64),
        offsets=np.zeros(mentors, dtype=np.int64),
        mentees=np.arange(mentees, dtype=np.int64),
        c=np.zeros(mentees, dtype=np.int64),
        bonus=True,
    )
    scan(pop, params, sides, spec, best, known_rows(Pairs.none(), mentees), report)
    return merge(best.pairs(), wished_pairs(pop, params, sides), mentees)


def wished_pairs(pop: Population, params: MatchParams, sides: Sides) -> Pairs:
    """Sweeps leave the wish bonus out, so every eligible wished-for pair is always a candidate."""
    lo, hi = np.divmod(pop.wish_keys, max(1, pop.size))
    givers, takers = np.concatenate([lo, hi]), np.concatenate([hi, lo])
    mentor_at = _positions(sides.mentors, pop.size)[givers]
    mentee_at = _positions(sides.mentees, pop.size)[takers]
    known = (mentor_at >= 0) & (mentee_at >= 0)
    mentor_at, mentee_at = mentor_at[known], mentee_at[known]
    ok = eligible(pop, params, sides.mentors[mentor_at], sides.mentees[mentee_at])
    return Pairs(mentor=mentor_at[ok], mentee=mentee_at[ok])


def _positions(members: IntArray, size: int) -> IntArray:
    at = np.full(size, -1, dtype=np.int64)
    at[members] = np.arange(len(members))
    return at


def _solution(
    pop: Population, params: MatchParams, sides: Sides, current: _Round, *, proven: bool
) -> Solution:
    net, flow = current.net, current.flow
    pairs = net.pairs
    mentors, mentees = sides.mentors[pairs.mentor[flow.used]], sides.mentees[pairs.mentee[flow.used]]
    # Candidates come from scans that apply the hard rules, so this never fires: it stops a kernel
    # bug from pairing someone with their line manager, say, rather than returning it.
    if not eligible(pop, params, mentors, mentees).all():  # pragma: no cover - defensive
        raise RuntimeError("mentoring solver produced an ineligible pair")
    order = np.lexsort((mentees, mentors))
    mentors, mentees = mentors[order], mentees[order]
    scores = values_given(pop, mentors, mentees) + bonuses(pop, mentors, mentees, params)
    total = float(scores.sum()) - load_penalty(np.bincount(mentors), params.spread)
    if proven:
        optimality = Optimality(proven=True, upper_bound=total, gap=0.0, method=METHOD)
    else:
        bound = _weight_bound(pop, params, sides, net, len(mentors))
        # A bound the result reaches proves it too (nobody placeable, say), even unchecked.
        optimality = Optimality(bound <= total, max(bound, total), relative_gap(total, bound), METHOD)
    return Solution(
        groups=tuple((int(m), int(e)) for m, e in zip(mentors, mentees, strict=True)),
        scores=tuple(float(s) for s in scores),
        optimality=optimality,
    )


def _weight_bound(pop: Population, params: MatchParams, sides: Sides, net: Network, placed: int) -> float:
    """No matching of `placed` mentees beats the sum of the `placed` largest per-mentee bests
    (load penalties only lower the objective, so this bounds it too)."""
    bonus = (pop.functions[sides.mentees] >= 0) * max(0, units(params.cross_function_bonus))
    best = best_values(pop, sides.mentors, sides.mentees) + bonus
    np.maximum.at(best, net.pairs.mentee, net.weight)  # wished-for pairs may do better still
    return float(np.sort(best)[::-1][:placed].sum()) / SCALE
