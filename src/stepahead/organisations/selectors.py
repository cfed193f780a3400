"""Reads about organisations and memberships."""

from django.db.models import QuerySet

from .models import Membership, Organisation


def membership_for(*, user, organisation: Organisation) -> Membership | None:
    """The user's membership of the organisation, or None (also for anonymous users)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Membership.objects.filter(user=user, organisation=organisation).first()


def organisations_for_user(*, user) -> QuerySet[Organisation]:
    """Organisations the user belongs to, by name."""
    return Organisation.objects.filter(memberships__user=user).order_by("name")


def members_of(*, organisation: Organisation) -> QuerySet[Membership]:
    return Membership.objects.filter(organisation=organisation).select_related("user").order_by("user__email")
