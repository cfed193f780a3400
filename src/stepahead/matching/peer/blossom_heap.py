"""A binary min-heap for the blossom solver's dual-step events (`blossom_kernel._step`), kept
in the solver's scratch buffers: keys, and per entry its kind, id and pair.

Finding the next dual step by scanning every person and blossom cost O(people) per step, and a
solve at 10k people takes ~6,000 steps. Every candidate's slack falls at the same rate as the
stage's dual steps add up, so it enters the heap keyed by slack + (steps so far) and its place
never changes; entries that went stale are dropped when they reach the top."""

from __future__ import annotations

from typing import Any

from .._kernels import numba

_kernel = numba.njit(cache=True, nogil=True)

# scratch buffers of the heap (`blossom_kernel.start`)
KEY, KIND, ID, PAIR = 12, 13, 14, 15


@_kernel
def push(buf: Any, size: int, key: int, kind: int, x: int, k: int) -> int:
    """Adds an entry (there must be room); returns the new size."""
    keys, kinds, ids, pairs = buf[KEY], buf[KIND], buf[ID], buf[PAIR]
    i = size
    while i > 0:
        up = (i - 1) >> 1
        if keys[up] <= key:
            break
        keys[i], kinds[i], ids[i], pairs[i] = keys[up], kinds[up], ids[up], pairs[up]
        i = up
    keys[i], kinds[i], ids[i], pairs[i] = key, kind, x, k
    return size + 1


@_kernel
def pop(buf: Any, size: int) -> int:
    """Removes the least entry (size ≥ 1); returns the new size."""
    keys, kinds, ids, pairs = buf[KEY], buf[KIND], buf[ID], buf[PAIR]
    size -= 1
    key, kind, x, k = keys[size], kinds[size], ids[size], pairs[size]
    i = 0
    while True:
        child = 2 * i + 1
        if child >= size:
            break
        if child + 1 < size and keys[child + 1] < keys[child]:
            child += 1
        if keys[child] >= key:
            break
        keys[i], kinds[i], ids[i], pairs[i] = keys[child], kinds[child], ids[child], pairs[child]
        i = child
    if size > 0:
        keys[i], kinds[i], ids[i], pairs[i] = key, kind, x, k
    return size
