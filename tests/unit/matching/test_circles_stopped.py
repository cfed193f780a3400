"""Circles under a budget: whichever step `stop()` first says stop in (the exact path up to 60
people, column generation up to 200, the search with trading and regrouping beyond), the engine
returns valid circles, nobody twice, each scored as the spec scores it, with bounds at least what
it found, and says it was stopped exactly when the budget ran out before it proved its result."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stepahead.matching import MatchParams, Mode, circle_is_valid, match
from stepahead.matching._scoring import circle_score
from stepahead.synthetic import SHAPES, generate_organisation
from tests.support.budget import Budget


@settings(max_examples=16, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    size=st.sampled_from([16, 40, 90, 230]),
    shape=st.sampled_from(sorted(SHAPES)),
    calls=st.integers(0, 40),
)
def test_a_stopped_run_returns_valid_circles_and_bounds(seed: int, size: int, shape: str, calls: int) -> None:
    people = list(generate_organisation(size, seed=seed, shape=shape))
    params = MatchParams(mode=Mode.CIRCLES, seed=seed)
    budget = Budget(calls)
    result = match(people, params, stop=budget)
    person = {p.id: p for p in people}
    seated = [m for c in result.circles for m in c.members]
    assert len(seated) == len(set(seated)) == result.placed
    for circle in result.circles:
        members = [person[m] for m in circle.members]
        assert circle_is_valid(members, params)
        assert circle.score == pytest.approx(circle_score(members, params), abs=1e-4)
    optimality = result.optimality
    assert optimality is not None
    assert optimality.upper_bound >= result.total_score - 1e-6
    assert optimality.placed_bound is None or optimality.placed_bound >= result.placed
    assert optimality.stopped == (budget.said_stop and not optimality.proven)
