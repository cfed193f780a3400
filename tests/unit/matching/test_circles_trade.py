"""Rotating members around three circles (large pools): everyone stays seated, sizes stay, every
circle stays valid and scored as judged, the total only rises, and the draw is seeded. Each
rotation's gain, found from one-for-one replacements, matches the three circles judged anew."""

from __future__ import annotations

import numba
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stepahead.matching.circles import trade as circles_trade
from stepahead.matching.circles.moves import GAIN
from stepahead.matching.circles.score import MAX_SIZE, MIN_SIZE, judge, judge_tables
from stepahead.matching.circles.trade import (
    MAX_WINDOW,
    MIN_WINDOW,
    _best_cycles,
    _best_rotations,
    _replacement_gains,
    _windows,
    trade_in_windows,
    window_size,
)
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
    windows = _windows(pop, board, np.random.default_rng(seed), MIN_WINDOW)
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


@settings(max_examples=2 if numba.config.DISABLE_JIT else 12, deadline=None)
@given(seed=st.integers(0, 50), shape=st.sampled_from(sorted(SHAPES)))
def test_each_replacement_gains_what_the_circle_judged_anew_gains(seed: int, shape: str) -> None:
    """The oracle: every one-for-one replacement in a window, made by hand and judged as a circle
    (the figures equal to the last bit, so trading finds the same rotations as judging would)."""
    pop, params, board = built(shape, seed)
    windows = _windows(pop, board, np.random.default_rng(seed), MIN_WINDOW)
    assert windows is not None
    window = windows[1]  # the first may start with padding; the second is full unless the pool is small
    change = _replacement_gains(window, board.members, board.score, judge_tables(pop, params))
    expected = np.full(change.shape, -np.inf)
    for x, i, y, j in np.ndindex(change.shape):
        if x == y or min(window[x], window[y]) < 0:
            continue
        row = board.members[window[y]].copy()
        if row[j] < 0 or board.members[window[x], i] < 0:
            continue
        row[j] = board.members[window[x], i]
        verdict = judge(pop, params, row[None, :])
        if verdict.valid[0] and verdict.sizes[0] >= MIN_SIZE:
            expected[x, i, y, j] = verdict.score[0] - board.score[window[y]]
    np.testing.assert_array_equal(change, expected)
    assert np.isfinite(change).any()


@slow_as_python
def test_trading_improves_a_greedy_start_and_is_seeded() -> None:
    improves_and_is_seeded(trade_in_windows, "many-skills")


@slow_as_python
def test_trading_stops_after_a_round_that_adds_little(monkeypatch: pytest.MonkeyPatch) -> None:
    """A round must add a share of the score to earn another: with an unreachable share, one
    round runs, the same as allowing one round."""
    pop, params, one_round = built("many-skills", 3)
    monkeypatch.setattr(circles_trade, "ROUNDS", 1)
    assert trade_in_windows(pop, params, one_round) > 0
    monkeypatch.undo()
    pop, params, demanding = built("many-skills", 3)
    monkeypatch.setattr(circles_trade, "LEAST_ROUND_GAIN", 1.0)
    trade_in_windows(pop, params, demanding)
    np.testing.assert_array_equal(demanding.members, one_round.members)
    monkeypatch.undo()
    pop, params, patient = built("many-skills", 3)
    trade_in_windows(pop, params, patient)
    assert patient.score[patient.alive].sum() > one_round.score[one_round.alive].sum() + 1e-9


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**31), size=st.integers(3, 7))
def test_the_best_rotation_from_each_circle_is_found(seed: int, size: int) -> None:
    """Against every rotation tried by hand: where some rotation from circle A gains, the search
    (which passes over first steps that cannot beat its best so far) finds the best gain."""
    rng = np.random.default_rng(seed)
    change = np.round(rng.normal(-0.5, 0.6, size=(size, MAX_SIZE, size, MAX_SIZE)), 2)
    change[rng.random(change.shape) < 0.3] = -np.inf  # replacements that leave a circle invalid
    gain, moves = np.full(size, -np.inf), np.full((size, 6), -1, dtype=np.int64)
    _best_cycles(change, gain, moves)
    for a in range(size):
        best = max(
            (
                change[a, sa, b, sb] + change[b, sb, c, sc] + change[c, sc, a, sa]
                for sa in range(MAX_SIZE)
                for b in range(a + 1, size)
                for sb in range(MAX_SIZE)
                for c in range(a + 1, size)
                if c != b
                for sc in range(MAX_SIZE)
            ),
            default=-np.inf,
        )
        if best > 0:
            assert gain[a] == pytest.approx(best)
            _, sa, b, sb, c, sc = moves[a]
            assert change[a, sa, b, sb] + change[b, sb, c, sc] + change[c, sc, a, sa] == pytest.approx(best)
        else:
            assert not gain[a] > 0


def test_windows_shrink_in_large_pools() -> None:
    """10k people (~2,000 circles) get the widest windows; 100k (~20,000) the narrowest."""
    assert window_size(2_000) == MAX_WINDOW
    assert window_size(20_000) == MIN_WINDOW
    assert MIN_WINDOW < window_size(6_000) < MAX_WINDOW


def test_a_round_where_no_rotation_gains_leaves_every_circle_as_it_was() -> None:
    """Late rounds often find nothing worth a rotation: then nothing is judged or moved."""
    pop, params, board = built("many-skills", 3)
    windows = _windows(pop, board, np.random.default_rng(3), MIN_WINDOW)
    assert windows is not None
    _, moves = _best_rotations(pop, params, board, windows)
    members, scores = board.members.copy(), board.score.copy()
    nothing_gains = np.full(windows.shape, -np.inf)
    assert circles_trade._apply(pop, params, board, windows, nothing_gains, moves) == 0
    assert (board.members == members).all()
    assert (board.score == scores).all()
