"""The start page (HR dashboard or the participant's programmes) and the organisation switcher."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from stepahead.partnerships.selectors import programmes_with_counts
from stepahead.programmes.models import Status
from stepahead.web.access import (
    SESSION_KEY,
    OrgRequest,
    SignedInRequest,
    current_org,
    hr_required,
    is_hr,
    memberships,
)
from stepahead.web.responses import error_response


@login_required
def home(request: SignedInRequest) -> HttpResponse:
    if current_org(request) is None:
        return render(request, "web/no_organisation.html", {"section": "home"})
    if is_hr(request):
        return dashboard(request)
    return redirect("web:my_programmes")


@hr_required
def dashboard(request: OrgRequest) -> HttpResponse:
    programmes = list(programmes_with_counts(user=request.user, organisation=request.org))
    open_statuses = {Status.DRAFT, Status.ENROLLING, Status.MATCHING, Status.RUNNING}
    context = {
        "section": "dashboard",
        "programmes": programmes,
        "figures": {
            "open": sum(1 for p in programmes if p.status in open_statuses),
            "enrolled": sum(p.enrolled for p in programmes),
            "proposals": sum(p.proposals for p in programmes),
            "matched": sum(p.matched for p in programmes),
        },
    }
    return render(request, "web/dashboard.html", context)


@login_required
@require_POST
def switch_org(request: SignedInRequest) -> HttpResponse:
    try:
        wanted = int(request.POST.get("organisation", ""))
    except ValueError:
        return error_response(request, "Choose an organisation.")
    if wanted not in {m.organisation_id for m in memberships(request)}:
        return error_response(request, "You are not a member of that organisation.", status=403)
    request.session[SESSION_KEY] = wanted
    return redirect("web:home")
