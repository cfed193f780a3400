"""Reads about organisations and memberships."""

from django.db.models import QuerySet

from stepahead.accounts import Actor, User, signed_in

from .models import Membership, Organisation


def membership_for(*, user: Actor, organisation: Organisation) -> Membership | None:
    """The user's membership of the organisation, or None (also for anonymous users)."""
    if not signed_in(user):
        return None
    return Membership.objects.filter(user=user, organisation=organisation).first()


def organisations_for_user(*, user: User) -> QuerySet[Organisation]:
    """Organisations the user belongs to, by name."""
    return Organisation.objects.filter(memberships__user=user).order_by("name")


def members_of(*, organisation: Organisation) -> QuerySet[Membership]:
    return Membership.objects.filter(organisation=organisation).select_related("user").order_by("user__email")
