"""Who may answer and who may read feedback. Answers are their author's alone."""

from __future__ import annotations

from stepahead.accounts import Actor, signed_in
from stepahead.partnerships.models import Partnership, PartnershipMember, PartnershipStatus

# Feedback, nudges and concerns concern partnerships that are under way.
ACTIVE_STATUSES = frozenset({PartnershipStatus.ACCEPTED, PartnershipStatus.ACTIVE})


def membership_of(*, user: Actor, partnership: Partnership) -> PartnershipMember | None:
    """The user's place in the partnership, or None for anyone who is not a member."""
    if not signed_in(user):
        return None
    return (
        PartnershipMember.objects.filter(partnership=partnership, enrolment__person__user=user)
        .select_related("enrolment__person")
        .first()
    )


def is_active(partnership: Partnership) -> bool:
    return partnership.status in ACTIVE_STATUSES
