"""Circles judged in batches: the spec's validity and score for many candidate circles at once.

Circles are rows of a (count, 5) array of population indices, padded with -1. `judge` agrees with
the scalar reference (`circle_is_valid`, `circle_score`) and is what the circle search calls for
every move it considers: one numpy pass over thousands of candidate circles.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np
import numpy.typing as npt

from .._model import MAX_LEVEL, MatchParams
from .._population import FloatArray, IntArray, Population, hard_rules_mask, pair_keys
from .._scoring import PRIORITY_WEIGHTS

MIN_SIZE, MAX_SIZE = 3, 5
BoolArray = npt.NDArray[np.bool_]
_PAIRS = np.array(list(combinations(range(MAX_SIZE), 2)), dtype=np.intp)  # (10, 2) member slots


@dataclass(frozen=True, slots=True)
class Verdict:
    score: FloatArray  # the spec's circle score
    compatible: BoolArray  # every pair obeys the hard rules, grade spread within the band
    exchange: BoolArray  # every member both gives and receives within the circle
    sizes: IntArray

    @property
    def valid(self) -> BoolArray:
        """The spec's validity, size included (`circle_is_valid`)."""
        ok: BoolArray = self.compatible & self.exchange & (self.sizes >= MIN_SIZE) & (self.sizes <= MAX_SIZE)
        return ok


def judge(pop: Population, params: MatchParams, circles: IntArray) -> Verdict:
    """Score and validity of each circle (rows of population indices, -1 for empty seats)."""
    real = circles >= 0
    seat = np.where(real, circles, 0)
    gaps = _gaps(pop, seat, real)
    goal_score = (pop.utility[gaps].max(axis=1) * np.asarray(PRIORITY_WEIGHTS)).sum(axis=(1, 2))
    gives_to = (gaps[..., 0] | gaps[..., 1] | gaps[..., 2]) > 0  # [circle, giver, receiver]
    exchange = ((gives_to.any(axis=2) & gives_to.any(axis=1)) | ~real).all(axis=1)
    score = goal_score + _diversity(pop, params, seat, real) + _wishes(pop, params, seat, real)
    compatible = _pairs_allowed(pop, seat, real) & _spread_ok(pop, params, seat, real)
    sizes = real.sum(axis=1)
    return Verdict(score=score, compatible=compatible, exchange=exchange, sizes=sizes)


def _gaps(pop: Population, seat: IntArray, real: BoolArray) -> npt.NDArray[np.int8]:
    """gaps[c, giver, receiver, k]: how far the giver is ahead in the receiver's k-th goal
    (0 when behind, or when giver and receiver are the same seat or an empty one)."""
    goals = pop.goals[seat]  # (C, 5, 3)
    own = pop.levels[seat[:, :, None], goals]
    theirs = pop.levels[seat[:, :, None, None], goals[:, None, :, :]]
    gaps = theirs - own[:, None, :, :]
    np.clip(gaps, 0, MAX_LEVEL, out=gaps)
    others = real[:, :, None] & real[:, None, :] & ~np.eye(seat.shape[1], dtype=bool)[None]
    gaps *= others[..., None]
    return gaps


def _diversity(pop: Population, params: MatchParams, seat: IntArray, real: BoolArray) -> FloatArray:
    functions = np.sort(np.where(real, pop.functions[seat], -1), axis=1)
    first = (functions >= 0) & np.concatenate(
        [np.ones((len(seat), 1), dtype=bool), functions[:, 1:] != functions[:, :-1]], axis=1
    )
    distinct = first.sum(axis=1)
    bonus: FloatArray = params.cross_function_bonus * np.maximum(distinct - 1, 0)
    return bonus


def _slot_pairs(seat: IntArray, real: BoolArray) -> tuple[IntArray, IntArray, BoolArray]:
    pairs = _PAIRS[(seat.shape[1] > _PAIRS).all(axis=1)]
    a, b = seat[:, pairs[:, 0]], seat[:, pairs[:, 1]]
    both = real[:, pairs[:, 0]] & real[:, pairs[:, 1]]
    return a, b, both


def _wishes(pop: Population, params: MatchParams, seat: IntArray, real: BoolArray) -> FloatArray:
    if not len(pop.wish_keys):
        return np.zeros(len(seat), dtype=np.float64)
    a, b, both = _slot_pairs(seat, real)
    keys = pair_keys(pop, a.ravel(), b.ravel())
    pos = np.minimum(np.searchsorted(pop.wish_keys, keys), len(pop.wish_keys) - 1)
    counts = np.where(pop.wish_keys[pos] == keys, pop.wish_counts[pos], 0).reshape(a.shape)
    wishes: FloatArray = params.wish_bonus * (counts * both).sum(axis=1)
    return wishes


def _pairs_allowed(pop: Population, seat: IntArray, real: BoolArray) -> BoolArray:
    a, b, both = _slot_pairs(seat, real)
    allowed = hard_rules_mask(pop, a.ravel(), b.ravel()).reshape(a.shape)
    ok: BoolArray = (allowed | ~both).all(axis=1)
    return ok


def _spread_ok(pop: Population, params: MatchParams, seat: IntArray, real: BoolArray) -> BoolArray:
    grades = pop.grades[seat]
    top = np.where(real, grades, np.iinfo(np.int64).min).max(axis=1)
    bottom = np.where(real, grades, np.iinfo(np.int64).max).min(axis=1)
    ok: BoolArray = (top - bottom <= params.circle_band) | (real.sum(axis=1) == 0)
    return ok
