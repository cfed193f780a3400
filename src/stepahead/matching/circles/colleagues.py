"""A tighter circles bound where goals are met by colleagues: the function bonus they cost.

The share bound (bound.py) credits someone beside a colleague of their function with half a
function's excess, β · (4/5 − 1/2) of bonus for a cross-function bonus β. But m colleagues in one
circle cost it β · (m − 1): beside someone who gains from a colleague, the colleague pays too,
unless they gain as well. (Many-skills pools, where goals are mostly one's own function's
specialisms, lose most of their score against the share bound this way: see
bench/circles_colleague_study.py.)

Let alone_x be x's best goal score in any circle with nobody of x's function (bound.py's grade
windows) and d_x what any circle could add to it. In a packing, x alone in their function scores
at most alone_x + 4β/5 (+ wishes, as in bound.py). A group G of m ≥ 2 colleagues in one circle
scores at most Σ (alone_x + 4β/5 + D_x) − β(m − 1), where D_x ≤ d_x is what x's goals gain there
over alone_x. When someone in G gains nothing (D ≤ 0), that is at most Σ (alone + 4β/5) +
Σ (d − β)⁺; when all gain, β more. So no packing scores more than the `placed` largest
alone_x + 4β/5 + (d_x − β)⁺ + wishes, plus β for each group where everyone gains.

Such groups are few where goals are met one way. Everyone in one gains, so each either gets more
than alone_x from the best of each goal among the other functions of the window ("free": those
best givers need not fit one circle), or has a colleague there who meets one of their goals better
than anyone of another function in the window could ("helps"). A group with no free member holds a
cycle of helpers (two people at least), each helped by and helping someone who could gain. Each
such group adds β less its members' shortfalls (β − d)⁺: with a free member, at most min(β, d) of
theirs; otherwise at most Σ over its cycle of β/2 − (β − d)⁺, and β for every two on a cycle.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from .._model import MatchParams
from .._population import FloatArray, IntArray, Population, hard_rules_mask
from .._scoring import PRIORITY_WEIGHTS
from .score import MAX_SIZE

if TYPE_CHECKING:
    from .bound import WindowFacts

BoolArray = npt.NDArray[np.bool_]
# Colleague pairs looked at, at most: past it the share bound stands (a pool of one function has
# every pair a colleague pair, and no one alone in their function to gain from the bound anyway).
PAIR_LIMIT = 4_000_000
PAIR_BLOCK = 250_000  # pairs judged at once (a few MB of temporaries)
EPSILON = 1e-9


def colleague_bound(
    pop: Population,
    params: MatchParams,
    facts: WindowFacts,
    shares: FloatArray,
    wishes: FloatArray,
    placed: int,
) -> float:
    """The most score of any packing placing `placed` people, charging colleagues their bonus
    (inf where the pairs to look at are too many). `shares`: the share bound's, crediting unique
    functions (wishes included), which stand for people without a function."""
    bonus = max(0.0, float(params.cross_function_bonus))
    # Everyone with a function is measured against their best alone; without a circle alone in
    # their function, against their best less β (always in a group: counted as free).
    grouped = pop.functions >= 0
    cut = np.where(np.isfinite(facts.alone), facts.alone, facts.goal - bonus)
    gain = np.where(grouped, np.maximum(facts.goal - cut, 0.0), 0.0)
    alone_seat = cut + bonus * (MAX_SIZE - 1) / MAX_SIZE + np.maximum(gain - bonus, 0.0) + wishes
    seat = np.where(grouped, alone_seat, shares)
    free = grouped & (gain > EPSILON) & _free(facts, cut)
    cycling = _on_cycles(pop, params, facts, gain > EPSILON, free)
    if cycling is None:
        return float("inf")
    return float(np.sort(seat)[::-1][:placed].sum()) + _group_credit(gain, free, cycling, bonus)


def _free(facts: WindowFacts, cut: FloatArray) -> BoolArray:
    """Whether the best of each goal among other functions of some window beats one's best alone
    (or no circle alone in one's function exists)."""
    best = np.nan_to_num(facts.others, nan=-np.inf) @ np.asarray(PRIORITY_WEIGHTS)
    free: BoolArray = (best > cut[:, None] + EPSILON).any(axis=1) | ~np.isfinite(facts.alone)
    return free


def _group_credit(gain: FloatArray, free: BoolArray, cycling: BoolArray, bonus: float) -> float:
    """At most how much the groups gaining all round add to the seats' sum: each adds β less its
    members' shortfalls (β − d)⁺. One with a free member adds at most min(β, d) of that member's;
    one without, β less the shortfalls on its cycle of two or more helpers, at most the sum over
    them of β/2 − (β − d)⁺ (or half of β per member on a cycle, whichever is less)."""
    shortfall = np.maximum(bonus - gain, 0.0)
    on_cycle = np.maximum(bonus / 2 - shortfall[cycling], 0.0).sum()
    credit = np.minimum(bonus, gain[free]).sum() + min(float(on_cycle), bonus * (int(cycling.sum()) // 2))
    return float(credit)


def _on_cycles(
    pop: Population, params: MatchParams, facts: WindowFacts, gaining: BoolArray, free: BoolArray
) -> BoolArray | None:
    """Who could be on a cycle of colleagues each helping the next, among those who could gain
    and are not free: the strongly connected parts of "helps". None when the pairs to look at
    are too many."""
    people = np.flatnonzero(gaining & ~free)
    functions = pop.functions[people]
    if int((np.bincount(functions) ** 2).sum()) > PAIR_LIMIT:
        return None
    cycling = np.zeros(pop.size, dtype=bool)
    if not len(people):
        return cycling
    none = np.zeros(0, dtype=np.int64)
    helped, helper = [none], [none]
    for function in np.unique(functions):
        for x, y in _pairs(pop, params, people[functions == function]):
            helps = _helps(pop, params, facts, x, y)
            helped.append(x[helps])
            helper.append(y[helps])
    at = np.full(pop.size, -1, dtype=np.int64)
    at[people] = np.arange(len(people))
    edges = at[np.concatenate(helper)], at[np.concatenate(helped)]
    graph = csr_matrix((np.ones(len(edges[0])), edges), shape=(len(people), len(people)))
    _, part = connected_components(graph, directed=True, connection="strong")
    cycling[people] = np.bincount(part, minlength=len(people))[part] >= 2
    return cycling


def _pairs(pop: Population, params: MatchParams, team: IntArray) -> list[tuple[IntArray, IntArray]]:
    """Every ordered pair of the team who may share a circle, in blocks."""
    found = []
    step = max(1, PAIR_BLOCK // max(len(team), 1))
    for start in range(0, len(team), step):
        block = team[start : start + step]
        x, y = np.repeat(block, len(team)), np.tile(team, len(block))
        ok = (np.abs(pop.grades[x] - pop.grades[y]) <= params.circle_band) & hard_rules_mask(pop, x, y)
        found.append((x[ok], y[ok]))
    return found


def _helps(pop: Population, params: MatchParams, facts: WindowFacts, x: IntArray, y: IntArray) -> BoolArray:
    """Whether y meets one of x's goals better than anyone of another function could, in some
    grade window holding both."""
    gaps = pop.levels[y[:, None], pop.goals[x]].astype(np.int64) - pop.own[x]
    given = pop.utility[np.clip(gaps, 0, len(pop.utility) - 1)]
    low = np.maximum(pop.grades[x], pop.grades[y]) - params.circle_band - facts.first
    high = np.minimum(pop.grades[x], pop.grades[y]) - facts.first
    helps = np.zeros(len(x), dtype=bool)
    for w in range(facts.others.shape[1]):
        inside = (low <= w) & (w <= high)
        others = facts.others[x, w]  # nan where x is not in a window the bound looked at
        helps |= inside & (given > np.nan_to_num(others, nan=np.inf) + EPSILON).any(axis=1)
    return helps
