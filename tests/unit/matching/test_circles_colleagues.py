"""The colleague bound (circles/colleagues.py) against the exact enumerator of test_circles_optimum:
never below the optimum, on every pool shape and on pools of specialists, where goals are mostly
met by colleagues and the bound is tightest; and exact where juniors can learn only from a senior
colleague who gains nothing from them."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from stepahead.matching import MatchParams, Mode, Participant
from stepahead.matching._population import compile_population
from stepahead.matching.circles.bound import UNIQUE, bound_shares, counted_bound, upper_bound
from stepahead.matching.circles.colleagues import colleague_bound
from stepahead.synthetic import SHAPES as SYNTHETIC_SHAPES
from tests.unit.matching.test_circles_bound import pool as shaped_pool
from tests.unit.matching.test_circles_optimum import SHAPES, allowed, optimum

FUNCTIONS = ("eng", "sales", "ops", "hr", "legal")


def specialists(rng: random.Random, size: int) -> list[Participant]:
    """Each function has two specialisms of its own; people know their own function's well or
    badly and share a general skill; goals are mostly their own function's specialisms."""
    functions = FUNCTIONS[: rng.randint(2, 5)]
    people = []
    for i in range(size):
        function = rng.randrange(len(functions))
        own = [f"{functions[function]}-{k}" for k in range(2)]
        skills = {s: rng.randint(1, 5) for s in own}
        skills["general"] = rng.randint(1, 5)
        goals = rng.sample([*own, "general"], k=rng.randint(1, 3))
        people.append(
            Participant.build(
                f"P{i}", rng.randint(1, 4), skills=skills, goals=goals, function=functions[function]
            )
        )
    return people


def pool(seed: int, size: int, shape: str, band: int) -> list[Participant]:
    if shape != "specialists":
        return shaped_pool(seed, size, shape, band)
    people = specialists(random.Random(seed), size)
    assume(any(allowed(a, b, band) for a in people for b in people))
    return people


def bounds(people: list[Participant], params: MatchParams, placed: int) -> tuple[float, float]:
    """(the colleague bound, the share bound's lower split) for packings placing `placed`."""
    pop = compile_population(people, params)
    found = bound_shares(pop, params)
    shares = float(np.sort(found.shares, axis=0)[::-1][:placed].sum(axis=0).min())
    return colleague_bound(pop, params, found.facts, found.shares[:, UNIQUE], found.wishes, placed), shares


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**31),
    size=st.integers(6, 22),
    shape=st.sampled_from(("specialists", "specialists", *SHAPES, *sorted(SYNTHETIC_SHAPES))),
    band=st.integers(0, 2),
    bonus=st.sampled_from([0.0, 0.25, 1.5]),
    wish=st.sampled_from([0.5, 3.0]),
)
def test_the_colleague_bound_is_never_below_the_optimum(
    seed: int, size: int, shape: str, band: int, bonus: float, wish: float
) -> None:
    people = pool(seed, size, shape, band)
    params = MatchParams(mode=Mode.CIRCLES, circle_band=band, cross_function_bonus=bonus, wish_bonus=wish)
    most, best = optimum(people, params)
    colleagues, _ = bounds(people, params, most)
    assert colleagues >= best - 1e-6


def test_the_colleague_bound_is_tighter_on_specialists_often() -> None:
    """Not only valid: on pools of specialists it is below the share bound in most pools."""
    params = MatchParams(mode=Mode.CIRCLES)
    tighter = 0
    for seed in range(12):
        people = specialists(random.Random(seed), 18)
        colleagues, shares = bounds(people, params, len(people))
        tighter += colleagues < shares - 1e-9
    assert tighter >= 6


def juniors_and_a_senior(others: int) -> list[Participant]:
    """Two juniors who can learn x only from their senior colleague, who learns p only from the
    other functions, who learn q from the juniors."""
    return [
        Participant.build("S", 3, skills={"x": 4, "p": 1}, goals=["p"], function="eng"),
        Participant.build("J1", 3, skills={"x": 1, "q": 3}, goals=["x"], function="eng"),
        Participant.build("J2", 3, skills={"x": 1, "q": 3}, goals=["x"], function="eng"),
        *(
            Participant.build(f"O{i}", 3, skills={"p": 4, "q": 1}, goals=["q"], function=FUNCTIONS[1 + i])
            for i in range(others)
        ),
    ]


@pytest.mark.parametrize("others", [2, 3])
def test_a_senior_teaching_colleagues_costs_the_bonus_they_share(others: int) -> None:
    """The share bound credits each junior half a function's excess beside the senior; but the
    three colleagues cost the circle two functions' bonus, and the senior gains nothing from
    them: the colleague bound charges it all and meets the optimum."""
    people = juniors_and_a_senior(others)
    params = MatchParams(mode=Mode.CIRCLES)
    most, best = optimum(people, params)
    colleagues, shares = bounds(people, params, most)
    assert colleagues == pytest.approx(best)
    assert shares > best + 0.1
    assert upper_bound(compile_population(people, params), params, most) == pytest.approx(best)


def test_colleagues_who_teach_each_other_gain_all_round() -> None:
    """Four colleagues in a ring each teach the next, with an outsider who teaches the first and
    learns from them: the optimum is that circle, where every colleague gains, so their group
    pays only the share bound's half excess each. The bound credits their cycle of helpers and
    stays above the optimum (without the credit it would fall 0.25 below it)."""
    skills = ("a", "b", "c", "d")
    people = [
        Participant.build(
            f"R{i}",
            3,
            skills={skills[i]: 3, skills[(i + 1) % 4]: 2, "general": 1},
            goals=[skills[(i + 1) % 4], *(["general"] if i == 0 else [])],
            function="eng",
        )
        for i in range(4)
    ]
    people.append(Participant.build("O", 3, skills={"general": 4, "a": 1}, goals=["a"], function="sales"))
    people.append(Participant.build("Q", 3, skills={}, goals=["z"], function="hr"))  # never placed
    params = MatchParams(mode=Mode.CIRCLES)
    most, best = optimum(people, params)
    colleagues, shares = bounds(people, params, most)
    assert most == 5
    assert colleagues >= best - 1e-9
    assert colleagues == pytest.approx(shares)


def test_with_too_many_colleague_pairs_the_share_bound_stands() -> None:
    """2,001 colleagues of one function, each learning from half of the others and from nobody
    of another function: four million pairs to look at, past PAIR_LIMIT. The colleague bound
    steps aside (inf) and the bound is the lower of the share and counted bounds."""
    people = [
        Participant.build(f"E{i}", 3, skills={"xy"[i % 2]: 4, "q": 3}, goals=["yx"[i % 2]], function="eng")
        for i in range(2001)
    ]
    people += [
        Participant.build(f"O{i}", 3, skills={"q": 1}, goals=["q"], function=FUNCTIONS[1 + i])
        for i in range(2)
    ]
    params = MatchParams(mode=Mode.CIRCLES)
    placed = len(people)
    colleagues, shares = bounds(people, params, placed)
    assert colleagues == np.inf
    pop = compile_population(people, params)
    counted = counted_bound(pop, params, placed, bound_shares(pop, params))
    assert upper_bound(pop, params, placed) == pytest.approx(min(shares, counted))
