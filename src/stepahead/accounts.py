"""Who acts: the user types that services, policies and views accept.

Services take the signed-in user as `actor`; anonymous users reach policies too (they are simply
refused), so `Actor` names both. `type` aliases are evaluated lazily, so importing this module
never touches the app registry.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from typing_extensions import TypeIs  # typing.TypeIs arrives in Python 3.13

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.auth.models import User as _User

__all__ = ["Actor", "User", "signed_in"]

type User = _User
"""A login (the project uses Django's own user model)."""

type Actor = _User | AnonymousUser
"""Anyone a request can carry: a signed-in user or an anonymous visitor."""


def signed_in(user: Actor | None) -> TypeIs[_User]:
    """True for a signed-in user (narrowing `Actor` to `User` for the type checker)."""
    return user is not None and bool(user.is_authenticated)
