"""Two runs of one programme side by side, for HR choosing between them (what-if runs): the
figures, the parameters that differ, and who is matched with whom in each, by name.

A run's groups come from `MatchRun.groups`; runs made before runs kept them fall back to the
partnerships they proposed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from stepahead.partnerships.models import PartnershipMember
from stepahead.people.models import Person
from stepahead.people.selectors import people_by_hris_ids
from stepahead.programmes.models import Enrolment

from .models import MatchRun

type Member = tuple[int, str]  # (enrolment id, role)
SHOWN = 300  # rows of people and groups a page lists; the counts cover everyone


@dataclass(frozen=True, slots=True)
class Outcome:
    """One person's result in both runs, in words ("with Bob (peer)", "Unmatched: …")."""

    name: str
    before: str
    after: str


@dataclass(frozen=True, slots=True)
class RunSide:
    run: MatchRun
    groups: list[list[str]]  # each group's members as "Name (role)", first SHOWN groups
    cross_function: float | None  # share of groups whose members work in different functions


@dataclass(frozen=True, slots=True)
class RunComparison:
    placed: tuple[int, int]
    total_score: tuple[float, float]
    newly_placed: list[str]  # names, placed only in the second run
    newly_unmatched: list[str]  # names, unmatched only in the second run
    parameters_changed: list[str]
    sides: tuple[RunSide, RunSide]
    differences: list[Outcome]  # people whose outcome differs, first SHOWN
    differing: int
    same: int


def compare_runs(*, before: MatchRun, after: MatchRun) -> RunComparison:
    """Headline figures and, person by person, what differs between two runs of a programme."""
    if before.programme_id != after.programme_id:
        raise ValueError("only runs of the same programme can be compared")
    groups = (_groups_of(before), _groups_of(after))
    unmatched = (_unmatched_of(before), _unmatched_of(after))
    directory = _directory(before, groups, unmatched)
    outcomes = [_outcomes(g, u, directory) for g, u in zip(groups, unmatched, strict=True)]
    everyone = sorted(set(outcomes[0]) | set(outcomes[1]), key=lambda key: directory.name(key).lower())
    waiting = "Not in this run (already matched, or joined later)"
    differing = [
        Outcome(directory.name(k), outcomes[0].get(k, waiting), outcomes[1].get(k, waiting))
        for k in everyone
        if outcomes[0].get(k, waiting) != outcomes[1].get(k, waiting)
    ]
    return RunComparison(
        placed=((before.people_placed or 0), (after.people_placed or 0)),
        total_score=((before.total_score or 0.0), (after.total_score or 0.0)),
        newly_placed=sorted(map(directory.name, unmatched[0].keys() - unmatched[1].keys())),
        newly_unmatched=sorted(map(directory.name, unmatched[1].keys() - unmatched[0].keys())),
        parameters_changed=sorted(
            k
            for k in set(before.parameters) | set(after.parameters)
            if before.parameters.get(k) != after.parameters.get(k)
        ),
        sides=(_side(before, groups[0], directory), _side(after, groups[1], directory)),
        differences=differing[:SHOWN],
        differing=len(differing),
        same=len(everyone) - len(differing),
    )


class _Who:
    """A person as the comparison shows them."""

    __slots__ = ("function", "name")

    def __init__(self, name: str, function: str) -> None:
        self.name, self.function = name, function


@dataclass(frozen=True, slots=True)
class _Directory:
    """Everyone either run names: by HRIS id (the engine's id, used by unmatched lists) and the
    HRIS id of each enrolment in a group, so one person has one key in both runs."""

    people: dict[str, _Who]
    hris_of: dict[int, str]

    def key(self, enrolment: int) -> str:
        return self.hris_of.get(enrolment, f"enrolment {enrolment}")

    def name(self, key: str) -> str:
        who = self.people.get(key)
        return who.name if who else key


def _groups_of(run: MatchRun) -> list[list[Member]]:
    if run.groups or not run.summary.get("groups"):
        return [[(int(pk), str(role)) for pk, role in group["members"]] for group in run.groups]
    rows = PartnershipMember.objects.filter(partnership__match_run=run).values_list(
        "partnership_id", "enrolment_id", "role"
    )
    found: dict[int, list[Member]] = {}
    for partnership, enrolment, role in rows.order_by("partnership_id", "pk"):
        found.setdefault(partnership, []).append((enrolment, role))
    return list(found.values())


def _unmatched_of(run: MatchRun) -> dict[str, str]:
    return {u["id"]: u["reason"] for u in (run.summary or {}).get("unmatched", [])}


def _directory(
    run: MatchRun, groups: Sequence[list[list[Member]]], unmatched: Sequence[dict[str, str]]
) -> _Directory:
    """Everyone named in either run, in two queries whatever the size."""
    ids = {pk for side in groups for group in side for pk, _ in group}
    enrolments = (
        Enrolment.objects.filter(programme_id=run.programme_id, pk__in=ids)
        .select_related("person")
        .only("pk", "person__name", "person__hris_id", "person__function")
    )
    people: dict[str, _Who] = {}
    hris_of: dict[int, str] = {}
    for enrolment in enrolments:
        hris_of[enrolment.pk] = enrolment.person.hris_id
        people[enrolment.person.hris_id] = _who(enrolment.person)
    left_out = {hris_id for side in unmatched for hris_id in side} - set(people)
    for hris_id, person in people_by_hris_ids(organisation=run.organisation, hris_ids=left_out).items():
        people[hris_id] = _who(person)
    return _Directory(people, hris_of)


def _who(person: Person) -> _Who:
    return _Who(person.display_name, person.function)


def _outcomes(groups: list[list[Member]], unmatched: dict[str, str], directory: _Directory) -> dict[str, str]:
    """Each person's result in one run, in words, keyed by HRIS id."""
    found: dict[str, str] = {}
    for group in groups:
        for pk, role in group:
            others = ", ".join(directory.name(directory.key(o)) for o, _ in group if o != pk)
            found[directory.key(pk)] = f"{_ROLE_WORDS.get(role, 'With')} {others}"
    for hris_id, reason in unmatched.items():
        found[hris_id] = f"Unmatched: {reason}"
    return found


_ROLE_WORDS = {"mentor": "Mentors", "mentee": "Mentored by", "member": "In a circle with"}


def _side(run: MatchRun, groups: list[list[Member]], directory: _Directory) -> RunSide:
    named = [
        [f"{directory.name(directory.key(pk))} ({role})" for pk, role in group] for group in groups[:SHOWN]
    ]
    functions = [
        {who.function for pk, _ in group if (who := directory.people.get(directory.key(pk)))}
        for group in groups
    ]
    crossing = sum(1 for f in functions if len(f) > 1)
    return RunSide(run, named, crossing / len(groups) if groups else None)
