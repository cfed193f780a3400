"""Duals in and out of the blossom solver (`blossom_kernel`): a feasible start from any person duals,
and the blossom duals read back, so pairs outside the solved graph can be priced against them."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._kernels import numba

_kernel = numba.njit(cache=True, nogil=True)


@_kernel
def greedy_start(n: int, ea: Any, eb: Any, wt: Any, dual: Any, adj_start: Any, adj_edge: Any) -> Any:
    """A start from any feasible duals (u_a + u_b ≥ 2·w_ab, u ≥ 0): each person's dual lowered
    in turn as far as their pairs allow, so each has a tight pair, then tight pairs matched
    heaviest first."""
    dual = dual.copy()
    for v in range(n):
        least = 0
        for e in range(adj_start[v], adj_start[v + 1]):
            k = adj_edge[e]
            other = eb[k] if ea[k] == v else ea[k]
            least = max(least, 2 * wt[k] - dual[other])
        dual[v] = least
    mate = np.full(n, -1, dtype=np.int64)
    mate_pair = np.full(n, -1, dtype=np.int64)
    for k in np.argsort(-wt, kind="mergesort"):
        a, b = ea[k], eb[k]
        if mate[a] < 0 and mate[b] < 0 and dual[a] + dual[b] == 2 * wt[k]:
            mate[a], mate[b], mate_pair[a], mate_pair[b] = b, a, k, k
    for v in range(n):
        if mate[v] < 0 and dual[v] % 2:
            dual[v] += 1  # unmatched duals share one parity, so halved slacks stay exact
    return mate, mate_pair, dual


@_kernel
def blossom_share(parent: Any, z: Any, n: int, a: Any, b: Any) -> Any:
    """Σ z over the blossoms holding both a[i] and b[i] (parent: each id's enclosing blossom,
    z: each blossom's dual, indexed by id − n)."""
    mark = np.full(parent.shape[0], -1, dtype=np.int64)
    out = np.zeros(a.shape[0], dtype=np.int64)
    for i in range(a.shape[0]):
        x = parent[a[i]]
        while x >= 0:
            mark[x] = i
            x = parent[x]
        x = parent[b[i]]
        while x >= 0:
            if mark[x] == i:
                out[i] += z[x - n]
            x = parent[x]
    return out


@_kernel
def blossom_tree(parent: Any, z2: Any, n: int) -> Any:
    """Each blossom's depth (0 at top level) and 2 × the duals of it and every blossom above it."""
    depth = np.full(2 * n, -1, dtype=np.int64)
    above = np.zeros(2 * n, dtype=np.int64)
    path = np.empty(2 * n, dtype=np.int64)
    for b in range(n, 2 * n):
        count, x = 0, b
        while x >= 0 and depth[x] < 0:
            path[count] = x
            count += 1
            x = parent[x]
        for i in range(count - 1, -1, -1):
            y = path[i]
            up = parent[y]
            depth[y] = 0 if up < 0 else depth[up] + 1
            above[y] = z2[y - n] + (0 if up < 0 else above[up])
    return depth, above
