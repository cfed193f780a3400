"""HR: what-if runs — try other matching parameters without changing the programme, then adopt
the run you prefer (matchruns.whatif)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from stepahead.errors import DomainError
from stepahead.matchruns.models import MatchRun, RunStatus
from stepahead.matchruns.selectors import runs_of
from stepahead.matchruns.services import RunInProgressError
from stepahead.matchruns.whatif import adopt_run, start_what_if_run, what_if_parameters
from stepahead.programmes.models import Programme, Status
from stepahead.web.access import OrgRequest, hr_required, managed_programme
from stepahead.web.forms import WhatIfForm
from stepahead.web.responses import confirmation_page, confirmed, error_response
from stepahead.web.views.runs import PARAMETER_LABELS, parameter_words, run_or_404


@hr_required
@require_http_methods(["GET", "POST"])
def what_if(request: OrgRequest, pk: int) -> HttpResponse:
    """GET: the mode's parameters, set to the programme's; POST: queue a what-if run with them."""
    programme = managed_programme(request, pk)
    allowed = what_if_parameters(programme)
    form = WhatIfForm(request.POST or None, instance=programme, allowed=allowed)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in allowed}
        try:
            run = start_what_if_run(actor=request.user, programme=programme, changes=changes)
        except RunInProgressError as running:
            messages.info(request, "A run is already under way; this is its progress.")
            return redirect("web:run_detail", pk=pk, run_pk=running.run.pk)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            return redirect("web:run_detail", pk=pk, run_pk=run.pk)
    latest = runs_of(programme=programme).filter(status=RunStatus.DONE).defer("groups").first()
    context = {"section": "programmes", "programme": programme, "form": form, "latest": latest}
    return render(request, "web/runs/what_if.html", context, status=400 if form.errors else 200)


@hr_required
@require_POST
def adopt(request: OrgRequest, pk: int, run_pk: int) -> HttpResponse:
    """Confirm, then make the run's matches the proposals and its settings the programme's."""
    programme = managed_programme(request, pk)
    run = run_or_404(programme, run_pk)
    back = reverse("web:run_detail", args=[pk, run_pk])
    if not confirmed(request):
        return _confirm_adopt(request, programme, run)
    try:
        created = adopt_run(actor=request.user, run=run)
    except DomainError as error:
        return error_response(request, str(error), status=409, back_url=back, title="Run not adopted")
    messages.success(
        request,
        f"Run #{run.pk} adopted: {len(created)} proposal{'s' if len(created) != 1 else ''} to review, "
        "and the programme now uses its settings. Nobody has been emailed.",
    )
    return redirect("web:proposals", pk=pk)


def _confirm_adopt(request: OrgRequest, programme: Programme, run: MatchRun) -> HttpResponse:
    changed = [
        f"{PARAMETER_LABELS.get(name, name)}: {parameter_words(name, getattr(programme, name))} → "
        f"{parameter_words(name, run.parameters.get(name))}"
        for name in what_if_parameters(programme)
        if name in run.parameters and run.parameters[name] != getattr(programme, name)
    ]
    groups = run.summary.get("groups") or 0
    consequences = [
        f"The proposals become this run's {groups} match{'es' if groups != 1 else ''}: unpinned "
        "proposals not yet approved are replaced; approved, accepted and pinned matches stay, and "
        "matches naming their people are left out.",
        "The programme's settings become this run's: " + "; ".join(changed) + "."
        if changed
        else "The programme's settings stay as they are (this run used the same).",
        "Nobody is emailed: participants hear nothing until you approve proposals.",
    ]
    if programme.status == Status.ENROLLING:
        consequences.insert(0, "Enrolment closes (you can reopen it later for late joiners).")
    return confirmation_page(
        request,
        title=f"Adopt run #{run.pk}?",
        consequences=consequences,
        action=reverse("web:adopt_run", args=[programme.pk, run.pk]),
        confirm_label="Adopt this run",
        back_url=reverse("web:run_detail", args=[programme.pk, run.pk]),
    )
