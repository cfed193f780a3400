"""Which mentor–mentee pairs the flow sees: each mentee's best mentors, wishes, and pairs a proof
sweep found wanting. Sinks for `_mentoring_sweep.sweep` settle the sparse rules exactly."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._mentoring_units import BoolArray, personal_rules_allow, tie_key
from ._population import IntArray, Population

_NEVER = np.iinfo(np.int64).max // 4


@dataclass(frozen=True, slots=True)
class Sides:
    """Who can mentor (role mentor or both, capacity > 0) and who can be mentored, by input order."""

    mentors: IntArray  # population indices
    capacity: IntArray
    mentees: IntArray

    @classmethod
    def of(cls, pop: Population) -> Sides:
        people = pop.people
        mentors = [
            i for i, p in enumerate(people) if p.role is not None and p.role.mentors and p.capacity > 0
        ]
        mentees = [i for i, p in enumerate(people) if p.role is not None and p.role.is_mentored]
        return cls(
            mentors=np.array(mentors, dtype=np.int64),
            capacity=np.array([people[i].capacity for i in mentors], dtype=np.int64),
            mentees=np.array(mentees, dtype=np.int64),
        )


@dataclass(frozen=True, slots=True)
class Pairs:
    """Directed mentor → mentee pairs as positions in the solver's mentor and mentee lists."""

    mentor: IntArray
    mentee: IntArray

    def keys(self, mentees: int) -> IntArray:
        return self.mentor * mentees + self.mentee

    def __len__(self) -> int:
        return len(self.mentor)


def merge(a: Pairs, b: Pairs, mentees: int) -> Pairs:
    """Union of two pair sets, ordered by mentee then mentor (deterministic arc order)."""
    keys = np.unique(np.concatenate([a.keys(mentees), b.keys(mentees)]))
    mentor, mentee = np.divmod(keys, mentees)
    order = np.lexsort((mentor, mentee))
    return Pairs(mentor=mentor[order], mentee=mentee[order])


class _Filter:
    """What the sweep leaves to its sinks: the sparse personal rules (oneself, manager, exclusion)."""

    def __init__(self, pop: Population, mentors: IntArray, mentees: IntArray) -> None:
        self.pop, self.mentors, self.mentees = pop, mentors, mentees

    def keep(self, mentee: IntArray, mentor: IntArray) -> BoolArray:
        return personal_rules_allow(self.pop, self.mentors[mentor], self.mentees[mentee])


class TopLists:
    """Each owner's best few partners, by score, then tie key, then partner (a total order, the
    one the sweep kernel trims by). An owner's threshold is the score a pair must reach once the
    list is full (1 before: a score must be positive). Pairs that reach it are always offered,
    so the lists do not depend on the order offers arrive in, even when threads interleave."""

    def __init__(self, quota: IntArray, *, buffer: int = 0) -> None:
        width = int(quota.max()) if len(quota) else 0
        self.quota, self.buffer = quota, buffer
        self.score = np.full((len(quota), width), -1, dtype=np.int64)
        self.tie = np.full((len(quota), width), -1, dtype=np.int64)
        self.partner = np.full((len(quota), width), -1, dtype=np.int64)
        self.thresholds = np.where(quota > 0, 1, _NEVER).astype(np.int64)
        self.waiting: list[tuple[IntArray, ...]] = []
        self.waiting_size = 0

    def offer(self, owner: IntArray, partner: IntArray, score: IntArray, tie: IntArray) -> None:
        """Merges at once, or with `buffer` set, once that many offers wait: many small merges
        cost more than a few large ones when owners are many and thresholds can lag."""
        reach = score >= self.thresholds[owner]
        if not reach.any():
            return
        self.waiting.append((owner[reach], partner[reach], score[reach], tie[reach]))
        self.waiting_size += int(reach.sum())
        if self.waiting_size > self.buffer:
            self.settle()

    def settle(self) -> None:
        if not self.waiting:
            return
        owner, partner, score, tie = (np.concatenate([w[i] for w in self.waiting]) for i in range(4))
        self.waiting, self.waiting_size = [], 0
        rows = np.unique(owner)
        held = self.partner[rows] >= 0
        lists = (self.partner[rows][held], self.score[rows][held], self.tie[rows][held])
        all_rows = np.concatenate([np.repeat(rows, held.sum(axis=1)), owner])
        all_partner, all_score, all_tie = (
            np.concatenate(x) for x in zip(lists, (partner, score, tie), strict=True)
        )
        order = np.lexsort((all_partner, -all_tie, -all_score, all_rows))
        self._keep_best(rows, all_rows[order], all_partner[order], all_score[order], all_tie[order])

    def _keep_best(
        self, rows: IntArray, by_row: IntArray, partner: IntArray, score: IntArray, tie: IntArray
    ) -> None:
        starts = np.searchsorted(by_row, rows)
        rank = np.arange(len(by_row)) - np.repeat(starts, np.diff(np.append(starts, len(by_row))))
        top = rank < self.quota[by_row]
        self.partner[rows], self.score[rows], self.tie[rows] = -1, -1, -1
        at = by_row[top], rank[top]
        self.partner[at], self.score[at], self.tie[at] = partner[top], score[top], tie[top]
        last = self.quota[rows] - 1
        full = self.partner[rows, last] >= 0
        self.thresholds[rows[full]] = self.score[rows[full], last[full]]

    def pairs(self) -> tuple[IntArray, IntArray]:
        self.settle()
        owner, slot = np.nonzero(self.partner >= 0)
        return owner.astype(np.int64), self.partner[owner, slot]


class BestPairs(_Filter):
    """Sink keeping each mentee's best few mentors and each mentor's best few mentees: the first
    gives every mentee its options, the second lets busy mentors pick from the whole pool."""

    def __init__(
        self, pop: Population, mentors: IntArray, mentees: IntArray, per_mentee: int, per_mentor: IntArray
    ) -> None:
        super().__init__(pop, mentors, mentees)
        self.for_mentees = TopLists(np.full(len(mentees), per_mentee, dtype=np.int64))
        self.for_mentors = TopLists(per_mentor, buffer=1 << 20)

    def mentee_hits(self, mentee: IntArray, mentor: IntArray, score: IntArray) -> None:
        """Sink for pairs that beat the mentee's threshold."""
        ok = self.keep(mentee, mentor)
        self.for_mentees.offer(mentee[ok], mentor[ok], score[ok], tie_key(mentee[ok], mentor[ok]))

    def mentor_hits(self, mentee: IntArray, mentor: IntArray, score: IntArray) -> None:
        """Sink for pairs that beat the mentor's threshold."""
        ok = self.keep(mentee, mentor)
        self.for_mentors.offer(mentor[ok], mentee[ok], score[ok], tie_key(mentee[ok], mentor[ok]))

    def pairs(self) -> Pairs:
        mentee, mentor = self.for_mentees.pairs()
        mentor_b, mentee_b = self.for_mentors.pairs()
        return merge(Pairs(mentor, mentee), Pairs(mentor_b, mentee_b), len(self.mentees))


class Shortfalls(_Filter):
    """Sink collecting eligible pairs outside the candidates that break (or nearly break) the flow's
    certificate. Keeps, by rank, each mentee's best `per_mentee` and each mentor's best
    `per_mentor[m]`: mentors priced too low pull in whole batches. Each mentee's threshold rises
    as its list fills, so the sweep reports less and less."""

    def __init__(
        self,
        pop: Population,
        mentors: IntArray,
        mentees: IntArray,
        known: IntArray,
        per_mentee: int,
        per_mentor: IntArray,
    ) -> None:
        super().__init__(pop, mentors, mentees)
        self.known = known
        self.known_per_mentee = np.bincount(known % max(1, len(mentees)), minlength=len(mentees))
        self.for_mentees = TopLists(np.full(len(mentees), per_mentee, dtype=np.int64))
        self.for_mentors = TopLists(per_mentor, buffer=1 << 20)
        self.unsettled = np.zeros(len(mentees), dtype=bool)  # a break was found: maybe more were trimmed
        self.broken = False
        self.may_place_more = False

    def __call__(
        self, mentee: IntArray, mentor: IntArray, rank: IntArray, breaks: BoolArray, *, placing: bool
    ) -> None:
        """rank >= 1 to be kept, higher first; breaks: the pair does break the certificate;
        placing: such pairs could place one more mentee."""
        ok = self._fresh(mentee, mentor) & self.keep(mentee, mentor)
        mentee, mentor, rank, breaks = mentee[ok], mentor[ok], rank[ok], breaks[ok]
        tie = tie_key(mentee, mentor)
        self.for_mentees.offer(mentee, mentor, rank, tie)
        self.for_mentors.offer(mentor, mentee, rank, tie)
        self.unsettled[mentee[breaks]] = True
        self.broken = self.broken or bool(breaks.any())
        self.may_place_more = self.may_place_more or (placing and bool(breaks.any()))

    def _fresh(self, mentee: IntArray, mentor: IntArray) -> BoolArray:
        keys = mentor * len(self.mentees) + mentee
        if not len(self.known):
            return np.ones(len(keys), dtype=bool)
        pos = np.minimum(np.searchsorted(self.known, keys), len(self.known) - 1)
        fresh: BoolArray = self.known[pos] != keys
        return fresh

    def pairs(self) -> Pairs:
        mentee, mentor = self.for_mentees.pairs()
        mentor_b, mentee_b = self.for_mentors.pairs()
        return merge(Pairs(mentor, mentee), Pairs(mentor_b, mentee_b), len(self.mentees))
