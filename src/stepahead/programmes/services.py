"""Writes for programmes: set-up, status workflow, managers, invitations and enrolments."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypedDict, Unpack

from django.db import transaction

from stepahead.accounts import User
from stepahead.errors import DomainError, PermissionDenied, TransitionError
from stepahead.matching import normalise_label
from stepahead.organisations.models import Organisation, Role
from stepahead.organisations.policies import can_create_programme, is_org_admin, require, role_in
from stepahead.people.models import MAX_GOALS, MAX_LEVEL, Person
from stepahead.people.selectors import self_enrolling_person, skill_for_key

from .models import (
    MENTORING_MODES,
    TRANSITIONS,
    Enrolment,
    EnrolmentAction,
    EnrolmentEvent,
    EnrolmentRole,
    EnrolmentStatus,
    Programme,
    ProgrammeManager,
    Status,
)
from .policies import can_edit_enrolment, can_manage_programme, can_withdraw_enrolment
from .suggestions import record_suggestions

# What a manager may set on a programme, in the order forms show it.
PROGRAMME_SETTINGS = (
    "name",
    "description",
    "purpose",
    "objectives",
    "mode",
    "starts_on",
    "ends_on",
    "band",
    "profile",
    "circle_size",
    "circle_band",
    "cross_function_bonus",
    "wish_bonus",
    "spread",
    "time_limit",
    "self_enrolment",
    "default_capacity",
    "max_capacity",
)
SETTING_FIELDS = frozenset(PROGRAMME_SETTINGS)
# Everything else (mode, parameters, capacities, self-enrolment) is fixed once matching starts.
ALWAYS_EDITABLE = frozenset(
    {"name", "description", "purpose", "objectives", "starts_on", "ends_on", "time_limit"}
)
FIXED_AT_MATCHING = tuple(name for name in PROGRAMME_SETTINGS if name not in ALWAYS_EDITABLE)


class EnrolmentChoices(TypedDict, total=False):
    """What a participant (or a manager for them) chooses on enrolling; see `save_enrolment`."""

    role: str
    capacity: int | None
    skills: Mapping[str, int] | None
    goals: Iterable[str] | None
    languages: Iterable[str] | None
    prefer: Iterable[Person]
    avoid: Iterable[Person]


def require_manager(actor: User, programme: Programme) -> None:
    require(
        can_manage_programme(user=actor, programme=programme), "Only this programme's managers may do that."
    )


@transaction.atomic
def create_programme(*, actor: User, organisation: Organisation, name: str, **settings_: object) -> Programme:
    """A new programme in draft; a programme manager who creates it is assigned to it."""
    require(can_create_programme(user=actor, organisation=organisation), "Only HR staff create programmes.")
    _check_setting_names(settings_)
    programme = Programme(organisation=organisation, name=name.strip(), created_by=actor, **settings_)
    programme.full_clean()
    programme.save()
    if role_in(user=actor, organisation=organisation) == Role.PROGRAMME_MANAGER:
        ProgrammeManager.objects.create(programme=programme, user=actor)
    return programme


@transaction.atomic
def update_programme_settings(*, actor: User, programme: Programme, **changes: object) -> Programme:
    """Change name, dates or matching parameters; mode and parameters freeze once matching starts."""
    require_manager(actor, programme)
    _check_setting_names(changes)
    frozen = set(changes) - ALWAYS_EDITABLE
    if frozen and not programme.settings_open:
        raise DomainError("Matching settings cannot change once matching has started.")
    for name, value in changes.items():
        setattr(programme, name, value)
    programme.full_clean()
    programme.save()
    return programme


@transaction.atomic
def assign_programme_manager(*, actor: User, programme: Programme, user: User) -> ProgrammeManager:
    """Org admins give a programme manager (organisation role) charge of this programme."""
    require(
        is_org_admin(user=actor, organisation=programme.organisation),
        "Only organisation admins assign managers.",
    )
    if role_in(user=user, organisation=programme.organisation) not in (
        Role.ORG_ADMIN,
        Role.PROGRAMME_MANAGER,
    ):
        raise DomainError("Only members with the programme manager role can manage a programme.")
    assignment, _ = ProgrammeManager.objects.get_or_create(programme=programme, user=user)
    return assignment


@transaction.atomic
def change_programme_status(*, actor: User, programme: Programme, to: Status | str) -> Programme:
    """Move along draft → enrolling → matching → running → closed (closing allowed any time)."""
    require_manager(actor, programme)
    return transition_programme(programme=programme, to=Status(to))


def transition_programme(*, programme: Programme, to: Status) -> Programme:
    """Unchecked-actor transition for other services (e.g. starting a match run); rules still apply."""
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    if to not in TRANSITIONS[programme.status]:
        raise TransitionError(
            f"A {programme.get_status_display().lower()} programme cannot become {to.label.lower()}."
        )
    if to == Status.MATCHING and not programme.enrolments.filter(status=EnrolmentStatus.ACTIVE).exists():
        raise DomainError("Nobody is enrolled yet, so there is nobody to match.")
    programme.status = to
    programme.save(update_fields=["status", "updated_at"])
    return programme


@transaction.atomic
def reopen_enrolment(*, actor: User, programme: Programme, reopen: bool = True) -> Programme:
    """Let late joiners enrol after matching started (or stop them again). Their next run
    matches them without touching approved or accepted partnerships."""
    require_manager(actor, programme)
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    if programme.status not in (Status.MATCHING, Status.RUNNING):
        raise DomainError("Late enrolment is for programmes where matching has already started.")
    programme.late_enrolment = reopen
    programme.save(update_fields=["late_enrolment", "updated_at"])
    return programme


@transaction.atomic
def enrol_self(*, user: User, programme: Programme, **choices: Unpack[EnrolmentChoices]) -> Enrolment:
    """A member joins a programme open to self-enrolment, without an invitation. Their login
    must be linked to a person in the directory (or an unlinked person with their email, which
    this links). `choices` are `enrol_participant`'s options."""
    if not programme.open_to_join:
        raise DomainError(f"{programme.name} is not open for you to join.")
    person = self_enrolling_person(user=user, organisation=programme.organisation)
    if person is None:
        raise PermissionDenied(
            "Your login is not linked to an entry in the people directory; ask your HR team."
        )
    if person.user is None:
        person.user = user
        person.save(update_fields=["user", "updated_at"])
    enrolment = save_enrolment(programme=programme, person=person, **choices)
    return _audited(enrolment, EnrolmentAction.ENROLLED, user)


@transaction.atomic
def enrol_participant(
    *, actor: User, programme: Programme, person: Person, **choices: Unpack[EnrolmentChoices]
) -> Enrolment:
    """Enrol a person (managers, on their behalf; again after a withdrawal) or update an
    enrolment (managers or the person themself), while enrolment is open; audited. Options:
    role, capacity, skills {label: level}, goals [labels], languages [labels], prefer, avoid."""
    existing = programme.enrolments.filter(person=person).first()
    if existing is not None:
        require(
            can_edit_enrolment(user=actor, enrolment=existing), "This enrolment can no longer be changed."
        )
    else:
        require_manager(actor, programme)
    editing = existing is not None and existing.status == EnrolmentStatus.ACTIVE
    enrolment = save_enrolment(programme=programme, person=person, **choices)
    return _audited(enrolment, EnrolmentAction.EDITED if editing else EnrolmentAction.ENROLLED, actor)


@transaction.atomic
def withdraw_enrolment(*, actor: User, enrolment: Enrolment) -> Enrolment:
    """Record a withdrawal (never a delete). `partnerships.withdrawal` first settles the
    person's proposals and partnerships; call that, not this, from pages."""
    require(
        can_withdraw_enrolment(user=actor, enrolment=enrolment), "This enrolment can no longer be changed."
    )
    enrolment.status = EnrolmentStatus.WITHDRAWN
    enrolment.save(update_fields=["status", "updated_at"])
    return _audited(enrolment, EnrolmentAction.WITHDRAWN, actor)


def _audited(enrolment: Enrolment, action: EnrolmentAction, actor: User) -> Enrolment:
    on_behalf = enrolment.person.user_id != actor.pk
    EnrolmentEvent.objects.create(enrolment=enrolment, action=action, actor=actor, on_behalf=on_behalf)
    return enrolment


def save_enrolment(
    *,
    programme: Programme,
    person: Person,
    role: str = "",
    capacity: int | None = None,
    skills: Mapping[str, int] | None = None,
    goals: Iterable[str] | None = None,
    languages: Iterable[str] | None = None,
    prefer: Iterable[Person] = (),
    avoid: Iterable[Person] = (),
) -> Enrolment:
    """Validated create-or-update of an enrolment (callers authorise)."""
    _require_same_org(programme, person)
    if not programme.enrolment_open:
        raise DomainError("Enrolment is closed: matching has started.")
    _check_role(programme, role, capacity)
    skill_keys, new_skills = _skill_keys(programme, skills or {})
    goal_keys, new_goals = _goal_keys(programme, goals or ())
    enrolment, _ = Enrolment.objects.update_or_create(
        programme=programme,
        person=person,
        defaults={
            "role": role,
            "capacity": capacity,
            "status": EnrolmentStatus.ACTIVE,
            "skills": skill_keys,
            "goals": goal_keys,
            "languages": sorted({" ".join(x.split()).lower() for x in languages or () if x.strip()}),
        },
    )
    enrolment.prefer.set(_others(programme, person, prefer))
    enrolment.avoid.set(_others(programme, person, avoid))
    # Names the organisation's list lacks wait for HR (programmes.suggestions), not refused.
    record_suggestions(enrolment=enrolment, skills=new_skills, goals=new_goals)
    return enrolment


def _check_role(programme: Programme, role: str, capacity: int | None) -> None:
    if programme.mode in MENTORING_MODES and role not in EnrolmentRole.values:
        raise DomainError("Choose whether you join as mentor, mentee or both.")
    if role and role not in EnrolmentRole.values:
        raise DomainError(f"'{role}' is not a role (mentor, mentee or both).")
    if capacity is not None and not 0 <= capacity <= programme.max_capacity:
        raise DomainError(f"Capacity must be between 0 and {programme.max_capacity}.")


def _skill_keys(programme: Programme, skills: Mapping[str, int]) -> tuple[dict[str, int], dict[str, int]]:
    """({skill key: level} for names in the organisation's list, {unknown name: level})."""
    for label, level in skills.items():
        if not 0 <= int(level) <= MAX_LEVEL:
            raise DomainError(f"Level {level} for {label} is outside 0–5.")
    known = _known_skills(programme, list(skills))
    keys: dict[str, int] = {}
    for label, level in skills.items():
        if label in known:
            keys[known[label]] = max(keys.get(known[label], 0), int(level))
    return keys, {label: int(level) for label, level in skills.items() if label not in known}


def _goal_keys(programme: Programme, goals: Iterable[str]) -> tuple[list[str], list[str]]:
    """(goal keys for names in the list, unknown names); at most MAX_GOALS of both together."""
    labels = list(goals)
    known = _known_skills(programme, labels)
    keys = list(dict.fromkeys(known[label] for label in labels if label in known))
    new = list(dict.fromkeys(label for label in labels if label not in known))
    if len(keys) + len(new) > MAX_GOALS:
        raise DomainError(f"At most {MAX_GOALS} goals are allowed ({len(keys) + len(new)} given).")
    return keys, new


def _known_skills(programme: Programme, labels: list[str]) -> dict[str, str]:
    """{label: skill key} for the labels the organisation's skills and aliases know. An
    enrolment never adds a skill to the organisation's list (issue 10 item 9): the others
    become suggestions HR decides on."""
    organisation = programme.organisation
    found = {label: skill_for_key(organisation=organisation, key=normalise_label(label)) for label in labels}
    if any(not normalise_label(label) for label in labels):
        raise DomainError("A skill needs a name.")
    return {label: skill.key for label, skill in found.items() if skill is not None}


def _others(programme: Programme, person: Person, people: Iterable[Person]) -> list[Person]:
    chosen = list(people)
    for other in chosen:
        _require_same_org(programme, other)
        if other == person:
            raise DomainError("You cannot list yourself as a preference or someone to avoid.")
    return chosen


def _require_same_org(programme: Programme, person: Person) -> None:
    # Defence in depth: a forged id from another tenant must never link records across tenants.
    require(person.organisation_id == programme.organisation_id, "That person is not in this organisation.")


def _check_setting_names(values: Mapping[str, object]) -> None:
    unknown = set(values) - SETTING_FIELDS
    if unknown:
        raise ValueError(f"unknown programme settings: {sorted(unknown)}")
