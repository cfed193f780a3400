"""Eligible peer pairs, enumerated blockwise so memory stays O(n·k), never n×n.

People are sorted by grade, so the partners within the grade band of a block of rows form one
contiguous range of columns. For each block a cheap int8 test ("is the other ahead in one of my
goals, both ways?") prunes most pairs before any weight is computed."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .._model import MAX_GOALS, MatchParams
from .._population import IntArray, Population, bonuses, hard_rules_mask, to_units, values_given

_BLOCK_CELLS = 2_000_000  # rows × columns examined at once: bounds the temporary arrays


@dataclass(frozen=True, slots=True)
class PairList:
    """Eligible pairs (a < b, population indices) with weights in integer units."""

    a: IntArray
    b: IntArray
    units: IntArray

    @classmethod
    def empty(cls) -> PairList:
        z = np.zeros(0, dtype=np.int64)
        return cls(z, z.copy(), z.copy())

    @classmethod
    def concat(cls, parts: list[PairList]) -> PairList:
        if not parts:
            return cls.empty()
        return cls(*(np.concatenate([getattr(p, f) for p in parts]) for f in ("a", "b", "units")))

    def __len__(self) -> int:
        return len(self.a)

    def keys(self, n: int) -> IntArray:
        return self.a * n + self.b

    def select(self, mask: npt.NDArray[np.bool_] | IntArray) -> PairList:
        return PairList(self.a[mask], self.b[mask], self.units[mask])


@dataclass(frozen=True, slots=True)
class Candidates:
    """Each person's k best pairs (union over people), and the k-th best weight per person:
    no pair outside the list can weigh more than that for either of its two people."""

    pairs: PairList
    kth_units: IntArray  # 0 when the person has fewer than k eligible partners (all are listed)


class _SortedPool:
    """The pool ordered by grade, with the arrays the block test reads."""

    def __init__(self, pop: Population) -> None:
        self.order = np.argsort(pop.grades, kind="stable")
        self.grades = pop.grades[self.order]
        self.levels = pop.levels[self.order]
        self.levels_t = np.ascontiguousarray(self.levels.T)
        self.goals = pop.goals[self.order]
        self.own = np.take_along_axis(self.levels, self.goals, axis=1)

    def band_end(self, row_end: int, band: int) -> int:
        return int(np.searchsorted(self.grades, self.grades[row_end - 1] + band, side="right"))

    def band_start(self, row_start: int, band: int) -> int:
        return int(np.searchsorted(self.grades, self.grades[row_start] - band, side="left"))

    def mutual_ahead(self, rows: slice | IntArray, c0: int, c1: int) -> npt.NDArray[np.bool_]:
        """rows × columns [c0, c1): each is ahead of the other in one of the other's goals."""
        row_goals, row_own, row_levels = self.goals[rows], self.own[rows], self.levels[rows]
        receives = np.zeros((len(row_goals), c1 - c0), dtype=bool)
        gives = np.zeros_like(receives)
        for k in range(MAX_GOALS):
            receives |= self.levels_t[row_goals[:, k], c0:c1] > row_own[:, k, None]
            gives |= row_levels[:, self.goals[c0:c1, k]] > self.own[None, c0:c1, k]
        return receives & gives


def peer_weights(pop: Population, a: IntArray, b: IntArray, params: MatchParams) -> npt.NDArray[np.float64]:
    """Spec peer weight for pairs already known to be mutually ahead (harmonic mean + bonuses)."""
    give, take = values_given(pop, a, b), values_given(pop, b, a)
    balance = 2 * give * take / np.maximum(give + take, 1e-12)
    return balance + bonuses(pop, a, b, params)


def _block_pairs(
    pop: Population, sp: _SortedPool, params: MatchParams, r0: int, r1: int, c0: int, c1: int
) -> PairList:
    """Eligible pairs between sorted rows [r0, r1) and sorted columns [c0, c1), row before column."""
    mask = sp.mutual_ahead(slice(r0, r1), c0, c1)
    if sp.grades[c1 - 1] - sp.grades[r0] > params.band:  # a block within one band needs no test
        mask &= np.abs(sp.grades[r0:r1, None] - sp.grades[None, c0:c1]) <= params.band
    rows, cols = np.nonzero(mask)
    rows, cols = rows + r0, cols + c0
    later = cols > rows  # each unordered pair once
    rows, cols = rows[later], cols[later]
    a, b = sp.order[rows], sp.order[cols]
    ok = hard_rules_mask(pop, a, b)
    a, b = a[ok], b[ok]
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    return PairList(lo, hi, to_units(peer_weights(pop, lo, hi, params)))


def _row_blocks(sp: _SortedPool, n: int, band: int, rows: IntArray | None) -> list[tuple[int, int, int, int]]:
    """(r0, r1, c0, c1) blocks sized so rows × columns stays near _BLOCK_CELLS."""
    blocks = []
    r0 = 0
    while r0 < n:
        width = max(1, sp.band_end(r0 + 1, band) - r0)
        r1 = min(n, r0 + max(16, _BLOCK_CELLS // width))
        c0 = r0 if rows is None else sp.band_start(r0, band)
        blocks.append((r0, r1, c0, sp.band_end(r1, band)))
        r0 = r1
    return blocks


def all_pairs(pop: Population, params: MatchParams) -> PairList:
    """Every eligible pair. Memory grows with their number: for tests, oracles and small pools."""
    sp = _SortedPool(pop)
    parts = [_block_pairs(pop, sp, params, *blk) for blk in _row_blocks(sp, pop.size, params.band, None)]
    return PairList.concat(parts)


def pairs_of(pop: Population, params: MatchParams, people: IntArray) -> PairList:
    """Every eligible pair with at least one of `people` (each pair once)."""
    found = PairList.concat(list(iter_pairs_of(pop, params, people)))
    _, first = np.unique(found.keys(pop.size), return_index=True)
    return found.select(first)


def iter_pairs_of(pop: Population, params: MatchParams, people: IntArray) -> Iterator[PairList]:
    """Eligible pairs of `people`, block by block; a pair of two of them may come twice."""
    if len(people) == 0:
        return
    sp = _SortedPool(pop)
    position = np.empty(pop.size, dtype=np.int64)
    position[sp.order] = np.arange(pop.size)
    picked = np.zeros(pop.size, dtype=bool)
    picked[position[people]] = True
    blocks = [blk for blk in _row_blocks(sp, pop.size, params.band, people) if picked[blk[0] : blk[1]].any()]
    for blk in blocks:
        yield _block_pairs_any_order(pop, sp, params, *blk, picked)


def _block_pairs_any_order(
    pop: Population,
    sp: _SortedPool,
    params: MatchParams,
    r0: int,
    r1: int,
    c0: int,
    c1: int,
    picked: npt.NDArray[np.bool_],
) -> PairList:
    rows = np.flatnonzero(picked[r0:r1]) + r0
    mask = sp.mutual_ahead(rows, c0, c1)
    mask &= np.abs(sp.grades[rows, None] - sp.grades[None, c0:c1]) <= params.band
    ri, ci = np.nonzero(mask)
    a, b = sp.order[rows[ri]], sp.order[ci + c0]
    ok = hard_rules_mask(pop, a, b)
    lo, hi = np.minimum(a[ok], b[ok]), np.maximum(a[ok], b[ok])
    return PairList(lo, hi, to_units(peer_weights(pop, lo, hi, params)))
