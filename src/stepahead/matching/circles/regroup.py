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
from .board import Board, Peers
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
    pair = np.unique(board.pair_keys(home, near))
    pair = pair[board.unsettled(pair)]  # the same two circles split again find the same
    first, second = np.divmod(pair, len(board.alive))
    union = np.concatenate([board.members[first], board.members[second]], axis=1)
    union = np.take_along_axis(union, np.argsort(union < 0, axis=1, kind="stable"), axis=1)
    total = (union >= 0).sum(axis=1)
    found = [_best_splits(pop, params, board, first, second, union, total, t) for t in np.unique(total)]
    if not found:
        return 0
    a, b, gain, rows_a, rows_b, score_a, score_b = (np.concatenate(part) for part in zip(*found, strict=True))
    board.settle(np.setdiff1d(pair, board.pair_keys(a, b)), board.clock)
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
    best = best_splits(pop, params, people)
    found = np.flatnonzero(best >= 0)
    rows_a, rows_b = (_seated(people[found], side[best[found]]) for side in (side_a, side_b))
    va, vb = judge(pop, params, rows_a), judge(pop, params, rows_b)
    gain = va.score + vb.score - board.score[first[which[found]]] - board.score[second[which[found]]]
    good = np.flatnonzero(va.valid & vb.valid & (gain > GAIN))
    pick = which[found[good]]
    return first[pick], second[pick], gain[good], rows_a[good], rows_b[good], va.score[good], vb.score[good]


def best_splits(pop: Population, params: MatchParams, people: IntArray) -> IntArray:
    """For each row of `people` (the members of a pair of circles, all seats filled), the index in
    `splits` of its highest-scoring split into two valid circles, or -1 if none is valid."""
    side_a, side_b = splits(people.shape[1])
    best = np.full(len(people), -1, dtype=np.int64)
    people, tables = np.ascontiguousarray(people, dtype=np.int64), judge_tables(pop, params)
    if len(people) < 2 * CHUNK:  # one core: waking the other (it then spins idle) costs more here
        sides = (side_a, side_b, _as_masks(side_a), _as_masks(side_b))
        _best_splits_of(people, 0, len(people), sides, tables, best)
    else:
        _best_split_kernel(people, side_a, side_b, tables, best)
    return best


def _seated(people: IntArray, seats: IntArray) -> IntArray:
    """Each pair's members at the given seats of their split (-1 stays empty)."""
    rows: IntArray = np.where(seats >= 0, np.take_along_axis(people, np.maximum(seats, 0), axis=1), -1)
    return rows


@compiled_parallel
def _best_split_kernel(people: Any, side_a: Any, side_b: Any, tables: Any, best: Any) -> None:
    """best[p]: the split of pair p's members with the highest total score (-1 if none valid).
    Runs on every core, a chunk of pairs per task (splits are most of a large pool's search)."""
    mask_a, mask_b = _as_masks(side_a), _as_masks(side_b)
    rules, facts, extras, weights = tables  # a parallel loop takes no nested tuples
    for c in numba.prange((people.shape[0] + CHUNK - 1) // CHUNK):
        start, stop = c * CHUNK, min((c + 1) * CHUNK, people.shape[0])
        sides = (side_a, side_b, mask_a, mask_b)
        _best_splits_of(people, start, stop, sides, (rules, facts, extras, weights), best)


@compiled
def _best_splits_of(people: Any, start: int, stop: int, sides: Any, tables: Any, best: Any) -> None:
    """best[p] for the pairs start <= p < stop."""
    side_a, side_b, mask_a, mask_b = sides
    seats = people.shape[1]
    gain = np.zeros((seats, seats, 3))  # gain[x, y, g]: what y gives x in x's g-th goal
    wishes = np.zeros((seats, seats))
    functions = np.zeros(seats, dtype=np.int64)
    masks = np.zeros((3, seats), dtype=np.int64)  # per seat: may share with, gives to, receives from
    for p in range(start, stop):
        _pair_tables(people[p], tables, gain, wishes, functions, masks)
        top = -1.0
        for s in range(side_a.shape[0]):
            if not (_forms_circle(mask_a[s], masks) and _forms_circle(mask_b[s], masks)):
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
def _forms_circle(side: int, masks: Any) -> bool:
    """Every member may share a circle with the others, gives to one of them and receives."""
    for x in range(masks.shape[1]):
        if side >> x & 1:
            rest = side & ~(1 << x)
            if masks[0, x] & rest != rest or masks[1, x] & rest == 0 or masks[2, x] & rest == 0:
                return False
    return True


@compiled
def _pair_tables(members: Any, tables: Any, gain: Any, wishes: Any, functions: Any, masks: Any) -> None:
    rules, facts, extras, weights = tables
    levels, goals, own, utility, priority = facts
    grades, function_of, in_wish, wish_keys, wish_counts = extras
    seats, n = members.shape[0], grades.shape[0]
    masks[:] = 0
    for x in range(seats):
        rx = members[x]
        functions[x] = function_of[rx]
        for y in range(seats):
            ry = members[y]
            for g in range(goals.shape[1]):
                gap = int(levels[ry, goals[rx, g]]) - int(own[rx, g])
                ahead = gap > 0 and x != y
                gain[x, y, g] = priority[g] * utility[min(gap, utility.shape[0] - 1)] if ahead else 0.0
                if ahead:
                    masks[1, y] |= 1 << x
                    masks[2, x] |= 1 << y
            if y > x and abs(grades[rx] - grades[ry]) <= weights[2] and allowed(rules, rx, ry):
                masks[0, x] |= 1 << y
                masks[0, y] |= 1 << x
                at = key_in(wish_keys, min(rx, ry) * n + max(rx, ry)) if in_wish[rx] and in_wish[ry] else -1
                wishes[x, y] = wish_counts[at] if at >= 0 else 0.0


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
