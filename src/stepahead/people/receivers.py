"""Signal receivers: a login is linked to its directory entry by verified email as soon as it
signs in or confirms an address (`services.link_by_verified_email`)."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from stepahead.accounts import User

from .services import link_by_verified_email


@receiver(user_logged_in, dispatch_uid="people-link-on-login")
def _link_on_login(sender: object, user: User, **kwargs: Any) -> None:
    link_by_verified_email(user=user)


@receiver(email_confirmed, dispatch_uid="people-link-on-confirm")
def _link_on_confirm(sender: object, email_address: EmailAddress, **kwargs: Any) -> None:
    link_by_verified_email(user=email_address.user)
