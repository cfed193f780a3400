"""Who mentors and who is mentored, and mentor–mentee pairs as positions in those lists."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._population import IntArray, Population


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
        # Nobody can take more mentees than there are: bounding capacity keeps seat arcs finite.
        return cls(
            mentors=np.array(mentors, dtype=np.int64),
            capacity=np.array([min(people[i].capacity, len(mentees)) for i in mentors], dtype=np.int64),
            mentees=np.array(mentees, dtype=np.int64),
        )


@dataclass(frozen=True, slots=True)
class Pairs:
    """Directed mentor → mentee pairs as positions in the solver's mentor and mentee lists."""

    mentor: IntArray
    mentee: IntArray

    @classmethod
    def none(cls) -> Pairs:
        return cls(mentor=np.zeros(0, dtype=np.int64), mentee=np.zeros(0, dtype=np.int64))

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
