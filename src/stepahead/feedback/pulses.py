"""Session pulses: after a logged session each member answers two questions, once."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from stepahead.accounts import User
from stepahead.core.feedback import PULSE_SCALE, ScaleSummary, scale_summary
from stepahead.errors import DomainError, PermissionDenied
from stepahead.lifecycle.models import Session, SessionStatus
from stepahead.partnerships.models import PartnershipMember
from stepahead.programmes.models import Programme

from .models import Pulse
from .policies import is_active, membership_of

MAX_COMMENT = 2000


@transaction.atomic
def answer_pulse(*, user: User, session: Session, value: int, comment: str = "") -> Pulse:
    partnership = session.partnership
    member = membership_of(user=user, partnership=partnership)
    if member is None:
        raise PermissionDenied("Only members of this partnership can answer its pulse.")
    if not is_active(partnership) or session.status != SessionStatus.HELD or session.logged_at is None:
        raise DomainError("The pulse opens once the session has been logged.")
    low, high = PULSE_SCALE
    if not low <= value <= high:
        raise DomainError(f"Choose how valuable the session was from {low} to {high}, not {value}.")
    if len(comment) > MAX_COMMENT:
        raise DomainError(f"The comment is too long ({len(comment)} characters; at most {MAX_COMMENT}).")
    try:
        with transaction.atomic():
            return Pulse.objects.create(
                partnership=partnership,
                member=member,
                session=session,
                value=value,
                comment=comment.strip(),
                answered_at=timezone.now(),
            )
    except IntegrityError as error:
        raise DomainError("You have already answered the pulse for this session.") from error


def held_sessions(*, member: PartnershipMember) -> QuerySet[Session]:
    return Session.objects.filter(
        partnership_id=member.partnership_id, status=SessionStatus.HELD, logged_at__isnull=False
    )


def pulses_due(*, member: PartnershipMember) -> list[Session]:
    """Logged sessions the member has not yet given a pulse for, oldest first."""
    answered = Pulse.objects.filter(member=member).values("session_id")
    return list(held_sessions(member=member).exclude(pk__in=answered).order_by("starts_at"))


@dataclass(frozen=True, slots=True)
class PulseSummary:
    scale: ScaleSummary | None  # None below 5 respondents


def pulse_summary(*, programme: Programme) -> PulseSummary:
    """Session value across the programme, over 5 or more people (comments are never shown)."""
    answers = list(
        Pulse.objects.filter(partnership__programme=programme).values_list(
            "member__enrolment__person_id", "value"
        )
    )
    return PulseSummary(scale_summary(answers, scale=PULSE_SCALE))
