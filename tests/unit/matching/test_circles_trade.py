"""Rotating members around three circles (large pools): everyone stays seated, sizes stay, every
circle stays valid and scored as judged, the total only rises, and the draw is seeded. Each
rotation's gain, found from one-for-one replacements, matches the three circles judged anew."""

from __future__ import annotations

import numba
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stepahead.matching.circles.moves import GAIN
from stepahead.matching.circles.score import judge
from stepahead.matching.circles.trade import _best_rotations, _windows, trade_in_windows
from stepahead.synthetic import SHAPES
from tests.support.kernels import slow_as_python
from tests.unit.matching.test_circles_windows import built, improves_and_is_seeded


@pytest.mark.parametrize(
    "shape",
    [
        shape if shape == "many-skills" else pytest.param(shape, marks=slow_as_python)
        for shape in sorted(SHAPES)
    ],
)
def test_trading_keeps_everyone_valid_and_scores_no_less(shape: str) -> None:
    pop, params, board = built(shape, 3)
    seated, before = board.circle_of.copy(), float(board.score[board.alive].sum())
    sizes = np.sort(board.sizes[board.alive])
    trade_in_windows(pop, params, board)
    assert ((board.circle_of >= 0) == (seated >= 0)).all()
    assert (np.sort(board.sizes[board.alive]) == sizes).all()
    assert float(board.score[board.alive].sum()) >= before - 1e-9
    verdict = judge(pop, params, board.members[board.alive])
    assert verdict.valid.all()
    assert np.allclose(verdict.score, board.score[board.alive])


@settings(max_examples=2 if numba.config.DISABLE_JIT else 12, deadline=None)
@given(seed=st.integers(0, 50), shape=st.sampled_from(sorted(SHAPES)))
def test_every_rotation_found_gains_what_its_circles_judged_anew_gain(seed: int, shape: str) -> None:
    """The oracle: each best rotation, carried out by hand and judged as three circles."""
    pop, params, board = built(shape, seed)
    windows = _windows(pop, board, np.random.default_rng(seed))
    assert windows is not None
    gain, moves = _best_rotations(pop, params, board, windows)
    for w, slot in zip(*np.nonzero(gain > GAIN), strict=True):
        circles = windows[w, moves[w, slot, 0::2]]
        seats = moves[w, slot, 1::2]
        assert len(set(circles.tolist())) == 3
        assert (circles >= 0).all()
        rows = board.members[circles].copy()
        leaving = rows[np.arange(3), seats]
        assert (leaving >= 0).all()
        rows[np.arange(3), seats] = np.roll(leaving, 1)
        verdict = judge(pop, params, rows)
        assert verdict.valid.all()
        assert np.isclose(verdict.score.sum() - board.score[circles].sum(), gain[w, slot])


@slow_as_python
def test_trading_improves_a_greedy_start_and_is_seeded() -> None:
    improves_and_is_seeded(trade_in_windows, "many-skills")
