"""Exact peer matching over every eligible pair without one blossom over all of them.

When everyone who has an eligible partner can be placed (all but one, if they are odd in
number), the count placed is settled by that alone, and only the weight remains. The
relaxation of "matchings of exactly that size" over every pair gives prices, and with them each
pair a reduced cost. A matching of that size that beats a known one can only use pairs whose
reduced cost is below the gap between the bound and the known one. Those pairs are few, and
blossom on them alone finds the exact optimum. Pools with an odd structure that keeps more
people out (Tutte sets) are left to the callers' fallbacks.
"""

from __future__ import annotations

import numpy as np
import rustworkx as rx
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from .._population import IntArray
from .graph import PairList
from .relaxation import solve_near_perfect

Matching = list[tuple[int, int]]

# Reduced cost (×2, in weight units) up to which pairs join the first blossom: about a twentieth
# of a typical pair's weight. Each round that cannot prove its result allows four times more.
_FIRST_LIMIT = 1 << 16
_WIDENING = 4


def fixed_size_optimum(pairs: PairList, budget: int) -> Matching | None:
    """The lexicographic optimum over `pairs` when it places everyone who has a pair (all but
    one when they are odd in number). None when it does not, or when proving the weight would
    take a blossom over more than `budget` pairs."""
    if not len(pairs):
        return []
    live, ends = np.unique(np.concatenate([pairs.a, pairs.b]), return_inverse=True)
    size = len(live) // 2
    local = PairList(ends[: len(pairs)], ends[len(pairs) :], pairs.units)
    relax = solve_near_perfect(local, len(live))
    if relax is None:
        return None
    reduced2 = relax.prices[local.a] + relax.prices[local.b] - 2 * local.units
    limit = _FIRST_LIMIT
    while True:
        near = pairs.select(reduced2 <= limit)
        if len(near) > budget:
            return None
        found = _blossom_by_component(near)
        if len(found) == size:
            gap2 = relax.bound2 - 2 * units_of(near, found)
            # Any matching as large and heavier uses only pairs of reduced cost below gap2.
            if gap2 <= limit or len(near) == len(pairs):
                return found
            limit = min(gap2, _WIDENING * limit)
        elif len(near) == len(pairs):
            return None  # the count placed falls short of everyone: not this method's case
        else:
            limit *= _WIDENING


def _blossom_by_component(pairs: PairList) -> Matching:
    """Most pairs, then most weight, solved one connected component at a time: blossom costs
    up to the cube of its people, and the pairs near the prices fall into many small parts."""
    nodes, ends = np.unique(np.concatenate([pairs.a, pairs.b]), return_inverse=True)
    m = len(pairs)
    graph = sparse.coo_matrix((np.ones(m, dtype=np.int8), (ends[:m], ends[m:])), shape=(len(nodes),) * 2)
    _, label = connected_components(graph, directed=False)
    part = label[ends[:m]]
    order = np.argsort(part, kind="stable")
    cuts = np.flatnonzero(np.diff(part[order])) + 1
    found: Matching = []
    for edges in np.split(order, cuts):
        piece = pairs.select(edges)
        found.extend(blossom(piece, big_premium(piece, len(piece))))
    return sorted(found)


def big_premium(pairs: PairList, most_pairs: int) -> int:
    """A per-pair premium larger than the total weight of any matching of `pairs` with at most
    `most_pairs` pairs, and even (half of it is exact): maximising premium·|M| + weight places
    the most people first."""
    heaviest = int(pairs.units.max()) if len(pairs) else 0
    big = heaviest * (most_pairs + 1) + 2
    return big + (big % 2)


def blossom(pairs: PairList, big: int) -> Matching:
    """Exact maximum of big·|M| + weight over `pairs` (rustworkx's blossom)."""
    if not len(pairs):
        return []
    nodes, local = np.unique(np.concatenate([pairs.a, pairs.b]), return_inverse=True)
    m = len(pairs)
    graph = rx.PyGraph()
    graph.add_nodes_from(range(len(nodes)))
    weights = (pairs.units + big).tolist()
    graph.add_edges_from(list(zip(local[:m].tolist(), local[m:].tolist(), weights, strict=True)))
    found = rx.max_weight_matching(graph, max_cardinality=False, weight_fn=lambda w: w)
    return sorted((int(min(nodes[x], nodes[y])), int(max(nodes[x], nodes[y]))) for x, y in found)


def units_array(pairs: PairList, matching: Matching) -> IntArray:
    """Weight units of each matched pair, looked up in `pairs` (which must hold them all)."""
    n = int(max(pairs.a.max(initial=0), pairs.b.max(initial=0))) + 1
    keys = np.array([a * n + b for a, b in matching], dtype=np.int64)
    all_keys = pairs.keys(n)
    order = np.argsort(all_keys)
    pos = order[np.searchsorted(all_keys, keys, sorter=order)]
    found: IntArray = pairs.units[pos]
    return found


def units_of(pairs: PairList, matching: Matching) -> int:
    return int(units_array(pairs, matching).sum()) if matching else 0
