"""The best matching the stages of peer matching have found so far, and the least of their bounds.

Every stage bounds the weight of the optimum in its own way (the relaxation's prices, the bound
rounds, price and repair's duals), each valid over every eligible pair: the least of them holds,
and the matching kept is the one that places the most people, then weighs most."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .._model import Optimality, relative_gap
from .._population import SCALE

Matching = list[tuple[int, int]]


@dataclass(slots=True)
class Incumbent:
    matching: Matching = field(default_factory=list)
    units: int = -1  # weight of `matching` in 1e-6 units; -1 before any stage offered one
    bound: float = math.inf  # least valid bound on the optimum's weight, score units
    method: str = ""  # the stage whose bound is kept

    def offer(self, matching: Matching, units: int, optimality: Optimality | None = None) -> None:
        """A stage's matching (its weight `units`) and, when it has one, its bound (unproven)."""
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
