"""Whether some valid circle holds a person, decided by searching who could meet a need.

A valid circle is a clique of 3 to 5 in the "may share a circle" graph (hard rules, grade spread
within the band) where everyone gives and receives. Search from {p}: while some member lacks a
giver (or a receiver) among the others, one of the people who could be it — allowed beside every
member so far, giving to (receiving from) that member — must be in the circle, so branch on them,
the need with the fewest candidates first. When nobody lacks anything, a pair still needs a third:
anyone allowed beside both. Every valid circle holding p contains the members of some branch (at
each step one of its members meets the need), so the answer is exact; past a budget of steps the
search gives up and says so (None).

Asking only among the first few possible circle-mates (as before) left the answer open for
anyone with more than that, so the placed bound counted them placeable: at 10k people of a flat
organisation, 109 unplaced people (1.1 % of the bound) of whom none was.
"""

from __future__ import annotations

import numpy as np

from .._model import MAX_LEVEL, MatchParams
from .._population import IntArray, Population, hard_rules_mask
from .score import MAX_SIZE, MIN_SIZE, BoolArray

# People looked at over all branches before giving up (each branch reads every possible
# circle-mate once or twice): ~20-50 ms, whatever the pool's size.
WORK = 20_000_000


class _BudgetSpentError(Exception):
    pass


class _Search:
    """The people who may sit with `person`, and each member's pair facts among them, on demand."""

    def __init__(self, pop: Population, params: MatchParams, person: int, work: int) -> None:
        self.pop, self.band, self.left = pop, params.circle_band, work
        near = np.flatnonzero(np.abs(pop.grades - pop.grades[person]) <= self.band)
        near = near[hard_rules_mask(pop, np.full(len(near), person), near)]
        self.near = np.concatenate([[person], near]).astype(np.int64)  # the person is index 0
        self._facts: dict[int, tuple[BoolArray, BoolArray, BoolArray]] = {}

    def facts(self, i: int) -> tuple[BoolArray, BoolArray, BoolArray]:
        """Over `near`: who may sit beside member i, who gives to i, whom i gives to."""
        if i not in self._facts:
            pop, near, x = self.pop, self.near, self.near[i]
            beside = np.abs(pop.grades[near] - pop.grades[x]) <= self.band
            beside &= hard_rules_mask(pop, np.full(len(near), x), near)
            to_x = pop.levels[near[:, None], pop.goals[x]].astype(np.int64) - pop.own[x]
            from_x = pop.levels[x, pop.goals[near]].astype(np.int64) - pop.own[near]
            gives = pop.gain[to_x + MAX_LEVEL] > 0
            takes = pop.gain[from_x + MAX_LEVEL] > 0
            self._facts[i] = (beside, gives.any(axis=1), takes.any(axis=1))
        return self._facts[i]

    def grow(self, members: list[int], common: BoolArray) -> bool:
        """Whether a valid circle holds `members` plus people allowed beside all (`common`)."""
        self.left -= len(self.near)
        if self.left < 0:
            raise _BudgetSpentError
        candidates = self._neediest(members, common)
        if candidates is None:
            if len(members) >= MIN_SIZE:
                return True
            candidates = np.flatnonzero(common)  # a pair giving both ways needs a third
        if len(members) == MAX_SIZE:
            return False
        return any(self.grow([*members, int(c)], common & self.facts(int(c))[0]) for c in candidates)

    def _neediest(self, members: list[int], common: BoolArray) -> IntArray | None:
        """Who could meet the unmet need with the fewest such people; None when none is unmet."""
        fewest: IntArray | None = None
        for i in members:
            _, gives, takes = self.facts(i)
            for who in (gives, takes):
                if who[members].any():  # met among the others (nobody gives to themselves)
                    continue
                found = np.flatnonzero(who & common)
                fewest = found if fewest is None or len(found) < len(fewest) else fewest
        return fewest


def circle_exists(pop: Population, params: MatchParams, person: int, work: int | None = None) -> bool | None:
    """Whether some valid circle holds this person; None when the search ran out of budget
    (`work`, by default WORK, read when called)."""
    search = _Search(pop, params, person, WORK if work is None else work)
    try:
        return search.grow([0], search.facts(0)[0])  # grow never writes to `common`
    except _BudgetSpentError:
        return None
