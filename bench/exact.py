"""The exact peer optimum over the FULL eligible graph, computed independently of the engine.

Every eligible pair is enumerated with numpy code written here (not the engine's), checked
against the spec's scalar reference `peer_weight` on a sample, and handed to rustworkx's
blossom `max_weight_matching` with integer weights `BIG + round(w·1e6)`. BIG exceeds the weight
units of any matching, so one more pair always beats any amount of weight: the lexicographic
objective (place the most people, then the most weight) becomes a plain maximum-weight matching.
Quadratic in time and memory by design: meant for a few thousand people.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import rustworkx as rx

from stepahead.matching import MatchParams, Participant, peer_weight

PRIORITY = (1.0, 0.7, 0.4)
STEP = {"one-step": (0.0, 1.0, 0.8, 0.5, 0.25, 0.25), "expert": (0.0, 0.4, 0.8, 1.0, 1.0, 0.9)}
UNITS = 1_000_000
BLOCK = 256  # rows per block: keeps the (block × n) scratch arrays small

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class PeerPairs:
    """Eligible pairs i < j and their spec weights."""

    first: IntArray
    second: IntArray
    weight: FloatArray

    def __len__(self) -> int:
        return len(self.first)


@dataclass(frozen=True, slots=True)
class _Pool:
    levels: npt.NDArray[np.int64]  # (n, skills + 1); the last column is "no goal", always 0
    goals: npt.NDArray[np.intp]  # (n, 3)
    grade: IntArray
    function: IntArray  # -1 when empty
    speaks: FloatArray  # (n, languages) 0/1
    manager: IntArray  # -1 when not in the pool
    blocked: set[tuple[int, int]]  # exclusions, either way round
    wishes: dict[tuple[int, int], int]  # (i, j), i < j → how many of the two prefer the other


def _pool(people: Sequence[Participant]) -> _Pool:
    index = {p.id: i for i, p in enumerate(people)}
    skills = sorted({s for p in people for s in (*p.skills, *p.goals)})
    column = {s: c for c, s in enumerate(skills)}
    levels = np.zeros((len(people), len(skills) + 1), dtype=np.int64)
    goals = np.full((len(people), 3), len(skills), dtype=np.intp)
    for i, p in enumerate(people):
        for s, level in p.skills.items():
            levels[i, column[s]] = level
        goals[i, : len(p.goals)] = [column[g] for g in p.goals]
    languages = sorted({x for p in people for x in p.languages})
    speaks = np.array([[x in p.languages for x in languages] for p in people], dtype=np.float64)
    functions = {f: k for k, f in enumerate(sorted({p.function for p in people if p.function}))}
    return _Pool(
        levels=levels,
        goals=goals,
        grade=np.array([p.grade for p in people], dtype=np.int64),
        function=np.array([functions.get(p.function, -1) for p in people], dtype=np.int64),
        speaks=speaks.reshape(len(people), len(languages)),
        manager=np.array([index.get(p.manager_id, -1) for p in people], dtype=np.int64),
        blocked={_key(i, index[x]) for i, p in enumerate(people) for x in p.exclude if x in index},
        wishes=_wishes(people, index),
    )


def _key(i: int, j: int) -> tuple[int, int]:
    return (i, j) if i < j else (j, i)


def _wishes(people: Sequence[Participant], index: dict[str, int]) -> dict[tuple[int, int], int]:
    wishes: dict[tuple[int, int], int] = {}
    for i, p in enumerate(people):
        for j in (index[x] for x in p.prefer if x in index and index[x] != i):
            wishes[_key(i, j)] = wishes.get(_key(i, j), 0) + 1
    return wishes


def _value(pool: _Pool, givers: IntArray, receivers: IntArray, step: FloatArray) -> FloatArray:
    """v(giver → receiver) for every giver (rows) and receiver (columns)."""
    total = np.zeros((len(givers), len(receivers)))
    for k, priority in enumerate(PRIORITY):
        skill = pool.goals[receivers, k]
        gap = pool.levels[givers][:, skill] - pool.levels[receivers, skill][None, :]
        total += priority * step[np.clip(gap, 0, 5)]
    return total


def _block_pairs(pool: _Pool, rows: IntArray, params: MatchParams, step: FloatArray) -> PeerPairs:
    cols = np.arange(int(rows[0]) + 1, len(pool.grade), dtype=np.int64)
    give = _value(pool, rows, cols, step)
    take = _value(pool, cols, rows, step).T
    ok = (cols[None, :] > rows[:, None]) & (
        np.abs(pool.grade[rows][:, None] - pool.grade[cols][None, :]) <= params.band
    )
    ok &= (give > 0) & (take > 0)
    ok &= (pool.manager[rows][:, None] != cols[None, :]) & (pool.manager[cols][None, :] != rows[:, None])
    silent_rows, silent_cols = pool.speaks[rows].sum(1) == 0, pool.speaks[cols].sum(1) == 0
    ok &= (pool.speaks[rows] @ pool.speaks[cols].T > 0) | silent_rows[:, None] | silent_cols[None, :]
    r, c = np.nonzero(ok)
    g, t = give[r, c], take[r, c]
    fr, fc = pool.function[rows[r]], pool.function[cols[c]]
    cross = ((fr >= 0) & (fc >= 0) & (fr != fc)) * params.cross_function_bonus
    return PeerPairs(rows[r], cols[c], 2 * g * t / (g + t) + cross)


def eligible_pairs(people: Sequence[Participant], params: MatchParams) -> PeerPairs:
    """Every eligible peer pair of the pool with its spec weight, sorted by (first, second)."""
    pool, n = _pool(people), len(people)
    step = np.array(STEP[params.profile.value])
    blocks = [
        _block_pairs(pool, np.arange(s, min(s + BLOCK, n), dtype=np.int64), params, step)
        for s in range(0, max(n - 1, 0), BLOCK)
    ]
    if not blocks:
        return PeerPairs(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0))
    first = np.concatenate([b.first for b in blocks])
    second = np.concatenate([b.second for b in blocks])
    weight = np.concatenate([b.weight for b in blocks])
    keys = first * n + second
    keep = ~np.isin(keys, _keys(pool.blocked, n))
    first, second, weight, keys = first[keep], second[keep], weight[keep], keys[keep]
    wish_keys = _keys(set(pool.wishes), n)
    where = _find(keys, wish_keys)
    counts = np.array([pool.wishes[(int(k) // n, int(k) % n)] for k in wish_keys], dtype=np.int64)
    weight[where[where >= 0]] += params.wish_bonus * counts[where >= 0]
    return PeerPairs(first, second, weight)


def _keys(pairs: set[tuple[int, int]], n: int) -> IntArray:
    return np.array(sorted(i * n + j for i, j in pairs), dtype=np.int64)


def _find(sorted_keys: IntArray, wanted: IntArray) -> IntArray:
    """Position of each wanted key in sorted_keys, or -1."""
    if not len(sorted_keys):
        return np.full(len(wanted), -1, dtype=np.int64)
    pos = np.minimum(np.searchsorted(sorted_keys, wanted), len(sorted_keys) - 1)
    return np.where(sorted_keys[pos] == wanted, pos, -1)


def cross_check(
    people: Sequence[Participant], params: MatchParams, pairs: PeerPairs, *, samples: int, seed: int
) -> dict[str, int]:
    """Compare with the scalar reference: random pairs of the pool, and random eligible pairs."""
    rng = np.random.default_rng(seed)
    n = len(people)
    drawn = rng.integers(0, n, size=(samples, 2))
    drawn = np.sort(drawn[drawn[:, 0] != drawn[:, 1]], axis=1)
    picked = rng.choice(len(pairs), size=min(samples, len(pairs)), replace=False)
    first = np.concatenate([drawn[:, 0], pairs.first[picked]])
    second = np.concatenate([drawn[:, 1], pairs.second[picked]])
    where = _find(pairs.first * n + pairs.second, first * n + second)
    mismatches = 0
    for i, j, k in zip(first.tolist(), second.tolist(), where.tolist(), strict=True):
        expected = peer_weight(people[i], people[j], params)
        got = float(pairs.weight[k]) if k >= 0 else None
        if (expected is None) != (got is None) or abs((got or 0.0) - (expected or 0.0)) > 1e-9:
            mismatches += 1
    if mismatches:
        raise AssertionError(f"vectorised peer weights disagree with peer_weight on {mismatches} pairs")
    return {"pairs_checked": len(first), "eligible_checked": len(picked), "mismatches": 0}


def exact_optimum(pairs: PeerPairs, n: int) -> dict[str, float | int]:
    """Maximum-cardinality, then maximum-weight matching over all eligible pairs (blossom)."""
    units = np.rint(pairs.weight * UNITS).astype(np.int64)
    heaviest = int(units.max()) if len(units) else 0
    # Any matching has at most n // 2 pairs, so its weight units total less than BIG.
    big = min(int(units.sum()), heaviest * (n // 2)) + 1
    graph = rx.PyGraph(multigraph=False)
    graph.add_nodes_from(range(n))
    graph.extend_from_weighted_edge_list(
        list(zip(pairs.first.tolist(), pairs.second.tolist(), (units + big).tolist(), strict=True))
    )
    matched = rx.max_weight_matching(graph, max_cardinality=False, weight_fn=int, verify_optimum=False)
    ends = np.sort(np.array(sorted(matched), dtype=np.int64).reshape(-1, 2), axis=1)
    where = _find(pairs.first * n + pairs.second, ends[:, 0] * n + ends[:, 1])
    assert (where >= 0).all(), "the matching used a pair that is not eligible"
    return {
        "exact_placed": 2 * len(ends),
        "exact_total_score": float(pairs.weight[where].sum()),
        "big": big,
    }
