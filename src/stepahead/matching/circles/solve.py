"""Circles mode: peer groups of 3 to 5 where everyone gives and receives (spec matching-v1).

Small pools are solved exactly (every valid circle enumerated, then integer programming). Larger
pools get a deterministic heuristic: each person's likely circle-mates come from one scan over
all pairs; circles are grown greedily around the hardest-to-place people first; then local search
seats the unplaced, swaps them in, moves members, breaks up small circles and regroups pairs of
neighbouring circles (in large pools also rotating members around three circles of similar
grades), always placing more people or placing as many with a higher score. The
result carries an honest upper bound.
"""

from __future__ import annotations

import numpy as np

from .._model import MatchParams, Optimality, relative_gap
from .._population import FloatArray, IntArray, Population
from .._solution import Progress, Solution, Stop, never, within
from .board import LARGE_PEERS_PER_PERSON, PEERS_PER_PERSON, Board, Peers, find_peers
from .bound import EVEN, bound_shares, upper_bound
from .build import build
from .columns import improve_by_columns
from .exact import exact_circles
from .existence import circle_exists
from .moves import LARGE_NEAR_PEERS, NEAR_PEERS, disband, insert_unplaced, relocate, swap_in
from .regroup import LARGE_REGROUP_PEERS, REGROUP_PEERS, regroup
from .repair import repair
from .trade import trade_in_windows
from .windows import regroup_in_windows

MAX_PASSES = 40
# How many of a person's nearest free peers are tried for a new circle: all subsets of 2 to 4.
NARROW, WIDE, SMALL_POOL = 8, 12, 200
# Regions repaired in all (each is a small exact solve, tens of milliseconds). In large pools they
# rarely find more than the other moves do, so they get a small budget.
MAX_REPAIRS, SMALL_POOL_REPAIRS = 150, 120
EXACT_METHOD = "all valid circles enumerated, packed by integer programming (proven)"
CATALOGUE_METHOD = (
    "all valid circles enumerated; bound: their LP relaxation (column generation), "
    "packing: neighbourhood search and integer programming"
)
SHARE_BOUND = (
    "each member's best possible contribution, colleagues charged the function bonus they cost, "
    "the bonus capped by how many circles can mix functions"
)
SEARCH_METHOD = f"greedy circles and local search; bound: {SHARE_BOUND}"
IMPROVED = "greedy circles and local search, improved by integer programming over priced circles"
COLUMNS_METHOD = f"{IMPROVED}; bound: LP relaxation over every valid circle (column generation)"
# When the pricing search cannot prove the LP (larger pools), its columns still improve the circles.
PRICED_METHOD = f"{IMPROVED}; bound: {SHARE_BOUND}"
# Up to this many people the LP over every valid circle is solved by column generation (seconds).
COLUMNS_PEOPLE = 200
SEARCH_SHARE = 0.3  # of the progress bar, where that check follows the search


def solve_circles(pop: Population, params: MatchParams, progress: Progress, stop: Stop = never) -> Solution:
    progress("Forming circles", 0.0)
    exact = exact_circles(pop, params, stop)
    if exact is not None:
        total = float(exact.scores.sum())
        placed = int((exact.rows >= 0).sum())
        bound = max(min(exact.score_bound, upper_bound(pop, params, pop.size)), total)
        # A packing that reaches both bounds is optimal even when the integer solve stopped early.
        proven = exact.proven or (placed == exact.placed_bound and (placed == 0 or bound <= total + 1e-9))
        bound = total if proven else bound
        method = EXACT_METHOD if proven else CATALOGUE_METHOD
        progress("Circles formed", 1.0)
        return _solution(
            exact.rows,
            exact.scores,
            Optimality(proven, bound, relative_gap(total, bound), method, exact.placed_bound),
        )
    checked = pop.size <= COLUMNS_PEOPLE  # against every valid circle, which takes the longest
    shown = within(progress, 0.0, SEARCH_SHARE) if checked else progress
    per_person = PEERS_PER_PERSON if pop.size <= SMALL_POOL else LARGE_PEERS_PER_PERSON
    peers = find_peers(pop, params, lambda done: shown("Finding likely circle-mates", 0.2 * done), per_person)
    shown("Forming circles", 0.2)
    shares = bound_shares(pop, params)
    seatable: dict[int, bool] = {}  # whether some valid circle could hold a person, once asked
    board = search(pop, params, peers, shown, stop, worth=shares.shares[:, EVEN], seatable=seatable)
    alive = board.circles()
    rows, scores = board.members[alive], board.score[alive]
    placed = int((rows >= 0).sum())
    bound = upper_bound(pop, params, placed, shares)
    most = placed + placeable(pop, params, board.unplaced, stop, seatable)
    method = SEARCH_METHOD
    columns = (
        improve_by_columns(pop, params, rows, stop, within(progress, SEARCH_SHARE, 1.0)) if checked else None
    )
    if columns is not None:  # the LP over every valid circle, where proven: a far tighter bound
        rows, scores = columns.rows, columns.scores
        method = COLUMNS_METHOD if np.isfinite(columns.score_bound) else PRICED_METHOD
        bound, most = min(bound, columns.score_bound), min(most, columns.placed_bound)
    total, placed = float(scores.sum()), int((rows >= 0).sum())
    progress("Circles formed", 1.0)
    proven = (placed >= most and bound <= total + 1e-9) or (columns is not None and columns.proven)
    optimality = Optimality(proven, max(bound, total), relative_gap(total, bound), method, most)
    return _solution(rows, scores, optimality)


def placeable(
    pop: Population, params: MatchParams, unplaced: IntArray, stop: Stop, known: dict[int, bool] | None = None
) -> int:
    """How many of the unplaced some valid circle might hold (all not yet looked at once stopped).
    `known`: the answers the search already had (and keeps the new ones)."""
    known = {} if known is None else known
    count = 0
    for k, person in enumerate(unplaced.tolist()):
        if stop():
            return count + len(unplaced) - k
        count += _may_hold(pop, params, person, known)
    return count


def _may_hold(pop: Population, params: MatchParams, person: int, known: dict[int, bool]) -> bool:
    """Whether some valid circle might hold the person (an undecided search counts as yes), asked
    once per person: the answer depends on the pool alone, not on the circles formed."""
    if person not in known:
        known[person] = circle_exists(pop, params, person) is not False
    return known[person]


def search(
    pop: Population,
    params: MatchParams,
    peers: Peers,
    progress: Progress,
    stop: Stop = never,
    worth: FloatArray | None = None,
    seatable: dict[int, bool] | None = None,
) -> Board:
    """Greedy circles, then local search. In large pools, where no exact solve follows, people
    open the circle that falls least short of their `worth` (the bound's even shares). `seatable`:
    whether some valid circle could hold a person, as far as asked (filled in by the repairs)."""
    board = Board(pop.size)
    order = seed_order(pop, peers, params.seed)
    small = pop.size <= SMALL_POOL
    width = WIDE if small else NARROW
    worth = None if small else worth
    build(pop, params, peers, board, order, width, worth)
    focus = np.arange(pop.size, dtype=np.int64)
    repairs = 0
    seatable = {} if seatable is None else seatable
    for round_ in range(MAX_PASSES):
        if stop():  # the caller's budget is spent: the circles so far are valid
            break
        progress("Improving circles", 0.5 + 0.5 * round_ / MAX_PASSES)
        board.take_focus(peers)
        changed = insert_unplaced(pop, params, peers, board)
        changed += build(pop, params, peers, board, order, width, worth)
        changed += swap_in(pop, params, peers, board)
        changed += relocate(pop, params, peers, board, focus, NEAR_PEERS if small else LARGE_NEAR_PEERS)
        changed += disband(pop, params, peers, board)
        changed += regroup(pop, params, peers, board, focus, REGROUP_PEERS if small else LARGE_REGROUP_PEERS)
        budget = (SMALL_POOL_REPAIRS if small else MAX_REPAIRS) - repairs
        anchors = _anchors(board, order, focus, small)
        most = max(0, budget)
        anchors = anchors[:most] if small else _seatable(pop, params, anchors, seatable, most)
        repairs += len(anchors)
        changed += repair(pop, params, peers, board, anchors)
        if not changed:
            break
        focus = board.take_focus(peers)
    if not small:  # beyond one's peers: circles of nearby grades trade members
        trade_in_windows(pop, params, board, stop)
        regroup_in_windows(pop, params, board, stop)
    return board


def _anchors(board: Board, order: IntArray, focus: IntArray, small: bool) -> IntArray:
    """Where to repair: around the unplaced, hardest first; in small pools around every circle
    too. Only where something changed since the last round."""
    in_focus = np.zeros(len(board.circle_of), dtype=bool)
    in_focus[focus] = True  # elsewhere nothing changed since the last repair there
    unplaced = order[(board.circle_of[order] < 0) & in_focus[order]]
    if not small:
        return unplaced
    seated = order[(board.circle_of[order] >= 0) & in_focus[order]]
    _, first = np.unique(board.circle_of[seated], return_index=True)  # one anchor per circle
    return np.concatenate([unplaced, seated[np.sort(first)]])


def _seatable(
    pop: Population, params: MatchParams, anchors: IntArray, known: dict[int, bool], most: int
) -> IntArray:
    """The first `most` anchors some valid circle might hold (each asked once, remembered in
    `known`; none asked once `most` are found). In large pools repairs are only around the
    unplaced, and most of those no circle can hold (10k people, a pyramid: 87 left out, none
    placeable): a repair there can only reshuffle circles nearby, 150 of them 15 s for +0.5 score
    (AMD EPYC)."""
    keep: list[int] = []
    for person in anchors.tolist():
        if len(keep) >= most:
            break
        if _may_hold(pop, params, person, known):
            keep.append(person)
    return np.array(keep, dtype=np.int64)


def seed_order(pop: Population, peers: Peers, seed: int) -> IntArray:
    """People with the fewest likely circle-mates first; ties in a seeded, reproducible order."""
    shuffle = np.random.default_rng(seed).permutation(pop.size)
    order: IntArray = np.lexsort((shuffle, np.diff(peers.starts)))
    return order


def _solution(rows: IntArray, scores: FloatArray, optimality: Optimality) -> Solution:
    groups = [tuple(sorted(int(p) for p in row if p >= 0)) for row in rows]
    order = sorted(range(len(groups)), key=lambda i: groups[i])
    return Solution(
        groups=tuple(groups[i] for i in order),
        scores=tuple(float(scores[i]) for i in order),
        optimality=optimality,
    )
