"""Words for a solution: why each group fits, and why each unplaced person is unplaced.

Decisions where the spec is silent:
- Groups are listed in input order (pairs by `a`, matches by mentor then mentee, circles by their
  first member; members in input order), so the output never depends on a solver's internals.
- In mentoring modes only people who wanted a mentor can be unmatched: mentees, people with no
  role, and `both` people who got neither a mentor nor a mentee. Mentors (and `both` people who
  mentor someone) left with room are not unmatched; they have spare capacity, which callers can
  count from the matches and the participants' capacities.
- An unmatched reason walks the eligibility rules in the order a programme manager can act on
  (goals, grade band, who is ahead, hard rules, reciprocity or capacity) and names the first rule
  that leaves nobody; only when eligible partners exist does it blame better fits elsewhere.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

from ._model import (
    MAX_GOALS,
    Circle,
    MatchParams,
    MatchResult,
    MentorLoad,
    MentorMatch,
    Mode,
    Pair,
    Participant,
    Unmatched,
)
from ._population import IntArray, Population, spellings
from ._scoring import circle_is_valid, circle_score, mentoring_weight, peer_weight, step_utility
from ._solution import Solution

Group = tuple[tuple[int, ...], float]
Mask = npt.NDArray[np.bool_]


def explain(
    pop: Population, params: MatchParams, solution: Solution, diagnosis: type[Diagnosis]
) -> MatchResult:
    """The result in words: reasons for every group, and `diagnosis` (the mode's) for the unplaced."""
    mode, people = params.mode, pop.people
    groups, w = _in_input_order(solution, mode), Words(pop.spelled)
    pairs = tuple(_pair(people[a], people[b], s, w) for (a, b), s in groups) if mode is Mode.PEER else ()
    matches = tuple(_match(people[m], people[e], s, w) for (m, e), s in groups) if mode.is_mentoring else ()
    circles = (
        tuple(_circle([people[i] for i in g], s, params, w) for g, s in groups)
        if mode is Mode.CIRCLES
        else ()
    )
    diagnosed = diagnosis(pop, params, groups)
    total = math.fsum(solution.scores)
    return MatchResult(
        mode=mode,
        params=params,
        pairs=pairs,
        matches=matches,
        circles=circles,
        unmatched=tuple(diagnosed.unmatched()),
        participants=pop.size,
        # People placed: both of a pair, each member of a circle, the mentee of a match.
        placed=len(matches) if mode.is_mentoring else sum(len(g) for g, _ in groups),
        total_score=round(total, 4),
        optimality=solution.optimality,
        objective=round(total - diagnosed.load_penalty(), 4),
        idle_mentors=tuple(diagnosed.idle_mentors()),
        mentor_load=diagnosed.mentor_load(),
    )


def _in_input_order(solution: Solution, mode: Mode) -> list[Group]:
    # A mentor → mentee match keeps its direction; every other group is a set of people.
    keep = mode.is_mentoring
    groups = [
        (g if keep else tuple(sorted(g)), s) for g, s in zip(solution.groups, solution.scores, strict=True)
    ]
    return sorted(groups)


# --- reasons for a group ---------------------------------------------------------------------------


def _who(person: Participant) -> str:
    return person.name or person.id


class Words:
    """Labels as the file first spelled them (spec 1.1: "Customer Service", "HR"); matching
    compares the normalised forms. Labels nobody spelled otherwise read as they are, functions
    with a capital."""

    def __init__(self, spelled: Mapping[str, str]) -> None:
        self.spelled = spelled

    def label(self, normalised: str) -> str:
        return self.spelled.get(normalised, normalised)

    def function(self, normalised: str) -> str:
        return self.spelled.get(normalised) or _capital(normalised)


def _ahead(giver: Participant, receiver: Participant, skill: str, w: Words) -> str:
    mine, theirs = giver.level(skill), receiver.level(skill)
    step = "one step ahead of" if mine - theirs == 1 else "ahead of"
    return f"{_who(giver)} is {step} {_who(receiver)} in {w.label(skill)} ({mine} vs {theirs})"


def _offers(giver: Participant, receiver: Participant, w: Words) -> list[str]:
    """What the giver brings to the receiver's goals, in the receiver's priority order."""
    goals = receiver.goals[:MAX_GOALS]
    return [_ahead(giver, receiver, goal, w) for goal in goals if giver.level(goal) > receiver.level(goal)]


def count_of(n: int, thing: str) -> str:
    return f"{n} {thing}" if n == 1 else f"{n} {thing}s"


def _capital(label: str) -> str:
    return label[:1].upper() + label[1:]


def _functions_meet(a: Participant, b: Participant, w: Words) -> list[str]:
    if a.function and b.function and a.function != b.function:
        return [f"{w.function(a.function)} meets {w.function(b.function)}"]
    return []


def _wishes(a: Participant, b: Participant, together: str) -> list[str]:
    a_wants, b_wants = b.id in a.prefer, a.id in b.prefer
    if a_wants and b_wants:
        return [f"Both asked to be {together}"]
    if a_wants or b_wants:
        asker, other = (a, b) if a_wants else (b, a)
        return [f"{_who(asker)} asked to be {together} with {_who(other)}"]
    return []


def _pair(a: Participant, b: Participant, score: float, w: Words) -> Pair:
    reasons = [*_offers(a, b, w), *_offers(b, a, w), *_functions_meet(a, b, w), *_wishes(a, b, "paired")]
    return Pair(a=a.id, b=b.id, score=round(score, 4), reasons=tuple(reasons))


def _match(mentor: Participant, mentee: Participant, score: float, w: Words) -> MentorMatch:
    reasons = [
        *_offers(mentor, mentee, w),
        *_functions_meet(mentor, mentee, w),
        *_wishes(mentor, mentee, "matched"),
    ]
    return MentorMatch(mentor=mentor.id, mentee=mentee.id, score=round(score, 4), reasons=tuple(reasons))


def _circle(members: list[Participant], score: float, params: MatchParams, w: Words) -> Circle:
    reasons = [reason for member in members for reason in _covered(member, members, params, w)]
    functions = list(dict.fromkeys(m.function for m in members if m.function))
    if len(functions) > 1:
        reasons.append(f"Functions represented: {', '.join(map(w.function, functions))}")
    for k, a in enumerate(members):
        for b in members[k + 1 :]:
            reasons.extend(_wishes(a, b, "in the same circle"))
    return Circle(members=tuple(m.id for m in members), score=round(score, 4), reasons=tuple(reasons))


def _covered(member: Participant, members: list[Participant], params: MatchParams, w: Words) -> list[str]:
    """Who covers each of the member's goals: the other member the circle score counts for it."""
    others = [o for o in members if o is not member]
    reasons = []
    for goal in member.goals[:MAX_GOALS]:
        helper = max(others, key=lambda o: step_utility(o.level(goal) - member.level(goal), params.profile))
        if helper.level(goal) > member.level(goal):
            reasons.append(_ahead(helper, member, goal, w))
    return reasons


def explain_group(members: Sequence[Participant], params: MatchParams) -> Pair | MentorMatch | Circle:
    """Score and reasons for a group someone assembled by hand, worded exactly as `match` words
    its own: a pair in peer mode, mentor → mentee in the mentoring modes (`members[0]` mentors),
    a circle in circle mode. Raises ValueError for a group the mode's rules do not allow (callers
    that want to say which rule fails check the group first)."""
    people = list(members)
    w = Words(spellings(people))
    if params.mode is Mode.CIRCLES:
        if not circle_is_valid(people, params):
            raise ValueError("not a valid circle")
        return _circle(people, circle_score(people, params), params, w)
    if len(people) != 2:
        raise ValueError(f"a {params.mode} group has two members, not {len(people)}")
    first, second = people
    if params.mode.is_mentoring:
        weight = mentoring_weight(first, second, params)
        if weight is None:
            raise ValueError("not an eligible mentoring match")
        return _match(first, second, weight, w)
    weight = peer_weight(first, second, params)
    if weight is None:
        raise ValueError("not an eligible peer pair")
    return _pair(first, second, weight, w)


SHOWN = 3  # explanations name this many people, then "and N more"
TIE = 1e-9  # scores are sums of a few table values: equal ones agree far closer than this


# --- reasons for the unplaced ----------------------------------------------------------------------


class Diagnosis:
    """Eligibility rules replayed for one unplaced person against the whole pool, in numpy.

    Each rule filters an array of candidate indices; the arrays below are laid out so that every
    filter is a 1-D gather, which keeps thousands of diagnoses over 100k people to seconds."""

    def __init__(self, pop: Population, params: MatchParams, groups: list[Group]) -> None:
        self.pop, self.params = pop, params
        self.words = Words(pop.spelled)
        self.by_grade = np.argsort(pop.grades, kind="stable")
        self.sorted_grades = pop.grades[self.by_grade]
        self.placed = np.zeros(pop.size, dtype=np.bool_)
        self.placed[[i for group, _ in groups for i in group]] = True
        # Each placed person's group score, to tell "better fits" from "equally good fits".
        self.group_score = np.zeros(pop.size, dtype=np.float64)
        for group, score in groups:
            self.group_score[list(group)] = score
        # Both spec profiles value every positive gap, so "v(A→B) > 0" is "A is ahead of B in one
        # of B's goals" and the filters below compare levels instead of summing utilities.
        if not (pop.utility[1:] > 0).all():
            raise ValueError("explanations assume every positive gap has a positive step utility")
        # Column-major copies: each filter then gathers from contiguous 1-D rows.
        self.skill_levels = np.ascontiguousarray(pop.levels.T)  # (skills, n)
        self.goal_skills = np.ascontiguousarray(pop.goals.T)  # (3, n): skill of each goal slot
        self.goal_levels = np.take_along_axis(pop.levels, pop.goals, axis=1).T.copy()  # (3, n)
        self.language_words = np.ascontiguousarray(pop.languages.T)  # (words, n)
        self.related_start, self.related = _relations(pop)
        # Names two people share (the demo has two Elias Wagners): a reason listing both must
        # tell them apart, so those names carry the person's id, the spec's unique key.
        named = Counter(p.name for p in pop.people if p.name)
        self.shared_names = {name for name, count in named.items() if count > 1}

    def unmatched(self) -> list[Unmatched]:
        ids = self.unplaced()
        return [Unmatched(self.pop.people[i].id, why) for i, why in zip(ids, self.reasons(ids), strict=True)]

    def reasons(self, unplaced: list[int]) -> list[str]:
        return [self.reason(i) for i in unplaced]

    def unplaced(self) -> list[int]:
        return [int(i) for i in np.flatnonzero(~self.placed)]

    def reason(self, i: int) -> str:  # pragma: no cover - an abstract hook: each mode's diagnosis says it
        raise NotImplementedError

    # Mentoring modes say more (spec 1.1); pairs and circles have no mentors.

    def load_penalty(self) -> float:
        return 0.0

    def idle_mentors(self) -> list[Unmatched]:
        return []

    def mentor_load(self) -> MentorLoad | None:
        return None

    # Words -------------------------------------------------------------------------------------

    def who(self, i: int) -> str:
        person = self.pop.people[i]
        return f"{person.name} ({person.id})" if person.name in self.shared_names else _who(person)

    def goals(self, i: int) -> str:
        return ", ".join(map(self.words.label, self.pop.people[i].goals[:MAX_GOALS]))

    def names(self, js: IntArray) -> str:
        return self.listed(js[:SHOWN], len(js))

    def listed(self, first: IntArray, count: int) -> str:
        """The first few of `count` people (-1 padded), then how many more."""
        shown = ", ".join(self.who(j) for j in first if j >= 0)
        return shown if count <= SHOWN else f"{shown} and {count - SHOWN} more"

    def span(self, i: int, band: int) -> str:
        if band == 0:
            return f"at the same grade as {self.who(i)}"
        return f"within {band} grade{'s' if band > 1 else ''} of {self.who(i)}"

    def fits(self, could_take_i: Mask) -> str:
        """How the places that went to others compare: exact ties are worth saying so, since
        HR may then prefer this person by hand at no cost."""
        return "equally good fits" if could_take_i.any() else "better fits"

    def no_goals(self, i: int, helper: str) -> str:
        who = self.who(i)
        return f"{who} has no goals listed: add up to 3 skills to grow so {helper} can be found"

    def blocked(self, i: int, js: IntArray, could_help: str) -> str:
        """Why none of js may be matched with i: exclusions, reporting lines or languages."""
        who = self.who(i)
        if not np.isin(js, self.relations(i)).any():
            return f"the only {could_help} do not share a language with {who}"
        line = f"{who}'s reporting line (line manager or direct report)"
        if self.speaks_with(i, js).all():
            return f"all {could_help} are excluded (by {who} or by them) or in {line}"
        return f"all {could_help} are excluded, in {line}, or share no language with {who}"

    # Rules, each over many candidates at once --------------------------------------------------

    def within(self, i: int, band: int) -> IntArray:
        """Everyone else whose grade is within `band` of person i's."""
        grade = self.pop.grades[i]
        lo = int(np.searchsorted(self.sorted_grades, grade - band, side="left"))
        hi = int(np.searchsorted(self.sorted_grades, grade + band, side="right"))
        near: IntArray = self.by_grade[lo:hi]
        others: IntArray = near[near != i]
        return others

    def ahead_of(self, i: int, js: IntArray) -> IntArray:
        """Those of js who are ahead of person i in one of i's goals: v(j→i) > 0."""
        ahead = np.zeros(len(js), dtype=np.bool_)
        for skill in self.pop.goals[i]:
            ahead |= self.skill_levels[skill][js] > self.pop.levels[i, skill]
        found: IntArray = js[ahead]
        return found

    def helped_by(self, i: int, js: IntArray) -> IntArray:
        """Those of js whom person i is ahead of in one of their goals: v(i→j) > 0."""
        mine, helped = self.pop.levels[i], np.zeros(len(js), dtype=np.bool_)
        for skills, levels in zip(self.goal_skills, self.goal_levels, strict=True):
            helped |= mine[skills[js]] > levels[js]
        found: IntArray = js[helped]
        return found

    def allowed(self, i: int, js: IntArray) -> IntArray:
        """Those of js the hard rules allow with i (js never holds i): the same rules as
        `hard_rules_mask`, with i's few relations looked up once instead of per pair."""
        ok = self.speaks_with(i, js)
        related = self.relations(i)
        if len(related):
            ok &= ~np.isin(js, related)
        found: IntArray = js[ok]
        return found

    def speaks_with(self, i: int, js: IntArray) -> Mask:
        mine = self.pop.languages[i]
        if not mine.any():
            return np.ones(len(js), dtype=np.bool_)
        speaks_any, shares = np.zeros(len(js), dtype=np.bool_), np.zeros(len(js), dtype=np.bool_)
        for word, my_word in zip(self.language_words, mine, strict=True):
            theirs = word[js]
            speaks_any |= theirs != 0
            shares |= (theirs & my_word) != 0
        return ~speaks_any | shares

    def relations(self, i: int) -> IntArray:
        """Everyone i may never be matched with: exclusions either way, manager, direct reports."""
        found: IntArray = self.related[self.related_start[i] : self.related_start[i + 1]]
        return found


def _relations(pop: Population) -> tuple[IntArray, IntArray]:
    """The blocked pairs as adjacency lists: person i's partners are related[start[i]:start[i+1]]."""
    lo, hi = np.divmod(pop.blocked_keys, max(pop.size, 1))
    person, partner = np.concatenate([lo, hi]), np.concatenate([hi, lo])
    order = np.argsort(person, kind="stable")
    start = np.searchsorted(person[order], np.arange(pop.size + 1)).astype(np.int64)
    return start, partner[order]
