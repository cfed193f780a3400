"""best_first: the head of a stable sort, found without sorting everything."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.sparse import csr_matrix

from stepahead.matching._solution import never
from stepahead.matching.circles import lp as circles_lp
from stepahead.matching.circles.lp import best_first, relax, solve_lp

# Few distinct values, so that ties (and ties across the cut) are common.
VALUES = st.lists(st.sampled_from([-np.inf, -1.5, 0.0, 0.25, 1.0, 3.0]), max_size=60)


@given(VALUES, st.integers(min_value=0, max_value=70))
def test_best_first_is_the_head_of_a_stable_sort(values: list[float], most: int) -> None:
    array = np.array(values, dtype=np.float64)
    expected = np.argsort(-array, kind="stable")[:most]
    np.testing.assert_array_equal(best_first(array, most), expected)


# Three people, circles as columns of the seats matrix: {0, 1} scores 2, {1, 2} 2, {0, 2} 1.
SEATS = csr_matrix(np.array([[1, 0, 1], [1, 1, 0], [0, 1, 1]], dtype=np.float64))
VALUE = np.array([2.0, 2.0, 1.0])


def test_no_working_columns_is_an_empty_lp_or_none_under_a_floor() -> None:
    empty = np.zeros(0, dtype=np.int64)
    found = solve_lp(SEATS, VALUE, None, empty)
    assert found is not None
    assert found.bound == 0.0
    assert solve_lp(SEATS, VALUE, (np.full(3, 2.0), 2), empty) is None


def test_a_floor_no_packing_meets_makes_the_lp_infeasible() -> None:
    # every circle seats two of three people: placing three is impossible, even fractionally
    # (x01 + x12 + x02 ≤ 3/2 by the seat rows, so 2 · Σx ≤ 3 < 4)
    assert solve_lp(SEATS, VALUE, (np.full(3, 2.0), 4), np.arange(3)) is None


def test_column_generation_reaches_the_lp_over_every_column() -> None:
    found = relax(SEATS, VALUE, None, np.array([2]), None, never)
    assert found is not None
    assert found.bound == 2.5  # each circle at one half: 2 + 2 + 1 over two
    assert relax(SEATS, VALUE, None, np.array([2]), None, lambda: True) is None  # stopped first


def test_column_generation_without_rounds_left_gives_no_bound() -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(circles_lp, "MAX_ROUNDS", 1)  # one round adds columns, none is left to check
        assert relax(SEATS, VALUE, None, np.array([2]), None, never) is None


def test_a_floor_the_working_columns_cannot_meet_leaves_no_packing() -> None:
    """Asked to seat four people of three with circles of two, column generation finds no packing
    among its columns: the answer is a bound of -inf, not a failure."""
    found = relax(SEATS, VALUE, (np.full(3, 2.0), 4), np.arange(3), None, never)
    assert found is not None
    assert found.bound == -np.inf
