"""Maximum-weight matching on a general graph, primal–dual with odd-set (blossom) duals.

Edmonds' method in Galil's O(n³) form, compiled: alternating trees grow from every unmatched
person over tight pairs (reduced cost 0); an odd cycle of tight pairs shrinks into a blossom
with a dual of its own; when no tight pair helps, the duals move by the largest step that keeps
every reduced cost ≥ 0. Unlike the textbook, a stage takes every vertex-disjoint augmenting
path among tight pairs before it ends (trees that augmented are set aside until the stage
ends), which cuts the stages from about n/2 to far fewer.

Integers throughout: with integer weights every vertex dual keeps the parity of the others in
its tree, so halving the slack of a pair between two trees is exact. `u_i` is twice the
textbook's y_i and `z_B` the textbook's blossom dual: every pair satisfies
u_i + u_j + 2·Σ_{B ∋ i,j} z_B ≥ 2·w_ij, with equality on matched pairs.

The state table and its primitives are in `blossom_state`, the blossom operations in
`blossom_ops`; this module runs the stages. Starting duals and reading duals back for pricing
are in `blossom_duals`."""

from __future__ import annotations

from typing import Any

from .._kernels import numba
from .blossom_heap import (
    ID,
    KEY,
    KIND,
    PAIR,
    pop,
)
from .blossom_ops import (
    _assign,
    _close_blossom,
    _expand,
    _flip,
)
from .blossom_state import (
    _ALIVE,
    _BASE,
    _BEST,
    _BLEN,
    _BPTR,
    _DEAD,
    _DOWN,
    _DUAL,
    _EDGE,
    _FROM,
    _FULL,
    _HEAP,
    _INB,
    _LABEL,
    _LEAVES,
    _MATE,
    _NEVER,
    _PARENT,
    _QTOP,
    _ROOT,
    _SKEY,
    _STAGE,
    _SUM,
    _SWHO,
    _TO,
    _event,
    _leaves,
    _slack,
    _trace,
)

_kernel = numba.njit(cache=True, nogil=True)


@_kernel
def _scan(st: Any, sc: Any, n: int, g: Any, pools: Any, buf: Any, allow: Any) -> Any:
    """Grow the trees over tight pairs until no S person is left to scan; True when some
    augmented (their trees are then set aside for the rest of the stage)."""
    stage, queue, cpool = sc[_STAGE], buf[0], pools[0]
    adj_start, adj_edge = g[3], g[4]
    augmented = False
    while sc[_QTOP] > 0:
        sc[_QTOP] -= 1
        v = queue[sc[_QTOP]]
        st[_DOWN, v] = 1  # a pair's reduced cost only falls where an end is S (`peer.resolve`)
        if st[_DEAD, st[_ROOT, st[_INB, v]]] == stage:
            continue
        for e in range(adj_start[v], adj_start[v + 1]):
            k = adj_edge[e]
            w = g[1][k] if g[0][k] == v else g[0][k]
            bv, bw = st[_INB, v], st[_INB, w]
            label_w = st[_LABEL, bw]
            if bv == bw or (label_w != 0 and st[_DEAD, st[_ROOT, bw]] == stage):
                continue
            slack = 0
            if allow[k] != stage:
                slack = _slack(st, g, k)
                if slack <= 0:
                    allow[k] = stage
            if allow[k] == stage:
                if label_w == 0 and st[_MATE, st[_BASE, bw]] < 0:
                    # a free person whose dual is already 0: an augmenting path ends there
                    st[_DEAD, st[_ROOT, bv]] = stage
                    st[_LABEL, bw], st[_ROOT, bw], st[_FROM, bw] = 2, st[_ROOT, bv], -1
                    _flip(st, n, v, w, k, cpool, buf)
                    _flip(st, n, w, v, k, cpool, buf)
                    augmented = True
                    break
                if label_w == 0:
                    _assign(st, sc, n, w, 2, v, k, st[_ROOT, bv], buf, cpool)
                elif label_w == 1:
                    base = _trace(st, v, w, buf[9])
                    if base >= 0:
                        _close_blossom(st, sc, n, base, v, w, k, g, pools, buf)
                    else:
                        st[_DEAD, st[_ROOT, bv]] = st[_DEAD, st[_ROOT, bw]] = stage
                        _flip(st, n, v, w, k, cpool, buf)
                        _flip(st, n, w, v, k, cpool, buf)
                        augmented = True
                        break
                elif st[_LABEL, w] == 0:  # w inside a T blossom, reached for the first time
                    st[_LABEL, w], st[_FROM, w], st[_TO, w], st[_EDGE, w] = 2, v, w, k
            elif label_w == 1:
                if st[_BEST, bv] < 0 or slack < _slack(st, g, st[_BEST, bv]):
                    st[_BEST, bv] = k
                    _event(sc, buf, slack // 2 + sc[_SUM], 3, bv, k)
            elif st[_LABEL, w] == 0 and (st[_BEST, w] < 0 or slack < _slack(st, g, st[_BEST, w])):
                st[_BEST, w] = k
                _event(sc, buf, slack + sc[_SUM], 2, w, k)
    return augmented


@_kernel
def _rebuild(st: Any, sc: Any, n: int, g: Any, buf: Any) -> None:
    """Every candidate for the next dual step, from the state (as many as people and blossoms
    at most, which always fit)."""
    sc[_HEAP] = sc[_FULL] = 0
    for v in range(n):
        if st[_LABEL, st[_INB, v]] == 0 and st[_BEST, v] >= 0:
            _event(sc, buf, _slack(st, g, st[_BEST, v]) + sc[_SUM], 2, v, st[_BEST, v])
    for b in range(2 * n):
        if (b < n or st[_ALIVE, b]) and st[_PARENT, b] < 0 and st[_LABEL, b] == 1 and st[_BEST, b] >= 0:
            _event(sc, buf, _slack(st, g, st[_BEST, b]) // 2 + sc[_SUM], 3, b, st[_BEST, b])
        if b >= n and st[_ALIVE, b] and st[_PARENT, b] < 0 and st[_LABEL, b] == 2:
            _event(sc, buf, st[_DUAL, b] + sc[_SUM], 4, b, -1)


@_kernel
def _still(st: Any, n: int, g: Any, kind: int, x: int, k: int, d: int) -> Any:
    """Whether a held event is still a candidate, and still `d` away."""
    if kind == 2:
        return st[_LABEL, st[_INB, x]] == 0 and st[_BEST, x] == k and _slack(st, g, k) == d
    if kind == 3:
        top = (x < n or st[_ALIVE, x]) and st[_PARENT, x] < 0 and st[_LABEL, x] == 1
        return top and st[_BEST, x] == k and _slack(st, g, k) // 2 == d
    return st[_ALIVE, x] and st[_PARENT, x] < 0 and st[_LABEL, x] == 2 and st[_DUAL, x] == d


@_kernel
def _step(st: Any, sc: Any, n: int, g: Any, buf: Any) -> tuple[int, int, int]:
    """The largest dual step keeping every reduced cost ≥ 0 and every dual ≥ 0, and what
    limits it: 1 an S person's dual reaches 0, 2 a pair from S to an unlabelled person
    gets tight, 3 a pair between two S blossoms, 4 a T blossom's dual reaches 0."""
    if sc[_FULL]:
        _rebuild(st, sc, n, g, buf)
    # every stage starts from S roots (`_start_stage`), so some S person's dual bounds the step
    kind, delta, target = 1, sc[_SKEY] - sc[_SUM], sc[_SWHO]
    while sc[_HEAP] > 0:
        d, event, x, k = buf[KEY][0] - sc[_SUM], buf[KIND][0], buf[ID][0], buf[PAIR][0]
        if not _still(st, n, g, event, x, k, d):
            sc[_HEAP] = pop(buf, sc[_HEAP])
            continue
        if d < delta:
            kind, delta, target = event, d, x if event == 4 else k
            sc[_HEAP] = pop(buf, sc[_HEAP])
        break
    return kind, delta, target


@_kernel
def _move_duals(st: Any, sc: Any, n: int, delta: int) -> None:
    sc[_SUM] += delta
    for v in range(n):
        label = st[_LABEL, st[_INB, v]]
        if label == 1:
            st[_DUAL, v] -= delta
        elif label == 2:
            st[_DUAL, v] += delta
    for b in range(n, 2 * n):
        if st[_ALIVE, b] and st[_PARENT, b] < 0:
            if st[_LABEL, b] == 1:
                st[_DUAL, b] += delta
            elif st[_LABEL, b] == 2:
                st[_DUAL, b] -= delta


@_kernel
def _start_stage(st: Any, sc: Any, n: int, buf: Any, cpool: Any) -> Any:
    """Label every unmatched person whose dual is still positive as the root of a tree; False
    when there is none (the duals prove the matching optimal)."""
    sc[_STAGE] += 1
    st[_LABEL, :] = 0
    st[_BEST, :] = -1
    st[_BLEN, :] = -1
    sc[_BPTR] = sc[_QTOP] = sc[_HEAP] = sc[_FULL] = sc[_SUM] = 0
    sc[_SKEY], sc[_SWHO] = _NEVER, -1
    for v in range(n):
        if st[_MATE, v] < 0 and st[_DUAL, v] > 0 and st[_LABEL, st[_INB, v]] == 0:
            _assign(st, sc, n, v, 1, -1, -1, v, buf, cpool)
    return sc[_QTOP] > 0


@_kernel
def _end_stage(st: Any, sc: Any, n: int, g: Any, pools: Any, buf: Any, allow: Any) -> None:
    for b in range(n, 2 * n):
        if st[_ALIVE, b] and st[_PARENT, b] < 0 and st[_LABEL, b] == 1 and st[_DUAL, b] == 0:
            _expand(st, sc, n, b, True, g, pools, buf, allow)


@_kernel
def _undo_t_blossom(st: Any, sc: Any, n: int, b: int, g: Any, pools: Any, buf: Any, allow: Any) -> None:
    """Expand T blossom b mid-stage; its people left unlabelled, whose slack to the S side now
    falls with each step (it held while they were T), become candidates again."""
    count = _leaves(st, n, b, buf[_LEAVES], buf[2], pools[0])
    _expand(st, sc, n, b, False, g, pools, buf, allow)
    for i in range(count):
        v = buf[_LEAVES][i]
        if st[_LABEL, st[_INB, v]] == 0 and st[_BEST, v] >= 0:
            _event(sc, buf, _slack(st, g, st[_BEST, v]) + sc[_SUM], 2, v, st[_BEST, v])


@_kernel
def _stage(st: Any, sc: Any, n: int, g: Any, pools: Any, buf: Any, allow: Any) -> Any:
    """One stage: grow, shrink and move duals until some paths augment or a person's dual
    reaches 0 (True), or no tree is left to grow (False: the duals prove the matching optimal)."""
    if not _start_stage(st, sc, n, buf, pools[0]):
        return False
    while True:
        if _scan(st, sc, n, g, pools, buf, allow):
            break
        kind, delta, target = _step(st, sc, n, g, buf)
        _move_duals(st, sc, n, delta)
        if kind == 1:
            # the person's dual is 0: they may stay unmatched, so their tree's root need not
            _flip(st, n, target, -1, -1, pools[0], buf)
            break
        if kind == 4:
            _undo_t_blossom(st, sc, n, target, g, pools, buf, allow)
        else:
            allow[target] = sc[_STAGE]
            v = g[0][target] if st[_LABEL, st[_INB, g[0][target]]] == 1 else g[1][target]
            buf[0][sc[_QTOP]] = v
            sc[_QTOP] += 1
    _end_stage(st, sc, n, g, pools, buf, allow)
    return True


@_kernel
def run(state: Any, g: Any, stages: int) -> Any:
    """Up to `stages` more stages (all when < 0); True once the matching is proven optimal.
    Between stages the duals stay feasible, so a run cut short still bounds the optimum."""
    st, sc, pools, buf, allow = state
    n = st.shape[1] // 2
    done = 0
    while stages < 0 or done < stages:
        if not _stage(st, sc, n, g, pools, buf, allow):
            return True
        done += 1
    return False
