"""The site's error pages (400, 403, 404, 500) inside its layout (issue 11): the navigation for
the signed-in user, and, when the address was under a programme the user may see, a link back to
it. A request refused before the authentication middleware ran (a bad Host header answers 400)
has no user: its page is anonymous. A 500 page that cannot be drawn in the layout (the database
may be what failed) falls back to a plain one."""

from __future__ import annotations

import logging
import re
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.urls import reverse

from stepahead.programmes.policies import can_manage_programme
from stepahead.programmes.selectors import programmes_for
from stepahead.web.access import current_org

logger = logging.getLogger(__name__)

_UNDER_PROGRAMME = re.compile(r"^/(?P<mine>my/)?programmes/(?P<pk>\d{1,18})/")


def programme_context(request: HttpRequest) -> dict[str, Any]:
    """The programme the address was under, if the signed-in user may see it (a programme of
    another organisation, or one they may not see, is never named)."""
    found = _UNDER_PROGRAMME.match(request.path_info or "")
    user = getattr(request, "user", None)
    if found is None or user is None or not user.is_authenticated:
        return {}
    organisation = current_org(request)
    if organisation is None:
        return {}
    programme = programmes_for(user=user, organisation=organisation).filter(pk=int(found["pk"])).first()
    if programme is None:
        return {}
    managing = not found["mine"] and can_manage_programme(user=user, programme=programme)
    url = reverse("web:programme_detail" if managing else "web:my_programme", args=[programme.pk])
    return {"section": "programmes" if managing else "my_programmes", "error_programme": programme,
            "error_programme_url": url}  # fmt: skip


def _page(request: HttpRequest, template: str, status: int, **context: Any) -> HttpResponse:
    return render(request, template, {**context, **programme_context(request)}, status=status)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _page(request, "400.html", 400)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _page(request, "403.html", 403, exception=str(exception))


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _page(request, "404.html", 404)


def server_error(request: HttpRequest) -> HttpResponse:
    try:
        return _page(request, "500.html", 500)
    except Exception:  # the page must not fail in turn: whatever broke may break the layout too
        logger.exception("The 500 page could not be drawn in the layout; serving the plain one")
        return HttpResponseServerError(loader.get_template("500_plain.html").render())
