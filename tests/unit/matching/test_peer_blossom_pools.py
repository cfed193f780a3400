"""The blossom solver's pools (`blossom_state`): each blossom's segment of a pool (its children,
or its least-slack pairs) is appended at the end; when the end is reached the segments in use slide
to the front, in place, keeping their contents and their order. Large pools rarely fill up, so the
compaction is checked here on pools built for it."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from stepahead.matching.peer.blossom_state import _compact, _reserve

START, LENGTH = 0, 1  # the state table's rows used here (the solver's are _CSTART/_CLEN, ...)


def pools(lengths: list[int], gaps: list[int], order: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """A state table for k people and k blossoms (ids k..2k-1, as in the solver; blossom k + b
    has lengths[b], 0: not in use) and a two-row pool holding the blossoms' segments in `order`,
    `gaps` apart, each entry marked with its blossom and position."""
    k = len(lengths)
    state = np.zeros((2, 2 * k), dtype=np.int64)
    pool = np.full((2, sum(lengths) + sum(gaps) + 4), -1, dtype=np.int64)
    at = 0
    for b, gap in zip(order, gaps, strict=True):
        at += gap
        state[START, k + b], state[LENGTH, k + b] = at, lengths[b]
        pool[0, at : at + lengths[b]] = b
        pool[1, at : at + lengths[b]] = np.arange(lengths[b])
        at += lengths[b]
    return state, pool


segments = st.lists(st.integers(0, 4), min_size=1, max_size=8).flatmap(
    lambda lengths: st.tuples(
        st.just(lengths),
        st.lists(st.integers(0, 3), min_size=len(lengths), max_size=len(lengths)),
        st.permutations(range(len(lengths))),
    )
)


@settings(deadline=None)  # the first example compiles the kernel (seconds on a clean clone)
@given(segments)
def test_compaction_packs_the_segments_in_use_in_order_and_keeps_them(case: tuple) -> None:
    lengths, gaps, order = case
    state, pool = pools(lengths, gaps, order)
    k = len(lengths)
    end = _compact(state, START, LENGTH, pool, k, 2 * k)
    in_use = [b for b in order if lengths[b] > 0]
    assert end == sum(lengths)
    at = 0
    for b in in_use:  # in the order they sat in, from the front, nothing between
        assert state[START, k + b] == at
        assert pool[0, at : at + lengths[b]].tolist() == [b] * lengths[b]
        assert pool[1, at : at + lengths[b]].tolist() == list(range(lengths[b]))
        at += lengths[b]


def test_reserving_past_the_end_compacts_first() -> None:
    state, pool = pools([2, 0, 3], [5, 0, 4], [0, 1, 2])  # in use: 0 at 5..6, 2 at 11..13
    scalars = np.zeros(2, dtype=np.int64)
    scalars[1] = 14  # the pool's end: 4 free entries of 18
    assert _reserve(state, scalars, 1, START, LENGTH, pool, 3, 4) == 14  # room: no compaction
    assert state[START, 3] == 5
    assert _reserve(state, scalars, 1, START, LENGTH, pool, 3, 3) == 5  # full: compacted, then after
    assert (state[START, 3], state[START, 5]) == (0, 2)
    assert pool[0, :5].tolist() == [0, 0, 2, 2, 2]
    assert scalars[1] == 8
