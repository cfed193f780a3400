"""Circles against an exact set-packing oracle (every valid circle, scipy milp), plus properties.
The solver is called directly: compile the pool, then `solve_circles`."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from stepahead.matching import MatchParams, Mode, Participant, circle_is_valid, circle_score
from stepahead.matching._model import Optimality
from stepahead.matching._population import Population, compile_population
from stepahead.matching._solution import Solution, silent
from stepahead.matching.circles import exact as circles_exact
from stepahead.matching.circles import solve as circles_solve
from stepahead.matching.circles.board import Board, Peers, find_peers
from stepahead.matching.circles.build import build, preference
from stepahead.matching.circles.moves import disband
from stepahead.matching.circles.regroup import CHUNK, best_splits, regroup, splits
from stepahead.matching.circles.score import judge
from stepahead.synthetic import generate_organisation
from tests.support.pools import random_pool


def solve(people: list[Participant], params: MatchParams) -> Solution:
    return circles_solve.solve_circles(compile_population(people, params), params, silent)


def oracle(people: list[Participant], params: MatchParams) -> tuple[int, float]:
    """(members placed, total score) of the lexicographic optimum: every valid circle of 3 to 5
    by the scalar reference, then set packing with a member weight no score can outweigh."""
    circles = [
        c
        for size in (3, 4, 5)
        for c in itertools.combinations(range(len(people)), size)
        if circle_is_valid([people[i] for i in c], params)
    ]
    if not circles:
        return 0, 0.0
    scores = np.array([circle_score([people[i] for i in c], params) for c in circles])
    sizes = np.array([len(c) for c in circles], dtype=float)
    big = scores.sum() + 1.0
    seats = np.zeros((len(people), len(circles)))
    for k, c in enumerate(circles):
        seats[list(c), k] = 1
    found = milp(
        -(big * sizes + scores),
        constraints=[LinearConstraint(seats, 0, 1)],
        integrality=np.ones(len(circles)),
        bounds=Bounds(0, 1),
        options={"mip_rel_gap": 0.0},
    )
    chosen = np.round(found.x) > 0
    return int(sizes[chosen].sum()), float(scores[chosen].sum())


def assert_valid(people: list[Participant], params: MatchParams, solution: Solution) -> None:
    """Every circle valid and scored as the spec says, nobody twice, members sorted."""
    seated = [p for circle in solution.groups for p in circle]
    assert len(seated) == len(set(seated))
    for circle, score in zip(solution.groups, solution.scores, strict=True):
        members = [people[i] for i in circle]
        assert list(circle) == sorted(circle)
        assert 3 <= len(circle) <= 5
        assert circle_is_valid(members, params)
        assert score == pytest.approx(circle_score(members, params), abs=1e-9)


def placed(solution: Solution) -> int:
    return sum(len(c) for c in solution.groups)


def circle_params(rng: random.Random, seed: int) -> MatchParams:
    return MatchParams(
        mode=Mode.CIRCLES,
        circle_band=rng.choice([0, 1, 2, 3]),
        circle_size=rng.choice([3, 4, 4, 5]),
        seed=seed,
    )


@pytest.fixture
def heuristic_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Small pools are normally solved exactly; this makes them go through the search."""
    monkeypatch.setattr(circles_exact, "EXACT_PEOPLE", 0)


# --- exact oracle ---------------------------------------------------------------------------------


def test_a_pool_small_enough_to_list_but_with_more_circles_than_the_store_is_left_to_the_search() -> None:
    """100 people of few skills have ~4.4M valid circles, past the catalogue's 3M: the exact path
    declines (the search and column generation take the pool) rather than pack a partial list."""
    params = MatchParams(mode=Mode.CIRCLES, seed=0)
    pop = compile_population(generate_organisation(100, seed=0, shape="few-skills"), params)
    assert pop.size <= circles_exact.EXACT_PEOPLE
    assert circles_exact.exact_circles(pop, params) is None


@pytest.mark.parametrize("seed", range(40))
def test_small_pools_are_solved_exactly(seed: int) -> None:
    rng = random.Random(seed)
    params = circle_params(rng, seed)
    people = random_pool(rng, rng.randint(0, 16), skills=rng.choice([2, 4, 6]), grades=rng.choice([2, 4]))
    solution = solve(people, params)
    assert_valid(people, params, solution)
    count, best = oracle(people, params)
    assert placed(solution) == count
    assert sum(solution.scores) == pytest.approx(best, abs=1e-6)
    assert isinstance(solution.optimality, Optimality)
    assert solution.optimality.proven


@pytest.mark.parametrize("seed", range(60))
def test_search_places_as_many_and_scores_within_three_percent(seed: int, heuristic_only: None) -> None:
    rng = random.Random(100 + seed)
    params = circle_params(rng, seed)
    people = random_pool(rng, rng.randint(3, 16), skills=rng.choice([2, 4, 6]), grades=rng.choice([2, 4]))
    solution = solve(people, params)
    assert_valid(people, params, solution)
    count, best = oracle(people, params)
    assert placed(solution) == count
    assert sum(solution.scores) >= 0.97 * best - 1e-9
    optimality = solution.optimality
    assert isinstance(optimality, Optimality)
    # Proven only where the bound meets the score (e.g. nobody can be placed).
    assert optimality.proven == (optimality.upper_bound <= sum(solution.scores) + 1e-9)
    assert optimality.upper_bound >= best - 1e-9  # same count: the bound must hold for the optimum
    assert 0.0 <= optimality.gap <= 1.0


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(12))
def test_search_on_pools_just_above_the_exact_limit(seed: int) -> None:
    rng = random.Random(200 + seed)
    params = circle_params(rng, seed)
    people = random_pool(rng, rng.randint(25, 26), skills=4, grades=rng.choice([2, 4]))
    solution = solve(people, params)
    assert_valid(people, params, solution)
    count, best = oracle(people, params)
    assert placed(solution) >= count - 1
    assert sum(solution.scores) >= 0.9 * best - 1e-9


def test_batch_judging_agrees_with_the_scalar_reference() -> None:
    rng = random.Random(3)
    for band in (0, 1, 2):
        params = MatchParams(mode=Mode.CIRCLES, circle_band=band, cross_function_bonus=0.3, wish_bonus=0.7)
        people = random_pool(rng, 25, skills=3, grades=3)
        rows = [rng.sample(range(25), rng.randint(1, 5)) for _ in range(1200)]  # several compiled tasks
        padded = np.array([r + [-1] * (5 - len(r)) for r in rows])
        verdict = judge(compile_population(people, params), params, padded)
        for row, valid, compatible, score in zip(
            rows, verdict.valid, verdict.compatible, verdict.score, strict=True
        ):
            members = [people[i] for i in row]
            assert valid == circle_is_valid(members, params)
            if len(row) > 1 and compatible:  # others are never circles: their score is not computed
                assert score == pytest.approx(circle_score(members, params), abs=1e-9)


# --- hand-made pools -------------------------------------------------------------------------------


def peer(pid: str, grade: int, have: dict[str, int], want: list[str], **extra: object) -> Participant:
    return Participant.build(pid, grade, skills=have, goals=want, **extra)  # type: ignore[arg-type]


def rotation(prefix: str, size: int, grade: int = 3) -> list[Participant]:
    """A ring: each person is one step ahead of the next in what the next wants."""
    return [
        peer(f"{prefix}{i}", grade, {f"s{i}": 3, f"s{(i + 1) % size}": 2}, [f"s{(i + 1) % size}"])
        for i in range(size)
    ]


def test_a_ring_of_four_forms_one_circle() -> None:
    people = rotation("R", 4)
    solution = solve(people, MatchParams(mode=Mode.CIRCLES))
    assert solution.groups == ((0, 1, 2, 3),)


def test_nobody_gives_nobody_is_placed() -> None:
    people = [peer(f"P{i}", 3, {"a": 2}, ["a"]) for i in range(30)]
    solution = solve(people, MatchParams(mode=Mode.CIRCLES))
    assert solution.groups == ()


def test_grade_band_and_hard_rules_hold() -> None:
    people = rotation("R", 4)
    far = [*people[:3], peer("X", 9, {"s3": 3, "s0": 2}, ["s0"])]
    assert solve(far, MatchParams(mode=Mode.CIRCLES, circle_band=2)).groups == ()
    blocked = [*people[:3], peer("R3", 3, {"s3": 3, "s0": 2}, ["s0"], exclude=["R1"])]
    assert solve(blocked, MatchParams(mode=Mode.CIRCLES)).groups == ()


def test_empty_and_tiny_pools() -> None:
    assert solve([], MatchParams(mode=Mode.CIRCLES)).groups == ()
    assert solve(rotation("R", 2), MatchParams(mode=Mode.CIRCLES)).groups == ()


def test_many_identical_rings_place_everyone() -> None:
    people = [p for k in range(40) for p in rotation(f"G{k}_", 4, grade=1 + k % 5)]
    solution = solve(people, MatchParams(mode=Mode.CIRCLES, seed=3))
    assert_valid(people, MatchParams(mode=Mode.CIRCLES), solution)
    assert placed(solution) == len(people)


def test_larger_pool_is_valid_and_bounded() -> None:
    rng = random.Random(11)
    params = MatchParams(mode=Mode.CIRCLES, seed=1)
    people = random_pool(rng, 400, skills=6, grades=5)
    solution = solve(people, params)
    assert_valid(people, params, solution)
    optimality = solution.optimality
    assert isinstance(optimality, Optimality)
    assert optimality.upper_bound >= sum(solution.scores)
    assert optimality.gap == pytest.approx(1 - sum(solution.scores) / optimality.upper_bound)


def test_reports_progress_between_zero_and_one() -> None:
    seen: list[float] = []
    people = random_pool(random.Random(2), 60)
    params = MatchParams(mode=Mode.CIRCLES)
    circles_solve.solve_circles(compile_population(people, params), params, lambda _, f: seen.append(f))
    assert seen
    assert all(0.0 <= f <= 1.0 for f in seen)
    assert seen[-1] == 1.0


# --- properties ------------------------------------------------------------------------------------


@st.composite
def pools(draw: st.DrawFn) -> tuple[list[Participant], MatchParams]:
    seed = draw(st.integers(0, 2**32 - 1))
    rng = random.Random(seed)
    people = random_pool(rng, draw(st.integers(0, 40)), skills=draw(st.sampled_from([2, 3, 5])), grades=3)
    params = MatchParams(
        mode=Mode.CIRCLES,
        circle_band=draw(st.integers(0, 2)),
        circle_size=draw(st.integers(3, 5)),
        seed=draw(st.integers(0, 3)),
    )
    return people, params


@settings(max_examples=12, deadline=None)
@given(pools())
def test_circles_are_valid_disjoint_and_deterministic(pool: tuple[list[Participant], MatchParams]) -> None:
    people, params = pool
    solution = solve(people, params)
    assert_valid(people, params, solution)
    assert solve(people, params) == solution


@pytest.mark.parametrize("size", [30, 150])
def test_a_spent_budget_still_gives_valid_circles_with_a_bound(size: int) -> None:
    people = random_pool(random.Random(5), size)
    params = MatchParams(mode=Mode.CIRCLES)
    solution = circles_solve.solve_circles(compile_population(people, params), params, silent, lambda: True)
    assert_valid(people, params, solution)
    optimality = solution.optimality
    assert isinstance(optimality, Optimality)
    assert optimality.upper_bound >= sum(solution.scores)
    assert optimality.placed_bound is not None
    assert optimality.placed_bound >= placed(solution)


def greedy_board(size: int, *, seed: int) -> tuple[Population, MatchParams, Peers, Board]:
    """A generated organisation's pool and its greedy circles (8 candidates a person), before any
    local search."""
    params = MatchParams(mode=Mode.CIRCLES, seed=seed)
    pop = compile_population(generate_organisation(size, seed=seed), params)
    peers = find_peers(pop, params)
    board = Board(pop.size)
    build(pop, params, peers, board, circles_solve.seed_order(pop, peers, params.seed), 8)
    return pop, params, peers, board


def test_small_circles_break_up_into_fuller_ones_only_when_that_scores_more() -> None:
    """After the greedy start, circles of three and four hand their members to circles with free
    seats when the receiving circles gain more than the broken circle scored."""
    pop, params, peers, board = greedy_board(400, seed=4)
    before_placed, before_score = int((board.circle_of >= 0).sum()), float(board.score[board.alive].sum())
    small_before = int((board.sizes[board.alive] < 5).sum())
    assert disband(pop, params, peers, board) > 0
    assert int((board.circle_of >= 0).sum()) == before_placed
    assert float(board.score[board.alive].sum()) > before_score
    assert int((board.sizes[board.alive] < 5).sum()) < small_before
    rows = board.members[board.alive]
    verdict = judge(pop, params, rows)
    assert verdict.valid.all()
    assert np.allclose(verdict.score, board.score[board.alive])
    for circle in board.circles():  # everyone's circle is the one they sit in
        assert (board.circle_of[board.members[circle][board.members[circle] >= 0]] == circle).all()


@pytest.mark.parametrize(("seats", "ways"), [(6, 10), (7, 35), (8, 91), (9, 126), (10, 126)])
def test_two_circles_split_every_way_once(seats: int, ways: int) -> None:
    first, second = splits(seats)
    halves = [
        (frozenset(int(s) for s in a if s >= 0), frozenset(int(s) for s in b if s >= 0))
        for a, b in zip(first, second, strict=True)
    ]
    assert len(halves) == ways
    assert len({frozenset(pair) for pair in halves}) == ways  # no split twice, either way round
    for a, b in halves:
        assert a | b == set(range(seats))
        assert not a & b
        assert 3 <= len(a) <= 5
        assert 3 <= len(b) <= 5


def test_the_split_search_finds_each_pairs_best_split_by_brute_force() -> None:
    """Over more pairs than one compiled task holds: each pair of greedy circles' chosen split
    scores the most of its valid splits, every split judged as two circles by `judge` (-1 where
    none is valid)."""
    pop, params, _peers, board = greedy_board(600, seed=4)
    rows = board.members[board.circles()]
    other = np.random.default_rng(4).integers(0, len(rows), size=len(rows) * 30)
    union = np.sort(np.concatenate([np.repeat(rows, 30, axis=0), rows[other]], axis=1), axis=1)[:, ::-1]
    distinct = union[:, :-1] != union[:, 1:]
    union = union[(distinct | (union[:, 1:] < 0)).all(axis=1)]  # no circle paired with itself
    seats = (union >= 0).sum(axis=1)
    common = int(np.bincount(seats).argmax())
    full = union[seats == common, :common]
    assert len(full) >= 2 * CHUNK  # on every core, several compiled tasks
    chosen = best_splits(pop, params, full)
    assert (best_splits(pop, params, full[:CHUNK]) == chosen[:CHUNK]).all()  # on one core
    assert (chosen >= 0).sum() > CHUNK // 10  # the test means something
    side_a, side_b = splits(common)
    for members, pick in zip(full, chosen, strict=True):
        rows_a, rows_b = (np.where(side >= 0, members[side], -1) for side in (side_a, side_b))
        va, vb = judge(pop, params, rows_a), judge(pop, params, rows_b)
        totals = np.where(va.valid & vb.valid, va.score + vb.score, -np.inf)
        assert totals.max() == -np.inf if pick < 0 else totals[pick] == pytest.approx(totals.max(), abs=1e-9)


def test_regrouping_pairs_of_circles_keeps_everyone_and_scores_more() -> None:
    pop, params, peers, board = greedy_board(400, seed=6)
    seated, before = board.circle_of >= 0, float(board.score[board.alive].sum())
    assert regroup(pop, params, peers, board, np.arange(pop.size)) > 0
    assert ((board.circle_of >= 0) == seated).all()
    assert float(board.score[board.alive].sum()) > before
    verdict = judge(pop, params, board.members[board.alive])
    assert verdict.valid.all()
    assert np.allclose(verdict.score, board.score[board.alive])
    for circle in board.circles():
        assert (board.circle_of[board.members[circle][board.members[circle] >= 0]] == circle).all()


def test_with_worth_a_person_picks_the_circle_falling_least_short_of_its_members_worth() -> None:
    """Two circles for the same seed: the higher-scoring one holds someone who could bring far
    more elsewhere; by worth, the other wins (by score per member, the first)."""
    rows = np.array([[0, 1, 2, -1, -1], [0, 3, 4, -1, -1]])
    scores = np.array([6.0, 5.0])
    worth = np.array([2.0, 2.0, 5.0, 2.0, 1.5])
    assert np.argmax(preference(rows, scores, 4)) == 0
    assert np.argmax(preference(rows, scores, 4, worth)) == 1


def test_a_search_cut_at_its_pass_limit_keeps_valid_circles_a_further_pass_betters() -> None:
    """One pass of local search while circles still change: the circles so far are valid, and
    the pass it did not run would have scored more (passes only ever apply changes that place
    more, or as many scoring more)."""
    people = random_pool(random.Random(3), 30)
    params = MatchParams(mode=Mode.CIRCLES, seed=3)
    pop = compile_population(people, params)
    peers = find_peers(pop, params)
    boards = []
    for passes in (1, 2):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(circles_solve, "MAX_PASSES", passes)
            boards.append(circles_solve.search(pop, params, peers, silent))
    one, two = ((int((b.circle_of >= 0).sum()), float(b.score[b.circles()].sum())) for b in boards)
    for board in boards:
        verdict = judge(pop, params, board.members[board.circles()])
        assert verdict.valid.all()
        assert np.allclose(verdict.score, board.score[board.circles()])
    assert two > one
