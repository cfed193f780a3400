"""The blossom solver's state (`blossom_kernel`): one int64 table of `_ROWS` × 2n (ids below n are
people, from n on blossoms), scalars, scratch buffers, and the primitives that read and write them.
One table rather than a class, so that the compiled helpers share it without a class numba could
not cache."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._kernels import numba
from .blossom_heap import (
    KEY,
    push,
)

_kernel = numba.njit(cache=True, nogil=True)

# rows of the state table
_LABEL = 0  # 0 none, 1 S (outer), 2 T (inner); bit 4 marks a blossom already seen by _trace
_FROM = 1  # the label came over pair _EDGE = (_FROM, _TO), _FROM on the labelling side
_TO = 2
_EDGE = 3
_PARENT = 4  # enclosing blossom, -1 at top level
_BASE = 5
_BEST = 6  # least-slack pair to an S blossom (unlabelled people, S blossoms), -1 none
_ROOT = 7  # labelled top-level blossoms: the unmatched person whose tree holds them
_CSTART = 8  # blossoms: children (and the pairs joining them) in the child pool
_CLEN = 9
_BSTART = 10  # S blossoms: least-slack pair to each neighbouring S blossom; _BLEN -1: none kept
_BLEN = 11
_DUAL = 12  # u for people, z for blossoms
_INB = 13  # people: their top-level blossom
_MATE = 14  # people: their partner (-1 unmatched) and the pair's id
_MATEK = 15
_DEAD = 16  # roots: the stage in which their tree augmented
_ALIVE = 17  # blossoms in use
_DOWN = 18  # people: 1 once labelled S (scanned), so their dual may have gone down
_ROWS = 19

# scalars; _HEAP: events held (`blossom_heap`), _FULL: 1 when one found no room (rebuilt at the
# next step), _SUM: the stage's dual steps so far, _SKEY/_SWHO: least dual + _SUM of an S person
_STAGE, _CPTR, _BPTR, _QTOP, _FREE, _HEAP, _FULL, _SUM, _SKEY, _SWHO = 0, 1, 2, 3, 4, 5, 6, 7, 8, 9
_LEAVES = 16  # scratch: the people of a T blossom being undone
_NEVER = np.iinfo(np.int64).max
# child pool rows: child, then the pair (v, w, id) joining child i to child i + 1 (cyclic)
_CHILD, _PV, _PW, _PK = 0, 1, 2, 3


@_kernel
def _slack(st: Any, g: Any, k: int) -> Any:
    ea, eb, wt = g[0], g[1], g[2]
    return st[_DUAL, ea[k]] + st[_DUAL, eb[k]] - 2 * wt[k]


@_kernel
def _leaves(st: Any, n: int, b: int, out: Any, stack: Any, cpool: Any) -> Any:
    """The people inside b, written to out; returns how many."""
    if b < n:
        out[0] = b
        return 1
    count, top = 0, 1
    stack[0] = b
    while top > 0:
        top -= 1
        s = stack[top]
        start = st[_CSTART, s]
        for i in range(start, start + st[_CLEN, s]):
            c = cpool[_CHILD, i]
            if c < n:
                out[count] = c
                count += 1
            else:
                stack[top] = c
                top += 1
    return count


@_kernel
def _trace(st: Any, v: int, w: int, path: Any) -> Any:
    """From both ends of a tight S–S pair back towards their roots: the base of the first
    blossom both reach (a blossom closes there), or -1 at two roots (an augmenting path)."""
    count, found = 0, -1
    while v >= 0:
        b = st[_INB, v]
        if st[_LABEL, b] & 4:
            found = st[_BASE, b]
            break
        path[count] = b
        count += 1
        st[_LABEL, b] = 5
        v = -1 if st[_FROM, b] < 0 else st[_FROM, st[_INB, st[_FROM, b]]]
        if w >= 0:
            v, w = w, v
    for i in range(count):
        st[_LABEL, path[i]] = 1
    return found


@_kernel
def _compact(st: Any, start_row: int, len_row: int, pool: Any, first: int, last: int) -> Any:
    """Slide the segments in use (len ≥ 0) of ids [first, last) to the front of pool; returns
    the new end."""
    count = 0
    for b in range(first, last):
        count += st[len_row, b] > 0
    ids = np.empty(count, dtype=np.int64)
    count = 0
    for b in range(first, last):
        if st[len_row, b] > 0:
            ids[count] = b
            count += 1
    ids = ids[np.argsort(st[start_row, ids])]
    end = 0
    for i_b in range(ids.shape[0]):
        b = ids[i_b]
        s, length = st[start_row, b], st[len_row, b]
        for r in range(pool.shape[0]):
            for i in range(length):
                pool[r, end + i] = pool[r, s + i]
        st[start_row, b] = end
        end += length
    return end


@_kernel
def _reserve(st: Any, sc: Any, ptr: int, start_row: int, len_row: int, pool: Any, n: int, size: int) -> Any:
    """Room for `size` entries at the end of a pool, compacting it when full."""
    if sc[ptr] + size > pool.shape[1]:
        sc[ptr] = _compact(st, start_row, len_row, pool, n, 2 * n)
    at = sc[ptr]
    sc[ptr] += size
    return at


@_kernel
def _new_blossom(st: Any, sc: Any, free: Any) -> Any:
    sc[_FREE] -= 1
    b = free[sc[_FREE]]
    st[_ALIVE, b] = 1
    return b


@_kernel
def _at(st: Any, b: int, j: int) -> Any:
    """Pool position of child j of b, j counted cyclically (negative from the end)."""
    length = st[_CLEN, b]
    return st[_CSTART, b] + ((j % length) + length) % length


@_kernel
def _position(st: Any, cpool: Any, b: int, child: int) -> Any:
    """Where `child`, one of b's children (callers only ask for one), sits in b's cycle."""
    start, i = st[_CSTART, b], 0
    while cpool[_CHILD, start + i] != child:
        i += 1
    return i


@_kernel
def _free_blossom(st: Any, sc: Any, b: int, free: Any) -> None:
    for row in (_LABEL, _FROM, _TO, _EDGE, _PARENT, _BASE, _BEST, _BLEN):
        st[row, b] = -1
    st[_LABEL, b] = st[_CLEN, b] = st[_ALIVE, b] = st[_DUAL, b] = 0
    free[sc[_FREE]] = b
    sc[_FREE] += 1


@_kernel
def _s_person(st: Any, sc: Any, x: int) -> None:
    """x is labelled S: its dual falls with every step from now on (S labels last the stage)."""
    if st[_DUAL, x] + sc[_SUM] < sc[_SKEY]:
        sc[_SKEY], sc[_SWHO] = st[_DUAL, x] + sc[_SUM], x


@_kernel
def _event(sc: Any, buf: Any, key: int, kind: int, x: int, k: int) -> None:
    """A candidate for the next dual step, keyed by what it allows + the steps so far."""
    if sc[_HEAP] == buf[KEY].shape[0]:
        sc[_FULL] = 1  # the next step rebuilds the heap from the state
    else:
        sc[_HEAP] = push(buf, sc[_HEAP], key, kind, x, k)


@_kernel
def start(n: int, wt: Any, mate: Any, mate_pair: Any, dual: Any) -> Any:
    """The solver's state from a matching (mate, and each person's pair id; -1 unmatched) and
    person duals feasible for it: u_a + u_b ≥ 2·w_ab on every pair, equality on matched ones,
    all ≥ 0, and the unmatched people's duals of one parity."""
    m = wt.shape[0]
    st = np.full((_ROWS, 2 * n), -1, dtype=np.int64)
    for row in (_LABEL, _CLEN, _ALIVE, _DUAL, _DOWN):
        st[row, :] = 0
    st[_DUAL, :n] = dual
    st[_MATE, :n] = mate
    st[_MATEK, :n] = mate_pair
    st[_BASE, :n] = np.arange(n)
    st[_INB, :n] = np.arange(n)
    sc = np.zeros(12, dtype=np.int64)
    sc[_FREE] = n
    free = np.arange(2 * n - 1, n - 1, -1).astype(np.int64)
    pools = (np.zeros((4, 6 * n + 8), dtype=np.int64), np.zeros((1, 4 * m + 2 * n + 8), dtype=np.int64), free)
    buf = (
        np.zeros(n + 1, dtype=np.int64),  # 0 queue
        np.zeros(n + 1, dtype=np.int64),  # 1 leaves
        np.zeros(2 * n + 1, dtype=np.int64),  # 2 leaves' stack
        np.zeros(2 * n + 1, dtype=np.int64),  # 3-6 a new blossom's cycle
        np.zeros(2 * n + 1, dtype=np.int64),
        np.zeros(2 * n + 1, dtype=np.int64),
        np.zeros(2 * n + 1, dtype=np.int64),
        np.full(2 * n + 1, -1, dtype=np.int64),  # 7 least-slack pair to each S blossom
        np.zeros(2 * n + 1, dtype=np.int64),  # 8 the S blossoms seen
        np.zeros(2 * n + 1, dtype=np.int64),  # 9-11 stacks
        np.zeros(2 * n + 1, dtype=np.int64),
        np.zeros(2 * n + 1, dtype=np.int64),
        np.zeros(8 * n + 64, dtype=np.int64),  # 12-15 the events' heap (`blossom_heap`)
        np.zeros(8 * n + 64, dtype=np.int64),
        np.zeros(8 * n + 64, dtype=np.int64),
        np.zeros(8 * n + 64, dtype=np.int64),
        np.zeros(n + 1, dtype=np.int64),  # 16 _LEAVES
    )
    return st, sc, pools, buf, np.full(m, -1, dtype=np.int64)
