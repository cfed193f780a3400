"""Small builders for integration tests: real services where they exist, no fixtures magic."""

from __future__ import annotations

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from stepahead.organisations.models import Membership, Organisation, Role
from stepahead.organisations.services import create_organisation
from stepahead.people.models import LevelSource, Person
from stepahead.people.services import write_development_goals, write_person, write_skill_levels
from stepahead.programmes.models import Programme, Status
from stepahead.programmes.services import assign_programme_manager, create_programme, save_enrolment


@dataclass
class World:
    org: Organisation
    admin: object
    manager: object
    participant: object
    other_org: Organisation
    other_admin: object


def make_user(email: str):
    user = get_user_model().objects.create_user(username=email, email=email, password="x-password-123")
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)  # as after sign-up
    return user


def build_world() -> World:
    admin, other_admin = make_user("admin@acme.test"), make_user("admin@globex.test")
    org = create_organisation(name="Acme", slug="acme", admin_user=admin)
    other = create_organisation(name="Globex", slug="globex", admin_user=other_admin)
    manager, participant = make_user("manager@acme.test"), make_user("pat@acme.test")
    Membership.objects.create(organisation=org, user=manager, role=Role.PROGRAMME_MANAGER)
    Membership.objects.create(organisation=org, user=participant, role=Role.PARTICIPANT)
    return World(org, admin, manager, participant, other, other_admin)


def make_person(
    org: Organisation, hris_id: str, grade: int, *, skills=None, goals=(), user=None, **fields
) -> Person:
    person = write_person(
        organisation=org, hris_id=hris_id, fields={"grade": grade, "name": hris_id, **fields}
    )
    write_skill_levels(person=person, levels=skills or {}, source=LevelSource.SELF)
    write_development_goals(person=person, goals=goals)
    if user is not None:
        person.user = user
        person.save()
    return person


def make_programme(
    world: World, *, mode: str = "peer", status: str = Status.ENROLLING, **settings
) -> Programme:
    programme = create_programme(
        actor=world.admin, organisation=world.org, name=f"{mode} programme", mode=mode, **settings
    )
    assign_programme_manager(actor=world.admin, programme=programme, user=world.manager)
    Programme.objects.filter(pk=programme.pk).update(status=status)
    programme.refresh_from_db()
    return programme


# Two obvious reciprocal pairs: A↔B trade excel/sql, C↔D trade pitching/negotiation.
PEERS = {
    "A": ({"excel": 3, "sql": 1}, ["sql"]),
    "B": ({"sql": 3, "excel": 1}, ["excel"]),
    "C": ({"negotiation": 3, "pitching": 1}, ["pitching"]),
    "D": ({"pitching": 3, "negotiation": 1}, ["negotiation"]),
}


def enrol_peers(world: World, programme: Programme, names=("A", "B", "C", "D"), *, grade: int = 3) -> dict:
    enrolments = {}
    for name in names:
        skills, goals = PEERS[name]
        user = world.participant if name == "A" else None
        person = make_person(
            world.org, name, grade, skills=skills, goals=goals, user=user, email=f"{name}@acme.test"
        )
        enrolments[name] = save_enrolment(programme=programme, person=person)
    return enrolments
