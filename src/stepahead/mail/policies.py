"""Who may see deliveries and resend a message: HR of the message's organisation; for mail about
something in a programme (an invitation, a partnership), that programme's managers."""

from __future__ import annotations

from stepahead.accounts import Actor
from stepahead.organisations.policies import can_manage_people, is_org_admin
from stepahead.programmes.models import Programme
from stepahead.programmes.policies import can_manage_programme

from .models import OutboundEmail


def can_resend(*, user: Actor, email: OutboundEmail) -> bool:
    organisation = email.organisation
    if organisation is None:  # account mail (sign-up, password reset): the user asks again
        return False
    if is_org_admin(user=user, organisation=organisation):
        return True
    programme = getattr(email.related, "programme", None)
    if isinstance(programme, Programme):
        return can_manage_programme(user=user, programme=programme)
    return can_manage_people(user=user, organisation=organisation)
