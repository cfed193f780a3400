"""Writes for sessions: schedule, move, cancel, log what happened, and notes.

Each change bumps the session's iCalendar SEQUENCE under the same UID, so the invites members
already hold are updated or removed, never duplicated.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import transaction
from django.utils import timezone

from stepahead.accounts import User
from stepahead.core.partnering import next_session_due
from stepahead.errors import DomainError
from stepahead.partnerships.models import Partnership, PartnershipMember, PartnershipStatus

from . import notifications
from .agreements import next_facilitator, touch
from .models import Session, SessionNote, SessionStatus
from .policies import require_member

SCHEDULABLE = (PartnershipStatus.ACCEPTED, PartnershipStatus.ACTIVE)


@dataclass(frozen=True, slots=True)
class Slot:
    """When and where: a local date and time in a named zone, a length, a place or link."""

    starts_at: datetime  # naive local time in `time_zone`, or aware
    time_zone: str
    minutes: int
    location: str = ""


@transaction.atomic
def schedule_session(*, user: User, partnership: Partnership, slot: Slot) -> Session:
    """A member schedules a session; circles get the facilitator whose turn it is."""
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    member = require_member(user=user, partnership=partnership)
    if partnership.status not in SCHEDULABLE:
        raise DomainError("Sessions can be scheduled once everyone has accepted, until the partnership ends.")
    starts_at, zone_name = _checked(slot)
    now = timezone.now()
    session = Session.objects.create(
        partnership=partnership,
        uid=f"{uuid.uuid4()}@stepahead",
        starts_at=starts_at,
        time_zone=zone_name,
        minutes=slot.minutes,
        location=slot.location.strip()[:500],
        facilitator=next_facilitator(partnership),
        created_by=member,
        created_at=now,
        updated_at=now,
    )
    touch(partnership, now)
    notifications.session_changed(session, by=member)
    return session


@transaction.atomic
def move_session(*, user: User, session: Session, slot: Slot) -> Session:
    """New time, length or place for a scheduled session: same UID, next SEQUENCE."""
    session = _locked(session)
    member = require_member(user=user, partnership=session.partnership)
    _require_scheduled(session)
    session.starts_at, session.time_zone = _checked(slot)
    session.minutes, session.location = slot.minutes, slot.location.strip()[:500]
    return _bump(session, member)


@transaction.atomic
def cancel_session(*, user: User, session: Session) -> Session:
    session = _locked(session)
    member = require_member(user=user, partnership=session.partnership)
    _require_scheduled(session)
    session.status = SessionStatus.CANCELLED
    return _bump(session, member)


@dataclass(frozen=True, slots=True)
class SessionLog:
    """What a member records after a session was held (members' eyes only)."""

    goal_ids: Sequence[int] = ()
    contributions: Mapping[int, str] | None = None  # member pk → what they brought
    takeaways: str = ""
    next_actions: str = ""


@transaction.atomic
def log_session(*, user: User, session: Session, log: SessionLog) -> Session:
    """Record a session as held (or correct its log): which goals it served, who brought what,
    takeaways and next actions. The next session falls due a cadence later."""
    session = _locked(session)
    partnership = session.partnership
    member = require_member(user=user, partnership=partnership)
    now = timezone.now()
    if session.status == SessionStatus.CANCELLED:
        raise DomainError("A cancelled session cannot be logged.")
    if session.starts_at > now:
        raise DomainError("A session can be logged once it has started.")
    goals = list(partnership.goals.filter(pk__in=list(log.goal_ids)))
    if len(goals) != len(set(log.goal_ids)):
        raise DomainError("Goals served: choose goals of this partnership.")
    members = set(partnership.members.values_list("pk", flat=True))
    contributions = {str(k): v.strip() for k, v in (log.contributions or {}).items() if v.strip()}
    if any(int(k) not in members for k in contributions):
        raise DomainError("Who brought what: name members of this partnership.")
    session.status, session.logged_at, session.logged_by = SessionStatus.HELD, now, member
    session.contributions, session.takeaways = contributions, log.takeaways.strip()
    session.next_actions = log.next_actions.strip()
    session.updated_at = now
    session.save()
    session.goals.set(goals)
    _after_held(partnership, now)
    return session


def _after_held(partnership: Partnership, now: datetime) -> None:
    last = partnership.sessions.filter(status=SessionStatus.HELD).order_by("-starts_at").first()
    version = partnership.agreement_versions.order_by("-number").first()
    if last is not None and version is not None:
        partnership.next_session_due_at = next_session_due(last.starts_at, version.cadence_days)
    partnership.last_activity_at = now
    partnership.save(update_fields=["next_session_due_at", "last_activity_at"])


@transaction.atomic
def write_note(*, user: User, session: Session, text: str, shared: bool = False) -> SessionNote:
    """A note on a session: private to its author unless shared with the members."""
    member = require_member(user=user, partnership=session.partnership)
    if not text.strip():
        raise DomainError("Note: write something first.")
    return SessionNote.objects.create(
        session=session, author=member, shared=shared, text=text.strip(), written_at=timezone.now()
    )


def _checked(slot: Slot) -> tuple[datetime, str]:
    try:
        zone = ZoneInfo(slot.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise DomainError(f"Time zone: '{slot.time_zone}' is not a time zone name.") from None
    if not 15 <= slot.minutes <= 480:
        raise DomainError("Length: 15 to 480 minutes.")
    starts_at = slot.starts_at if slot.starts_at.tzinfo else slot.starts_at.replace(tzinfo=zone)
    return starts_at, slot.time_zone


def _locked(session: Session) -> Session:
    return Session.objects.select_for_update().select_related("partnership").get(pk=session.pk)


def _require_scheduled(session: Session) -> None:
    if session.status != SessionStatus.SCHEDULED:
        raise DomainError(f"This session is {session.get_status_display().lower()}; it cannot be changed.")


def _bump(session: Session, member: PartnershipMember | None) -> Session:
    """Same UID, next SEQUENCE, and a fresh invite to everyone."""
    now = timezone.now()
    session.sequence += 1
    session.updated_at = now
    session.save()
    touch(session.partnership, now)
    notifications.session_changed(session, by=member)
    return session
