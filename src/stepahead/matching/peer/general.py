"""Our weighted matching on a general graph, with the duals that prove it (`blossom_kernel`).

Weights are integers; duals come back doubled so that they stay integers: every pair satisfies
u_a + u_b + Σ_{B ∋ a,b} z2_B ≥ 2·w_ab, matched pairs with equality, unmatched people have
u = 0, and a blossom with z2 > 0 is odd and matched inside but for its base. Their sum
(`bound2`) is then twice the matching's weight: the matching is optimal, and for any other pair
list the same duals price each pair exactly."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .._population import IntArray
from .._solution import Stop, never
from .blossom_duals import blossom_share, blossom_tree, greedy_start
from .blossom_kernel import run
from .blossom_repair import repair
from .blossom_state import _DUAL, _MATE, _PARENT, _ROWS, start


@dataclass(frozen=True, slots=True)
class GeneralMatching:
    """People are 0..n-1; blossoms are ids n..2n-1 (only those with a parent or a dual matter)."""

    mate: IntArray  # partner or -1
    u: IntArray  # 2 × each person's dual
    z2: IntArray  # 2 × each blossom's dual, indexed by id − n
    parent: IntArray  # enclosing blossom of each id (people, then blossoms), -1 at top level
    stages: int
    finished: bool  # False when a stage limit stopped it before the duals proved it optimal

    @property
    def n(self) -> int:
        return len(self.mate)

    def pairs(self) -> list[tuple[int, int]]:
        a = np.flatnonzero(self.mate > np.arange(self.n))
        return list(zip(a.tolist(), self.mate[a].tolist(), strict=True))

    def shared2(self, a: IntArray, b: IntArray) -> IntArray:
        """2 × Σ z_B over the blossoms holding both people of each pair."""
        shared: IntArray = blossom_share(self.parent, self.z2, self.n, a, b)
        return shared

    def reduced2(self, a: IntArray, b: IntArray, w: IntArray) -> IntArray:
        """2 × each pair's reduced cost y_a + y_b + Σ_{B ∋ a,b} z_B − w_ab (≥ 0 when priced)."""
        return self.u[a] + self.u[b] + self.shared2(a, b) - 2 * w

    def tree(self) -> tuple[IntArray, IntArray, IntArray]:
        """The blossom tree for pricing pairs (`peer.kernel._shared`): each id's parent, each
        blossom's depth, and 2 × the duals of it and the blossoms above it."""
        depth, above = blossom_tree(self.parent, self.z2, self.n)
        return self.parent, depth, above

    def sizes(self) -> IntArray:
        """People in each blossom, indexed by id − n."""
        size = np.zeros(self.n, dtype=np.int64)
        for v in range(self.n):
            x = self.parent[v]
            while x >= 0:
                size[x - self.n] += 1
                x = self.parent[x]
        return size

    def bound2(self) -> int:
        """2 × the dual objective Σ y + Σ z_B·⌊|B|/2⌋: at least twice any matching's weight."""
        return int(self.u.sum()) + int((self.z2 * (self.sizes() // 2)).sum())


# Stages run between two looks at the caller's budget: each costs O(people), so a few
# milliseconds at 100k people.
STAGES_PER_LOOK = 64


def max_weight_matching(
    n: int,
    a: IntArray,
    b: IntArray,
    w: IntArray,
    stop: Stop = never,
    warm: IntArray | None = None,
    *,
    look_every: int = STAGES_PER_LOOK,
) -> GeneralMatching:
    """Maximum-weight matching over pairs (a[k], b[k]) of integer weight w[k] ≥ 0 (no self
    pairs; people 0..n-1, those without pairs stay unmatched with dual 0). `warm`: feasible
    duals to start from, u_a + u_b ≥ 2·w_ab on every pair and u ≥ 0 (else each person's
    heaviest pair); a matching of the pairs they leave tight is found greedily.
    When `stop()` turns true it returns early, `finished` False, with duals that still bound
    the optimum (it looks every `look_every` stages)."""
    return BlossomSolver(n, a, b, w, warm).solve(stop, look_every=look_every)


class BlossomSolver:
    """`max_weight_matching` that keeps its state: pairs added later (`add`) are solved from
    where it was (`peer.blossom_repair`), not from scratch."""

    def __init__(self, n: int, a: IntArray, b: IntArray, w: IntArray, warm: IntArray | None = None) -> None:
        a, b, w = (np.asarray(x, dtype=np.int64) for x in (a, b, w))
        _check_pairs(a, b, w)
        self.n = n
        self.live, ends = np.unique(np.concatenate([a, b]), return_inverse=True)
        size, m = len(self.live), len(a)
        self.local = np.full(n, -1, dtype=np.int64)
        self.local[self.live] = np.arange(size)
        la, lb = ends[:m], ends[m:]
        self.finished = False
        self.state: tuple[Any, ...]
        if not m:
            self.state = (np.zeros((_ROWS, 0), dtype=np.int64), np.zeros(1, dtype=np.int64))
            return
        self.graph = _graph(size, la, lb, w)
        if warm is None:
            dual = np.zeros(size, dtype=np.int64)
            np.maximum.at(dual, np.concatenate([la, lb]), np.concatenate([w, w]))
        else:
            dual = np.asarray(warm, dtype=np.int64)[self.live]
        mate, mate_pair, dual = greedy_start(size, la, lb, w, dual, *self.graph[3:])
        self.state = start(size, w, mate, mate_pair, dual)

    def solve(self, stop: Stop = never, *, look_every: int = STAGES_PER_LOOK) -> GeneralMatching:
        """Stages until the duals prove the matching optimal, or until `stop()` (looked at every
        `look_every` stages)."""
        if len(self.live):
            self.finished = bool(run(self.state, self.graph, look_every))
            while not self.finished and not stop():
                self.finished = bool(run(self.state, self.graph, look_every))
        else:
            self.finished = True
        st, sc = self.state[0], self.state[1]
        return _widen(self.n, self.live, st, int(sc[0]), self.finished)

    def add(self, a: IntArray, b: IntArray, w: IntArray) -> bool:
        """Pairs join the graph (none already in it); False, with nothing changed, when one joins
        someone who had no pair (the state has no room for them: solve afresh)."""
        a, b, w = (np.asarray(x, dtype=np.int64) for x in (a, b, w))
        _check_pairs(a, b, w)
        la, lb = self.local[a], self.local[b]
        if not len(a) or (la < 0).any() or (lb < 0).any():
            return not len(a)
        old = self.graph
        first = len(old[0])
        self.graph = _graph(
            len(self.live),
            np.concatenate([old[0], la]),
            np.concatenate([old[1], lb]),
            np.concatenate([old[2], w]),
        )
        st, sc, pools, buf, _ = self.state
        m, size = len(self.graph[0]), len(self.live)
        # per-pair scratch sized by the pair count, both only read within a stage
        bpool = np.zeros((1, 4 * m + 2 * size + 8), dtype=np.int64)
        self.state = (st, sc, (pools[0], bpool, pools[2]), buf, np.full(m, -1, dtype=np.int64))
        repair(self.state, self.graph, first)
        return True


def _check_pairs(a: IntArray, b: IntArray, w: IntArray) -> None:
    if np.any(a == b) or np.any(w < 0):
        raise ValueError("pairs must join two different people and weigh at least 0")


def _graph(size: int, la: IntArray, lb: IntArray, w: IntArray) -> tuple[IntArray, ...]:
    """Pairs in local numbering, with each person's pairs listed together (adjacency)."""
    m = len(la)
    both = np.concatenate([la, lb])
    adj_edge = (np.argsort(both, kind="stable") % m).astype(np.int64)
    adj_start = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(np.bincount(both, minlength=size), out=adj_start[1:])
    return la, lb, w, adj_start, adj_edge


def _widen(n: int, live: IntArray, st: IntArray, stages: int, finished: bool) -> GeneralMatching:
    """Back from the live people's numbering to 0..n-1 (blossom ids become n + local id − size)."""
    size = len(live)
    ids = np.concatenate([live, n + np.arange(size, dtype=np.int64)])  # local id → global id
    mate = np.full(n, -1, dtype=np.int64)
    u = np.zeros(n, dtype=np.int64)
    local_mate = st[_MATE, :size]
    mate[live] = np.where(local_mate >= 0, live[np.maximum(local_mate, 0)], -1)
    u[live] = st[_DUAL, :size]
    z2 = np.zeros(n, dtype=np.int64)
    z2[:size] = 2 * st[_DUAL, size:]
    parent = np.full(2 * n, -1, dtype=np.int64)
    local_parent = st[_PARENT]
    has = local_parent >= 0
    parent[ids[has]] = ids[local_parent[has]]
    return GeneralMatching(mate, u, z2, parent, stages, finished)
