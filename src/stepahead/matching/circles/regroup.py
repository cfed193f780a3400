"""Regrouping two neighbouring circles: their members are split into two new circles in every way
that seats them all (sizes 3 to 5), and the best split replaces the pair when it scores more.

This finds what single moves and swaps cannot: two or three members changing sides at once, or
a circle of four and one of five trading so that both reach a better mix of givers and functions.
Ten people split into two circles of five have 126 splits; all are judged in one batch."""

from __future__ import annotations

from itertools import combinations
from typing import Any

import numpy as np

from .._kernels import numba
from .._model import MatchParams
from .._population import FloatArray, IntArray, Population
from .._rules import allowed, compiled, compiled_parallel, key_in
from .board import Board, Peers, distinct
from .moves import GAIN, circles_near, take_disjoint
from .score import MAX_SIZE, MIN_SIZE, judge, judge_tables

# Pairs are formed with the circles of a member's nearest peers: in large pools more of them
# (10k people: +0.5-0.8 % score for ~3-4 s CPU), as the search there has no exact solve after it.
REGROUP_PEERS, LARGE_REGROUP_PEERS = 6, 14
# Pairs per task of the compiled split search (each task has its own tables; the pairs are
# independent, so the result does not depend on how many cores run them).
CHUNK = 256
_SPLITS: dict[int, tuple[IntArray, IntArray]] = {}


def splits(total: int) -> tuple[IntArray, IntArray]:
    """Every way to split `total` seats into two circles of 3 to 5, each once (seat 0 on the
    first side): (first side's seats, second side's seats), each padded with -1 to five."""
    if total not in _SPLITS:
        first, second = [], []
        for size in range(max(MIN_SIZE, total - MAX_SIZE), min(MAX_SIZE, total - MIN_SIZE) + 1):
            for rest in combinations(range(1, total), size - 1):
                side = [0, *rest]
                other = [s for s in range(total) if s not in side]
                first.append(side + [-1] * (MAX_SIZE - len(side)))
                second.append(other + [-1] * (MAX_SIZE - len(other)))
        _SPLITS[total] = (np.array(first, dtype=np.int64), np.array(second, dtype=np.int64))
    return _SPLITS[total]


def regroup(
    pop: Population,
    params: MatchParams,
    peers: Peers,
    board: Board,
    focus: IntArray,
    near_peers: int = REGROUP_PEERS,
) -> int:
    """Split each pair of neighbouring circles (one of them holding someone in `focus`, the other
    one of a member's `near_peers` nearest) in the best way; apply the best regroupings that touch
    disjoint circles. Returns how many."""
    placed = focus[board.circle_of[focus] >= 0]
    person, near = circles_near(board, peers, placed, near_peers)
    home = board.circle_of[person]
    return regroup_pairs(pop, params, board, home, near)


def regroup_pairs(pop: Population, params: MatchParams, board: Board, home: IntArray, near: IntArray) -> int:
    """Split each pair of circles (home[i], near[i]) in the best way; apply the best regroupings
    that touch disjoint circles. Returns how many."""
    pair = distinct(board.pair_keys(home, near))
    pair = pair[board.unsettled(pair)]  # the same two circles split again find the same
    first, second = np.divmod(pair, len(board.alive))
    union = np.concatenate([board.members[first], board.members[second]], axis=1)
    union = np.take_along_axis(union, np.argsort(union < 0, axis=1, kind="stable"), axis=1)
    total = (union >= 0).sum(axis=1)
    found = [_best_splits(pop, params, board, first, second, union, total, t) for t in np.unique(total)]
    if not found:
        return 0
    a, b, gain, rows_a, rows_b, score_a, score_b = (np.concatenate(part) for part in zip(*found, strict=True))
    board.settle(np.setdiff1d(pair, board.pair_keys(a, b), assume_unique=True), board.clock)
    chosen = take_disjoint(gain, a, b)
    for i in chosen:
        board.set(int(a[i]), rows_a[i], float(score_a[i]))
        board.set(int(b[i]), rows_b[i], float(score_b[i]))
    return len(chosen)


def _best_splits(
    pop: Population,
    params: MatchParams,
    board: Board,
    first: IntArray,
    second: IntArray,
    union: IntArray,
    total: IntArray,
    seats: int,
) -> tuple[IntArray, IntArray, FloatArray, IntArray, IntArray, FloatArray, FloatArray]:
    """For the pairs with `seats` members between them, their best improving split (the kernel
    scores splits from each pair's tables; the chosen ones are judged again as circles)."""
    which = np.flatnonzero(total == seats)
    side_a, side_b = splits(seats)
    people = np.ascontiguousarray(union[which, :seats])
    best = best_splits(pop, params, people, board.score[first[which]] + board.score[second[which]])
    found = np.flatnonzero(best >= 0)
    rows_a, rows_b = (_seated(people[found], side[best[found]]) for side in (side_a, side_b))
    va, vb = judge(pop, params, rows_a), judge(pop, params, rows_b)
    gain = va.score + vb.score - board.score[first[which[found]]] - board.score[second[which[found]]]
    good = np.flatnonzero(va.valid & vb.valid & (gain > GAIN))
    pick = which[found[good]]
    return first[pick], second[pick], gain[good], rows_a[good], rows_b[good], va.score[good], vb.score[good]


def best_splits(
    pop: Population, params: MatchParams, people: IntArray, floor: FloatArray | None = None
) -> IntArray:
    """For each row of `people` (the members of a pair of circles, all seats filled), the index in
    `splits` of its highest-scoring split into two valid circles, or -1 if none is valid. Given
    each pair's `floor` (the score of its two circles as they stand, both valid): also -1 where no
    split can beat that by GAIN, most of them found without scoring a split."""
    side_a, side_b = splits(people.shape[1])
    best = np.full(len(people), -1, dtype=np.int64)
    people, tables = np.ascontiguousarray(people, dtype=np.int64), judge_tables(pop, params)
    floor = np.full(len(people), -np.inf) if floor is None else np.ascontiguousarray(floor, dtype=np.float64)
    if len(people) < 2 * CHUNK:  # one core: waking the other (it then spins idle) costs more here
        sides = (side_a, side_b, _as_masks(side_a), _as_masks(side_b))
        _best_splits_of(people, floor, 0, len(people), sides, tables, best)
    else:
        _best_split_kernel(people, floor, side_a, side_b, tables, best)
    return best


def _seated(people: IntArray, seats: IntArray) -> IntArray:
    """Each pair's members at the given seats of their split (-1 stays empty)."""
    rows: IntArray = np.where(seats >= 0, np.take_along_axis(people, np.maximum(seats, 0), axis=1), -1)
    return rows


@compiled_parallel
def _best_split_kernel(people: Any, floor: Any, side_a: Any, side_b: Any, tables: Any, best: Any) -> None:
    """best[p]: the split of pair p's members with the highest total score (-1 if none valid).
    Runs on every core, a chunk of pairs per task (splits are most of a large pool's search)."""
    mask_a, mask_b = _as_masks(side_a), _as_masks(side_b)
    rules, facts, extras, weights = tables  # a parallel loop takes no nested tuples
    for c in numba.prange((people.shape[0] + CHUNK - 1) // CHUNK):
        start, stop = c * CHUNK, min((c + 1) * CHUNK, people.shape[0])
        sides = (side_a, side_b, mask_a, mask_b)
        _best_splits_of(people, floor, start, stop, sides, (rules, facts, extras, weights), best)


@compiled
def _best_splits_of(
    people: Any, floor: Any, start: int, stop: int, sides: Any, tables: Any, best: Any
) -> None:
    """best[p] for the pairs start <= p < stop. Most pairs cannot improve, and the goal tables
    cost more than scoring the splits, so two cheap questions come first: does any split other
    than the circles as they stand keep every pair within the rules, and can the best conceivable
    split (every goal met by the union's best giver) beat the floor?"""
    side_a, side_b, mask_a, mask_b = sides
    seats = people.shape[1]
    gain = np.zeros((seats, seats, 3))  # gain[x, y, g]: what y gives x in x's g-th goal
    wishes = np.zeros((seats, seats))
    functions = np.zeros(seats, dtype=np.int64)
    masks = np.zeros((3, seats), dtype=np.int64)  # per seat: may share with, gives to, receives from
    candidates = np.zeros(side_a.shape[0], dtype=np.int64)
    for p in range(start, stop):
        _compatibility(people[p], tables, wishes, functions, masks)
        count = _compatible_splits(mask_a, mask_b, masks, candidates)
        known = floor[p] > -np.inf
        if known and count <= 1:  # only the two circles as they stand
            continue
        _goal_gains(people[p], tables[1], gain, masks)
        if known and _most(gain, wishes, functions, tables[3]) <= floor[p] + GAIN / 2:
            continue
        top = -1.0
        for i in range(count):
            s = candidates[i]
            if not (_exchanges(mask_a[s], masks) and _exchanges(mask_b[s], masks)):
                continue
            total = _side_score(side_a[s], gain, wishes, functions, tables[3])
            total += _side_score(side_b[s], gain, wishes, functions, tables[3])
            if total > top:
                top, best[p] = total, s


@compiled
def _as_masks(sides: Any) -> Any:
    masks = np.zeros(sides.shape[0], dtype=np.int64)
    for s in range(sides.shape[0]):
        for seat in sides[s]:
            if seat >= 0:
                masks[s] |= 1 << seat
    return masks


@compiled
def _compatible_splits(mask_a: Any, mask_b: Any, masks: Any, candidates: Any) -> int:
    """The splits whose two sides keep every pair within the rules, into `candidates` (in
    order); how many."""
    count = 0
    for s in range(mask_a.shape[0]):
        if _compatible(mask_a[s], masks) and _compatible(mask_b[s], masks):
            candidates[count] = s
            count += 1
    return count


@compiled
def _compatible(side: int, masks: Any) -> bool:
    for x in range(masks.shape[1]):
        if side >> x & 1:
            rest = side & ~(1 << x)
            if masks[0, x] & rest != rest:
                return False
    return True


@compiled
def _exchanges(side: int, masks: Any) -> bool:
    """Every member gives to one of the others and receives from one."""
    for x in range(masks.shape[1]):
        if side >> x & 1:
            rest = side & ~(1 << x)
            if masks[1, x] & rest == 0 or masks[2, x] & rest == 0:
                return False
    return True


@compiled
def _compatibility(members: Any, tables: Any, wishes: Any, functions: Any, masks: Any) -> None:
    """Which members may share a circle (masks[0]), the wishes between them, their functions."""
    rules, _, extras, weights = tables
    grades, function_of, in_wish, wish_keys, wish_counts = extras
    seats, n = members.shape[0], grades.shape[0]
    masks[0, :] = 0
    wishes[:] = 0.0
    for x in range(seats):
        rx = members[x]
        functions[x] = function_of[rx]
        for y in range(x + 1, seats):
            ry = members[y]
            if abs(grades[rx] - grades[ry]) <= weights[2] and allowed(rules, rx, ry):
                masks[0, x] |= 1 << y
                masks[0, y] |= 1 << x
                at = key_in(wish_keys, min(rx, ry) * n + max(rx, ry)) if in_wish[rx] and in_wish[ry] else -1
                wishes[x, y] = wish_counts[at] if at >= 0 else 0.0


@compiled
def _goal_gains(members: Any, facts: Any, gain: Any, masks: Any) -> None:
    """gain[x, y, g]: what y gives x in x's g-th goal; who gives to (masks[1]) and receives from
    (masks[2]) whom."""
    levels, goals, own, utility, priority = facts
    seats, top = members.shape[0], utility.shape[0] - 1
    masks[1:, :] = 0
    for x in range(seats):
        rx = members[x]
        for g in range(goals.shape[1]):
            skill, mine = goals[rx, g], int(own[rx, g])
            for y in range(seats):
                gap = int(levels[members[y], skill]) - mine
                ahead = gap > 0 and x != y
                gain[x, y, g] = priority[g] * utility[min(gap, top)] if ahead else 0.0
                if ahead:
                    masks[1, y] |= 1 << x
                    masks[2, x] |= 1 << y


@compiled
def _most(gain: Any, wishes: Any, functions: Any, weights: Any) -> float:
    """At least any split's score: each goal met by the best giver among all the members, every
    wish between them granted, and as many functions on each side as the union allows."""
    seats, goals_total, wished = gain.shape[0], 0.0, 0.0
    for x in range(seats):
        for g in range(gain.shape[2]):
            top = 0.0
            for y in range(seats):
                top = max(top, gain[x, y, g])
            goals_total += top
        for y in range(x + 1, seats):
            wished += max(wishes[x, y], 0.0)
    spread, unknown = 0, False  # a function counts on both sides at most: min(members, 2)
    for x in range(seats):
        unknown = unknown or functions[x] < 0
        same, first = 0, True
        for y in range(seats):
            same += functions[y] == functions[x]
            first = first and not (y < x and functions[y] == functions[x])
        spread += min(same, 2) if first and functions[x] >= 0 else 0
    # Both sides have a known function unless someone's is unknown: a bonus each for the rest.
    bonuses = max(spread - (1 if unknown else 2), 0)
    return float(goals_total + max(weights[0], 0.0) * bonuses + max(weights[1], 0.0) * wished)


@compiled
def _side_score(side: Any, gain: Any, wishes: Any, functions: Any, weights: Any) -> float:
    """The score of a split side that forms a circle."""
    total, wish_count, distinct = 0.0, 0.0, 0
    for i in range(side.shape[0]):
        x = side[i]
        if x < 0:
            break
        seen = functions[x] < 0
        for j in range(i):
            seen = seen or functions[side[j]] == functions[x]
            wish_count += wishes[side[j], x]
        distinct += 0 if seen else 1
        for g in range(gain.shape[2]):
            top = 0.0
            for j in range(side.shape[0]):
                if side[j] >= 0:
                    top = max(top, gain[x, side[j], g])
            total += top
    return float(total + weights[0] * max(distinct - 1, 0) + weights[1] * wish_count)
