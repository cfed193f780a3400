"""Regrouping beyond one's peers, for large pools: pairs of circles drawn at random from the same
stretch of the grade ladder, each split in the best way (as `regroup` does for neighbours).

A person's peers are who gives them the most or receives the most from them, so the circles that
`regroup` pairs up tend to share their goals and functions. Two circles of similar grades but
different make-up (one with two engineers, the other with two in sales) can often trade members
so that both gain a function and keep their goals met; pairing circles of nearby grades at random
finds such trades (10k people, many skills: +0.45 % score in 12 rounds of 40 partners for ~6-8 s
CPU on a loaded machine; 4 rounds of 16: +0.09 %). The draw is seeded.
"""

from __future__ import annotations

import numpy as np

from .._model import MatchParams
from .._population import Population
from .._solution import Stop, never
from .board import Board
from .regroup import regroup_pairs

# Each circle is paired with this many others, drawn among the circles this many places away at
# most in the order of their lowest grade: near enough in grade that a split can be valid.
PARTNERS, REACH, ROUNDS = 40, 200, 12


def regroup_in_windows(pop: Population, params: MatchParams, board: Board, stop: Stop = never) -> int:
    """A few rounds of random pairings in grade order (drawn from `params.seed`). Returns how
    many regroupings applied."""
    rng = np.random.default_rng(params.seed)
    applied = 0
    for _ in range(ROUNDS):
        if stop():
            break
        alive = board.circles()
        if len(alive) < 2:
            break
        rows = board.members[alive]
        lowest = np.where(rows >= 0, pop.grades[np.maximum(rows, 0)], np.iinfo(np.int64).max).min(axis=1)
        order = np.lexsort((rng.random(len(alive)), lowest))
        place = np.empty(len(alive), dtype=np.int64)
        place[order] = np.arange(len(alive))
        offsets = rng.integers(-REACH, REACH + 1, size=(len(alive), PARTNERS))
        partner = alive[order[np.clip(place[:, None] + offsets, 0, len(alive) - 1)]].ravel()
        home = np.repeat(alive, PARTNERS)
        other = home != partner
        found = regroup_pairs(pop, params, board, home[other], partner[other])
        applied += found
        if not found:
            break
    return applied
