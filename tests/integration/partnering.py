"""Builders for partnerships past acceptance: real services all the way (approve, accept,
confirm), so tests of the lifecycle and of what builds on it start from honest states."""

from __future__ import annotations

from dataclasses import dataclass

from stepahead.lifecycle.services import confirm_agreement
from stepahead.matchruns.mapper import Draft
from stepahead.organisations.models import Membership, Role
from stepahead.partnerships.models import Partnership
from stepahead.partnerships.services import accept_partnership, approve_proposals, record_proposals
from stepahead.programmes.models import Programme, Status
from stepahead.programmes.services import save_enrolment
from tests.integration.factories import PEERS, World, make_person, make_programme, make_user


@dataclass
class Built:
    programme: Programme
    partnership: Partnership
    users: dict[str, object]  # member name → their login


def _member(world: World, programme: Programme, name: str, role: str = ""):
    skills, goals = PEERS.get(name, ({"excel": 2, "sql": 2}, ["sql"]))
    user = make_user(f"{name.lower()}@acme.test")
    person = make_person(world.org, name, 3, skills=skills, goals=goals, user=user, email=f"{name}@acme.test")
    Membership.objects.get_or_create(organisation=world.org, user=user, defaults={"role": Role.PARTICIPANT})
    return save_enrolment(programme=programme, person=person, **({"role": role} if role else {})), user


def approved(world: World, *, kind: str = "pair", names=("A", "B"), mode: str = "peer") -> Built:
    """A proposal approved by the manager, waiting for the members' answers."""
    programme = make_programme(world, mode=mode)
    roles = {
        "pair": ["peer"] * len(names),
        "circle": ["member"] * len(names),
        "mentoring": ["mentor", "mentee"],
    }
    enrolment_roles = {"mentor": "mentor", "mentee": "mentee"}
    members, users = [], {}
    for name, role in zip(names, roles[kind], strict=True):
        enrolment, user = _member(world, programme, name, enrolment_roles.get(role, ""))
        members.append((enrolment, role))
        users[name] = user
    Programme.objects.filter(pk=programme.pk).update(status=Status.MATCHING)
    programme.refresh_from_db()
    (partnership,) = record_proposals(
        programme=programme, match_run=None, drafts=[Draft(kind, tuple(members), 1.0, ("made by hand",))]
    )
    approve_proposals(actor=world.manager, programme=programme)
    partnership.refresh_from_db()
    return Built(programme, partnership, users)


def accepted(world: World, **kwargs) -> Built:
    """Everyone said yes: the agreement's first draft waits for confirmation."""
    built = approved(world, **kwargs)
    for user in built.users.values():
        accept_partnership(user=user, partnership=built.partnership)
    built.partnership.refresh_from_db()
    return built


def active(world: World, **kwargs) -> Built:
    """Everyone confirmed the agreement's first version."""
    built = accepted(world, **kwargs)
    for user in built.users.values():
        confirm_agreement(user=user, partnership=built.partnership, number=1)
    built.partnership.refresh_from_db()
    return built
