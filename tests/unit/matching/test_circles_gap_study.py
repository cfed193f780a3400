"""The gap study's split of a packing's score (bench/circles_gap_study.py) against the spec's own
scoring (`circle_score`): goals met plus honoured wishes plus the function bonus add up."""

from __future__ import annotations

import pytest
from bench.circles_gap_study import goals_met, rows_of, seated, wishes_honoured
from bench.circles_independent import FAMILIES, organisation

from stepahead.matching import MatchParams, Mode, match
from stepahead.matching._population import compile_population
from stepahead.matching._scoring import circle_score, wish_bonus


@pytest.mark.parametrize("family", ["flat-no-functions", "pyramid-specialists-languages"])
def test_goals_wishes_and_bonus_add_up_to_each_circles_score(family: str) -> None:
    people = organisation(60, 1, FAMILIES[family])
    params = MatchParams(mode=Mode.CIRCLES, seed=1)
    result = match(people, params)
    pop = compile_population(people, params)
    rows = rows_of(pop, result)
    got = goals_met(pop, rows)
    assert result.circles
    for k, row in enumerate(rows):
        members = [people[i] for i in row[row >= 0]]
        wishes = sum(wish_bonus(a, b, params) for i, a in enumerate(members) for b in members[i + 1 :])
        functions = {m.function for m in members if m.function}
        bonus = params.cross_function_bonus * max(0, len(functions) - 1)
        assert got[k].sum() + wishes + bonus == pytest.approx(circle_score(members, params))
    person = {p.id: p for p in people}
    pairs = [(a, b) for c in result.circles for a in c.members for b in c.members if a < b]
    honoured = sum(wish_bonus(person[a], person[b], params) for a, b in pairs)
    assert wishes_honoured(pop, params, seated(pop, params, rows).circle_of) == pytest.approx(honoured)
