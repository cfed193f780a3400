"""The only bridge between the database and the pure engine (`stepahead.matching`).

DB rows → `Participant` (ids are HRIS ids, unique within an organisation), programme →
`MatchParams`, `MatchResult` → `Draft` proposals, and the engine's own scoring for manual edits.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypedDict

from django.db.models import Prefetch

from stepahead import matching
from stepahead.errors import DomainError
from stepahead.matching import MatchParams, MatchResult, Mode, Participant, Profile, Progress
from stepahead.people.models import DevelopmentGoal, Person, SkillLevel
from stepahead.people.selectors import effective_levels, goal_keys
from stepahead.programmes.models import Enrolment, Programme

PAIR, MENTORING, CIRCLE = "pair", "mentoring", "circle"  # = partnerships.models.Kind values


class IneligibleGroupError(DomainError):
    """A manual edit would break a hard rule or a mode's eligibility rule."""


@dataclass(frozen=True, slots=True)
class Draft:
    """A proposal as the engine made it: members with their partnership roles, score, reasons."""

    kind: str
    members: tuple[tuple[Enrolment, str], ...]
    score: float
    reasons: tuple[str, ...]


def params_for(programme: Programme, *, seed: int = 0) -> MatchParams:
    return MatchParams(
        mode=Mode(programme.mode),
        band=programme.band,
        profile=Profile(programme.profile),
        circle_size=programme.circle_size,
        circle_band=programme.circle_band,
        cross_function_bonus=programme.cross_function_bonus,
        wish_bonus=programme.wish_bonus,
        spread=programme.spread,
        seed=seed,
    )


def parameters_for(programme: Programme, *, seed: int = 0, **changes: object) -> dict[str, object]:
    """What a run stores as its parameters: the programme's (with `changes` for a what-if run) as
    plain JSON, the time limit included. `params_from` turns it back into the engine's."""
    params = dataclasses.asdict(params_for(programme, seed=seed))
    stored = {k: str(v) if k in ("mode", "profile") else v for k, v in params.items()}
    stored["time_limit"] = programme.time_limit
    unknown = set(changes) - set(stored)
    if unknown:
        raise ValueError(f"not a matching parameter: {', '.join(sorted(unknown))}")
    return {**stored, **changes}


def params_from(parameters: Mapping[str, Any]) -> MatchParams:
    """The engine's parameters from a run's stored ones (the time limit is the run's, not the
    engine's); a parameter an older run did not store takes the spec default."""
    fields = {f.name for f in dataclasses.fields(MatchParams)}
    values = {k: v for k, v in parameters.items() if k in fields}
    values["mode"] = Mode(str(values["mode"]))
    values["profile"] = Profile(str(values.get("profile", Profile.ONE_STEP)))
    return MatchParams(**values)


def load_enrolments(ids: Sequence[int]) -> dict[int, Enrolment]:
    """Enrolments with everything `participant_for` reads, in a fixed number of queries."""
    people = Person.objects.prefetch_related(
        Prefetch("skill_levels", queryset=SkillLevel.objects.select_related("skill")),
        Prefetch("goals", queryset=DevelopmentGoal.objects.select_related("skill")),
    )
    enrolments = (
        Enrolment.objects.filter(pk__in=list(ids))
        .select_related("programme")
        .prefetch_related(Prefetch("person", queryset=people), "prefer", "avoid")
    )
    return {e.pk: e for e in enrolments}


def participant_for(
    enrolment: Enrolment, *, role: str | None = None, capacity: int | None = None
) -> Participant:
    """One enrolment as the engine sees it. Enrolment overrides win over the directory;
    `role`/`capacity` let the pool narrow them (e.g. a mentor's spare capacity in a re-run)."""
    person, programme = enrolment.person, enrolment.programme
    skills = {**effective_levels(person), **enrolment.skills}
    role = enrolment.role if role is None else role
    if capacity is None:
        capacity = programme.default_capacity if enrolment.capacity is None else enrolment.capacity
    return Participant.build(
        person.hris_id,
        person.grade,
        name=person.name,
        email=person.email,
        function=person.function,
        manager_id=person.manager_hris_id,
        skills=skills,
        goals=list(enrolment.goals or goal_keys(person)),
        languages=list(enrolment.languages or person.languages),
        exclude={p.hris_id for p in enrolment.avoid.all()},
        prefer={p.hris_id for p in enrolment.prefer.all()},
        role=role or None,
        capacity=capacity,
    )


def run_engine(
    participants: Sequence[Participant],
    params: MatchParams,
    progress: Progress,
    stop: Callable[[], bool] | None = None,
) -> MatchResult:
    """Call the engine through the module attribute, so tests can substitute it."""
    return matching.match(participants, params, progress=progress, stop=stop)


def drafts_from(result: MatchResult, by_hris_id: dict[str, Enrolment]) -> list[Draft]:
    """The engine's groups as proposals, with members resolved back to enrolments."""
    drafts = [
        Draft(PAIR, ((by_hris_id[p.a], "peer"), (by_hris_id[p.b], "peer")), p.score, tuple(p.reasons))
        for p in result.pairs
    ]
    drafts += [
        Draft(
            MENTORING,
            ((by_hris_id[m.mentor], "mentor"), (by_hris_id[m.mentee], "mentee")),
            m.score,
            tuple(m.reasons),
        )
        for m in result.matches
    ]
    drafts += [
        Draft(CIRCLE, tuple((by_hris_id[i], "member") for i in c.members), c.score, tuple(c.reasons))
        for c in result.circles
    ]
    return drafts


class StoredGroup(TypedDict):
    kind: str
    score: float
    reasons: list[str]
    members: list[tuple[int, str]]  # (enrolment id, role); JSON gives them back as lists


def groups_of(drafts: Sequence[Draft]) -> list[StoredGroup]:
    """Drafts as a run stores them (`MatchRun.groups`): plain JSON with enrolment ids."""
    return [
        {
            "kind": d.kind,
            "score": round(d.score, 4),
            "reasons": list(d.reasons),
            "members": [(enrolment.pk, role) for enrolment, role in d.members],
        }
        for d in drafts
    ]


def drafts_of(groups: Sequence[StoredGroup], enrolments: dict[int, Enrolment]) -> list[Draft]:
    """A run's stored groups back as drafts; groups naming an enrolment not in `enrolments`
    (withdrawn since) are left out."""
    drafts = []
    for group in groups:
        if all(pk in enrolments for pk, _ in group["members"]):
            members = tuple((enrolments[pk], role) for pk, role in group["members"])
            drafts.append(Draft(group["kind"], members, group["score"], tuple(group["reasons"])))
    return drafts


def summary_of(result: MatchResult) -> dict[str, object]:
    """What a MatchRun keeps of a result, so runs can be audited and compared later."""
    optimality = result.optimality
    return {
        "mode": str(result.mode),
        "participants": result.participants,
        "placed": result.placed,
        # the spec's `placed` counts mentees in mentoring modes; pages show everyone in a match
        "people_placed": len(
            {p for pair in result.pairs for p in (pair.a, pair.b)}
            | {p for m in result.matches for p in (m.mentor, m.mentee)}
            | {p for circle in result.circles for p in circle.members}
        ),
        "total_score": round(result.total_score, 4),
        "objective": round(result.objective, 4),
        "engine_seconds": round(result.seconds, 3),
        "groups": len(result.pairs) + len(result.matches) + len(result.circles),
        "unmatched": [{"id": u.id, "reason": u.reason} for u in result.unmatched],
        "idle_mentors": [{"id": u.id, "reason": u.reason} for u in result.idle_mentors],
        "mentor_load": None if result.mentor_load is None else dataclasses.asdict(result.mentor_load),
        "optimality": None
        if optimality is None
        else {
            "proven": optimality.proven,
            "upper_bound": optimality.upper_bound,
            "gap": optimality.gap,
            "method": optimality.method,
        },
    }


@dataclass(frozen=True, slots=True)
class GroupScore:
    """A manually made group as the engine scores and words it."""

    score: float
    reasons: tuple[str, ...]


def score_group(programme: Programme, kind: str, members: Sequence[tuple[Enrolment, str]]) -> GroupScore:
    """The spec score and the engine's reasons for a group a manager assembled (worded exactly as a
    run words its own), or IneligibleGroupError saying which rule fails."""
    params = params_for(programme)
    people = [participant_for(e) for e, _ in members]
    for at, a in enumerate(people):
        for b in people[at + 1 :]:
            if not matching.hard_rules_allow(a, b):
                raise IneligibleGroupError(_hard_rule_reason(a, b))
    if kind == CIRCLE:
        if not matching.circle_is_valid(people, params):
            raise IneligibleGroupError(_circle_reason(people, params))
    elif kind == MENTORING:
        if members[0][1] != "mentor":
            people.reverse()
        if matching.mentoring_weight(people[0], people[1], params) is None:
            raise IneligibleGroupError(_mentoring_reason(people[0], people[1], params))
    elif matching.peer_weight(people[0], people[1], params) is None:
        raise IneligibleGroupError(_peer_reason(people[0], people[1], params))
    explained = matching.explain_group(people, params)
    return GroupScore(round(explained.score, 4), tuple(explained.reasons))


def _label(p: Participant) -> str:
    return p.name or p.id


def _hard_rule_reason(a: Participant, b: Participant) -> str:
    if a.manager_id == b.id or b.manager_id == a.id:
        return f"{_label(a)} and {_label(b)} cannot be matched: one is the other's line manager."
    if b.id in a.exclude or a.id in b.exclude:
        return f"{_label(a)} and {_label(b)} cannot be matched: one asked not to be matched with the other."
    if a.id == b.id:
        return f"{_label(a)} cannot be matched with themself."
    return f"{_label(a)} and {_label(b)} cannot be matched: they share no language."


def _peer_reason(a: Participant, b: Participant, params: MatchParams) -> str:
    if abs(a.grade - b.grade) > params.band:
        grades = "grade" if params.band == 1 else "grades"
        return f"{_label(a)} and {_label(b)} are more than {params.band} {grades} apart."
    return (
        f"{_label(a)} and {_label(b)} are not a reciprocal pair: each must be ahead of the other "
        "in one of the other's goals."
    )


def _mentoring_reason(mentor: Participant, mentee: Participant, params: MatchParams) -> str:
    if params.mode is Mode.TRADITIONAL and mentor.grade <= mentee.grade:
        return f"In traditional mentoring {_label(mentor)} must be more senior than {_label(mentee)}."
    if params.mode is Mode.REVERSE and mentor.grade >= mentee.grade:
        return f"In reverse mentoring {_label(mentor)} must be more junior than {_label(mentee)}."
    return f"{_label(mentor)} is not ahead of {_label(mentee)} in any of {_label(mentee)}'s goals."


def _circle_reason(people: list[Participant], params: MatchParams) -> str:
    if not 3 <= len(people) <= 5:
        return "A circle needs 3 to 5 members."
    grades = [p.grade for p in people]
    if max(grades) - min(grades) > params.circle_band:
        return f"The circle's grades spread more than {params.circle_band}."
    return "In a circle everyone must both give (be ahead in someone's goal) and receive."
