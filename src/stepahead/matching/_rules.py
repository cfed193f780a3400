"""The spec's hard rules as compiled code, shared by the peer and mentoring scans.

`allowed(rules, i, j)` reads people by whatever positions the caller's `rules` tuple is laid out
in (sorted by grade for the peer tables, population order for the mentoring scan), so one
implementation of the rules serves every kernel."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ._kernels import numba


def compiled[F: Callable[..., Any]](fn: F) -> F:
    """A helper the kernels inline (numba)."""
    return numba.njit(cache=True, nogil=True, inline="always")(fn)


def compiled_parallel[F: Callable[..., Any]](fn: F) -> F:
    """A kernel whose `numba.prange` loop runs on every core."""
    return numba.njit(cache=True, nogil=True, parallel=True)(fn)


@compiled
def key_in(keys: Any, key: int) -> int:
    """Position of key in the sorted keys, or -1 (no keys: searchsorted gives 0, past the end)."""
    at = np.searchsorted(keys, key)
    if at < keys.shape[0] and keys[at] == key:
        return int(at)
    return -1


@compiled
def languages_clash(languages: Any, i: int, j: int) -> bool:
    any_i = False
    any_j = False
    for w in range(languages.shape[1]):
        if languages[i, w] & languages[j, w]:
            return False
        any_i = any_i or languages[i, w] != 0
        any_j = any_j or languages[j, w] != 0
    return any_i and any_j


@compiled
def allowed(rules: Any, i: int, j: int) -> bool:
    """The hard rules beyond "each is ahead of the other": distinct people, no line manager,
    a shared language (when both state any), no exclusion either way."""
    order, manager, languages, in_blocked, blocked_keys = rules
    if i == j or manager[i] == j or manager[j] == i or languages_clash(languages, i, j):
        return False
    if in_blocked[i] and in_blocked[j]:
        lo, hi = min(order[i], order[j]), max(order[i], order[j])
        return key_in(blocked_keys, lo * order.shape[0] + hi) < 0
    return True
