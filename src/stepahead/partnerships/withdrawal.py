"""Withdrawing someone from a programme, with what it means for the groups they are in.

Nothing is deleted: the enrolment is marked withdrawn (with who did it, `EnrolmentEvent`), and
each group the person is in moves on in its own way —
- proposals under review are discarded, so their other members return to the pool;
- matches sent and awaiting answers are withdrawn, and the others are told it will not go ahead;
- accepted or active partnerships end early ("left the programme", no fault): scheduled sessions
  are cancelled and everyone is told, as when a member ends one.
`withdrawal_effects` says this before it happens (the confirmation page); `withdraw_from_programme`
does it, in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from stepahead.accounts import User
from stepahead.lifecycle.closure import end_early
from stepahead.lifecycle.models import EarlyEndReason
from stepahead.programmes.models import Enrolment
from stepahead.programmes.services import withdraw_enrolment

from .models import Partnership, PartnershipStatus
from .notifications import notify_declined

ONGOING = (PartnershipStatus.ACCEPTED, PartnershipStatus.ACTIVE)


@dataclass(frozen=True, slots=True)
class Effect:
    """One group the person is in, and the names of the others in it."""

    partnership: Partnership
    others: list[str]


@dataclass(frozen=True, slots=True)
class WithdrawalEffects:
    proposals: list[Effect] = field(default_factory=list)  # discarded; the others back in the pool
    awaiting: list[Effect] = field(default_factory=list)  # sent, unanswered: withdrawn, others told
    ongoing: list[Effect] = field(default_factory=list)  # accepted / active: ended early

    @property
    def any(self) -> bool:
        return bool(self.proposals or self.awaiting or self.ongoing)


def withdrawal_effects(*, enrolment: Enrolment) -> WithdrawalEffects:
    """What withdrawing this enrolment would do to the groups it is in."""
    effects = WithdrawalEffects()
    buckets = {
        PartnershipStatus.PROPOSED: effects.proposals,
        PartnershipStatus.APPROVED: effects.awaiting,
        PartnershipStatus.ACCEPTED: effects.ongoing,
        PartnershipStatus.ACTIVE: effects.ongoing,
    }
    groups = (
        Partnership.objects.filter(members__enrolment=enrolment, status__in=list(buckets))
        .prefetch_related("members__enrolment__person")
        .order_by("pk")
    )
    for partnership in groups:
        others = [
            m.enrolment.person.display_name
            for m in partnership.members.all()
            if m.enrolment_id != enrolment.pk
        ]
        buckets[PartnershipStatus(partnership.status)].append(Effect(partnership, others))
    return effects


@transaction.atomic
def withdraw_from_programme(*, actor: User, enrolment: Enrolment) -> WithdrawalEffects:
    """Withdraw the person (a manager on their behalf, or they themself while enrolment is open)
    and settle every group they are in; returns what was done."""
    enrolment = (
        Enrolment.objects.select_for_update().select_related("programme", "person").get(pk=enrolment.pk)
    )
    withdraw_enrolment(actor=actor, enrolment=enrolment)  # the policy check comes first
    effects = withdrawal_effects(enrolment=enrolment)
    for effect in effects.proposals:
        _withdraw(effect.partnership)
    for effect in effects.awaiting:  # the others were emailed the match: tell them it is off
        _withdraw(effect.partnership)
        notify_declined(effect.partnership, effect.partnership.members.get(enrolment=enrolment))
    name = enrolment.person.display_name
    for effect in effects.ongoing:
        end_early(
            user=actor,
            partnership=effect.partnership,
            reason=EarlyEndReason.LEFT,
            note=f"{name} withdrew from the programme.",
        )
    return effects


def _withdraw(partnership: Partnership) -> None:
    partnership.status, partnership.decided_at = PartnershipStatus.WITHDRAWN, timezone.now()
    partnership.save(update_fields=["status", "decided_at"])
