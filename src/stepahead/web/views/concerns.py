"""Concerns: a member raises one about their partnership; the support contact handles and closes
it. Every lookup goes through `concerns_for`, so anyone else gets a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from stepahead.concerns.models import Category, Concern
from stepahead.concerns.selectors import concern_for, concerns_for
from stepahead.concerns.services import add_handling_note, close_concern, raise_concern, set_support_contact
from stepahead.errors import DomainError
from stepahead.web.access import OrgRequest, hr_required, managed_programme, member_required
from stepahead.web.responses import error_response

from .feedback import member_partnership


@member_required
@require_http_methods(["GET", "POST"])
def concern_new(request: OrgRequest, pk: int) -> HttpResponse:
    partnership, _ = member_partnership(request, pk)
    status, error = 200, ""
    if request.method == "POST":
        try:
            concern = raise_concern(
                user=request.user,
                partnership=partnership,
                category=request.POST.get("category", ""),
                description=request.POST.get("description", ""),
            )
        except DomainError as problem:
            status, error = 400, str(problem)
        else:
            messages.success(request, "Your concern was sent privately to the programme's support contact.")
            return redirect("web:concern", pk=concern.pk)
    return render(
        request,
        "web/concerns/new.html",
        {
            "section": "my_matches",
            "partnership": partnership,
            "categories": Category.choices,
            "error": error,
            "posted": request.POST,
        },
        status=status,
    )


@member_required
def concern_list(request: OrgRequest) -> HttpResponse:
    concerns = concerns_for(user=request.user, organisation=request.org)
    return render(request, "web/concerns/list.html", {"concerns": concerns})


def _concern(request: OrgRequest, pk: int) -> Concern:
    try:
        return concern_for(user=request.user, organisation=request.org, pk=pk)
    except Concern.DoesNotExist as error:
        raise Http404("No such concern.") from error


@member_required
def concern_detail(request: OrgRequest, pk: int) -> HttpResponse:
    concern = _concern(request, pk)
    raiser = concern.raised_by.enrolment.person.user_id == request.user.pk
    return render(
        request,
        "web/concerns/detail.html",
        {"concern": concern, "handler": not raiser, "notes": concern.notes.select_related("author")},
    )


@member_required
@require_POST
def concern_act(request: OrgRequest, pk: int) -> HttpResponse:
    """A handling note, or the closure with its outcome (`close`)."""
    concern = _concern(request, pk)
    back = reverse("web:concern", args=[pk])
    try:
        if "close" in request.POST:
            close_concern(actor=request.user, concern=concern, outcome=request.POST.get("text", ""))
            messages.success(request, "The concern is closed and its author told.")
        else:
            add_handling_note(actor=request.user, concern=concern, text=request.POST.get("text", ""))
    except DomainError as error:
        return error_response(request, str(error), status=409, back_url=back)
    return redirect(back)


@hr_required
@require_POST
def support_contact(request: OrgRequest, pk: int) -> HttpResponse:
    programme = managed_programme(request, pk)
    back = reverse("web:programme_surveys", args=[pk])
    email = request.POST.get("email", "").strip()
    user = get_user_model().objects.filter(email__iexact=email).first() if email else None
    if user is None:
        return error_response(request, f"Nobody signs in with the email {email!r}.", back_url=back)
    try:
        set_support_contact(actor=request.user, programme=programme, user=user)
    except DomainError as error:
        return error_response(request, str(error), status=409, back_url=back)
    messages.success(request, f"{email} now handles this programme's concerns.")
    return redirect(back)
