"""Why an unplaced mentee is unplaced: `_explain.Diagnosis` for the mentoring modes.

Every rule's mentor set comes from `mentoring.reach` as a count and the first few names, so a
diagnosis costs a few bitset operations instead of a pass over every mentor per person.
"""

from __future__ import annotations

import numpy as np

from .._explain import TIE, Diagnosis, Group, count_of
from .._model import MatchParams, MentorLoad, Mode, Unmatched
from .._population import IntArray, Population, bonuses, values_given
from .load import load_penalty, mentor_load
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
        mentored = [p.role is not None and p.role.is_mentored for p in pop.people]
        self.mentees = np.flatnonzero(np.array(mentored, dtype=np.bool_))
        # Each mentor's weakest match: a mentee who would score as much ties with it.
        self.weakest = np.full(pop.size, np.inf)
        np.minimum.at(self.weakest, mentors, np.array([score for _, score in groups], dtype=np.float64))

    # Load (spec 1.1) ---------------------------------------------------------------------------

    def load_penalty(self) -> float:
        return load_penalty(self.side.load, self.params.spread)

    def mentor_load(self) -> MentorLoad:
        return mentor_load(self.side.load)

    def idle_mentors(self) -> list[Unmatched]:
        """Mentors with no mentee (a `both` who is mentored takes part, so is not idle)."""
        idle = self.side.mentors[(self.side.load == 0) & ~self.placed[self.side.mentors]]
        return [Unmatched(self.pop.people[m].id, self.idle_reason(int(m))) for m in idle]

    def idle_reason(self, m: int) -> str:
        """The first thing that leaves a mentor without mentees, in the order HR can act on it."""
        person, who = self.pop.people[m], self.who(m)
        if person.capacity <= 0:
            return f"{who} has capacity 0: raise it so {who} can take a mentee"
        on_side = self.mentees_on_side(m)
        if not len(on_side):
            side = {Mode.TRADITIONAL: "more junior", Mode.REVERSE: "more senior"}.get(self.params.mode)
            return (
                f"no mentee is {side} than {who} (grade {person.grade})" if side else "there are no mentees"
            )
        helped = self.helped_by(m, on_side)
        if not len(helped):
            return f"no mentee's goals are among {who}'s strengths ({self.strengths(m)})"
        allowed = self.allowed(m, helped)
        if not len(allowed):
            rules = f"excluded, in {who}'s reporting line, or share no language with {who}"
            return f"the mentees {who} is ahead of ({self.names(helped)}) are {rules}"
        skill, count = self.most_wanted(m, allowed)
        return (
            f"the {count_of(count, 'mentee')} {who} could help in {skill} went to mentors who fit them better"
        )

    def mentees_on_side(self, m: int) -> IntArray:
        js: IntArray = self.mentees[self.mentees != m]
        grades, grade = self.pop.grades, self.pop.grades[m]
        if self.params.mode is Mode.TRADITIONAL:
            js = js[grades[js] < grade]
        elif self.params.mode is Mode.REVERSE:
            js = js[grades[js] > grade]
        return js

    def strengths(self, m: int) -> str:
        levels = self.pop.levels[m]
        best = [int(s) for s in np.argsort(-levels, kind="stable")[:3] if levels[s] > 0]
        return ", ".join(self.words.label(self.pop.skills[s]) for s in best) or "no skills listed"

    def most_wanted(self, m: int, js: IntArray) -> tuple[str, int]:
        """The goal skill most of js want that m is ahead of them in, and how many want it."""
        mine = self.pop.levels[m]
        skills = self.goal_skills[:, js]
        ahead = mine[skills] > self.goal_levels[:, js]
        counts = np.bincount(skills[ahead], minlength=len(mine))
        best = int(np.argmax(counts))
        return self.words.label(self.pop.skills[best]), int(counts[best])

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
        return (
            f"eligible mentors exist ({exist}) but all their places went to {self.mentor_fits(i, found, row)}"
        )

    def mentor_fits(self, i: int, found: Reach, row: int) -> str:
        """Exact when the full mentors are the few an explanation names; otherwise the words
        stay true without checking every one of them."""
        if found.able[row] > len(found.first_able[row]):
            return "fits at least as good"
        mentors = found.first_able[row][found.first_able[row] >= 0]
        me = np.full(len(mentors), i, dtype=np.int64)
        with_i = values_given(self.pop, mentors, me) + bonuses(self.pop, mentors, me, self.params)
        return self.fits(with_i >= self.weakest[mentors] - TIE)
