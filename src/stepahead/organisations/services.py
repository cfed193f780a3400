"""Writes for organisations and memberships."""

from django.db import transaction

from stepahead.accounts import User
from stepahead.errors import DomainError

from .models import Membership, Organisation, Role
from .policies import is_org_admin, require


@transaction.atomic
def create_organisation(*, name: str, slug: str, admin_user: User) -> Organisation:
    """Create a tenant with its first organisation admin (platform staff or sign-up flow)."""
    organisation = Organisation.objects.create(name=name.strip(), slug=slug)
    Membership.objects.create(organisation=organisation, user=admin_user, role=Role.ORG_ADMIN)
    return organisation


@transaction.atomic
def add_member(
    *, actor: User, organisation: Organisation, user: User, role: Role | str = Role.PARTICIPANT
) -> Membership:
    """Give `user` a role in the organisation (or change it). Only org admins may."""
    require(is_org_admin(user=actor, organisation=organisation), "Only organisation admins manage members.")
    membership, _ = Membership.objects.update_or_create(
        organisation=organisation, user=user, defaults={"role": Role(role)}
    )
    return membership


@transaction.atomic
def remove_member(*, actor: User, organisation: Organisation, user: User) -> None:
    """Remove a member; the last org admin cannot be removed (the tenant would be orphaned)."""
    require(is_org_admin(user=actor, organisation=organisation), "Only organisation admins manage members.")
    admins = Membership.objects.filter(organisation=organisation, role=Role.ORG_ADMIN)
    if admins.count() == 1 and admins.filter(user=user).exists():
        raise DomainError("An organisation needs at least one admin.")
    Membership.objects.filter(organisation=organisation, user=user).delete()
