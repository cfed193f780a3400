"""Writes for the end of a partnership: on plan (each member reflects and marks their goals) or
early, for a no-fault reason. Nothing is deleted: the partnership, its agreement, goals and
sessions stay in each member's history. An early end returns the members to the matching pool
(ended partnerships no longer lock anyone) and keeps them apart in the next run."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone

from stepahead.accounts import User
from stepahead.errors import DomainError, PermissionDenied
from stepahead.partnerships.models import Partnership, PartnershipStatus

from . import notifications
from .agreements import touch
from .models import ClosingReflection, Closure, ClosureKind, EarlyEndReason, GoalOutcome, SessionStatus
from .policies import can_oversee, membership_of, require_member
from .ratings import record_levels_after

OPEN_STATUSES = (PartnershipStatus.ACCEPTED, PartnershipStatus.ACTIVE)


@transaction.atomic
def reflect_and_close(
    *,
    user: User,
    partnership: Partnership,
    reflection: str,
    outcomes: Mapping[int, str],
    levels: Mapping[int, int] | None = None,
) -> Partnership:
    """A member's closing reflection, the outcome of each of their goals and their own level now
    in each goal skill ({skill id: 0–5}). When every member has reflected, the partnership is
    completed on plan."""
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    member = require_member(user=user, partnership=partnership)
    _require_open(partnership)
    if not reflection.strip():
        raise DomainError("Closing reflection: write a few words about what you take away.")
    now = timezone.now()
    mine = {g.pk: g for g in partnership.goals.filter(retired=False) if g.owner_id in (member.pk, None)}
    for goal_id, outcome in outcomes.items():
        if goal_id not in mine:
            raise DomainError("Goal outcomes: mark only your own goals (or the circle's).")
        if outcome not in GoalOutcome.values or outcome == GoalOutcome.OPEN:
            raise DomainError(f"Goal '{mine[goal_id].title}': achieved, partly or not.")
        mine[goal_id].outcome = outcome
        mine[goal_id].save(update_fields=["outcome"])
    record_levels_after(member=member, levels=levels or {}, now=now)
    ClosingReflection.objects.update_or_create(
        partnership=partnership, member=member, defaults={"text": reflection.strip(), "written_at": now}
    )
    touch(partnership, now)
    if not partnership.members.exclude(pk__in=partnership.closing_reflections.values("member")).exists():
        _close(partnership, user, ClosureKind.ON_PLAN, "", "")
    return partnership


@transaction.atomic
def end_early(*, user: User, partnership: Partnership, reason: str, note: str = "") -> Partnership:
    """A member or the programme manager ends the partnership before plan, for a no-fault
    reason. Scheduled sessions are cancelled; members go back to the pool for the next run."""
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    if membership_of(user=user, partnership=partnership) is None and not can_oversee(
        user=user, partnership=partnership
    ):
        raise PermissionDenied("Only members and this programme's managers can end a partnership.")
    _require_open(partnership)
    if reason not in EarlyEndReason.values:
        raise DomainError("Reason: choose one of the listed reasons.")
    for session in partnership.sessions.filter(status=SessionStatus.SCHEDULED):
        session.status, session.sequence = SessionStatus.CANCELLED, session.sequence + 1
        session.updated_at = timezone.now()
        session.save(update_fields=["status", "sequence", "updated_at"])
        notifications.session_changed(session)  # the invite leaves everyone's calendar
    _keep_apart(partnership)
    _close(partnership, user, ClosureKind.EARLY, reason, note.strip())
    return partnership


def _keep_apart(partnership: Partnership) -> None:
    """No fault, but no point: the next run does not pair these people again."""
    members = list(partnership.members.select_related("enrolment__person"))
    for member in members:
        others = [m.enrolment.person for m in members if m.pk != member.pk]
        member.enrolment.avoid.add(*others)


def _close(partnership: Partnership, user: User, kind: ClosureKind, reason: str, note: str) -> None:
    now = timezone.now()
    closure = Closure.objects.create(
        partnership=partnership, kind=kind, reason=reason, note=note, closed_by=user, closed_at=now
    )
    partnership.status = (
        PartnershipStatus.COMPLETED if kind == ClosureKind.ON_PLAN else PartnershipStatus.ENDED_EARLY
    )
    partnership.ended_at = partnership.last_activity_at = now
    partnership.save(update_fields=["status", "ended_at", "last_activity_at"])
    notifications.partnership_ended(partnership, closure)


def _require_open(partnership: Partnership) -> None:
    if partnership.status not in OPEN_STATUSES:
        raise DomainError("This partnership has already ended or has not started.")
