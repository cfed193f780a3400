"""Mentoring weights in exact integer units (SCALE), term by term, as the scans add them up.

The flow, the scans and the proof all count in these units so that ties are ties and a proof
has no float slack; `Solution.scores` still carry the unrounded float weights.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from .._model import MAX_GOALS, MAX_LEVEL, MatchParams, Mode
from .._population import IntArray, Population, hard_rules_mask, pair_keys, to_units
from .._scoring import PRIORITY_WEIGHTS

BoolArray = npt.NDArray[np.bool_]


def units(amount: float) -> int:
    """A single weight in SCALE units, rounded exactly as `to_units` rounds arrays."""
    return int(to_units(np.array([amount], dtype=np.float64))[0])


def term_units(pop: Population) -> IntArray:
    """terms[k, gap]: what closing a gap in a mentee's k-th goal is worth, in SCALE units."""
    return np.stack([to_units(PRIORITY_WEIGHTS[k] * pop.utility) for k in range(MAX_GOALS)])


def values_units(pop: Population, givers: IntArray, receivers: IntArray) -> IntArray:
    """v(giver→receiver) in units, summed term by term exactly as the scan's tables do."""
    terms = term_units(pop)
    total = np.zeros(len(givers), dtype=np.int64)
    for k in range(MAX_GOALS):
        skill = pop.goals[receivers, k]
        gap = pop.levels[givers, skill].astype(np.int64) - pop.levels[receivers, skill]
        total += terms[k, np.clip(gap, 0, MAX_LEVEL)]
    return total


def cross_function(pop: Population, a: IntArray, b: IntArray) -> BoolArray:
    fa, fb = pop.functions[a], pop.functions[b]
    crossed: BoolArray = (fa >= 0) & (fb >= 0) & (fa != fb)
    return crossed


def pair_weights(pop: Population, params: MatchParams, mentors: IntArray, mentees: IntArray) -> IntArray:
    """The spec weight w = v + x + p of each pair, in units (0 where v = 0)."""
    value = values_units(pop, mentors, mentees)
    total: IntArray = value + cross_function(pop, mentors, mentees) * units(params.cross_function_bonus)
    if len(pop.wish_keys):
        keys = pair_keys(pop, mentors, mentees)
        pos = np.minimum(np.searchsorted(pop.wish_keys, keys), len(pop.wish_keys) - 1)
        counts = np.where(pop.wish_keys[pos] == keys, pop.wish_counts[pos], 0)
        total += counts * units(params.wish_bonus)
    return np.where(value > 0, total, 0).astype(np.int64)


def eligible(pop: Population, params: MatchParams, mentors: IntArray, mentees: IntArray) -> BoolArray:
    """The spec's mentoring eligibility, vectorised (mentoring_weight is not None)."""
    ok = hard_rules_mask(pop, mentors, mentees) & (values_units(pop, mentors, mentees) > 0)
    if params.mode is Mode.TRADITIONAL:
        ok &= pop.grades[mentors] > pop.grades[mentees]
    elif params.mode is Mode.REVERSE:
        ok &= pop.grades[mentors] < pop.grades[mentees]
    return ok


def best_values(pop: Population, mentors: IntArray, mentees: IntArray) -> IntArray:
    """An upper bound on v(M→E) over the given mentors, per mentee: each goal at the best gap
    any of them offers (exact when one mentor has every best level)."""
    levels = np.arange(MAX_LEVEL + 1)
    present = (pop.levels[mentors][:, :, None] == levels).any(axis=0)  # (skill, mentor level)
    gaps = np.clip(levels[:, None] - levels[None, :], 0, MAX_LEVEL)  # (mentor level, mentee level)
    gain = term_units(pop)[:, gaps]  # (goal, mentor level, mentee level)
    best = (present[None, :, :, None] * gain[:, None]).max(axis=2)  # (goal, skill, mentee level)
    skill = pop.goals[mentees]
    level = pop.levels[mentees[:, None], skill]
    reach: IntArray = best[np.arange(MAX_GOALS), skill, level].sum(axis=1)
    return reach


def quantum(pop: Population, params: MatchParams) -> int:
    """Largest unit every weight is a multiple of: scans count in it, which keeps keys and ranks small."""
    parts = [*term_units(pop).ravel().tolist(), units(params.cross_function_bonus), units(params.wish_bonus)]
    return max(1, math.gcd(*(abs(int(p)) for p in parts)))


def grade_window(params: MatchParams, grade: int) -> tuple[int, int]:
    """Grades a partner may have: above or below for traditional and reverse mentoring, within
    the circle band for circles (the kernel serves the circle search's peer lists too; the peer
    mode has kernels of its own)."""
    unbounded = 1 << 40
    if params.mode is Mode.TRADITIONAL:
        return grade + 1, unbounded
    if params.mode is Mode.REVERSE:
        return -unbounded, grade - 1
    if params.mode is Mode.CIRCLES:
        return grade - params.circle_band, grade + params.circle_band
    return -unbounded, unbounded


TIE_BITS = 12


def tie_key(mentees: IntArray, mentors: IntArray) -> IntArray:
    """A hash of the pair that breaks ties between equal scores, the same in the scan kernel and in
    the candidate lists: equally good mentors are spread over mentees instead of every mentee
    naming the same few, and which of them a list keeps does not depend on thread timing."""
    mixed: IntArray = tie_hash(mentees) ^ tie_hash(mentors)
    return mixed


def tie_hash(ids: IntArray) -> IntArray:
    mixed: IntArray = ((np.asarray(ids, dtype=np.int64) * 2654435761) >> 7) & ((1 << TIE_BITS) - 1)
    return mixed
