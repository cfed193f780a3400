"""The split search's shortcuts: the floor that skips pairs no split can improve, and the pairs of
circles remembered as settled. Both must leave every regrouping exactly as it was."""

from __future__ import annotations

import numpy as np

from stepahead.matching.circles.moves import GAIN, circles_near
from stepahead.matching.circles.regroup import CHUNK, best_splits, regroup, regroup_pairs, splits
from stepahead.matching.circles.score import judge
from tests.support.kernels import slow_as_python
from tests.unit.matching.test_circles import greedy_board


def test_with_a_floor_the_split_search_drops_only_pairs_no_split_improves() -> None:
    """Pairs of greedy circles near in grade, given their score as they stand: the search answers
    -1 where no split beats it by GAIN, and elsewhere the split it finds without the floor."""
    pop, params, _peers, board = greedy_board(600, seed=4)
    alive = board.circles()
    alive = alive[np.argsort(pop.grades[board.members[alive, 0]], kind="stable")]
    first = np.repeat(alive[:-12], 12)
    second = alive[np.arange(len(alive) - 12)[:, None] + np.arange(1, 13)].ravel()
    union = np.concatenate([board.members[first], board.members[second]], axis=1)
    union = np.take_along_axis(union, np.argsort(union < 0, axis=1, kind="stable"), axis=1)
    seats = (union >= 0).sum(axis=1)
    common = int(np.bincount(seats).argmax())
    keep = seats == common
    people, floor = union[keep, :common], (board.score[first] + board.score[second])[keep]
    plain, pruned = best_splits(pop, params, people), best_splits(pop, params, people, floor)
    side_a, side_b = splits(common)
    best = np.maximum(plain, 0)
    rows_a, rows_b = (
        np.where(side[best] >= 0, np.take_along_axis(people, np.maximum(side[best], 0), axis=1), -1)
        for side in (side_a, side_b)
    )
    va, vb = judge(pop, params, rows_a), judge(pop, params, rows_b)
    improves = (plain >= 0) & va.valid & vb.valid & (va.score + vb.score - floor > GAIN)
    assert improves.any()
    assert (~improves).sum() > len(people) // 4  # the test means something
    assert (pruned[improves] == plain[improves]).all()
    assert ((pruned[~improves] == -1) | (pruned[~improves] == plain[~improves])).all()
    assert (pruned[~improves] == -1).mean() > 0.25  # many are answered without scoring


@slow_as_python
def test_remembering_settled_pairs_changes_no_regrouping() -> None:
    """Rounds of regrouping on two copies of a board, one forgetting every settled pair before each
    round: the same circles at every step."""
    boards = [greedy_board(400, seed=7) for _ in range(2)]
    for _ in range(4):
        for k, (pop, params, peers, board) in enumerate(boards):
            if k:
                board.settled, board.settled_at = board.settled[:0], board.settled_at[:0]
            regroup(pop, params, peers, board, np.arange(pop.size), 14)
        assert (boards[0][3].members == boards[1][3].members).all()
        assert (boards[0][3].score == boards[1][3].score).all()


def test_a_settled_pair_is_split_again_once_either_circle_changes() -> None:
    pop, params, peers, board = greedy_board(400, seed=6)
    person, near = circles_near(board, peers, np.flatnonzero(board.circle_of >= 0), 6)
    home = board.circle_of[person]
    while regroup_pairs(pop, params, board, board.circle_of[person], near):
        home = board.circle_of[person]
    keys = board.pair_keys(home, near)
    assert not board.unsettled(keys).any()
    circle = int(home[0])
    board.set(circle, board.members[circle], float(board.score[circle]))
    assert (board.unsettled(keys) == ((home == circle) | (near == circle))).all()


def test_the_split_search_gives_the_same_splits_on_every_core() -> None:
    """Enough pairs for the search to run in chunks across cores: each pair's split is the one
    it gets searched on one core. Pairs of two circles of three keep it quick as plain Python."""
    pop, params, _peers, _board = greedy_board(300, seed=2)
    by_grade = np.argsort(pop.grades, kind="stable")
    rng = np.random.default_rng(2)
    start = rng.integers(0, pop.size - 12, size=2 * CHUNK + 7)
    people = by_grade[start[:, None] + np.stack([rng.permutation(12)[:6] for _ in start])]
    everywhere = best_splits(pop, params, people)
    one_core = np.concatenate(
        [best_splits(pop, params, people[:CHUNK]), best_splits(pop, params, people[CHUNK:])]
    )
    assert (everywhere == one_core).all()
    assert (everywhere >= 0).sum() > CHUNK // 10  # the test means something
