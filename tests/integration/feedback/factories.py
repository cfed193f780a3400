"""Accepted partnerships whose members can sign in, for feedback, nudge and concern tests."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from stepahead.organisations.models import Membership, Role
from stepahead.partnerships.models import Partnership, PartnershipMember, PartnershipStatus, Response
from stepahead.programmes.models import Programme
from stepahead.programmes.services import save_enrolment
from tests.integration.factories import World, make_person, make_user


@dataclass
class Pair:
    partnership: Partnership
    users: list  # one login per member, in member order
    members: list[PartnershipMember]


def accepted_partnership(world: World, programme: Programme, tag: str, size: int = 2) -> Pair:
    """An accepted peer pair (or circle, size > 2) of fresh people who each have a login."""
    kind = "pair" if size == 2 else "circle"
    partnership = Partnership.objects.create(
        organisation=world.org,
        programme=programme,
        kind=kind,
        status=PartnershipStatus.ACCEPTED,
        decided_at=timezone.now(),
    )
    users, members = [], []
    for n in range(size):
        email = f"{tag}{n}@acme.test"
        user = make_user(email)
        Membership.objects.create(organisation=world.org, user=user, role=Role.PARTICIPANT)
        person = make_person(world.org, f"{tag}{n}", 3, user=user, email=email)
        enrolment = save_enrolment(programme=programme, person=person)
        role = "peer" if size == 2 else "member"
        members.append(
            PartnershipMember.objects.create(
                partnership=partnership, enrolment=enrolment, role=role, response=Response.ACCEPTED
            )
        )
        users.append(user)
    return Pair(partnership, users, members)
