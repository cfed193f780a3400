"""Writes for concerns: naming a support contact, raising, handling and closing a concern."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from stepahead.accounts import User
from stepahead.errors import DomainError, PermissionDenied
from stepahead.feedback.policies import membership_of
from stepahead.organisations.models import Membership
from stepahead.partnerships.models import ENDED_STATUSES, Partnership, PartnershipStatus
from stepahead.programmes.models import Programme
from stepahead.programmes.services import require_manager

from .models import Category, Concern, ConcernStatus, HandlingNote, SupportContact
from .notifications import notify_concern_closed, notify_concern_raised
from .policies import can_handle

MAX_TEXT = 5000
# A concern can be about a partnership that is running or has ended, never a mere proposal.
RAISABLE = frozenset({PartnershipStatus.ACCEPTED, PartnershipStatus.ACTIVE, *ENDED_STATUSES})


@transaction.atomic
def set_support_contact(*, actor: User, programme: Programme, user: User) -> SupportContact:
    """Name who handles the programme's concerns (a member of its organisation)."""
    require_manager(actor, programme)
    if not Membership.objects.filter(organisation=programme.organisation, user=user).exists():
        raise DomainError(f"{user.email or user} is not a member of {programme.organisation}.")
    contact, _ = SupportContact.objects.update_or_create(programme=programme, defaults={"user": user})
    return contact


def _text(value: str, what: str) -> str:
    value = value.strip()
    if not value:
        raise DomainError(f"Please describe the {what}.")
    if len(value) > MAX_TEXT:
        raise DomainError(f"The {what} is too long ({len(value)} characters; at most {MAX_TEXT}).")
    return value


@transaction.atomic
def raise_concern(*, user: User, partnership: Partnership, category: str, description: str) -> Concern:
    """A member raises a concern privately with the programme's support contact."""
    member = membership_of(user=user, partnership=partnership)
    if member is None:
        raise PermissionDenied("Only members of this partnership can raise a concern about it.")
    if partnership.status not in RAISABLE:
        raise DomainError("Concerns can be raised about partnerships that have started.")
    if category not in Category.values:
        raise DomainError(f"Choose what the concern is about (not {category!r}).")
    concern = Concern.objects.create(
        partnership=partnership,
        raised_by=member,
        category=category,
        description=_text(description, "concern"),
        raised_at=timezone.now(),
    )
    notify_concern_raised(concern)
    return concern


def _handled(actor: User, concern: Concern) -> Concern:
    concern = Concern.objects.select_for_update().select_related("partnership__programme").get(pk=concern.pk)
    if not can_handle(user=actor, programme=concern.partnership.programme):
        raise PermissionDenied("Only the programme's support contact handles its concerns.")
    if concern.status == ConcernStatus.CLOSED:
        raise DomainError("This concern is closed.")
    return concern


@transaction.atomic
def add_handling_note(*, actor: User, concern: Concern, text: str) -> HandlingNote:
    """Record a step taken; the concern is then being handled."""
    concern = _handled(actor, concern)
    note = HandlingNote.objects.create(
        concern=concern, author=actor, text=_text(text, "step taken"), written_at=timezone.now()
    )
    if concern.status == ConcernStatus.OPEN:
        concern.status = ConcernStatus.IN_HAND
        concern.save(update_fields=["status"])
    return note


@transaction.atomic
def close_concern(*, actor: User, concern: Concern, outcome: str) -> Concern:
    """Close with an outcome the person who raised it will read."""
    concern = _handled(actor, concern)
    concern.status, concern.outcome = ConcernStatus.CLOSED, _text(outcome, "outcome")
    concern.closed_at, concern.closed_by = timezone.now(), actor
    concern.save(update_fields=["status", "outcome", "closed_at", "closed_by"])
    notify_concern_closed(concern)
    return concern
