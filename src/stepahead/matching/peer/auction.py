"""The bound's relaxation by an ε-scaling auction (numba).

The relaxation is the assignment on the double cover (`peer.relaxation`): everyone is a giver
and a receiver, a pair A–B the arcs A→B and B→A, and A→A "A stays unmatched". In an auction each
receiver j has a price p_j; an unassigned giver bids for the receiver j worth most to it
(value − p_j), raising p_j by how much better it is than the giver's second best, plus ε. At
the end every giver holds a receiver within ε of its best (ε-complementary slackness); ε falls
phase by phase, each phase starting from the prices the last one left.

Why the bound stays valid whatever the auction did: the prices returned are P_i = π_i + p_i with
π_i = max over i's arcs of (value − p_j), worked out afresh at the end, so
P_a + P_b ≥ (w − p_b) + p_a + (w − p_a) + p_b = 2w for every listed pair and P_i ≥ 0 (the self
arc) (`_prices`). ε only decides how close they are to the optimum: ε-slackness on every giver
puts their sum within n·ε of the assignment found, so the bound loosens by n·ε / 2 units at most.

At 100k people (standard shape, load 8) it takes 2-4 s of CPU where OR-Tools' assignment on
coarsened units took 12-54 s, and its bound is tighter (no coarsening). Started warm from the
last round's prices at the final ε it took longer than cold (13 s against 3.5 s: price wars
among the people the new pairs touch), and no faster with more phases, so every round is cold."""

from __future__ import annotations

import numpy as np

from .._kernels import numba
from .._population import IntArray
from .graph import PairList
from .relaxation import Relaxation

# The final ε, in weight units (1e-6 of a score point): the bound loosens by n·ε / 2 units at
# most, 0.8 score points at 100k people (about 0.001% of the bound there).
EPSILON = 16
_SCALING = 6  # ε falls by this factor per phase of a cold solve
_NONE = -(2**62)  # "no arc": below any value minus any price


def auction_relaxation(pairs: PairList, n: int, epsilon: int = EPSILON) -> Relaxation:
    """The weight-only relaxation of `pairs` (values in weight units, nobody's self arc worth
    anything, the dummy n on its own): prices within n·ε of the optimum, an assignment to round."""
    starts, heads, values = _arcs(pairs, n)
    price = np.zeros(n, dtype=np.int64)
    top = int(values.max(initial=0))
    assigned = _bid(starts, heads, values, price, _schedule(max(top // _SCALING, epsilon), epsilon))
    arc_value = np.append(_held_value(starts, heads, values, assigned), 0)
    prices = np.append(_prices(starts, heads, values, price), 0)  # the dummy: worth nothing here
    return Relaxation(np.append(assigned, n), arc_value, prices)


def _schedule(first: int, last: int) -> IntArray:
    """ε per phase: from `first` down by _SCALING each phase, ending exactly at `last`."""
    steps = [max(first, last)]
    while steps[-1] > last:
        steps.append(max(last, steps[-1] // _SCALING))
    return np.array(steps, dtype=np.int64)


def _arcs(pairs: PairList, n: int) -> tuple[IntArray, IntArray, IntArray]:
    """Arcs by giver (CSR): both directions of every pair, and each person's self arc (worth 0)."""
    people = np.arange(n, dtype=np.int64)
    tails = np.concatenate([pairs.a, pairs.b, people])
    heads = np.concatenate([pairs.b, pairs.a, people])
    values = np.concatenate([pairs.units, pairs.units, np.zeros(n, dtype=np.int64)])
    order = np.argsort(tails, kind="stable")
    starts = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(tails, minlength=n), out=starts[1:])
    return starts, heads[order].astype(np.int64), values[order].astype(np.int64)


@numba.njit(cache=True, nogil=True)
def _best_two(
    starts: IntArray, heads: IntArray, values: IntArray, price: IntArray, i: int
) -> tuple[int, int, int]:
    """Giver i's best receiver, its net value (value − price) and the second best net value
    (`_NONE` when i has a single arc)."""
    best, second, target = _NONE, _NONE, -1
    for arc in range(starts[i], starts[i + 1]):
        net = values[arc] - price[heads[arc]]
        if net > best:
            best, second, target = net, best, heads[arc]
        elif net > second:
            second = net
    return target, best, second


@numba.njit(cache=True, nogil=True)
def _bid(
    starts: IntArray,
    heads: IntArray,
    values: IntArray,
    price: IntArray,
    schedule: IntArray,
) -> IntArray:
    """Gauss-Seidel forward auction from nobody assigned (every round is cold), one phase per ε
    of `schedule`; `price` is updated in place. Returns the receiver each giver holds. Each phase
    first frees the givers that are not within its ε of their best, then bids until every giver
    holds a receiver. Each phase ends: every giver has its self arc, so a full assignment exists."""
    n = price.shape[0]
    assigned = np.full(n, -1, dtype=np.int64)
    owner = np.full(n, -1, dtype=np.int64)  # giver per receiver
    queue = np.empty(n, dtype=np.int64)  # a ring: each free giver is in it once
    for eps in schedule:
        held = 0
        for i in range(n):
            if assigned[i] >= 0 and _slack(starts, heads, values, price, i, assigned[i]) > eps:
                owner[assigned[i]] = -1
                assigned[i] = -1
            if assigned[i] < 0:
                queue[held] = i
                held += 1
        head = 0
        while held:
            i = queue[head]
            head = (head + 1) % n
            held -= 1
            target, best, second = _best_two(starts, heads, values, price, i)
            if second == _NONE:
                second = best  # nobody else can want its only receiver more than it does
            price[target] += best - second + eps
            loser = owner[target]
            owner[target], assigned[i] = i, target
            if loser >= 0:
                assigned[loser] = -1
                queue[(head + held) % n] = loser
                held += 1
    return assigned


@numba.njit(cache=True, nogil=True)
def _slack(starts: IntArray, heads: IntArray, values: IntArray, price: IntArray, i: int, j: int) -> int:
    """How much better giver i's best arc is than its arc to j (which it holds)."""
    best, held = _NONE, _NONE
    for arc in range(starts[i], starts[i + 1]):
        net = values[arc] - price[heads[arc]]
        best = max(best, net)
        if heads[arc] == j:
            held = net
    return best - held


@numba.njit(cache=True, nogil=True)
def _held_value(starts: IntArray, heads: IntArray, values: IntArray, assigned: IntArray) -> IntArray:
    """The value of the arc each giver holds (0 for its self arc)."""
    n = assigned.shape[0]
    held = np.zeros(n, dtype=np.int64)
    for i in range(n):
        for arc in range(starts[i], starts[i + 1]):
            if heads[arc] == assigned[i]:
                held[i] = values[arc]
    return held


@numba.njit(cache=True, nogil=True)
def _prices(starts: IntArray, heads: IntArray, values: IntArray, price: IntArray) -> IntArray:
    """P_i = π_i + p_i with π_i = max over i's arcs of value − p_j: a feasible dual whatever the
    prices (P_a + P_b ≥ 2·w_ab for every arc, P_i ≥ the self arc's value)."""
    n = price.shape[0]
    out = np.empty(n, dtype=np.int64)
    for i in range(n):
        best = _NONE
        for arc in range(starts[i], starts[i + 1]):
            best = max(best, values[arc] - price[heads[arc]])
        out[i] = best + price[i]
    return out
