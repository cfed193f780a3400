"""The admin site signs in through allauth, with its rate limits, not through its own form.

Django's admin login form had no lockout and bypassed allauth's limits. `/admin/login/` now
sends visitors to the one sign-in page and back; a signed-in user who is not staff is told so
(sending them to sign in again would loop).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme

from stepahead.web.responses import error_response

ADMIN_HOME = "/admin/"


def admin_login(request: HttpRequest) -> HttpResponse:
    wanted = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}):
        wanted = ADMIN_HOME
    user = request.user
    if not user.is_authenticated:
        return HttpResponseRedirect(f"{settings.LOGIN_URL}?{urlencode({'next': wanted})}")
    if user.is_active and user.is_staff:
        return HttpResponseRedirect(wanted)
    return error_response(request, "Your account has no access to the administration site.", status=403)
