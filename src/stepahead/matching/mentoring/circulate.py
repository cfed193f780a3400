"""Compiled min-cost circulation on unit arcs, warm: primal–dual (Dijkstra, then depth-first
paths over the arcs the new prices make tight), for a flow that was optimal before a few arcs
were added.

Arcs come with costs already reduced by the old optimal prices, so only the added arcs that
break those prices cost < 0. They are saturated first; the units that leaves at their ends
travel back along shortest paths (all other reduced costs are >= 0). OR-Tools' cost scaling,
started from nothing, pushes every unit again through the plateau of equally good mentors,
which costs seconds even when a few hundred arcs break the prices; this work is proportional
to the part of the graph the broken arcs reach.
"""

from __future__ import annotations

import heapq
from typing import Any

import numpy as np

from .._kernels import numba

INF = 1 << 62
_kernel = numba.njit(cache=True, nogil=True)


@_kernel
def circulate(nodes: int, tails: Any, heads: Any, costs: Any) -> Any:
    """Unit arcs (capacity 1) with integer costs, optimal for the zero flow except where a cost is
    negative. Returns (flow per arc, node potentials p with cost + p[tail] - p[head] >= 0 on
    every residual arc), or an empty flow when no circulation balances it (never, in theory)."""
    arcs = len(tails)
    tail, head, cost, cap = _paired(tails, heads, costs)
    start, out = _outgoing(nodes, tail)
    excess = np.zeros(nodes, dtype=np.int64)
    for i in range(arcs):
        if costs[i] < 0:  # saturate: its reverse, which costs > 0, is the residual arc
            cap[2 * i], cap[2 * i + 1] = 0, 1
            excess[heads[i]] += 1
            excess[tails[i]] -= 1
    price = np.zeros(nodes, dtype=np.int64)
    graph = (head, cost, cap, start, out)
    while (excess > 0).any():
        # Undoing what has moved so far balances every node (the zero flow is a circulation), so
        # residual arcs lead from each unit of excess back to a node short of flow: repricing
        # always finds one. Were that ever wrong, the caller gets no flow and solves afresh,
        # rather than this loop never ending.
        if not _reprice(nodes, graph, excess, price):  # pragma: no cover - unreachable, see above
            return np.zeros(0, dtype=np.int64), price
        while _augment_tight(nodes, graph, excess, price):
            pass
    flow = 1 - cap[0::2]
    return flow, price


@_kernel
def _paired(tails: Any, heads: Any, costs: Any) -> Any:
    """Arc 2i is arc i, arc 2i + 1 its reverse (capacity 0, cost negated)."""
    arcs = len(tails)
    tail = np.empty(2 * arcs, dtype=np.int64)
    head = np.empty(2 * arcs, dtype=np.int64)
    cost = np.empty(2 * arcs, dtype=np.int64)
    cap = np.zeros(2 * arcs, dtype=np.int64)
    for i in range(arcs):
        tail[2 * i], head[2 * i], cost[2 * i], cap[2 * i] = tails[i], heads[i], costs[i], 1
        tail[2 * i + 1], head[2 * i + 1], cost[2 * i + 1] = heads[i], tails[i], -costs[i]
    return tail, head, cost, cap


@_kernel
def _outgoing(nodes: int, tail: Any) -> Any:
    """Arcs by tail: the arcs out of v are out[start[v]:start[v + 1]]."""
    start = np.zeros(nodes + 1, dtype=np.int64)
    for a in range(len(tail)):
        start[tail[a] + 1] += 1
    for v in range(nodes):
        start[v + 1] += start[v]
    fill = start[:-1].copy()
    out = np.empty(len(tail), dtype=np.int64)
    for a in range(len(tail)):
        out[fill[tail[a]]] = a
        fill[tail[a]] += 1
    return start, out


@_kernel
def _reprice(nodes: int, graph: Any, excess: Any, price: Any) -> bool:
    """Dijkstra from every node with excess over reduced costs, up to the nearest node short of
    flow (at distance d); raising each price by min(distance, d) keeps every residual reduced
    cost >= 0 and makes the shortest paths to it tight. False when no such node is reachable."""
    head, cost, cap, start, out = graph
    dist = np.full(nodes, INF, dtype=np.int64)
    done = np.zeros(nodes, dtype=np.bool_)
    heap = [(np.int64(0), np.int64(-1))]
    for v in range(nodes):
        if excess[v] > 0:
            dist[v] = 0
            heap.append((np.int64(0), np.int64(v)))
    heapq.heapify(heap)
    while heap:
        d, u = heapq.heappop(heap)
        if u < 0 or done[u] or d > dist[u]:
            continue
        done[u] = True
        if excess[u] < 0:
            for v in range(nodes):
                price[v] += min(dist[v], d)
            return True
        for k in range(start[u], start[u + 1]):
            a = out[k]
            if cap[a] > 0:
                v = head[a]
                nd = d + cost[a] + price[u] - price[v]
                if nd < dist[v]:
                    dist[v] = nd
                    heapq.heappush(heap, (nd, v))
    return False  # pragma: no cover - some node short of flow is always reachable (`circulate`)


@_kernel
def _augment_tight(nodes: int, graph: Any, excess: Any, price: Any) -> bool:
    """One sweep of depth-first searches over tight residual arcs (reduced cost 0) from each node
    with excess to nodes short of flow, each node entered at most once per sweep unless it lies on
    a path found. False when no path was found."""
    start = graph[3]
    seen = np.zeros(nodes, dtype=np.bool_)
    current = start[:-1].copy()
    moved = False
    for s in range(nodes):
        while excess[s] > 0 and not seen[s] and _unit_path(s, graph, excess, price, seen, current):
            moved = True
    return moved


@_kernel
def _unit_path(source: int, graph: Any, excess: Any, price: Any, seen: Any, current: Any) -> bool:
    """Depth-first search from `source` to a node short of flow along tight arcs, skipping nodes
    already seen this sweep; moves one unit along the path found."""
    head, cost, cap, start, out = graph
    stack = [np.int64(source)]
    used = [np.int64(-1)]
    seen[source] = True
    while stack:
        u = stack[-1]
        if excess[u] < 0:
            for a in used[1:]:
                cap[a] -= 1
                cap[a ^ 1] += 1
            for v in stack:
                seen[v] = False
            excess[source] -= 1
            excess[u] += 1
            return True
        advanced = False
        while current[u] < start[u + 1]:
            a = out[current[u]]
            v = head[a]
            if cap[a] > 0 and not seen[v] and cost[a] + price[u] - price[v] == 0:
                seen[v] = True
                stack.append(v)
                used.append(a)
                advanced = True
                break
            current[u] += 1
        if not advanced:
            stack.pop()
            used.pop()
            if stack:
                current[stack[-1]] += 1
    return False


def compile_kernels() -> None:
    """Run the circulation once on a tiny graph (a negative cycle), so numba writes it to its cache."""
    ring = np.array([0, 1, 2], dtype=np.int64)
    circulate(3, ring, np.roll(ring, -1), np.array([-1, 0, 0], dtype=np.int64))
