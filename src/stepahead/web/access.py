"""Who is asking, in which organisation, and what they may see: the web layer's guard rails.

A user may belong to several organisations; the one they work in is kept in the session
(`web_org`), defaulting to their first membership. Every id in a URL is looked up *inside* that
organisation through the `*_in` selectors, so an id of another tenant is a 404, never a leak.
Role checks use the apps' policies and raise PermissionDenied (403).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Concatenate, cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django_htmx.middleware import HtmxDetails

from stepahead.accounts import User, signed_in
from stepahead.organisations.models import Membership, Organisation, Role
from stepahead.people.models import Person
from stepahead.people.selectors import person_for_user
from stepahead.programmes.models import Programme
from stepahead.programmes.policies import can_manage_programme_as
from stepahead.programmes.selectors import programme_in

SESSION_KEY = "web_org"
HR_ROLES = (Role.ORG_ADMIN, Role.PROGRAMME_MANAGER)


class SignedInRequest(HttpRequest):
    """What a view behind `login_required` receives (for the type checker: Django's request
    with a signed-in user and django-htmx's details)."""

    user: User
    htmx: HtmxDetails


class OrgRequest(SignedInRequest):
    """What a view behind `member_required` receives: also the organisation it works in."""

    org: Organisation


type View[**P] = Callable[Concatenate[OrgRequest, P], HttpResponse]
type Wrapped[**P] = Callable[Concatenate[HttpRequest, P], HttpResponse]


def memberships(request: HttpRequest) -> list[Membership]:
    """The user's memberships (cached on the request)."""
    cache = request.__dict__
    if "_web_memberships" not in cache:
        user = request.user
        cache["_web_memberships"] = (
            list(
                Membership.objects.filter(user=user)
                .select_related("organisation")
                .order_by("organisation__name")
            )
            if signed_in(user)
            else []
        )
    return cast(list[Membership], cache["_web_memberships"])


def current_membership(request: HttpRequest) -> Membership | None:
    found = memberships(request)
    wanted = request.session.get(SESSION_KEY)
    for membership in found:
        if membership.organisation_id == wanted:
            return membership
    return found[0] if found else None


def current_org(request: HttpRequest) -> Organisation | None:
    membership = current_membership(request)
    return membership.organisation if membership else None


def is_hr(request: HttpRequest) -> bool:
    membership = current_membership(request)
    return membership is not None and membership.role in HR_ROLES


def current_person(request: HttpRequest) -> Person | None:
    """The user's directory entry in the current organisation (participants act through it)."""
    cache = request.__dict__
    if "_web_person" not in cache:
        org = current_org(request)
        cache["_web_person"] = person_for_user(organisation=org, user=request.user) if org else None
    return cast(Person | None, cache["_web_person"])


def member_required[**P](view: View[P]) -> Wrapped[P]:
    """Signed in and a member of some organisation (else 403 with an explanation)."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        org = current_org(request)
        if org is None:
            raise PermissionDenied("You are not a member of any organisation yet.")
        request = cast(OrgRequest, request)
        request.org = org
        return view(request, *args, **kwargs)

    return wrapped


def hr_required[**P](view: View[P]) -> Wrapped[P]:
    """Organisation admins and programme managers only (participants get a 403)."""

    @wraps(view)
    def wrapped(request: OrgRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        if not is_hr(request):
            raise PermissionDenied("This page is for HR staff running programmes.")
        return view(request, *args, **kwargs)

    return member_required(wrapped)


def managed_programme(request: OrgRequest, pk: int) -> Programme:
    """The programme `pk` of the current organisation (404 otherwise) that the user manages (403)."""
    try:
        programme = programme_in(organisation=request.org, pk=pk)
    except Programme.DoesNotExist as error:
        raise Http404("No such programme.") from error
    membership = current_membership(request)  # of request.org, the programme's organisation
    role = membership.role if membership else None
    if not can_manage_programme_as(role=role, user=request.user, programme=programme):
        raise PermissionDenied("Only this programme's managers may do that.")
    return programme
