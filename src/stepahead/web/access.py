"""Who is asking, in which organisation, and what they may see: the web layer's guard rails.

A user may belong to several organisations; the one they work in is kept in the session
(`web_org`), defaulting to their first membership. Every id in a URL is looked up *inside* that
organisation through the `*_in` selectors, so an id of another tenant is a 404, never a leak.
Role checks use the apps' policies and raise PermissionDenied (403).
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404

from stepahead.organisations.models import Membership, Organisation, Role
from stepahead.people.selectors import person_for_user
from stepahead.programmes.models import Programme
from stepahead.programmes.policies import can_manage_programme
from stepahead.programmes.selectors import programme_in

SESSION_KEY = "web_org"
HR_ROLES = (Role.ORG_ADMIN, Role.PROGRAMME_MANAGER)


def memberships(request) -> list[Membership]:
    """The user's memberships (cached on the request)."""
    if not hasattr(request, "_web_memberships"):
        user = request.user
        request._web_memberships = (
            list(
                Membership.objects.filter(user=user)
                .select_related("organisation")
                .order_by("organisation__name")
            )
            if user.is_authenticated
            else []
        )
    return request._web_memberships


def current_membership(request) -> Membership | None:
    found = memberships(request)
    wanted = request.session.get(SESSION_KEY)
    for membership in found:
        if membership.organisation_id == wanted:
            return membership
    return found[0] if found else None


def current_org(request) -> Organisation | None:
    membership = current_membership(request)
    return membership.organisation if membership else None


def is_hr(request) -> bool:
    membership = current_membership(request)
    return membership is not None and membership.role in HR_ROLES


def current_person(request):
    """The user's directory entry in the current organisation (participants act through it)."""
    if not hasattr(request, "_web_person"):
        org = current_org(request)
        request._web_person = person_for_user(organisation=org, user=request.user) if org else None
    return request._web_person


def member_required(view):
    """Signed in and a member of some organisation (else 403 with an explanation)."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if current_org(request) is None:
            raise PermissionDenied("You are not a member of any organisation yet.")
        request.org = current_org(request)
        return view(request, *args, **kwargs)

    return wrapped


def hr_required(view):
    """Organisation admins and programme managers only (participants get a 403)."""

    @member_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_hr(request):
            raise PermissionDenied("This page is for HR staff running programmes.")
        return view(request, *args, **kwargs)

    return wrapped


def managed_programme(request, pk: int) -> Programme:
    """The programme `pk` of the current organisation (404 otherwise) that the user manages (403)."""
    try:
        programme = programme_in(organisation=request.org, pk=pk)
    except Programme.DoesNotExist as error:
        raise Http404("No such programme.") from error
    if not can_manage_programme(user=request.user, programme=programme):
        raise PermissionDenied("Only this programme's managers may do that.")
    return programme
