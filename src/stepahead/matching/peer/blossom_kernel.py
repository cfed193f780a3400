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

The state is one int64 table (`_ROWS` × 2n; ids below n are people, from n on blossoms), so the
helpers share it without a class numba could not cache."""

from __future__ import annotations

from typing import Any

import numba
import numpy as np

from .blossom_heap import ID, KEY, KIND, PAIR, pop, push

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
def _at(st: Any, b: int, j: int) -> Any:
    """Pool position of child j of b, j counted cyclically (negative from the end)."""
    length = st[_CLEN, b]
    return st[_CSTART, b] + ((j % length) + length) % length


@_kernel
def _position(st: Any, cpool: Any, b: int, child: int) -> Any:
    start = st[_CSTART, b]
    for i in range(st[_CLEN, b]):
        if cpool[_CHILD, start + i] == child:
            return i
    return -1


@_kernel
def _free_blossom(st: Any, sc: Any, b: int, free: Any) -> None:
    for row in (_LABEL, _FROM, _TO, _EDGE, _PARENT, _BASE, _BEST, _BLEN):
        st[row, b] = -1
    st[_LABEL, b] = st[_CLEN, b] = st[_ALIVE, b] = st[_DUAL, b] = 0
    free[sc[_FREE]] = b
    sc[_FREE] += 1


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
    kind, delta, target = 1, _NEVER, sc[_SWHO]
    if target >= 0:
        delta = sc[_SKEY] - sc[_SUM]
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
