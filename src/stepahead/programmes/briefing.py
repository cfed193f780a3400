"""Writes for briefing and training items and who completed them (ISMCP standard 2)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q

from stepahead.accounts import User
from stepahead.errors import DomainError
from stepahead.organisations.policies import require
from stepahead.people.selectors import person_for_user

from .models import BriefingAudience, BriefingCompletion, BriefingItem, BriefingKind, Enrolment, Programme
from .policies import can_manage_programme
from .services import require_manager

GIVING_ROLES = frozenset({"mentor", "both"})
RECEIVING_ROLES = frozenset({"mentee", "both"})


@transaction.atomic
def add_briefing_item(
    *,
    actor: User,
    programme: Programme,
    title: str,
    description: str = "",
    kind: str = BriefingKind.BRIEFING,
    audience: str = BriefingAudience.EVERYONE,
) -> BriefingItem:
    require_manager(actor, programme)
    position = programme.briefing_items.count()
    item = BriefingItem(
        programme=programme,
        title=title.strip(),
        description=description.strip(),
        kind=kind,
        audience=audience,
        position=position,
    )
    item.full_clean()
    item.save()
    return item


def applies_to(item: BriefingItem, enrolment: Enrolment) -> bool:
    """Whether an item is meant for this participant, by the role they enrolled in (the rule
    `meant_for` gives the database)."""
    if item.audience == BriefingAudience.EVERYONE:
        return True
    if item.audience == BriefingAudience.MENTEES:
        return enrolment.role in RECEIVING_ROLES
    # Peers and circle members all give; in mentoring programmes only mentors do.
    return enrolment.role in GIVING_ROLES or not enrolment.programme.is_mentoring


def meant_for(audience: str, programme: Programme) -> Q:
    """The enrolments a briefing audience covers, as a filter: those who mentor are everyone in
    peer pairs and circles, the mentors (and "both") in mentoring programmes."""
    if audience == BriefingAudience.MENTEES:
        return Q(role__in=RECEIVING_ROLES)
    if audience == BriefingAudience.GIVERS and programme.is_mentoring:
        return Q(role__in=GIVING_ROLES)
    return Q()


@transaction.atomic
def complete_briefing_item(
    *, actor: User, item: BriefingItem, enrolment: Enrolment, now: dt.datetime
) -> BriefingCompletion:
    """Mark an item done for a participant (the participant, or a manager for them); idempotent."""
    own = person_for_user(organisation=enrolment.programme.organisation, user=actor) == enrolment.person
    require(own or can_manage_programme(user=actor, programme=enrolment.programme),
            "Only the participant or a manager records briefing.")  # fmt: skip
    if item.programme_id != enrolment.programme_id:
        raise DomainError("That briefing item belongs to another programme.")
    if not applies_to(item, enrolment):
        raise DomainError(f"“{item.title}” is not meant for your role in this programme.")
    completion, _ = BriefingCompletion.objects.get_or_create(
        item=item, enrolment=enrolment, defaults={"completed_at": now}
    )
    return completion
