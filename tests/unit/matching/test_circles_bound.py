"""The large-pool circle bound (each person's best share of any valid circle) against the exact
enumerator of test_circles_optimum: every valid circle's score is at most its members' shares,
under either split of the function bonus (evenly, or to members alone in their function), so the
bound is never below the optimum; and it is tighter than "best goals plus a full function bonus
share" where goals are only met within one's own function."""

from __future__ import annotations

import dataclasses
import random

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from stepahead.matching import MatchParams, Mode, Participant
from stepahead.matching._population import compile_population
from stepahead.matching.circles.bound import (
    EVEN,
    UNIQUE,
    bound_shares,
    counted_bound,
    split_shares,
    upper_bound,
    wish_shares,
)
from stepahead.synthetic import SHAPES as SYNTHETIC_SHAPES
from stepahead.synthetic import generate_organisation
from tests.unit.matching.test_circles_optimum import SHAPES, allowed, every_circle, optimum, shaped


def pool(draw_seed: int, size: int, shape: str, band: int) -> list[Participant]:
    """A pool where some pair may share a circle (the enumerator needs one)."""
    rng = random.Random(draw_seed)
    if shape in SYNTHETIC_SHAPES:
        people = list(generate_organisation(size, seed=draw_seed % 1000, shape=shape))
    else:
        people = shaped(shape, rng, size)
    assume(any(allowed(a, b, band) for a in people for b in people))
    return people


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**31),
    size=st.integers(6, 16),
    shape=st.sampled_from(SHAPES + tuple(sorted(SYNTHETIC_SHAPES))),
    band=st.integers(0, 2),
    bonus=st.sampled_from([0.0, 0.25, 1.5]),
    wish=st.sampled_from([0.5, 3.0]),
)
def test_every_valid_circle_scores_at_most_its_members_shares(
    seed: int, size: int, shape: str, band: int, bonus: float, wish: float
) -> None:
    people = pool(seed, size, shape, band)
    params = MatchParams(mode=Mode.CIRCLES, circle_band=band, cross_function_bonus=bonus, wish_bonus=wish)
    pop = compile_population(people, params)
    shares = bound_shares(pop, params).shares
    rows, scores = every_circle(people, params)
    for row, score in zip(rows, scores, strict=True):
        members = row[row >= 0]
        assert (shares[members].sum(axis=0) >= score - 1e-9).all(), (members, score)


@settings(max_examples=30, deadline=None)
@given(
    seed=st.integers(0, 2**31),
    size=st.integers(8, 30),
    shape=st.sampled_from(SHAPES + tuple(sorted(SYNTHETIC_SHAPES))),
    band=st.integers(0, 2),
)
def test_the_bound_is_never_below_the_optimum(seed: int, size: int, shape: str, band: int) -> None:
    people = pool(seed, size, shape, band)
    params = MatchParams(mode=Mode.CIRCLES, circle_band=band)
    most, best = optimum(people, params)
    assert upper_bound(compile_population(people, params), params, most) >= best - 1e-6


def ring(function: str, others: tuple[str, ...]) -> list[Participant]:
    """Four of one function who each teach the next one step in a skill only they hold, and one
    person of each other function with nothing to give or gain."""
    skills = ("a", "b", "c", "d")
    ring_people = [
        Participant.build(
            f"R{i}",
            3,
            skills={skills[i]: 3, skills[(i + 1) % 4]: 2},
            goals=[skills[(i + 1) % 4]],
            function=function,
        )
        for i in range(4)
    ]
    rest = [Participant.build(f"O{k}", 3, skills={}, goals=["z"], function=f) for k, f in enumerate(others)]
    return ring_people + rest


def test_goals_met_only_within_ones_function_cost_function_bonus() -> None:
    """R1's goal is met only by R2 (same function): its best circle trades a function for the
    goal. With the giver, at most four functions among five (0.25 · 3 / 5); without, no goal."""
    people = ring("eng", ("sales", "hr", "legal", "ops"))
    params = MatchParams(mode=Mode.CIRCLES)
    shares = split_shares(compile_population(people, params), params)
    assert shares[1, EVEN] == pytest.approx(1.0 + 0.25 * 3 / 5)
    assert shares[4, EVEN] == pytest.approx(0.25 * 4 / 5)  # gains nothing; at best a circle of five functions
    # Credited to unique functions, R1 sharing its function stands for half a function's excess.
    assert shares[1, UNIQUE] == pytest.approx(1.0 + 0.25 * (4 / 5 - 1 / 2))
    assert shares[4, UNIQUE] == pytest.approx(0.25 * 4 / 5)
    unbonused = dataclasses.replace(params, cross_function_bonus=0.0)
    assert split_shares(compile_population(people, unbonused), unbonused)[1, EVEN] == pytest.approx(1.0)


def test_wishes_count_only_between_people_who_may_share_a_circle() -> None:
    """A mutual wish within the grade band is worth half of two wish bonuses to each; one across
    more grades than the band, or with one's own manager, is never realised."""
    people = [
        Participant.build("A", 3, prefer=["B", "C"]),
        Participant.build("B", 4, prefer=["A"]),
        Participant.build("C", 7, prefer=["A"]),
        Participant.build("D", 3, prefer=["E"]),
        Participant.build("E", 4, manager_id="D"),
    ]
    params = MatchParams(mode=Mode.CIRCLES, wish_bonus=0.5)
    shares = wish_shares(compile_population(people, params), params)
    assert shares.tolist() == pytest.approx([0.5, 0.5, 0.0, 0.0, 0.0])


def test_the_bound_takes_the_tighter_split() -> None:
    """Where goals are met only within one's function, crediting the bonus to unique functions
    bounds lower than the even split; the bound is the lower of the two, and above the optimum."""
    people = ring("eng", ("sales", "hr", "legal", "ops"))
    params = MatchParams(mode=Mode.CIRCLES)
    pop = compile_population(people, params)
    shares = split_shares(pop, params)
    even, unique = shares.sum(axis=0)
    assert unique < even
    counted = counted_bound(pop, params, len(people), bound_shares(pop, params))
    assert upper_bound(pop, params, len(people)) == pytest.approx(min(unique, counted))
    most, best = optimum(people, params)
    assert upper_bound(pop, params, most) >= best - 1e-9


def rings_with_a_guest(rings: int) -> list[Participant]:
    """Rings of four engineers, each teaching the next one step in a skill of their ring, and for
    each ring one guest of operations who teaches one of them and learns from another."""
    people = []
    for r in range(rings):
        skills = [f"{r}{s}" for s in "abcd"]
        people += [
            Participant.build(
                f"E{r}{i}",
                3,
                skills={skills[i]: 3, skills[(i + 1) % 4]: 2},
                goals=[skills[(i + 1) % 4]],
                function="eng",
            )
            for i in range(4)
        ]
        guest = {skills[0]: 3, skills[1]: 2}
        people.append(Participant.build(f"G{r}", 3, skills=guest, goals=[skills[1]], function="ops"))
    return people


def test_a_large_function_caps_the_bonus_every_packing_can_have() -> None:
    """Twelve engineers and three guests: each engineer's best share counts on a circle with
    another function, but only three circles can have one. The counted bound (best goals plus
    three bonuses) is the optimum here, below either split."""
    people = rings_with_a_guest(3)
    params = MatchParams(mode=Mode.CIRCLES)
    pop = compile_population(people, params)
    most, best = optimum(people, params)
    found = bound_shares(pop, params)
    assert (most, best) == (15, pytest.approx(15.75))  # every goal met one step up, 3 bonuses
    assert counted_bound(pop, params, most, found) == pytest.approx(best)
    assert found.shares.sum(axis=0).min() > best + 0.5
    assert upper_bound(pop, params, most) == pytest.approx(best)


def test_people_without_a_function_are_credited_no_bonus() -> None:
    """Someone with no function adds none to a circle: credited to unique functions, their share
    is their goals alone."""
    people = [
        Participant.build("A", 3, skills={"a": 2, "b": 1}, goals=["b"]),
        Participant.build("B", 3, skills={"b": 2, "a": 1}, goals=["a"], function="eng"),
        Participant.build("C", 3, skills={"a": 2, "b": 2}, goals=["c"], function="ops"),
        Participant.build("D", 3, skills={"c": 3}, goals=["a"], function="hr"),
    ]
    params = MatchParams(mode=Mode.CIRCLES)
    shares = split_shares(compile_population(people, params), params)
    assert shares[0, UNIQUE] == pytest.approx(1.0)
    assert shares[0, EVEN] > 1.0
