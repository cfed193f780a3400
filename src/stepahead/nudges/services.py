"""Writes for nudges: preferences, recording that someone answered, and sending one nudge.

Sending is idempotent by construction: the `Nudge` row (unique `key`) and its outbox email
(same key) are written in one transaction. A batch that dies part-way leaves each nudge either
wholly recorded and queued, or not at all; the rerun skips the first and sends the second.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from django.db import IntegrityError, transaction

from stepahead.accounts import User
from stepahead.core.nudges import NudgeKind, known_zone
from stepahead.errors import DomainError
from stepahead.mail.services import Outgoing, queue_email
from stepahead.partnerships.models import Partnership

from .models import Nudge, NudgePreference, NudgeStatus


@transaction.atomic
def set_preferences(
    *, user: User, opted_out: bool, time_zone: str, quiet_from: time, quiet_until: time
) -> NudgePreference:
    time_zone = time_zone.strip()
    if time_zone and not known_zone(time_zone):
        raise DomainError(f"Unknown time zone {time_zone!r}: use a name such as Europe/Paris.")
    preference, _ = NudgePreference.objects.update_or_create(
        user=user,
        defaults={
            "opted_out": opted_out,
            "time_zone": time_zone,
            "quiet_from": quiet_from,
            "quiet_until": quiet_until,
        },
    )
    return preference


@dataclass(frozen=True, slots=True)
class DueNudge:
    """A nudge the batch found due: who, about what, and the email that carries it."""

    key: str
    kind: NudgeKind
    user_id: int
    email: str
    partnership: Partnership
    template: str
    context: dict[str, object]


def outgoing(due: DueNudge) -> Outgoing:
    """The nudge's email for the outbox, under the nudge's own key."""
    return Outgoing(
        organisation=due.partnership.organisation,
        to=due.email,
        template=due.template,
        context=due.context,
        key=due.key,
        related=due.partnership,
    )


def send_nudge(*, due: DueNudge, status: str, now: datetime) -> Nudge | None:
    """Record the nudge and queue its email in one transaction; None when its key is already
    recorded (sent by an earlier or a concurrent batch)."""
    try:
        with transaction.atomic():
            nudge = Nudge.objects.create(
                key=due.key,
                kind=due.kind.value,
                user_id=due.user_id,
                partnership=due.partnership,
                status=status,
                created_at=now,
            )
            if status == NudgeStatus.SENT:
                queue_email(**outgoing(due)._asdict())
    except IntegrityError:
        return None
    return nudge
