"""A person's nudge preferences, and the manager's list of partnerships at risk."""

from __future__ import annotations

from datetime import time

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from stepahead.errors import DomainError
from stepahead.nudges.selectors import at_risk_partnerships, preference_of
from stepahead.nudges.services import set_preferences
from stepahead.web.access import OrgRequest, hr_required, managed_programme, member_required


def _time(raw: str, what: str) -> time:
    try:
        return time.fromisoformat(raw.strip())
    except ValueError as error:
        raise DomainError(f"{what}: give a time such as 21:00, not {raw!r}.") from error


@member_required
@require_http_methods(["GET", "POST"])
def preferences(request: OrgRequest) -> HttpResponse:
    status, error = 200, ""
    if request.method == "POST":
        try:
            set_preferences(
                user=request.user,
                opted_out=request.POST.get("opted_out") == "on",
                time_zone=request.POST.get("time_zone", ""),
                quiet_from=_time(request.POST.get("quiet_from", ""), "Quiet from"),
                quiet_until=_time(request.POST.get("quiet_until", ""), "Quiet until"),
            )
        except DomainError as problem:
            status, error = 400, str(problem)
        else:
            messages.success(request, "Your reminder settings are saved.")
            return redirect("web:nudge_preferences")
    return render(
        request,
        "web/nudges/preferences.html",
        {"preference": preference_of(user=request.user), "error": error},
        status=status,
    )


@hr_required
def at_risk(request: OrgRequest, pk: int) -> HttpResponse:
    programme = managed_programme(request, pk)
    rows = at_risk_partnerships(programme=programme, now=timezone.now())
    return render(
        request, "web/nudges/at_risk.html", {"section": "programmes", "programme": programme, "rows": rows}
    )
