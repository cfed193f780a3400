"""Blossom (rustworkx) on small pair lists, the per-pair premium that puts the count placed
first, and looking up the weights of a matching's pairs."""

from __future__ import annotations

import numpy as np
import rustworkx as rx

from .._population import IntArray
from .graph import PairList

Matching = list[tuple[int, int]]


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
