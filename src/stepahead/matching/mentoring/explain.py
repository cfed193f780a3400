"""Why an unplaced mentee is unplaced: `_explain.Diagnosis` for the mentoring modes.

Every rule's mentor set comes from `mentoring.reach` as a count and the first few names, so a
diagnosis costs a few bitset operations instead of a pass over every mentor per person.
"""

from __future__ import annotations

import numpy as np

from .._explain import Diagnosis, Group
from .._model import MatchParams, Mode
from .._population import IntArray, Population
from .reach import Reach, Side, reach

_MENTOR_SIDE = {Mode.TRADITIONAL: " more senior than ", Mode.REVERSE: " more junior than "}


class MentoringDiagnosis(Diagnosis):
    """Only the rare "blocked" wording still filters the mentor array, for one person."""

    def __init__(self, pop: Population, params: MatchParams, groups: list[Group]) -> None:
        super().__init__(pop, params, [])
        mentors = np.array([g[0] for g, _ in groups], dtype=np.int64)
        mentees = np.array([g[1] for g, _ in groups], dtype=np.int64)
        self.placed[mentees] = True
        load = np.bincount(mentors, minlength=pop.size)
        self.side = Side.of(pop, load)
        self.is_mentor = np.zeros(pop.size, dtype=np.bool_)
        self.is_mentor[self.side.mentors] = True
        # Only people who wanted a mentor can be unmatched (see the `_explain` docstring).
        wants = [p.role is None or p.role.is_mentored for p in pop.people]
        self.wants_mentor = np.array(wants, dtype=np.bool_) & ~(self.is_mentor & (load > 0))

    def unplaced(self) -> list[int]:
        return [int(i) for i in np.flatnonzero(self.wants_mentor & ~self.placed)]

    def reasons(self, unplaced: list[int]) -> list[str]:
        people = np.array(unplaced, dtype=np.int64)
        found = reach(self.pop, self.params.mode, self.side, people, (self.related_start, self.related))
        return [self.reason_at(i, found, row) for row, i in enumerate(unplaced)]

    def candidate_mentors(self, i: int) -> IntArray:
        """Only the rare "blocked" wording needs the mentors themselves rather than counts."""
        grades, grade, ok = self.pop.grades, self.pop.grades[i], self.is_mentor.copy()
        ok[i] = False
        if self.params.mode is not Mode.OPEN:
            ok &= grades > grade if self.params.mode is Mode.TRADITIONAL else grades < grade
        return np.flatnonzero(ok)

    def reason_at(self, i: int, found: Reach, row: int) -> str:
        person, who = self.pop.people[i], self.who(i)
        if person.role is None:
            return f"{who} has no role: set mentor, mentee or both"
        if not person.goals:
            return self.no_goals(i, "a mentor who is ahead in them")
        side = _MENTOR_SIDE.get(self.params.mode)
        if not found.candidates[row]:
            return f"no mentor is{side}{who} (grade {person.grade})" if side else "there are no other mentors"
        side = f"{side}{who}" if side else ""
        if not found.helpers[row]:
            return f"no mentor{side} is ahead of {who} in {who}'s goals ({self.goals(i)})"
        if not found.allowed[row]:
            helpers = self.ahead_of(i, self.candidate_mentors(i))
            return self.blocked(i, helpers, f"mentors{side} who are ahead of {who}")
        return self.capacity_reason(i, found, row)

    def capacity_reason(self, i: int, found: Reach, row: int) -> str:
        if not found.able[row]:
            allowed = self.listed(found.first_allowed[row], int(found.allowed[row]))
            return f"the only mentors who could help {self.who(i)} ({allowed}) have capacity 0"
        if found.room[row]:
            room = self.listed(found.first_room[row], int(found.room[row]))
            return f"mentors with room left could take {self.who(i)} ({room}): match them by hand"
        able = int(found.able[row])
        exist = f"{able}: {self.listed(found.first_able[row], able)}"
        return f"eligible mentors exist ({exist}) but all their places went to better fits"
