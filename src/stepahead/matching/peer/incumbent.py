"""The best matching the stages of peer matching have found so far, and the least of their bounds.

Every stage bounds the weight of the optimum in its own way (the relaxation's prices, the bound
rounds, price and repair's duals), each valid over every eligible pair: the least of them holds,
and the matching kept is the one that places the most people, then weighs most.

Given each pair's weight (`weigh`), a matching offered is merged with the one kept rather than
weighed against it (`merged`): a matching that places a few more people but weighs less (a
blossom stopped mid-solve against the bound rounds' rounding; two roundings, 100k people, many
skills: 4 more placed, 2% lighter) no longer wins or loses whole: the few more are placed and
the rest keeps the heavier pairs."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from .._model import Optimality, relative_gap
from .._population import SCALE, IntArray

Matching = list[tuple[int, int]]
Weigh = Callable[[Matching], IntArray]  # each pair's weight in 1e-6 units, from the spec


@dataclass(slots=True)
class Incumbent:
    matching: Matching = field(default_factory=list)
    units: int = -1  # weight of `matching` in 1e-6 units; -1 before any stage offered one
    bound: float = math.inf  # least valid bound on the optimum's weight, score units
    method: str = ""  # the stage whose bound is kept
    weigh: Weigh | None = None  # when given, matchings offered are merged with the one kept

    def offer(self, matching: Matching, units: int, optimality: Optimality | None = None) -> None:
        """A stage's matching (its weight `units`) and, when it has one, its bound (unproven)."""
        if self.weigh is not None and self.matching and matching:
            matching, units = merged(self.matching, matching, self.weigh)
        if (len(matching), units) > (len(self.matching), self.units):
            self.matching, self.units = matching, units
        if optimality is not None and optimality.upper_bound < self.bound:
            self.bound, self.method = optimality.upper_bound, optimality.method

    @property
    def pairs(self) -> int:
        """Pairs in the best matching: the optimum has at least as many."""
        return len(self.matching)

    def result(self) -> tuple[Matching, Optimality]:
        found = max(self.units, 0) / SCALE
        bound = max(self.bound, found)
        return self.matching, Optimality(False, bound, relative_gap(found, bound), self.method)


def merged(first: Matching, second: Matching, weigh: Weigh) -> tuple[Matching, int]:
    """A matching at least as good as either (most pairs, then most weight), and its weight.

    The pairs in one matching but not the other form paths and even cycles (each person is in
    at most one pair of each); any mix that takes, per such component, all of its pairs from one
    side is a matching. Each component takes the side with more pairs, then more weight (the
    first on ties); pairs in both stay."""
    both = np.array(first + second, dtype=np.int64).reshape(-1, 2)
    a, b = both.min(axis=1), both.max(axis=1)
    n = int(b.max()) + 1
    side = np.repeat(np.array([0, 1]), [len(first), len(second)])
    _, inverse, counts = np.unique(a * n + b, return_inverse=True, return_counts=True)
    shared = counts[inverse] == 2
    apart = ~shared
    ones = np.ones(int(apart.sum()), dtype=np.int8)
    graph = sparse.coo_matrix((ones, (a[apart], b[apart])), shape=(n, n))
    count, label = connected_components(graph, directed=False)
    weights = np.asarray(weigh(list(zip(a.tolist(), b.tolist(), strict=True))), dtype=np.int64)
    comp, second_side = label[a[apart]], side[apart] == 1
    pairs2 = np.bincount(comp, weights=second_side, minlength=count)
    pairs1 = np.bincount(comp, weights=~second_side, minlength=count)
    # weights summed exactly in integers (float sums could tie or flip heavy components)
    units1 = np.zeros(count, dtype=np.int64)
    units2 = np.zeros(count, dtype=np.int64)
    np.add.at(units1, comp[~second_side], weights[apart][~second_side])
    np.add.at(units2, comp[second_side], weights[apart][second_side])
    take_second = (pairs2 > pairs1) | ((pairs2 == pairs1) & (units2 > units1))
    keep = (shared & (side == 0)) | (apart & (take_second[label[a]] == (side == 1)))
    chosen = sorted(zip(a[keep].tolist(), b[keep].tolist(), strict=True))
    return chosen, int(weights[keep].sum())
