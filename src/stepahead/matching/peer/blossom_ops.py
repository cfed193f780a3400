"""Blossoms in the solver (`blossom_kernel`): labelling people and blossoms, shrinking an odd cycle
of tight pairs into a blossom (keeping each S blossom's least-slack pairs to its neighbours),
expanding one whose dual reached zero, and augmenting through blossoms."""

from __future__ import annotations

from typing import Any

from .._kernels import numba
from .blossom_state import (
    _BASE,
    _BEST,
    _BLEN,
    _BPTR,
    _BSTART,
    _CHILD,
    _CLEN,
    _CPTR,
    _CSTART,
    _DUAL,
    _EDGE,
    _FROM,
    _INB,
    _LABEL,
    _MATE,
    _MATEK,
    _PARENT,
    _PK,
    _PV,
    _PW,
    _QTOP,
    _ROOT,
    _STAGE,
    _SUM,
    _TO,
    _at,
    _event,
    _free_blossom,
    _leaves,
    _new_blossom,
    _position,
    _reserve,
    _s_person,
    _slack,
)

_kernel = numba.njit(cache=True, nogil=True)


@_kernel
def _assign(
    st: Any, sc: Any, n: int, w: int, t: int, v: int, k: int, root: int, buf: Any, cpool: Any
) -> None:
    """Label w's blossom t (1 S, 2 T) over pair k from v; a T blossom's base partner becomes S."""
    while True:
        b = st[_INB, w]
        st[_LABEL, w] = st[_LABEL, b] = t
        st[_FROM, w] = st[_FROM, b] = v
        st[_TO, w] = st[_TO, b] = w if v >= 0 else -1
        st[_EDGE, w] = st[_EDGE, b] = k
        st[_BEST, w] = st[_BEST, b] = -1
        st[_ROOT, b] = root
        if t == 1:
            count = _leaves(st, n, b, buf[1], buf[2], cpool)
            for i in range(count):
                buf[0][sc[_QTOP]] = buf[1][i]
                sc[_QTOP] += 1
                _s_person(st, sc, buf[1][i])
            return
        if b >= n:
            _event(sc, buf, st[_DUAL, b] + sc[_SUM], 4, b, -1)
        base = st[_BASE, b]
        w, t, v, k = st[_MATE, base], 1, base, st[_MATEK, base]


@_kernel
def _close_blossom(
    st: Any, sc: Any, n: int, base: int, v: int, w: int, k: int, g: Any, pools: Any, buf: Any
) -> None:
    """The tight pair k = (v, w) closes an odd cycle through base: shrink it into a new S
    blossom whose children run bb → … → bv, then bw → … → bb around the cycle."""
    cpool, free = pools[0], pools[2]
    bb, bv, bw = st[_INB, base], st[_INB, v], st[_INB, w]
    b = _new_blossom(st, sc, free)
    st[_BASE, b], st[_PARENT, b], st[_PARENT, bb] = base, -1, b
    kids, pv, pw, pk = buf[3], buf[4], buf[5], buf[6]
    count = 0
    while bv != bb:
        st[_PARENT, bv] = b
        count += 1
        kids[count], pv[count], pw[count], pk[count] = bv, st[_FROM, bv], st[_TO, bv], st[_EDGE, bv]
        bv = st[_INB, st[_FROM, bv]]
    count += 1
    kids[count] = bb
    # reversed: the children start at bb, and pair i joins child i to child i + 1
    length = count
    at = _reserve(st, sc, _CPTR, _CSTART, _CLEN, cpool, n, 2 * n)
    sc[_CPTR] = at  # give back the over-reservation below
    for i in range(length):
        cpool[_CHILD, at + i] = kids[count - i]
    for i in range(length - 1):
        j = count - 1 - i
        cpool[_PV, at + i], cpool[_PW, at + i], cpool[_PK, at + i] = pv[j], pw[j], pk[j]
    # the pair (v, w) joins the last v-side child to the first w-side child
    last = at + length - 1
    cpool[_PV, last], cpool[_PW, last], cpool[_PK, last] = v, w, k
    while bw != bb:
        st[_PARENT, bw] = b
        cpool[_CHILD, last + 1] = bw
        cpool[_PV, last + 1], cpool[_PW, last + 1], cpool[_PK, last + 1] = (
            st[_TO, bw],
            st[_FROM, bw],
            st[_EDGE, bw],
        )
        last += 1
        bw = st[_INB, st[_FROM, bw]]
    st[_CSTART, b], st[_CLEN, b] = at, last - at + 1
    sc[_CPTR] = last + 1
    st[_LABEL, b], st[_FROM, b], st[_TO, b], st[_EDGE, b] = 1, st[_FROM, bb], st[_TO, bb], st[_EDGE, bb]
    st[_ROOT, b], st[_DUAL, b] = st[_ROOT, bb], 0
    count = _leaves(st, n, b, buf[1], buf[2], cpool)
    for i in range(count):
        x = buf[1][i]
        if st[_LABEL, st[_INB, x]] == 2:  # T people become S: scan them too
            buf[0][sc[_QTOP]] = x
            sc[_QTOP] += 1
            _s_person(st, sc, x)
        st[_INB, x] = b
    _merge_best(st, sc, n, b, g, pools, buf)


@_kernel
def _consider(st: Any, g: Any, b: int, k: int, best_to: Any, touched: Any, count: int) -> Any:
    """Keep pair k if it is the least-slack one seen from blossom b to an S blossom."""
    j = g[1][k] if st[_INB, g[0][k]] == b else g[0][k]
    bj = st[_INB, j]
    if bj == b or st[_LABEL, bj] != 1:
        return count
    if best_to[bj] < 0:
        touched[count] = bj
        count += 1
        best_to[bj] = k
    elif _slack(st, g, k) < _slack(st, g, best_to[bj]):
        best_to[bj] = k
    return count


@_kernel
def _merge_best(st: Any, sc: Any, n: int, b: int, g: Any, pools: Any, buf: Any) -> None:
    """A new S blossom's least-slack pair to each neighbouring S blossom, from its children's
    lists where they kept one, else from their people's pairs."""
    cpool, bpool = pools[0], pools[1]
    adj_start, adj_edge = g[3], g[4]
    best_to, touched = buf[7], buf[8]
    count = 0
    start = st[_CSTART, b]
    for c in range(start, start + st[_CLEN, b]):
        bv = cpool[_CHILD, c]
        if bv >= n and st[_BLEN, bv] >= 0:
            for i in range(st[_BSTART, bv], st[_BSTART, bv] + st[_BLEN, bv]):
                count = _consider(st, g, b, bpool[0, i], best_to, touched, count)
            st[_BLEN, bv] = -1
        else:
            people = _leaves(st, n, bv, buf[1], buf[2], cpool)
            for p in range(people):
                x = buf[1][p]
                for e in range(adj_start[x], adj_start[x + 1]):
                    count = _consider(st, g, b, adj_edge[e], best_to, touched, count)
        st[_BEST, bv] = -1
    at = _reserve(st, sc, _BPTR, _BSTART, _BLEN, bpool, n, count)
    st[_BSTART, b], st[_BLEN, b] = at, count
    best = -1
    for i in range(count):
        k = best_to[touched[i]]
        best_to[touched[i]] = -1
        bpool[0, at + i] = k
        if best < 0 or _slack(st, g, k) < _slack(st, g, best):
            best = k
    st[_BEST, b] = best
    if best >= 0:
        _event(sc, buf, _slack(st, g, best) // 2 + sc[_SUM], 3, b, best)


@_kernel
def _expand(
    st: Any, sc: Any, n: int, b0: int, endstage: bool, g: Any, pools: Any, buf: Any, allow: Any
) -> None:
    """Undo blossom b0: its children become top-level (at the end of a stage, children with a
    zero dual are undone too); mid-stage, a T blossom's children relabel along the even side
    of its cycle so the tree stays alternating."""
    cpool, free = pools[0], pools[2]
    stack = buf[9]
    stack[0], top = b0, 1
    while top > 0:
        top -= 1
        b = stack[top]
        start = st[_CSTART, b]
        for c in range(start, start + st[_CLEN, b]):
            s = cpool[_CHILD, c]
            st[_PARENT, s] = -1
            if s < n:
                st[_INB, s] = s
            elif endstage and st[_DUAL, s] == 0:
                stack[top] = s
                top += 1
            else:
                for i in range(_leaves(st, n, s, buf[1], buf[2], cpool)):
                    st[_INB, buf[1][i]] = s
        if not endstage and st[_LABEL, b] == 2:
            _relabel_children(st, sc, n, b, cpool, buf, allow)
        _free_blossom(st, sc, b, free)


@_kernel
def _relabel_children(st: Any, sc: Any, n: int, b: int, cpool: Any, buf: Any, allow: Any) -> None:
    stage, root = sc[_STAGE], st[_ROOT, b]
    entry = st[_INB, st[_TO, b]]
    j = _position(st, cpool, b, entry)
    if j & 1:
        j -= st[_CLEN, b]
        step = 1
    else:
        step = -1
    v, w, k = st[_FROM, b], st[_TO, b], st[_EDGE, b]
    while j != 0:
        at = _at(st, b, j if step == 1 else j - 1)
        q, kk = (cpool[_PW, at] if step == 1 else cpool[_PV, at]), cpool[_PK, at]
        st[_LABEL, w] = st[_LABEL, q] = 0
        _assign(st, sc, n, w, 2, v, k, root, buf, cpool)
        allow[kk] = stage
        j += step
        at = _at(st, b, j if step == 1 else j - 1)
        if step == 1:
            v, w = cpool[_PV, at], cpool[_PW, at]
        else:
            w, v = cpool[_PV, at], cpool[_PW, at]
        k = cpool[_PK, at]
        allow[k] = stage
        j += step
    bw = cpool[_CHILD, _at(st, b, j)]
    st[_LABEL, w] = st[_LABEL, bw] = 2
    if bw >= n:
        _event(sc, buf, st[_DUAL, bw] + sc[_SUM], 4, bw, -1)
    st[_FROM, w] = st[_FROM, bw] = v
    st[_TO, w] = st[_TO, bw] = w
    st[_EDGE, w] = st[_EDGE, bw] = k
    st[_BEST, bw], st[_ROOT, bw] = -1, root
    j += step
    while cpool[_CHILD, _at(st, b, j)] != entry:
        bv = cpool[_CHILD, _at(st, b, j)]
        j += step
        if st[_LABEL, bv] == 1:
            continue
        x = bv
        if bv >= n:
            for i in range(_leaves(st, n, bv, buf[1], buf[2], cpool)):
                x = buf[1][i]
                if st[_LABEL, x] != 0:
                    break
        if st[_LABEL, x] != 0:
            st[_LABEL, x] = 0
            st[_LABEL, st[_MATE, st[_BASE, bv]]] = 0
            _assign(st, sc, n, x, 2, st[_FROM, x], st[_EDGE, x], root, buf, cpool)


@_kernel
def _rematch_blossom(st: Any, n: int, b0: int, v0: int, cpool: Any, buf: Any) -> None:
    """Swap matched and unmatched pairs along the even side of blossom b0's cycle so that v0
    becomes its base; sub-blossoms on the way follow."""
    stack_b, stack_v, spare = buf[9], buf[10], buf[11]
    stack_b[0], stack_v[0], top = b0, v0, 1
    while top > 0:
        top -= 1
        b, v = stack_b[top], stack_v[top]
        t = v
        while st[_PARENT, t] != b:
            t = st[_PARENT, t]
        if t >= n:
            stack_b[top], stack_v[top] = t, v
            top += 1
        i = j = _position(st, cpool, b, t)
        if i & 1:
            j -= st[_CLEN, b]
            step = 1
        else:
            step = -1
        while j != 0:
            j += step
            t = cpool[_CHILD, _at(st, b, j)]
            at = _at(st, b, j if step == 1 else j - 1)
            if step == 1:
                w, x = cpool[_PV, at], cpool[_PW, at]
            else:
                x, w = cpool[_PV, at], cpool[_PW, at]
            if t >= n:
                stack_b[top], stack_v[top] = t, w
                top += 1
            j += step
            t = cpool[_CHILD, _at(st, b, j)]
            if t >= n:
                stack_b[top], stack_v[top] = t, x
                top += 1
            st[_MATE, w], st[_MATE, x] = x, w
            st[_MATEK, w] = st[_MATEK, x] = cpool[_PK, at]
        start, length = st[_CSTART, b], st[_CLEN, b]
        for row in range(cpool.shape[0]):
            for r in range(length):
                spare[r] = cpool[row, start + (i + r) % length]
            for r in range(length):
                cpool[row, start + r] = spare[r]
        st[_BASE, b] = v


@_kernel
def _flip(st: Any, n: int, s: int, j: int, k: int, cpool: Any, buf: Any) -> None:
    """Match s to j over pair k (j = -1: leave s unmatched) and swap matched and unmatched
    pairs on the tree path from s up to its root, which ends matched."""
    while True:
        bs = st[_INB, s]
        if bs >= n:
            _rematch_blossom(st, n, bs, s, cpool, buf)
        st[_MATE, s], st[_MATEK, s] = j, k
        if st[_FROM, bs] < 0:
            break
        bt = st[_INB, st[_FROM, bs]]
        s, j, k = st[_FROM, bt], st[_TO, bt], st[_EDGE, bt]
        if bt >= n:
            _rematch_blossom(st, n, bt, j, cpool, buf)
        st[_MATE, j], st[_MATEK, j] = s, k
