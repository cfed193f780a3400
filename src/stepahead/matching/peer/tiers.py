"""Price tiers for the price check (`peer.kernel._excess`): where a row's scan of the band can
stop, tier by tier of its partners' prices.

A pair (i, j) breaks its prices when p_i + p_j + s_ij < 2·w_ij, s_ij the duals of the blossoms
holding both. Against a tier whose prices start at q, only pairs heavier than (p_i + q) / 2 can,
which prunes most of the band when prices look like weights. Blossom duals break that: when
someone is left out, the cardinality premium moves from people's duals into the duals of the
odd sets around them (on a steep grade pyramid, one blossom holds 99.9 % of the pool with a dual
of about the premium, and everyone's own dual is near 0), so p_i + q is far below any weight
and the scan visits every pair. The pairs inside one blossom share its dual, though: for them
the scan may price each person at p + z_B / 2 (its *class* price) and prune as before. The
largest outermost blossoms are such classes; a row prices its own class's tiers at class
prices and every other tier at plain ones, which never prunes a pair that breaks its prices."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .._population import IntArray
from .._rules import compiled

# Price quantiles where tiers start: few people in the cheap tiers, where the check must look
# hard, most in the dear ones, where it can skip nearly everyone.
PRICE_TIERS = (0.0, 0.002, 0.01, 0.03, 0.07, 0.15, 0.3, 0.5, 0.7)
# A blossom holding at least this share of the pool and this many people can give its people a
# class of their own; at most this many do (each adds tiers to the buckets a band is sorted in).
_CLASS_SHARE = 0.01
_CLASS_MIN = 64
_MAX_CLASSES = 12


@dataclass(frozen=True, slots=True)
class Tiers:
    """Everything in the tables' (grade) order."""

    tier: IntArray  # each person's tier
    floor: IntArray  # per tier: its least price
    klass: IntArray  # per tier: its class, -1 for people in no class
    person_class: IntArray  # each person's class (deepest class blossom holding them), -1 none
    common: IntArray  # (classes, classes): 2 × the duals any pair across the two shares, at least

    def args(self) -> tuple[IntArray, ...]:
        return self.tier, self.floor, self.klass, self.person_class, self.common


def price_tiers(
    prices: IntArray, order: IntArray, parent: IntArray | None = None, above: IntArray | None = None
) -> Tiers:
    """Tiers for people priced `prices` (grade order; `order` maps it to population order);
    `parent` (each id's enclosing blossom: people in population order, then blossoms) and
    `above` (2 × the duals from each blossom up) when the prices come with blossom duals."""
    n = len(prices)
    person_class = np.full(n, -1, dtype=np.int64)
    common = np.zeros((1, 1), dtype=np.int64)
    if parent is not None and above is not None:
        chosen = _class_blossoms(parent, above, n)
        person_class = _deepest_chosen(parent, chosen, n)[order]
        common = _common(parent, above, chosen)
    return _tiers(prices, person_class, common)


def _class_blossoms(parent: IntArray, above: IntArray, n: int) -> IntArray:
    """Large blossoms whose duals (with those above them) add the most over their nearest
    larger class: on a spine of nested blossoms, levels spread down the spine."""
    size = _sizes(parent, n)
    large = np.flatnonzero(size >= max(_CLASS_MIN, _CLASS_SHARE * n))
    large = large[large >= n]
    if not len(large):
        return large
    # one pick per band of the dual's range, outermost first: duals grow going in
    levels = above[large]
    span = max(int(levels.max() - levels.min()), 1)
    band = (levels - levels.min()) * (_MAX_CLASSES - 1) // span
    order = np.lexsort((-size[large], band))
    _, first = np.unique(band[order], return_index=True)
    return np.sort(large[order[first]])


def _tiers(prices: IntArray, person_class: IntArray, common: IntArray) -> Tiers:
    tier = np.zeros(len(prices), dtype=np.int64)
    floors: list[IntArray] = []
    classes: list[IntArray] = []
    for c in range(-1, int(person_class.max(initial=-1)) + 1):
        members = np.flatnonzero(person_class == c)
        if not len(members):
            continue
        price = prices[members]
        floor = np.unique(np.quantile(price, PRICE_TIERS, method="lower").astype(np.int64))
        tier[members] = sum(len(f) for f in floors) + np.searchsorted(floor, price, side="right") - 1
        floors.append(floor)
        classes.append(np.full(len(floor), c, dtype=np.int64))
    floor = np.concatenate(floors) if floors else np.zeros(1, dtype=np.int64)
    klass = np.concatenate(classes) if classes else np.full(1, -1, dtype=np.int64)
    return Tiers(tier, floor, klass, person_class, common)


@compiled
def _sizes(parent: Any, n: int) -> Any:
    """People in each id (1 for a person)."""
    size = np.zeros(parent.shape[0], dtype=np.int64)
    for v in range(n):
        x = v
        while x >= 0:
            size[x] += 1
            x = parent[x]
    return size


@compiled
def _deepest_chosen(parent: Any, chosen: Any, n: int) -> Any:
    """Each person's class: the index in `chosen` of the deepest chosen blossom holding them."""
    index = np.full(parent.shape[0], -1, dtype=np.int64)
    for c in range(chosen.shape[0]):
        index[chosen[c]] = c
    out = np.full(n, -1, dtype=np.int64)
    for v in range(n):
        x = parent[v]
        while x >= 0 and index[x] < 0:
            x = parent[x]
        out[v] = index[x] if x >= 0 else -1
    return out


@compiled
def _common(parent: Any, above: Any, chosen: Any) -> Any:
    """For two classes, `above` of the deepest blossom holding both class blossoms: any pair
    with one person in each shares at least that (above only grows going in)."""
    k = chosen.shape[0]
    out = np.zeros((max(k, 1), max(k, 1)), dtype=np.int64)
    for a in range(k):
        for b in range(k):
            x = chosen[a]
            while x >= 0:
                y = chosen[b]
                while y >= 0 and y != x:
                    y = parent[y]
                if y == x:
                    break
                x = parent[x]
            out[a, b] = above[x] if x >= 0 else 0
    return out
