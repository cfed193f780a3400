"""Resuming the blossom solver after pairs join its graph (`blossom_kernel`), from its full state.

Price and repair adds the pairs that break the duals; solving again from scratch repeats
thousands of dual steps (O(people) each) to rebuild blossoms that mostly stay as they were.
Instead, for each new pair whose reduced cost u_a + u_b + 2·Σ_{B ∋ a,b} z_B − 2·w_ab is
negative, one end x leaves every blossom holding it and its dual rises until the pair is
priced; the matched pairs this leaves loose are unmatched, and the stages resume from there
(the unmatched people's duals made even, `_make_even`):

- a blossom B is dissolved by adding z_B to the dual of each person inside and setting z_B to
  0: pairs inside B keep their reduced cost, pairs leaving it gain z_B. The one matched pair
  leaving B (at its base) is then loose and is unmatched; its children become top-level blossoms
  as they were (each still odd, matched inside but for its base, its cycle tight).
- raising u_x only raises reduced costs; x's own matched pair, now loose, is unmatched.

Duals stay feasible throughout, and every matched pair left stays tight, so the people this
frees are simply the roots of the next stages. The end chosen is the one whose outermost
blossom is smaller (none is best): dissolving a blossom costs its size now and its re-forming
later."""

from __future__ import annotations

from typing import Any

from .._kernels import numba
from .blossom_ops import _expand
from .blossom_state import _BASE, _DOWN, _DUAL, _INB, _MATE, _MATEK, _PARENT, _leaves

_kernel = numba.njit(cache=True, nogil=True)


@_kernel
def _reduced2(st: Any, n: int, a: int, b: int, w: int) -> Any:
    """2 × the pair's reduced cost: both duals, plus twice the blossom duals holding both."""
    total = st[_DUAL, a] + st[_DUAL, b] - 2 * w
    x = st[_PARENT, a]
    while x >= 0:
        y = st[_PARENT, b]
        while y >= 0 and y != x:
            y = st[_PARENT, y]
        if y == x:
            total += 2 * st[_DUAL, x]
        x = st[_PARENT, x]
    return total


@_kernel
def _unmatch(st: Any, v: int) -> None:
    mate = st[_MATE, v]
    if mate >= 0:
        st[_MATE, mate] = st[_MATEK, mate] = -1
        st[_MATE, v] = st[_MATEK, v] = -1


@_kernel
def _outer_size(st: Any, n: int, v: int, buf: Any, cpool: Any) -> Any:
    top = st[_INB, v]
    return 0 if top == v else _leaves(st, n, top, buf[1], buf[2], cpool)


@_kernel
def _dissolve(st: Any, sc: Any, n: int, b: int, g: Any, pools: Any, buf: Any, allow: Any) -> None:
    """Top-level blossom b gives its dual to the people inside; its base's matched pair, now
    loose when that dual was positive, is unmatched; its children become top-level."""
    z = st[_DUAL, b]
    if z > 0:
        for i in range(_leaves(st, n, b, buf[1], buf[2], pools[0])):
            st[_DUAL, buf[1][i]] += z
        st[_DUAL, b] = 0
        _unmatch(st, st[_BASE, b])
    _expand(st, sc, n, b, True, g, pools, buf, allow)


@_kernel
def _free_person(st: Any, sc: Any, n: int, x: int, g: Any, pools: Any, buf: Any, allow: Any) -> None:
    """x leaves every blossom holding it, outermost first."""
    while st[_INB, x] != x:
        _dissolve(st, sc, n, st[_INB, x], g, pools, buf, allow)


@_kernel
def repair(state: Any, g: Any, first_new: int) -> Any:
    """Make the duals feasible for pairs first_new.. of g (just added) as the module says; returns
    how many broke them. Also clears the marks of people whose dual went down (`_DOWN`)."""
    st, sc, pools, buf, allow = state
    n = st.shape[1] // 2
    ea, eb, wt = g[0], g[1], g[2]
    st[_DOWN, :] = 0
    broken = 0
    for k in range(first_new, ea.shape[0]):
        a, b = ea[k], eb[k]
        if _reduced2(st, n, a, b, wt[k]) >= 0:
            continue
        broken += 1
        x = a if _outer_size(st, n, a, buf, pools[0]) <= _outer_size(st, n, b, buf, pools[0]) else b
        _free_person(st, sc, n, x, g, pools, buf, allow)
        short = _reduced2(st, n, a, b, wt[k])
        if short < 0:  # x's matched pair, if any, is then loose
            st[_DUAL, x] -= short
            _unmatch(st, x)
    for v in range(n):
        if st[_MATE, v] < 0 and st[_DUAL, v] % 2:
            _make_even(st, sc, n, v, g, pools, buf, allow)
    return broken


@_kernel
def _make_even(st: Any, sc: Any, n: int, v: int, g: Any, pools: Any, buf: Any, allow: Any) -> None:
    """Unmatched duals share one parity, so halved slacks stay exact; everyone in a blossom shares
    one too (its pairs are tight). So an unmatched person with an odd dual, the base of their
    outermost blossom, rises by 1 with everyone in it, the blossom's dual falling by 1 to keep
    its pairs tight (a blossom with a dual of 0 is undone first, which changes no dual)."""
    while st[_INB, v] != v and st[_DUAL, st[_INB, v]] == 0:
        _expand(st, sc, n, st[_INB, v], True, g, pools, buf, allow)
    top = st[_INB, v]
    if top == v:
        st[_DUAL, v] += 1
        return
    for i in range(_leaves(st, n, top, buf[1], buf[2], pools[0])):
        st[_DUAL, buf[1][i]] += 1
    st[_DUAL, top] -= 1
