"""Circles against an exact enumerator written here, independent of the engine: every valid circle
of 3 to 5 from the spec's rules (numpy over the participants' own fields), then exact set packing
(scipy milp, most members first, then most score). Pools of 10 to 40 people in four shapes."""

from __future__ import annotations

import dataclasses
import itertools
import random

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from stepahead.matching import MatchParams, Mode, Participant, circle_is_valid, circle_score
from stepahead.matching._model import Optimality
from stepahead.matching._population import compile_population
from stepahead.matching._solution import Solution, silent
from stepahead.matching.circles import solve as circles_solve
from stepahead.synthetic import SHAPES as SYNTHETIC_SHAPES
from stepahead.synthetic import generate_organisation
from tests.support.pools import random_pool

PRIORITY = (1.0, 0.7, 0.4)
ONE_STEP = (0.0, 1.0, 0.8, 0.5, 0.25, 0.25)


def allowed(a: Participant, b: Participant, band: int) -> bool:
    if a.id == b.id or a.manager_id == b.id or b.manager_id == a.id:
        return False
    if b.id in a.exclude or a.id in b.exclude:
        return False
    if a.languages and b.languages and not a.languages & b.languages:
        return False
    return abs(a.grade - b.grade) <= band


def gains(people: list[Participant]) -> np.ndarray:
    """gain[j, i, k]: what j brings to i's k-th goal."""
    n = len(people)
    gain = np.zeros((n, n, 3))
    for j, giver in enumerate(people):
        for i, receiver in enumerate(people):
            for k, goal in enumerate(receiver.goals[:3]):
                gap = giver.skills.get(goal, 0) - receiver.skills.get(goal, 0)
                gain[j, i, k] = PRIORITY[k] * ONE_STEP[gap] if gap > 0 and i != j else 0.0
    return gain


def every_circle(people: list[Participant], params: MatchParams) -> tuple[np.ndarray, np.ndarray]:
    """(members, scores) of every valid circle; members padded with -1."""
    n = len(people)
    ok = np.array([[allowed(a, b, params.circle_band) for b in people] for a in people], dtype=bool)
    sets = [np.array([c]) for c in itertools.combinations(range(n), 2) if ok[c]]
    grown = np.array(sets).reshape(-1, 2)
    found = []
    for _ in (3, 4, 5):
        nxt = np.repeat(grown, n, axis=0)
        extra = np.tile(np.arange(n), len(grown))
        keep = (extra > nxt[:, -1]) & ok[nxt, extra[:, None]].all(axis=1)
        grown = np.column_stack([nxt[keep], extra[keep]])
        found.append(grown)
    gain = gains(people)
    functions = np.array([hash(p.function) if p.function else 0 for p in people])
    rows, scores = [], []
    for sets_k in found:
        if not len(sets_k):
            continue
        g = gain[sets_k[:, :, None], sets_k[:, None, :]]  # (c, giver, receiver, 3)
        gives = (g > 0).any(axis=3)
        valid = (gives.any(axis=2) & gives.any(axis=1)).all(axis=1)
        goal = g.max(axis=1).sum(axis=(1, 2))
        for members, v, s in zip(sets_k, valid, goal, strict=True):
            if v:
                rows.append(list(members) + [-1] * (5 - len(members)))
                scores.append(s + bonus(people, members, functions, params))
    return np.array(rows, dtype=int).reshape(-1, 5), np.array(scores)


def bonus(
    people: list[Participant], members: np.ndarray, functions: np.ndarray, params: MatchParams
) -> float:
    distinct = len({functions[m] for m in members if functions[m] != 0})
    wishes = sum(
        (people[b].id in people[a].prefer) + (people[a].id in people[b].prefer)
        for a, b in itertools.combinations(members, 2)
    )
    return params.cross_function_bonus * max(distinct - 1, 0) + params.wish_bonus * wishes


def optimum(people: list[Participant], params: MatchParams) -> tuple[int, float]:
    rows, scores = every_circle(people, params)
    if not len(rows):
        return 0, 0.0
    sizes = (rows >= 0).sum(axis=1).astype(float)
    seats = np.zeros((len(people), len(rows)))
    for c, row in enumerate(rows):
        seats[row[row >= 0], c] = 1
    packing = LinearConstraint(seats, 0, 1)

    def solve(value: np.ndarray, extra: list[LinearConstraint]) -> np.ndarray:
        found = milp(
            -value,
            constraints=[packing, *extra],
            integrality=np.ones(len(value)),
            bounds=Bounds(0, 1),
            options={"mip_rel_gap": 0.0},
        )
        return np.round(found.x)

    most = round(float(sizes @ solve(sizes, [])))
    best = solve(scores, [LinearConstraint(sizes[None, :], most, most)])
    return most, float(scores @ best)


# --- pool shapes -----------------------------------------------------------------------------------


def shaped(shape: str, rng: random.Random, size: int) -> list[Participant]:
    skills = 2 if shape == "few-skills" else rng.choice([4, 6])
    people = random_pool(rng, size, skills=skills, grades=6)
    if shape == "pyramid":  # most people at the bottom
        grades = [1] * 6 + [2] * 3 + [3, 3, 4, 5]
        return [dataclasses.replace(p, grade=rng.choice(grades)) for p in people]
    if shape == "even":
        return [dataclasses.replace(p, grade=1 + i % 6) for i, p in enumerate(people)]
    if shape == "one-function":
        return [dataclasses.replace(p, function="operations") for p in people]
    return people


SHAPES = ("pyramid", "even", "few-skills", "one-function")


def solve(people: list[Participant], params: MatchParams) -> Solution:
    return circles_solve.solve_circles(compile_population(people, params), params, silent)


# --- the enumerator itself is checked against the spec's scalar reference ----------------------------


@pytest.mark.parametrize("shape", SHAPES)
def test_the_enumerator_agrees_with_the_scalar_reference(shape: str) -> None:
    rng = random.Random(7)
    people = shaped(shape, rng, 14)
    params = MatchParams(mode=Mode.CIRCLES)
    rows, scores = every_circle(people, params)
    listed = {tuple(int(m) for m in row if m >= 0): s for row, s in zip(rows, scores, strict=True)}
    for size in (3, 4, 5):
        for members in itertools.combinations(range(len(people)), size):
            group = [people[i] for i in members]
            assert (members in listed) == circle_is_valid(group, params)
            if members in listed:
                assert listed[members] == pytest.approx(circle_score(group, params), abs=1e-9)


# --- the engine against it -------------------------------------------------------------------------


@settings(max_examples=10, deadline=None)
@given(
    seed=st.integers(0, 2**31),
    size=st.integers(10, 40),
    shape=st.sampled_from(SHAPES),
    band=st.integers(0, 2),
)
def test_circles_place_the_most_people_with_the_most_score(
    seed: int, size: int, shape: str, band: int
) -> None:
    rng = random.Random(seed)
    people = shaped(shape, rng, size)
    params = MatchParams(mode=Mode.CIRCLES, circle_band=band, seed=seed % 4)
    most, best = optimum(people, params)
    solution = solve(people, params)
    placed = sum(len(c) for c in solution.groups)
    optimality = solution.optimality
    assert isinstance(optimality, Optimality)
    assert placed == most
    assert sum(solution.scores) == pytest.approx(best, abs=1e-6)
    assert optimality.upper_bound >= best - 1e-6
    assert optimality.placed_bound is not None
    assert optimality.placed_bound >= most
    assert optimality.proven


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 2**31), size=st.integers(10, 40), shape=st.sampled_from(sorted(SYNTHETIC_SHAPES)))
@example(seed=12646, size=39, shape="standard")  # its proof took 31k columns: it placed 35 of 36
def test_circles_are_optimal_on_every_synthetic_organisation_shape(seed: int, size: int, shape: str) -> None:
    """The engine's benchmark shapes (steep, even, few or many skills, one function, languages),
    small enough for the enumerator: placed and score are the optimum, and proven."""
    people = list(generate_organisation(size, seed=seed % 1000, shape=shape))
    params = MatchParams(mode=Mode.CIRCLES, seed=seed % 4)
    most, best = optimum(people, params)
    solution = solve(people, params)
    optimality = solution.optimality
    assert isinstance(optimality, Optimality)
    assert sum(len(c) for c in solution.groups) == most
    assert sum(solution.scores) == pytest.approx(best, abs=1e-6)
    assert optimality.upper_bound >= best - 1e-6
    assert optimality.proven
