"""A goal group's band, bucketed by price tier and by partners' levels in the group's skills
(`peer.kernel` visits a row's partners bucket by bucket, from the codes that give it most).

Only the band of a group's *live* rows is bucketed (rows the scan will read: in a bound round
at 100k people, the ~45% priced below their k-th best), and a group without one buckets
nothing: a quarter fewer columns sorted there. A row finds its band within a bucket by index
(`band_part`), without the array views whose reference counts slicing would cost."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._model import MAX_LEVEL
from .._rules import compiled

BASE = MAX_LEVEL + 1
CODES = BASE**3  # a partner's levels in a group's three skills, as one base-6 code


@compiled
def bucket(levels_t: Any, skills: Any, c_lo: int, c_hi: int, tier: Any, tiers: int) -> Any:
    """Columns [c_lo, c_hi) sorted by tier, then by their levels in three skills (the code),
    column order kept within: bucket `tier·CODES + code` is members[start[b]:start[b + 1]]."""
    codes = np.empty(c_hi - c_lo, dtype=np.int64)
    start = np.zeros(tiers * CODES + 1, dtype=np.int64)
    for j in range(c_lo, c_hi):
        code = tier[j] * CODES
        for s in range(3):
            code += np.int64(levels_t[skills[s], j]) * BASE ** (2 - s)
        codes[j - c_lo] = code
        start[code + 1] += 1
    for code in range(tiers * CODES):
        start[code + 1] += start[code]
    members = np.empty(c_hi - c_lo, dtype=np.int64)
    fill = start[:-1].copy()
    for j in range(c_lo, c_hi):
        members[fill[codes[j - c_lo]]] = j
        fill[codes[j - c_lo]] += 1
    return members, start


@compiled
def filled(start: Any, tiers: int) -> Any:
    """Per tier, the codes whose bucket holds someone: with a hundred tiers of 216 codes and a
    band of a few thousand people, most buckets are empty, and a row need not look at them."""
    fill_start = np.zeros(tiers + 1, dtype=np.int64)
    codes = np.empty(min(tiers * CODES, start[-1]), dtype=np.int64)
    count = 0
    for tr in range(tiers):
        for code in range(CODES):
            if start[tr * CODES + code + 1] > start[tr * CODES + code]:
                codes[count] = code
                count += 1
        fill_start[tr + 1] = count
    return fill_start, codes


@compiled
def live_span(rows: Any, live: Any, band_lo: Any, band_hi: Any) -> tuple[int, int]:
    """The columns [lo, hi) within the band of some live row (lo = hi when none is live)."""
    lo, hi = band_lo.shape[0], 0
    for i in rows:
        if live[i]:
            lo, hi = min(lo, band_lo[i]), max(hi, band_hi[i])
    return lo, max(lo, hi)


@compiled
def group_bucket(groups: Any, band: Any, t: int, live: Any, tier: Any, tiers: int) -> Any:
    """The rows of the t-th group, and the band of its live rows bucketed by the group's skills
    (only live rows read it: a group with none bucket nothing)."""
    order, skills, start, group_rows, _ = groups
    band_lo, band_hi, levels_t = band
    rows = group_rows[start[order[t]] : start[order[t] + 1]]
    lo, hi = live_span(rows, live, band_lo, band_hi)
    members, bucket_start = bucket(levels_t, skills[order[t]], lo, hi, tier, tiers)
    return rows, members, bucket_start


@compiled
def band_part(members: Any, start: Any, b: int, lo: int, hi: int) -> tuple[int, int]:
    """The positions in bucket b of the columns within [lo, hi)."""
    return _first_from(members, start[b], start[b + 1], lo), _first_from(members, start[b], start[b + 1], hi)


@compiled
def _first_from(members: Any, a: int, b: int, column: int) -> int:
    """The first position in the sorted members[a:b] holding `column` or beyond."""
    while a < b:
        mid = (a + b) // 2
        if members[mid] < column:
            a = mid + 1
        else:
            b = mid
    return a
