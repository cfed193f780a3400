"""Who reads a concern: the member who raised it and the programme's support contact — while a
programme names no support contact, its managers stand in. Nobody else: not the other members,
not other HR staff, not organisation admins."""

from __future__ import annotations

from stepahead.accounts import Actor, signed_in
from stepahead.programmes.models import Programme, ProgrammeManager

from .models import Concern, SupportContact


def handlers_of(programme: Programme) -> list[int]:
    """User ids who handle the programme's concerns."""
    contact = SupportContact.objects.filter(programme=programme).values_list("user_id", flat=True).first()
    if contact is not None:
        return [contact]
    return list(ProgrammeManager.objects.filter(programme=programme).values_list("user_id", flat=True))


def can_handle(*, user: Actor, programme: Programme) -> bool:
    return signed_in(user) and user.pk in handlers_of(programme)


def can_read_concern(*, user: Actor, concern: Concern) -> bool:
    if not signed_in(user):
        return False
    if concern.raised_by.enrolment.person.user_id == user.pk:
        return True
    return can_handle(user=user, programme=concern.partnership.programme)
