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


def agree(pair: Pair, *, cadence_days: int = 14, confirmed_by=None, at=None):
    """Agreement version 1, confirmed by `confirmed_by` members (default all); when everyone has
    confirmed, the partnership is active and its next session is due a cadence later."""
    from datetime import timedelta

    from stepahead.lifecycle.models import AgreementConfirmation, AgreementVersion

    now = at or timezone.now()
    version = AgreementVersion.objects.create(
        partnership=pair.partnership,
        number=1,
        cadence_days=cadence_days,
        session_minutes=60,
        channel="video",
        starts_on=now.date(),
        ends_on=(now + timedelta(days=180)).date(),
        created_at=now,
    )
    confirming = pair.members if confirmed_by is None else confirmed_by
    for member in confirming:
        AgreementConfirmation.objects.create(version=version, member=member, confirmed_at=now)
    if len(confirming) == len(pair.members):
        partnership = pair.partnership
        partnership.status = PartnershipStatus.ACTIVE
        partnership.activated_at = now
        partnership.next_session_due_at = now + timedelta(days=cadence_days)
        partnership.save()
    return version


def session(pair: Pair, starts_at, *, held: bool = False, minutes: int = 60):
    """A session scheduled at `starts_at`; `held` logs it an hour after it ends."""
    import uuid
    from datetime import timedelta

    from stepahead.lifecycle.models import Session, SessionStatus

    created = min(timezone.now(), starts_at)
    row = Session.objects.create(
        partnership=pair.partnership,
        uid=f"{uuid.uuid4()}@test",
        starts_at=starts_at,
        time_zone="Europe/London",
        minutes=minutes,
        status=SessionStatus.HELD if held else SessionStatus.SCHEDULED,
        created_at=created,
        updated_at=created,
        logged_at=starts_at + timedelta(minutes=minutes + 60) if held else None,
        logged_by=pair.members[0] if held else None,
    )
    if held:
        partnership = pair.partnership
        partnership.last_activity_at = row.logged_at
        cadence = partnership.agreement_versions.values_list("cadence_days", flat=True).first() or 14
        partnership.next_session_due_at = starts_at + timedelta(days=cadence)
        partnership.save()
    return row


def started(world: World, programme: Programme, tag: str, size: int = 2) -> Pair:
    """An active partnership whose first session was held and logged three hours ago."""
    from datetime import timedelta

    pair = accepted_partnership(world, programme, tag, size)
    agree(pair)
    session(pair, timezone.now() - timedelta(hours=3), held=True)
    return pair
