"""Who may see and do what in a partnership's life.

Members act on their own partnership; programme managers and org admins oversee it but never
read what members wrote for each other (session logs, notes, reflections)."""

from __future__ import annotations

from stepahead.accounts import Actor, signed_in
from stepahead.errors import PermissionDenied
from stepahead.partnerships.models import Partnership, PartnershipMember
from stepahead.programmes.policies import can_manage_programme

from .models import SessionNote


def membership_of(*, user: Actor, partnership: Partnership) -> PartnershipMember | None:
    """The user's own membership of the partnership, if they are a member."""
    if not signed_in(user):
        return None
    return (
        partnership.members.select_related("enrolment__person")
        .filter(enrolment__person__user=user, enrolment__person__organisation=partnership.organisation)
        .first()
    )


def require_member(*, user: Actor, partnership: Partnership) -> PartnershipMember:
    member = membership_of(user=user, partnership=partnership)
    if member is None:
        raise PermissionDenied("Only members of this partnership can do that.")
    return member


def can_oversee(*, user: Actor, partnership: Partnership) -> bool:
    """Programme managers and org admins: status, counts and lengths, never content."""
    return can_manage_programme(user=user, programme=partnership.programme)


def can_read_note(*, member: PartnershipMember | None, note: SessionNote) -> bool:
    """A private note is its author's alone; a shared note is every member's. Nobody else's."""
    if member is None or member.partnership_id != note.session.partnership_id:
        return False
    return note.shared or note.author_id == member.pk
