"""Regrouping circles of nearby grades beyond one's peers (large pools): everyone stays seated,
every circle stays valid and scored as judged, the total only rises, and the draw is seeded."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from stepahead.matching import MatchParams, Mode
from stepahead.matching._population import Population, compile_population
from stepahead.matching.circles import solve as circles_solve
from stepahead.matching.circles.board import Board, find_peers
from stepahead.matching.circles.build import build
from stepahead.matching.circles.score import judge
from stepahead.matching.circles.trade import trade_in_windows
from stepahead.matching.circles.windows import regroup_in_windows
from stepahead.synthetic import SHAPES, generate_organisation


def built(shape: str, seed: int) -> tuple[Population, MatchParams, Board]:
    params = MatchParams(mode=Mode.CIRCLES, seed=seed)
    pop = compile_population(generate_organisation(300, seed=seed, shape=shape), params)
    peers = find_peers(pop, params)
    board = Board(pop.size)
    build(pop, params, peers, board, circles_solve.seed_order(pop, peers, seed), 8)
    return pop, params, board


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_regrouping_in_windows_keeps_everyone_valid_and_scores_no_less(shape: str) -> None:
    pop, params, board = built(shape, 3)
    seated, before = board.circle_of >= 0, float(board.score[board.alive].sum())
    regroup_in_windows(pop, params, board)
    assert ((board.circle_of >= 0) == seated).all()
    assert float(board.score[board.alive].sum()) >= before - 1e-9
    verdict = judge(pop, params, board.members[board.alive])
    assert verdict.valid.all()
    assert np.allclose(verdict.score, board.score[board.alive])


def test_regrouping_in_windows_improves_a_greedy_start_and_is_seeded() -> None:
    improves_and_is_seeded(regroup_in_windows, "standard")


def improves_and_is_seeded(move: Callable[[Population, MatchParams, Board], int], shape: str) -> None:
    """The move, run twice on the same greedy start, acts, raises the score, and seats everyone
    the same both times."""
    results = []
    for _ in range(2):
        pop, params, board = built(shape, 5)
        before = float(board.score[board.alive].sum())
        assert move(pop, params, board) > 0
        assert float(board.score[board.alive].sum()) > before
        rows = board.members[board.circles()]
        results.append(sorted(tuple(sorted(row[row >= 0])) for row in rows))
    assert results[0] == results[1]


def test_too_few_circles_to_pair_or_rotate_are_left_as_they_are() -> None:
    """Regrouping needs two circles and rotating members needs three: with fewer, both leave the
    board alone."""
    pop, params, board = built("standard", 3)
    for circle in board.circles()[2:]:
        board.close(int(circle))
    two = board.members[board.circles()].copy()
    assert trade_in_windows(pop, params, board) == 0
    board.close(int(board.circles()[1]))
    assert regroup_in_windows(pop, params, board) == 0
    assert (board.members[board.circles()] == two[:1]).all()
