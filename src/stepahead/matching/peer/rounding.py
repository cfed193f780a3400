"""Integral pairs from the peer relaxation: its assignment's cycles rounded, then re-solved
exactly (blossom) around the people rounding leaves out."""

from __future__ import annotations

import numpy as np
from scipy import sparse

from .._population import IntArray
from .graph import PairList
from .proof import Matching, blossom
from .relaxation import Relaxation

_REPAIR_RADIUS = 3  # hops around people left out within which rounding is re-solved exactly
_REPAIR_MAX_PEOPLE = 3_000  # at 10k people, 2 hops and 1,500 left two more people out


def round_relaxation(relax: Relaxation, n: int) -> Matching:
    """Integral pairs from the assignment's cycles; odd cycles drop their cheapest person.

    Most cycles are pairs (2-cycles) or people on their own, taken in one pass over arrays:
    walking each of them in Python took 3 s of CPU at 100k people."""
    sigma = relax.sigma
    everyone = np.arange(n + 1)
    short = (sigma[sigma] == everyone) | (sigma == everyone)
    two = short & (everyone < sigma) & (sigma < n)  # each 2-cycle once, none with the dummy
    seen = short.copy()
    pairs: Matching = list(zip(everyone[two].tolist(), sigma[two].tolist(), strict=True))
    for start in np.flatnonzero(~short).tolist():
        if seen[start]:
            continue
        cycle = []
        node = start
        while not seen[node]:
            seen[node] = True
            cycle.append(node)
            node = int(relax.sigma[node])
        pairs.extend(_best_alternate(cycle, relax.arc_value, n))
    return sorted(pairs)


def repair_around_left_out(matching: Matching, pairs: PairList, n: int, big: int) -> Matching:
    """Re-solve exactly around the people rounding left out: an odd cycle drops someone whom an
    augmenting path a few hops away can usually place."""
    partner = np.full(n, -1, dtype=np.int64)
    for a, b in matching:
        partner[a], partner[b] = b, a
    has_pairs = np.zeros(n, dtype=bool)
    has_pairs[pairs.a] = has_pairs[pairs.b] = True
    region = (partner < 0) & has_pairs
    if not region.any():
        return matching
    adjacency = _adjacency(pairs, n)
    for _ in range(_REPAIR_RADIUS):
        grown = region | ((adjacency @ region.astype(np.int32)) > 0)
        grown[partner[grown & (partner >= 0)]] = True
        if grown.sum() > _REPAIR_MAX_PEOPLE:
            break
        region = grown
    region[partner[region & (partner >= 0)]] = True
    inside = region[pairs.a] & region[pairs.b]
    kept = [p for p in matching if not region[p[0]]]
    return sorted(kept + blossom(pairs.select(inside), big))


def _adjacency(pairs: PairList, n: int) -> sparse.csr_matrix:
    ones = np.ones(2 * len(pairs), dtype=np.int32)
    ends = (np.concatenate([pairs.a, pairs.b]), np.concatenate([pairs.b, pairs.a]))
    return sparse.csr_matrix((ones, ends), shape=(n, n))


def _best_alternate(cycle: list[int], arc_value: IntArray, n: int) -> Matching:
    """Best set of alternate arcs of a cycle (the dummy's arcs count but never make a pair).

    Every starting arc of an odd cycle is tried; each try's value comes from running sums over
    every other arc, so a cycle of s people costs O(s), not the O(s²) of summing each try (a
    cycle of thousands took 15 s of CPU at 100k people, steep shape)."""
    size = len(cycle)
    if size < 2:
        return []
    half = size // 2
    tries = size if size % 2 else 2
    twice = np.tile(arc_value[np.asarray(cycle, dtype=np.int64)], 2)
    sums = np.zeros(2 * size + 2, dtype=np.int64)  # sums[i + 2] = twice[i] + twice[i - 2] + ...
    sums[2::2], sums[3::2] = np.cumsum(twice[0::2]), np.cumsum(twice[1::2])
    shift = np.arange(tries)
    # first best on ties, as a scan keeping only strictly better tries would
    best = int(np.argmax(sums[shift + 2 * half] - sums[shift]))
    chosen = [(cycle[(best + 2 * t) % size], cycle[(best + 2 * t + 1) % size]) for t in range(half)]
    return [(min(a, b), max(a, b)) for a, b in chosen if n not in (a, b)]
