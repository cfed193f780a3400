"""Who may do what at organisation level. Pure yes/no answers plus `require` to enforce one."""

from stepahead.accounts import Actor
from stepahead.errors import PermissionDenied

from .models import Organisation, Role
from .selectors import membership_for


def role_in(*, user: Actor, organisation: Organisation) -> Role | None:
    membership = membership_for(user=user, organisation=organisation)
    return Role(membership.role) if membership else None


def is_member(*, user: Actor, organisation: Organisation) -> bool:
    return role_in(user=user, organisation=organisation) is not None


def is_org_admin(*, user: Actor, organisation: Organisation) -> bool:
    return role_in(user=user, organisation=organisation) == Role.ORG_ADMIN


def can_manage_people(*, user: Actor, organisation: Organisation) -> bool:
    """HR staff (admins and programme managers) maintain the people directory and skills."""
    return role_in(user=user, organisation=organisation) in (Role.ORG_ADMIN, Role.PROGRAMME_MANAGER)


def can_create_programme(*, user: Actor, organisation: Organisation) -> bool:
    return can_manage_people(user=user, organisation=organisation)


def require(allowed: bool, message: str = "You are not allowed to do that.") -> None:
    """Raise PermissionDenied unless `allowed`; services call this before any write."""
    if not allowed:
        raise PermissionDenied(message)
