"""The compiled population's hard rules against the scalar reference, on pools with managers,
exclusions (sometimes of one's own manager) and language gaps. The key look-up is skipped for
people in no exclusion, since line management is checked first, so both must still agree."""

from __future__ import annotations

import random
from dataclasses import replace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from stepahead.matching import MatchParams, Mode, Participant
from stepahead.matching._population import compile_population, hard_rules_mask
from stepahead.matching._scoring import hard_rules_allow
from stepahead.matching.circles.score import judge
from tests.support.pools import random_pool


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10_000), size=st.integers(2, 14))
def test_every_pair_obeys_the_rules_as_the_scalar_reference_says(seed: int, size: int) -> None:
    rng = random.Random(seed)
    people = random_pool(rng, size, grades=2)
    if size > 2 and rng.random() < 0.5:  # someone also excludes their own manager
        person = people[rng.randrange(size)]
        if person.manager_id:
            other = replace(person, exclude=person.exclude | {person.manager_id})
            people = [other if p is person else p for p in people]
    params = MatchParams(mode=Mode.CIRCLES, circle_band=1)
    pop = compile_population(people, params)
    a, b = (x.ravel() for x in np.meshgrid(np.arange(size), np.arange(size)))
    expected = np.array([hard_rules_allow(people[i], people[j]) for i, j in zip(a, b, strict=True)])
    assert (hard_rules_mask(pop, a, b) == expected).all()
    rows = np.full((len(a), 5), -1, dtype=np.int64)
    rows[:, 0], rows[:, 1] = a, b  # a two-person row: `compatible` is the pair's rules and band
    near = np.abs(pop.grades[a] - pop.grades[b]) <= params.circle_band
    assert (judge(pop, params, rows).compatible == (expected & near)).all()


def test_a_wish_for_someone_outside_the_pool_or_for_oneself_is_no_wish() -> None:
    people = [Participant.build("A", 1, prefer=["B", "A", "Z"]), Participant.build("B", 1, prefer=["A"])]
    pop = compile_population(people, MatchParams())
    assert pop.wish_keys.tolist() == [0 * len(people) + 1]  # A and B only
    assert pop.wish_counts.tolist() == [2]  # wished both ways
