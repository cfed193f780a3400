"""Reads about people, skills and goals. Every query is scoped to one organisation."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from allauth.account.models import EmailAddress
from django.db.models import Prefetch, Q, QuerySet

from stepahead.accounts import Actor, signed_in
from stepahead.organisations.models import Membership, Organisation

from .models import SOURCE_TRUST, DevelopmentGoal, LevelSource, Person, Skill, SkillAlias, SkillLevel


def people_in(*, organisation: Organisation, active_only: bool = True) -> QuerySet[Person]:
    people = Person.objects.filter(organisation=organisation)
    return people.filter(is_active=True) if active_only else people


def person_by_hris_id(*, organisation: Organisation, hris_id: str) -> Person | None:
    return Person.objects.filter(organisation=organisation, hris_id=hris_id.strip()).first()


def person_for_user(*, organisation: Organisation, user: Actor) -> Person | None:
    """The directory entry linked to a login, if any (participants act through it)."""
    if not signed_in(user):
        return None
    return Person.objects.filter(organisation=organisation, user=user).first()


def self_enrolling_person(*, organisation: Organisation, user: Actor) -> Person | None:
    """The person a member joins programmes as: the one linked to their login, else an unlinked
    person whose email is one the login has *verified* (the link is made when they enrol). An
    address typed at sign-up or added later proves nothing until its owner confirms it."""
    linked = person_for_user(organisation=organisation, user=user)
    if linked is not None or not signed_in(user):
        return linked
    if not Membership.objects.filter(organisation=organisation, user=user).exists():
        return None
    verified = EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    theirs = Q(pk__in=[])  # matches nobody until a verified address is added
    for email in verified:
        theirs |= Q(email__iexact=email)
    return Person.objects.filter(organisation=organisation, user__isnull=True).filter(theirs).first()


def people_with_verified_email(*, user: Actor) -> QuerySet[Person]:
    """Unlinked directory entries, in any organisation, whose email is an address this login has
    *verified* (allauth's record): an address merely typed at sign-up proves nothing."""
    if not signed_in(user):
        return Person.objects.none()
    verified = EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    theirs = Q(pk__in=[])  # matches nobody until a verified address exists
    for email in verified:
        theirs |= Q(email__iexact=email)
    return Person.objects.filter(user__isnull=True, is_active=True).exclude(email="").filter(theirs)


def skills_in(*, organisation: Organisation) -> QuerySet[Skill]:
    return Skill.objects.filter(organisation=organisation).prefetch_related("aliases")


def skill_for_key(*, organisation: Organisation, key: str) -> Skill | None:
    """The skill a normalised label means, through its own key or an alias."""
    skill = Skill.objects.filter(organisation=organisation, key=key).first()
    if skill is not None:
        return skill
    alias = SkillAlias.objects.filter(organisation=organisation, key=key).select_related("skill").first()
    return alias.skill if alias else None


def with_skills_and_goals(people: QuerySet[Person]) -> QuerySet[Person]:
    """Prefetch what `effective_levels` and `goal_keys` read, for bulk use (e.g. matching)."""
    return people.prefetch_related(
        Prefetch("skill_levels", queryset=SkillLevel.objects.select_related("skill")),
        Prefetch("goals", queryset=DevelopmentGoal.objects.select_related("skill").order_by("priority")),
    )


def effective_levels(person: Person) -> dict[str, int]:
    """{skill key: level}, taking the most trusted source per skill (validated > manager > self)."""
    best: dict[str, tuple[int, int]] = {}
    for entry in person.skill_levels.all():
        trust = SOURCE_TRUST[LevelSource(entry.source)]
        if entry.skill.key not in best or trust > best[entry.skill.key][0]:
            best[entry.skill.key] = (trust, entry.level)
    return {key: level for key, (_, level) in best.items()}


def goal_keys(person: Person) -> list[str]:
    """The person's development goals as skill keys, most important first."""
    return [goal.skill.key for goal in sorted(person.goals.all(), key=lambda g: g.priority)]


def people_by_hris_ids(*, organisation: Organisation, hris_ids: Iterable[str]) -> dict[str, Person]:
    people = Person.objects.filter(organisation=organisation, hris_id__in=list(hris_ids))
    return {person.hris_id: person for person in people}


@dataclass(frozen=True, slots=True)
class PeopleFilter:
    """What HR narrows the directory by; empty fields do not filter."""

    query: str = ""
    function: str = ""
    grade: int | None = None
    location: str = ""
    programme: int | None = None  # people enrolled (active) in this programme


def people_filtered(*, organisation: Organisation, by: PeopleFilter) -> QuerySet[Person]:
    """The organisation's active people narrowed by `by`, in name order: one query for a page
    and one to count it, whatever the directory's size (indexes on each filtered column)."""
    people = people_in(organisation=organisation)
    if by.query:
        people = people.filter(
            Q(name__icontains=by.query)
            | Q(hris_id__iexact=by.query)
            | Q(email__icontains=by.query)
            | Q(function__icontains=by.query)
        )
    if by.function:
        people = people.filter(function=by.function)
    if by.grade is not None:
        people = people.filter(grade=by.grade)
    if by.location:
        people = people.filter(location=by.location)
    if by.programme is not None:  # by name: programmes depends on people, not the other way round
        people = people.filter(enrolments__programme_id=by.programme, enrolments__status="active")
    return people.order_by("name", "hris_id")


@dataclass(frozen=True, slots=True)
class DirectoryValues:
    """The distinct functions, grades and locations of an organisation, for filter menus."""

    functions: list[str]
    grades: list[int]
    locations: list[str]


def directory_values(*, organisation: Organisation) -> DirectoryValues:
    """One query: the distinct (function, grade, location) combinations are few even at 10k+."""
    rows = people_in(organisation=organisation).order_by().values_list("function", "grade", "location")
    functions, grades, locations = set(), set(), set()
    for function, grade, location in rows.distinct():
        functions.add(function)
        grades.add(grade)
        locations.add(location)
    return DirectoryValues(sorted(functions - {""}), sorted(grades), sorted(locations - {""}))


@dataclass(frozen=True, slots=True)
class SkillEntry:
    """One skill level as recorded: from which source, and whether matching uses it."""

    skill: str
    level: int
    source: str
    updated_at: datetime
    used: bool  # the most trusted source for this skill: what matching reads


def skill_entries(person: Person) -> list[SkillEntry]:
    """Every level recorded for the person, by skill, most trusted source first."""
    levels = list(person.skill_levels.select_related("skill"))
    used: dict[int, tuple[int, int]] = {}
    for entry in levels:
        trust = SOURCE_TRUST[LevelSource(entry.source)]
        if entry.skill_id not in used or trust > used[entry.skill_id][0]:
            used[entry.skill_id] = (trust, entry.pk)
    levels.sort(key=lambda e: (e.skill.name.lower(), -SOURCE_TRUST[LevelSource(e.source)]))
    return [
        SkillEntry(e.skill.name, e.level, e.get_source_display(), e.updated_at, used[e.skill_id][1] == e.pk)
        for e in levels
    ]


def goals_of(person: Person) -> list[str]:
    """The person's development goals by skill name, most important first."""
    return [goal.skill.name for goal in person.goals.select_related("skill").order_by("priority")]
