"""An upper bound on circle score when the LP over every valid circle is out of reach: each
person's best possible share of any valid circle holding them, the largest `placed` of them summed.

A circle's score splits into its members' shares: each member's goal score, an equal share of
the function bonus (0.25 · (distinct functions − 1) / size) and half of each wish they share
with someone they may sit with. So no packing placing `placed` people scores more than the
`placed` largest best shares. A person's best share is worked out jointly for goals and
functions, since the two pull apart: a goal is often best met by someone of the person's own
function, who then adds no function to the circle. For each grade window a circle holding the
person could sit in, and each function (or none), the best each of their goals could get from
someone of that function in the window who shares a language with them (the other hard rules
left out: a bound over more circles is still one); then the best over every set of up to four
co-members' functions of the goal score they could give plus the function bonus share they bring.

The function bonus can be split among members in more than one way, and each split gives a bound:
evenly (each member 1/size of it), or credited to the members whose function nobody else in the
circle has. A circle's bonus is 0.25 · (size − 1 − excess), excess being its members beyond the
first of each function (and everyone without one); a member sharing their function with m − 1
others stands for at least 1 − 1/m ≥ 1/2 of that excess, one without a function for
(size − 1)/size. So a member gets 0.25 · ((size − 1)/size − their part of the excess): at most 0.2
alone in their function, 0.075 with a colleague of the same function. The second split charges
goals met by one's own function more, and is the tighter bound where goals are mostly met
within a function (many skills, specialisms by function); the bound is the lower of the two.

Both splits let each member claim their best circle alone, so two colleagues can each count on
the other while only one gains: colleagues.py charges colleague groups the bonus they cost, from
the same windows (`window_facts`), and the bound is the lowest of the three.

Every member claiming their best share also lets every circle have all-different functions,
which a large function cannot give: m of one function in k circles leave m − k beside a colleague.
Counted over the whole packing, a circle's bonus is 0.25 · (its functions − 1), so with K circles
holding someone of a function the packing's bonus is at most 0.25 · (Σ_f min(n_f, K) − K) for n_f
people of function f; that is largest at K = the second largest n_f (fewer circles if `placed`
makes fewer). Added to each person's best goals (and wishes), this is a fourth bound: the lowest
where one function is most of the pool (at 10k people of one independently built family, 17,698
against 18,108 for the splits).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from typing import Any

import numpy as np

from .._kernels import numba
from .._model import MAX_GOALS, MAX_LEVEL, MatchParams
from .._population import FloatArray, IntArray, Population, hard_rules_mask
from .._rules import compiled
from .._scoring import PRIORITY_WEIGHTS
from .colleagues import colleague_bound
from .score import MAX_SIZE, MIN_SIZE

_SETS: dict[int, tuple[IntArray, IntArray]] = {}


# Columns of `split_shares`: the function bonus split evenly, or credited to unique functions.
EVEN, UNIQUE = 0, 1
# Least part of a circle's excess a member sharing their function stands for (1 − 1/m, m ≥ 2).
SHARED_EXCESS = 0.5


@dataclass(frozen=True, slots=True)
class WindowFacts:
    """What the bound reads off the grade windows, per person (wishes apart)."""

    split: FloatArray  # (n, 2): best share in any valid circle per split (columns EVEN, UNIQUE)
    alone: FloatArray  # best goal score with nobody of one's function beside; -inf: no such circle
    goal: FloatArray  # best goal score in any circle (kind counts aside: a bound)
    # others[x, w, g]: the most anyone of another function (or none) in window w gives x's g-th
    # goal; nan where x is not in window w, whose grades run from `first + w` up the band.
    others: FloatArray
    first: int


@dataclass(frozen=True, slots=True)
class ShareBound:
    shares: FloatArray  # (n, 2): each person's best share, wishes included, per split
    wishes: FloatArray
    facts: WindowFacts


def upper_bound(pop: Population, params: MatchParams, placed: int, found: ShareBound | None = None) -> float:
    """No packing placing `placed` people scores more than this: the lower of the two splits, and
    of the colleague bound (colleagues.py). `found`: `bound_shares(pop, params)`, when the caller
    has them already."""
    found = bound_shares(pop, params) if found is None else found
    top = np.sort(found.shares, axis=0)[::-1][:placed]
    shares = float(top.sum(axis=0).min()) if len(top) else 0.0
    colleagues = colleague_bound(pop, params, found.facts, found.shares[:, UNIQUE], found.wishes, placed)
    return min(shares, colleagues, counted_bound(pop, params, placed, found))


def counted_bound(pop: Population, params: MatchParams, placed: int, found: ShareBound) -> float:
    """The `placed` largest best goal scores (wishes included), plus the most function bonus any
    packing placing `placed` people could have, counting circles against function sizes."""
    goals = float(np.sort(found.facts.goal + found.wishes)[::-1][:placed].sum())
    sizes = np.sort(np.bincount(pop.functions[pop.functions >= 0]))
    circles = np.arange(placed // MIN_SIZE + 1)  # K: circles holding someone with a function
    below = np.searchsorted(sizes, circles, side="right")  # functions with n_f <= K
    seated = np.concatenate([[0], np.cumsum(sizes)])[below] + circles * (len(sizes) - below)
    distinct = np.minimum(seated, placed) - circles  # Σ_f min(n_f, K), nobody seated twice
    return goals + max(0.0, float(params.cross_function_bonus)) * float(distinct.max(initial=0))


def bound_shares(pop: Population, params: MatchParams) -> ShareBound:
    """Each person's most in any valid circle, wishes included, per split (columns EVEN, UNIQUE)."""
    facts = window_facts(pop, params)
    wishes = wish_shares(pop, params)
    return ShareBound(facts.split + wishes[:, None], wishes, facts)


def wish_shares(pop: Population, params: MatchParams) -> FloatArray:
    """Half of each wish bonus a person is part of, counting only pairs that may share a circle
    (hard rules, grade band): the others are never in one circle."""
    shares = np.zeros(pop.size, dtype=np.float64)
    if not len(pop.wish_keys):
        return shares
    a, b = np.divmod(pop.wish_keys, pop.size)
    together = hard_rules_mask(pop, a, b) & (np.abs(pop.grades[a] - pop.grades[b]) <= params.circle_band)
    half = max(0.0, params.wish_bonus) * pop.wish_counts * together / 2
    np.add.at(shares, a, half)
    np.add.at(shares, b, half)
    return shares


def split_shares(pop: Population, params: MatchParams) -> FloatArray:
    """Each person's most goal score plus function bonus share in any valid circle (wishes apart),
    for each split of the bonus: columns EVEN and UNIQUE."""
    return window_facts(pop, params).split


def window_facts(pop: Population, params: MatchParams) -> WindowFacts:
    """Each person's best shares over the grade windows a circle holding them could sit in, their
    best goal scores with and without a colleague, and what other functions could give them."""
    first = int(pop.grades.min(initial=0)) - params.circle_band
    windows = max(0, int(pop.grades.max(initial=0)) + 1 - first)
    best = np.zeros((pop.size, 2), dtype=np.float64)
    alone, goal = np.full(pop.size, -np.inf), np.zeros(pop.size)
    others = np.full((pop.size, windows, MAX_GOALS), np.nan)
    kinds = int(pop.functions.max(initial=-1)) + 2  # each function, and "none" last
    kind = np.where(pop.functions >= 0, pop.functions, kinds - 1).astype(np.int64)
    bonus = max(0.0, float(params.cross_function_bonus))
    tables = (kinds, *function_sets(kinds), bonus, np.asarray(PRIORITY_WEIGHTS, dtype=np.float64))
    for w in range(windows):
        inside = np.flatnonzero((pop.grades >= first + w) & (pop.grades <= first + w + params.circle_band))
        if len(inside) < MIN_SIZE:
            continue
        reach, count = _window(pop, kind[inside], kinds, inside)
        share = np.zeros((len(inside), 2))
        _best_sets(reach, count, kind[inside], *tables, share)
        best[inside] = np.maximum(best[inside], share)
        mine = np.arange(len(inside)), kind[inside]
        goal[inside] = np.maximum(goal[inside], reach.max(axis=1) @ tables[-1])
        count[mine], reach[mine] = 0, 0.0  # nobody of one's own function: what others give
        others[inside, w] = reach.max(axis=1)
        share[:] = 0.0
        _best_sets(reach, count, kind[inside], *tables, share)
        some = count.sum(axis=1) >= MIN_SIZE - 1  # others enough for a circle
        solo = share[:, UNIQUE] - bonus * (MAX_SIZE - 1) / MAX_SIZE  # less the bonus share alone
        alone[inside] = np.where(some, np.maximum(alone[inside], solo), alone[inside])
    return WindowFacts(best, alone, goal, others, first)


def _window(pop: Population, kind: IntArray, kinds: int, inside: IntArray) -> tuple[FloatArray, IntArray]:
    """For the people of one grade window: reach[x, k, g], the most x's g-th goal could get from
    someone of kind k in the window who shares a language with x (or where either lists none),
    and count[x, k], how many such people of kind k there are besides x."""
    tongues, group = np.unique(pop.languages[inside], axis=0, return_inverse=True)
    group = group.ravel()
    speaks = (tongues != 0).any(axis=1)
    shared = (tongues[:, None, :] & tongues[None, :, :] != 0).any(axis=2)
    fits = shared | ~speaks[:, None] | ~speaks[None, :]  # [group, group]: may sit together
    levels = pop.levels[inside]
    skills = np.arange(levels.shape[1])[None, :]
    present = np.zeros((len(tongues), kinds, levels.shape[1], MAX_LEVEL + 1), dtype=bool)
    present[group[:, None], kind[:, None], skills, levels] = True
    steps = np.arange(MAX_LEVEL + 1)
    gain = pop.utility[np.clip(steps[:, None] - steps[None, :], 0, MAX_LEVEL)]  # [theirs, own]
    best = (present[..., None] * gain).max(axis=3)  # [group, kind, skill, own level]
    reach = np.zeros((len(inside), kinds, 3))
    count = np.zeros((len(inside), kinds), dtype=np.int64)
    sizes = np.zeros((len(tongues), kinds), dtype=np.int64)
    np.add.at(sizes, (group, kind), 1)
    goals, own = pop.goals[inside], pop.own[inside]
    for g in range(len(tongues)):
        mine = np.flatnonzero(group == g)
        near = fits[g]
        reach[mine] = best[near][:, :, goals[mine], own[mine]].max(axis=0).transpose(1, 0, 2)
        count[mine] = sizes[near].sum(axis=0)
    count[np.arange(len(inside)), kind] -= 1  # not x itself
    return reach, count


def function_sets(kinds: int) -> tuple[IntArray, IntArray]:
    """Every set of 1 to 4 kinds (co-members' functions, "none" being the last kind): rows of kind
    indices padded with -1, and their sizes."""
    if kinds not in _SETS:
        rows = [
            list(s) + [-1] * (MAX_SIZE - 1 - m)
            for m in range(1, MAX_SIZE)
            for s in combinations(range(kinds), m)
        ]
        table = np.array(rows, dtype=np.int64).reshape(-1, MAX_SIZE - 1)
        _SETS[kinds] = (table, (table >= 0).sum(axis=1).astype(np.int64))
    return _SETS[kinds]


@numba.njit(cache=True, nogil=True)
def _best_sets(
    reach: Any,
    count: Any,
    kind: Any,
    kinds: int,
    sets: Any,
    sizes: Any,
    bonus: float,
    priority: Any,
    share: Any,
) -> None:
    """share[x]: x's best share in this window, for each split."""
    for x in range(reach.shape[0]):
        share[x, EVEN], share[x, UNIQUE] = _best_set(
            reach[x], count[x], kind[x], kinds, sets, sizes, bonus, priority
        )


@compiled
def _best_set(
    reach: Any, count: Any, own_kind: int, kinds: int, sets: Any, sizes: Any, bonus: float, priority: Any
) -> tuple[float, float]:
    """The most goal score plus function bonus share over sets of co-members' kinds that can sit
    with x in this window (one kind alone needs two people of it: a circle has three or more),
    and circle sizes that hold them: with the bonus split evenly, and credited to unique functions."""
    even, unique = 0.0, 0.0
    none = kinds - 1
    for s in range(sets.shape[0]):
        m = sizes[s]
        possible = True
        distinct = 0 if own_kind == none else 1
        colleague = False  # someone of x's own function sits with x
        for i in range(m):
            k = sets[s, i]
            possible = possible and count[k] >= (2 if m == 1 else 1)
            distinct += 1 if (k != own_kind and k != none) else 0
            colleague = colleague or k == own_kind
        if not possible:
            continue
        goal = 0.0
        for g in range(reach.shape[1]):
            most = 0.0
            for i in range(m):
                most = max(most, reach[sets[s, i], g])
            goal += priority[g] * most
        for seats in range(max(MIN_SIZE, m + 1), MAX_SIZE + 1):
            even = max(even, goal + bonus * max(distinct - 1, 0) / seats)
            excess = (seats - 1) / seats if own_kind == none else (SHARED_EXCESS if colleague else 0.0)
            unique = max(unique, goal + bonus * ((seats - 1) / seats - excess))
    return even, unique
