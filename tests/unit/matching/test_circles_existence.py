"""Whether any valid circle holds a person: the search agrees with the independent enumerator on
every pool shape, says so for people with many possible circle-mates, and gives up honestly."""

from __future__ import annotations

import random

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from stepahead.matching import MatchParams, Mode, Participant
from stepahead.matching._population import compile_population
from stepahead.matching.circles.existence import circle_exists
from stepahead.matching.circles.solve import _seatable
from stepahead.synthetic import SHAPES as SYNTHETIC_SHAPES
from tests.unit.matching.test_circles_colleagues import pool
from tests.unit.matching.test_circles_optimum import SHAPES, every_circle, shaped


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**31),
    size=st.integers(5, 26),
    shape=st.sampled_from(("specialists", *SHAPES, *sorted(SYNTHETIC_SHAPES))),
    band=st.integers(0, 2),
)
def test_a_circle_exists_exactly_when_the_enumerator_lists_one(
    seed: int, size: int, shape: str, band: int
) -> None:
    people = pool(seed, size, shape, band)
    params = MatchParams(mode=Mode.CIRCLES, circle_band=band)
    rows, _ = every_circle(people, params)
    holding = set(rows[rows >= 0].tolist())
    pop = compile_population(people, params)
    assert [circle_exists(pop, params, i) for i in range(len(people))] == [i in holding for i in range(size)]


def _person(i: int, grade: int, skills: dict[str, int], goals: list[str]) -> Participant:
    return Participant.build(f"P{i}", grade, skills=skills, goals=goals)


def test_no_circle_among_many_possible_circle_mates_is_a_definite_no() -> None:
    """Ninety people who could sit with the newcomer, half ahead of them and half behind, but
    the two halves give each other nothing and nobody gives within a half: no circle holds the
    newcomer (the old check, looking at the first sixty, could not tell)."""
    newcomer = _person(0, 3, {"python": 2, "sql": 3}, ["python"])
    ahead = [_person(i, 3, {"python": 4}, ["design"]) for i in range(1, 46)]  # nobody has design
    behind = [_person(i, 3, {"sql": 1}, ["sql"]) for i in range(46, 91)]  # only the newcomer helps
    people = [newcomer, *ahead, *behind]
    params = MatchParams(mode=Mode.CIRCLES)
    pop = compile_population(people, params)
    assert circle_exists(pop, params, 0) is False
    assert circle_exists(pop, params, 1) is False  # nobody can give to them
    # Someone with design gives to those ahead and learns python from them and the newcomer.
    helper = _person(91, 3, {"design": 3, "python": 1}, ["python"])
    pop = compile_population([*people, helper], params)
    assert circle_exists(pop, params, 0) is True  # with one of those ahead and the helper


def test_the_search_gives_up_past_its_budget() -> None:
    people = shaped("even", random.Random(5), 24)
    params = MatchParams(mode=Mode.CIRCLES, circle_band=2)
    pop = compile_population(people, params)
    rows, _ = every_circle(people, params)
    holder = int(np.bincount(rows[rows >= 0]).argmax())
    assert circle_exists(pop, params, holder) is True
    assert circle_exists(pop, params, holder, work=len(people)) is None  # one branch's worth


def test_large_pools_repair_only_around_people_some_circle_could_hold() -> None:
    """Repairs cost an exact solve each; around someone no valid circle holds they cannot place
    anyone, so the search (large pools) passes them over, asking each person once."""
    newcomer = _person(0, 3, {"python": 2, "sql": 3}, ["python"])
    ahead = [_person(i, 3, {"python": 4}, ["design"]) for i in range(1, 46)]
    behind = [_person(i, 3, {"sql": 1}, ["sql"]) for i in range(46, 91)]
    helper = _person(91, 3, {"design": 3, "python": 1}, ["python"])
    stranger = _person(92, 3, {"python": 5}, [])  # no goals: receives nothing in any circle
    params = MatchParams(mode=Mode.CIRCLES)
    pop = compile_population([newcomer, *ahead, *behind, helper, stranger], params)
    known: dict[int, bool] = {}
    anchors = np.array([92, 0, 46, 91], dtype=np.int64)
    assert _seatable(pop, params, anchors, known, most=1).tolist() == [0]
    assert known == {92: False, 0: True}  # nobody asked once enough are found
    assert _seatable(pop, params, anchors, known, most=5).tolist() == [0, 91]
    assert known == {92: False, 0: True, 46: False, 91: True}
    known[0] = False  # remembered, not asked again
    assert _seatable(pop, params, anchors, known, most=5).tolist() == [91]
    assert _seatable(pop, params, anchors, known, most=0).tolist() == []
