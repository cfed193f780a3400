"""The scans' shortcuts (`peer.buckets`, `peer.kernel`) against the plain definitions: a row's
table of what each code gives it, what it gives a partner read from one cache line, and a
price check that buckets only the bands of the rows it reads."""

from __future__ import annotations

import random

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from stepahead.matching.peer.buckets import BASE
from stepahead.matching.peer.kernel import _partner_rows, _received_by_code, _value_to, check_prices
from stepahead.matching.peer.tables import PairTables, value
from tests.support.pools import PeerCase, compiled_case, peer_cases

pools = peer_cases(1, 40)


def tables_of(case: PeerCase) -> PairTables:
    return compiled_case(case)[2]


@settings(max_examples=40, deadline=None)
@given(case=pools)
def test_tables_and_partner_rows_give_exactly_what_value_gives(
    case: tuple[random.Random, int, int, int, bool],
) -> None:
    tables = tables_of(case)
    scoring = tables.args()[2]
    groups = tables.goal_groups
    them = _partner_rows(
        np.zeros(tables.size, dtype=np.int64), np.zeros(tables.size, dtype=np.int64), scoring
    )
    for g in range(len(groups.skills)):
        skills = groups.skills[g]
        for i in groups.rows[groups.start[g] : groups.start[g + 1]].tolist():
            table = _received_by_code(scoring, i, groups.slots[i])
            for j in range(tables.size):
                code = sum(int(tables.levels[j, skills[s]]) * BASE ** (2 - s) for s in range(3))
                assert table[code] == value(scoring, j, i)  # bit for bit: same float operations
                assert _value_to(scoring, i, them, j) == value(scoring, i, j)


@settings(max_examples=40, deadline=None)
@given(case=pools, keep=st.integers(1, 3), seed=st.integers(0, 1000))
def test_a_picked_rows_check_does_not_depend_on_who_else_is_picked(
    case: tuple[random.Random, int, int, int, bool], keep: int, seed: int
) -> None:
    # only the bands of picked rows are bucketed: fewer picked must leave each one's result as is
    tables = tables_of(case)
    rng = np.random.default_rng(seed)
    prices = rng.integers(0, 4_000_000, tables.size)
    everyone = check_prices(tables, prices, np.ones(tables.size, dtype=bool), keep)
    picked = rng.random(tables.size) < 0.3
    some = check_prices(tables, prices, picked, keep)
    rows = np.flatnonzero(picked[tables.order])  # grade order, as the check's arrays
    assert np.array_equal(some.excess[rows], everyone.excess[rows])
    assert np.array_equal(some.partner[rows], everyone.partner[rows])
    assert not np.any(some.partner[np.flatnonzero(~picked[tables.order])] >= 0)
