"""Invitations to enrol: HR invites people (an email with a personal link, or a link to pass on
by hand), and the invited person accepts by enrolling. Split from services.py (module size);
writes stay keyword-only and transactional like every service."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Unpack

from django.db import transaction
from django.utils import timezone

from stepahead.accounts import User
from stepahead.errors import DomainError
from stepahead.mail.links import absolute_url
from stepahead.mail.services import queue_email
from stepahead.organisations.models import Membership, Role
from stepahead.organisations.policies import require
from stepahead.people.models import Person

from .models import Enrolment, EnrolmentAction, Invitation, InvitationStatus, Programme
from .policies import invitation_is_for
from .services import EnrolmentChoices, _audited, _require_same_org, require_manager, save_enrolment


@dataclass(frozen=True, slots=True)
class InvitationReport:
    """What inviting did, person by person, so HR is never told "11 sent" when 6 got nothing."""

    emailed: list[Invitation] = field(default_factory=list)
    not_reached: list[tuple[Invitation, str]] = field(default_factory=list)  # (invitation, why)
    already_invited: list[Invitation] = field(default_factory=list)
    already_enrolled: list[Person] = field(default_factory=list)

    @property
    def invitations(self) -> list[Invitation]:
        return [*self.emailed, *(i for i, _ in self.not_reached), *self.already_invited]


NO_EMAIL = "no email address in the people directory"


@transaction.atomic
def send_invitations(*, actor: User, programme: Programme, people: Iterable[Person]) -> InvitationReport:
    """Invite people to enrol: an email with a personal link to those with an address; those
    without one are reported with their invitation, whose link HR can pass on by hand. People
    already enrolled, or already invited, get nothing new."""
    require_manager(actor, programme)
    if not programme.enrolment_open:
        raise DomainError(
            "Invitations can only be sent while enrolment is open; reopen it for late joiners first."
        )
    report = InvitationReport()
    for person in people:
        _require_same_org(programme, person)
        if programme.enrolments.filter(person=person).exists():
            report.already_enrolled.append(person)
            continue
        invitation, created = Invitation.objects.get_or_create(
            programme=programme,
            person=person,
            status=InvitationStatus.PENDING,
            defaults={"token": secrets.token_urlsafe(32), "invited_by": actor},
        )
        if not created:
            report.already_invited.append(invitation)
        elif person.email:
            _queue_invitation(invitation)
            report.emailed.append(invitation)
        else:
            report.not_reached.append((invitation, NO_EMAIL))
    return report


def invite_people(*, actor: User, programme: Programme, people: Iterable[Person]) -> list[Invitation]:
    """`send_invitations`, as the list of invitations (new and already pending)."""
    return send_invitations(actor=actor, programme=programme, people=people).invitations


def invitation_link(invitation: Invitation) -> str:
    """The personal link an invitation email carries, for HR to pass on by hand."""
    return absolute_url(f"/invitations/{invitation.token}/")


@transaction.atomic
def accept_invitation(*, user: User, token: str, **choices: Unpack[EnrolmentChoices]) -> Enrolment:
    """The invited person (by linked login, or an unlinked person whose email matches) enrols.
    `choices` are `enrol_participant`'s options (role, capacity, goals, ...)."""
    invitation = (
        Invitation.objects.select_for_update().filter(token=token, status=InvitationStatus.PENDING).first()
    )
    if invitation is None:
        raise DomainError("This invitation is no longer valid.")
    person = invitation.person
    require(invitation_is_for(user=user, person=person), "This invitation is for someone else.")
    if person.user is None:
        person.user = user
        person.save(update_fields=["user", "updated_at"])
    # An invitee who signed up just now belongs to no organisation yet: make them a participant.
    Membership.objects.get_or_create(
        organisation=invitation.programme.organisation, user=user, defaults={"role": Role.PARTICIPANT}
    )
    invitation.status, invitation.responded_at = InvitationStatus.ACCEPTED, timezone.now()
    invitation.save(update_fields=["status", "responded_at"])
    enrolment = save_enrolment(programme=invitation.programme, person=person, **choices)
    return _audited(enrolment, EnrolmentAction.ENROLLED, user)


def _queue_invitation(invitation: Invitation) -> None:
    """Through the outbox: stored with the invitation, sent after commit, retried if SMTP fails."""
    person, programme = invitation.person, invitation.programme
    queue_email(
        organisation=programme.organisation,
        to=person.email,
        template="programmes/invitation",
        context={
            "name": person.display_name,
            "programme": programme.name,
            "link": invitation_link(invitation),
        },
        key=f"invitation:{invitation.pk}",
        related=invitation,
    )
