"""Writes for the people directory and the skill taxonomy (the file import is in `importing`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import cast

from django.db import transaction
from django.utils import timezone

from stepahead.accounts import User
from stepahead.errors import DomainError
from stepahead.matching import normalise_label
from stepahead.organisations.models import Membership, Organisation, Role
from stepahead.organisations.policies import can_manage_people, require

from .models import (
    MAX_GOALS,
    MAX_LEVEL,
    DevelopmentGoal,
    LevelSource,
    MentorTraining,
    Person,
    Skill,
    SkillAlias,
    SkillLevel,
)
from .policies import OUT_OF_REACH, can_change_person
from .selectors import people_with_verified_email, person_for_user, skill_for_key

PERSON_FIELDS = ("name", "email", "function", "grade", "manager_hris_id", "location", "languages")


def _require_hr(actor: User, organisation: Organisation) -> None:
    require(can_manage_people(user=actor, organisation=organisation), "Only HR staff maintain people data.")


def resolve_skill(*, organisation: Organisation, label: str) -> Skill:
    """The skill a label means (own name or alias), creating it when the taxonomy lacks it.
    Internal helper for services; it writes, so call it inside their transactions."""
    key = normalise_label(label)
    if not key:
        raise DomainError("A skill needs a name.")
    skill = skill_for_key(organisation=organisation, key=key)
    if skill is None:
        skill = Skill.objects.create(organisation=organisation, name=" ".join(label.split()), key=key)
    return skill


def resolve_skills(*, organisation: Organisation, labels: Iterable[str]) -> dict[str, Skill]:
    """{label: skill} as `resolve_skill` gives it, for many labels in three queries: the taxonomy
    (skills and aliases) is read once and the missing skills are created together. The first
    label seen for a new key names the skill. Writes, so call it inside a transaction."""
    keys = {label: normalise_label(label) for label in labels}
    if not all(keys.values()):
        raise DomainError("A skill needs a name.")
    known = _taxonomy(organisation)
    missing: dict[str, Skill] = {}
    for label, key in keys.items():
        if key not in known and key not in missing:
            missing[key] = Skill(organisation=organisation, name=" ".join(label.split()), key=key)
    known.update(zip(missing, Skill.objects.bulk_create(missing.values()), strict=True))
    return {label: known[key] for label, key in keys.items()}


def _taxonomy(organisation: Organisation) -> dict[str, Skill]:
    """{key: skill} through skills' own keys and their aliases (own keys win, as in `skill_for_key`)."""
    skills = {skill.pk: skill for skill in Skill.objects.filter(organisation=organisation)}
    aliases = SkillAlias.objects.filter(organisation=organisation).values_list("key", "skill_id")
    known = {key: skills[skill_id] for key, skill_id in aliases}
    known.update((skill.key, skill) for skill in skills.values())
    return known


@transaction.atomic
def add_skill_alias(*, actor: User, skill: Skill, alias: str) -> SkillAlias:
    """Make `alias` another wording for `skill`, so "presenting" and "public speaking" are one."""
    _require_hr(actor, skill.organisation)
    key = normalise_label(alias)
    existing = skill_for_key(organisation=skill.organisation, key=key)
    if existing is not None and existing != skill:
        raise DomainError(f"'{alias}' already means the skill '{existing.name}'.")
    if not key or key == skill.key:
        raise DomainError("An alias must differ from the skill's own name.")
    alias_row, _ = SkillAlias.objects.get_or_create(organisation=skill.organisation, key=key, skill=skill)
    return alias_row


@transaction.atomic
def save_person(*, actor: User, organisation: Organisation, hris_id: str, **fields: object) -> Person:
    """Create or update a person by HRIS id (never duplicates). `fields` ⊆ PERSON_FIELDS;
    fields not given keep their current values."""
    _require_hr(actor, organisation)
    existing = Person.objects.filter(organisation=organisation, hris_id=hris_id.strip()).first()
    if existing is not None:
        require(can_change_person(user=actor, person=existing), OUT_OF_REACH.format(who=existing))
    return write_person(organisation=organisation, hris_id=hris_id, fields=fields)


def write_person(*, organisation: Organisation, hris_id: str, fields: Mapping[str, object]) -> Person:
    """Unchecked upsert shared by `save_person` and the file import (callers authorise)."""
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise ValueError(f"unknown person fields: {sorted(unknown)}")
    values = dict(fields)
    if "languages" in values:
        languages = cast("Iterable[str]", values["languages"])
        values["languages"] = sorted({normalise_label(x) for x in languages if x.strip()})
    person, created = Person.objects.get_or_create(
        organisation=organisation, hris_id=hris_id.strip(), defaults={"grade": 0, **values}
    )
    if not created and values:
        for name, value in values.items():
            setattr(person, name, value)
        person.is_active = True
        person.save()
    return person


@transaction.atomic
def set_skill_levels(
    *, actor: User, person: Person, levels: Mapping[str, int], source: LevelSource = LevelSource.SELF
) -> None:
    """Replace the person's levels from one source. A participant may set their own self
    assessment; HR staff may set any source."""
    _require_level_editor(actor, person, source)
    write_skill_levels(person=person, levels=levels, source=source)


def write_skill_levels(*, person: Person, levels: Mapping[str, int], source: LevelSource) -> None:
    resolved: dict[Skill, int] = {}
    for label, level in levels.items():
        if not 0 <= int(level) <= MAX_LEVEL:
            raise DomainError(f"Level {level} for {label} is outside 0–5.")
        skill = resolve_skill(organisation=person.organisation, label=label)
        resolved[skill] = max(resolved.get(skill, 0), int(level))  # two aliases: keep the higher
    SkillLevel.objects.filter(person=person, source=source).exclude(skill__in=list(resolved)).delete()
    for skill, level in resolved.items():
        SkillLevel.objects.update_or_create(
            person=person, skill=skill, source=source, defaults={"level": level}
        )


@transaction.atomic
def set_development_goals(*, actor: User, person: Person, goals: Iterable[str]) -> list[DevelopmentGoal]:
    """Replace the person's goals, in priority order (at most 3; repeats keep their first place)."""
    _require_level_editor(actor, person, LevelSource.SELF)
    return write_development_goals(person=person, goals=goals)


def write_development_goals(*, person: Person, goals: Iterable[str]) -> list[DevelopmentGoal]:
    skills = list(dict.fromkeys(resolve_skill(organisation=person.organisation, label=g) for g in goals))
    if len(skills) > MAX_GOALS:
        raise DomainError(f"At most {MAX_GOALS} development goals are allowed ({len(skills)} given).")
    DevelopmentGoal.objects.filter(person=person).delete()
    return [
        DevelopmentGoal.objects.create(person=person, skill=skill, priority=priority)
        for priority, skill in enumerate(skills, start=1)
    ]


@transaction.atomic
def link_person_to_user(*, actor: User, person: Person, user: User | None) -> Person:
    """Connect a directory entry to a login so the person can answer proposals themselves."""
    _require_hr(actor, person.organisation)
    require(can_change_person(user=actor, person=person), OUT_OF_REACH.format(who=person))
    person.user = user
    person.save(update_fields=["user", "updated_at"])
    return person


@transaction.atomic
def link_by_verified_email(*, user: User) -> list[Person]:
    """The one place a login becomes a directory entry by email (issue 11 bug 8): every unlinked
    person whose email this login has verified is linked to it (at most one per organisation),
    and the login joins that organisation as a participant, so the matches and invitations sent
    to that address open for them. Run on sign-in and when an address is confirmed."""
    linked = []
    for person in people_with_verified_email(user=user).select_for_update().order_by("pk"):
        if Person.objects.filter(organisation_id=person.organisation_id, user=user).exists():
            continue  # this login already is someone in that organisation
        person.user = user
        person.save(update_fields=["user", "updated_at"])
        Membership.objects.get_or_create(
            organisation_id=person.organisation_id, user=user, defaults={"role": Role.PARTICIPANT}
        )
        linked.append(person)
    return linked


def _require_level_editor(actor: User, person: Person, source: LevelSource) -> None:
    if can_manage_people(user=actor, organisation=person.organisation):
        return
    is_self = person_for_user(organisation=person.organisation, user=actor) == person
    require(is_self and source == LevelSource.SELF, "You may only edit your own self assessment.")


TRAINING_LIMITS = {"course": 200, "provider": 200, "level": 120, "accreditation": 120}  # the columns


@transaction.atomic
def record_mentor_training(
    *,
    actor: User,
    person: Person,
    course: str,
    provider: str,
    completed_on: dt.date,
    level: str = "",
    accreditation: str = "",
    today: dt.date | None = None,
) -> MentorTraining:
    """Add a mentor training or accreditation record (HR, or the person about themselves)."""
    _require_training_writer(actor, person)
    record = MentorTraining(person=person)
    _fill_training(record, course, provider, completed_on, level, accreditation, today)
    record.save()
    return record


@transaction.atomic
def update_mentor_training(
    *,
    actor: User,
    record: MentorTraining,
    course: str,
    provider: str,
    completed_on: dt.date,
    level: str = "",
    accreditation: str = "",
    today: dt.date | None = None,
) -> MentorTraining:
    """Correct a training record: same rules as adding one."""
    _require_training_writer(actor, record.person)
    _fill_training(record, course, provider, completed_on, level, accreditation, today)
    record.save()
    return record


@transaction.atomic
def remove_mentor_training(*, actor: User, record: MentorTraining) -> None:
    _require_training_writer(actor, record.person)
    record.delete()


def _require_training_writer(actor: User, person: Person) -> None:
    own = person_for_user(organisation=person.organisation, user=actor) == person
    require(own or can_manage_people(user=actor, organisation=person.organisation),
            "Only HR staff or the person themselves record training.")  # fmt: skip


def _fill_training(
    record: MentorTraining,
    course: str,
    provider: str,
    completed_on: dt.date,
    level: str,
    accreditation: str,
    today: dt.date | None,
) -> None:
    """Set the fields, refusing blanks, over-long text and dates in the future, naming the field."""
    values = {"course": course, "provider": provider, "level": level, "accreditation": accreditation}
    for name, value in values.items():
        limit = TRAINING_LIMITS[name]
        label = name.capitalize()
        if name in ("course", "provider") and not value.strip():
            raise DomainError(f"{label}: give the {name}'s name.")
        if len(value.strip()) > limit:
            raise DomainError(f"{label}: at most {limit} characters (you gave {len(value.strip())}).")
        setattr(record, name, value.strip())
    if completed_on > (today or timezone.localdate()):
        raise DomainError(
            f"Completed on: {completed_on:%d %b %Y} is in the future; record training once done."
        )
    record.completed_on = completed_on
