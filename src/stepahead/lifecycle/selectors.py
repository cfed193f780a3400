"""Reads for a partnership's life: the agreement in force, sessions, goals, notes a member may
read, and the iCalendar invite for a session.

Member-facing reads take the reading member; nothing here serves session content to anyone else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from stepahead.core.invites import Attendee, Invite, invite_ics
from stepahead.mail.links import absolute_url
from stepahead.partnerships.models import Partnership, PartnershipMember

from .models import AgreementVersion, Goal, Session, SessionNote, SessionStatus


def members_of(partnership: Partnership) -> list[PartnershipMember]:
    return list(partnership.members.select_related("enrolment__person").order_by("pk"))


def current_agreement(partnership: Partnership) -> AgreementVersion | None:
    return partnership.agreement_versions.prefetch_related("confirmations").order_by("-number").first()


@dataclass(frozen=True, slots=True)
class AgreementState:
    version: AgreementVersion | None
    confirmed_by: frozenset[int]  # member pks who confirmed the newest version
    everyone: bool


def agreement_state(partnership: Partnership) -> AgreementState:
    version = current_agreement(partnership)
    if version is None:
        return AgreementState(None, frozenset(), False)
    confirmed = frozenset(c.member_id for c in version.confirmations.all())
    members = set(partnership.members.values_list("pk", flat=True))
    return AgreementState(version, confirmed, members <= confirmed)


def live_goals(partnership: Partnership) -> QuerySet[Goal]:
    return (
        partnership.goals.filter(retired=False)
        .select_related("owner__enrolment__person")
        .prefetch_related("reflections__author__enrolment__person")
    )


def sessions_of(partnership: Partnership) -> QuerySet[Session]:
    return partnership.sessions.select_related("facilitator__enrolment__person").order_by("starts_at")


def upcoming(partnership: Partnership, now: datetime) -> QuerySet[Session]:
    return sessions_of(partnership).filter(status=SessionStatus.SCHEDULED, starts_at__gte=now)


def session_in(partnership: Partnership, pk: int) -> Session:
    """A session of this partnership (Session.DoesNotExist for any other)."""
    return Session.objects.select_related("partnership__programme").get(partnership=partnership, pk=pk)


def readable_notes(*, session: Session, member: PartnershipMember) -> QuerySet[SessionNote]:
    """Shared notes, plus the member's own private ones — never another member's private note."""
    return (
        session.notes.filter(Q(shared=True) | Q(author=member))
        .select_related("author__enrolment__person")
        .order_by("written_at", "pk")
    )


def session_invite(session: Session, *, now: datetime | None = None) -> str:
    """The session's .ics: its UID for life, its current SEQUENCE, cancelled when it is."""
    partnership = session.partnership
    members = members_of(partnership)
    names = ", ".join(m.enrolment.person.display_name for m in members)
    description = f"Your {partnership.get_kind_display().lower()} session in {partnership.programme.name}."
    if session.facilitator_id is not None:
        leader = next((m for m in members if m.pk == session.facilitator_id), None)
        description += f" Facilitator: {leader.enrolment.person.display_name}." if leader else ""
    invite = Invite(
        uid=session.uid,
        sequence=session.sequence,
        starts_at=session.starts_at,
        time_zone=session.time_zone,
        minutes=session.minutes,
        summary=f"StepAhead: {names}",
        location=session.location,
        description=description,
        url=absolute_url("web:partnership", partnership.pk),
        organiser=Attendee("StepAhead", _from_address()),
        attendees=tuple(
            Attendee(person.display_name, person.email)
            for person in (m.enrolment.person for m in members)
            if person.email
        ),
        cancelled=session.status == SessionStatus.CANCELLED,
    )
    return invite_ics(invite, now=now or timezone.now())


def _from_address() -> str:
    sender = str(settings.DEFAULT_FROM_EMAIL)
    return sender.rsplit("<", 1)[-1].rstrip(">").strip()
