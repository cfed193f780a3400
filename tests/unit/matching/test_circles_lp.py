"""best_first: the head of a stable sort, found without sorting everything."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from stepahead.matching.circles.lp import best_first

# Few distinct values, so that ties (and ties across the cut) are common.
VALUES = st.lists(st.sampled_from([-np.inf, -1.5, 0.0, 0.25, 1.0, 3.0]), max_size=60)


@given(VALUES, st.integers(min_value=0, max_value=70))
def test_best_first_is_the_head_of_a_stable_sort(values: list[float], most: int) -> None:
    array = np.array(values, dtype=np.float64)
    expected = np.argsort(-array, kind="stable")[:most]
    np.testing.assert_array_equal(best_first(array, most), expected)
