"""HR: the queue of new skill names typed on enrolment forms — add, merge into a skill, or reject."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from stepahead.errors import DomainError
from stepahead.people.models import Skill
from stepahead.people.selectors import skills_in
from stepahead.programmes.selectors import suggestion_queue
from stepahead.programmes.suggestions import approve_suggestion, merge_suggestion, reject_suggestion
from stepahead.web.access import OrgRequest, hr_required
from stepahead.web.params import row_id
from stepahead.web.responses import error_response


@hr_required
def skill_suggestions(request: OrgRequest) -> HttpResponse:
    context = {
        "section": "people",
        "queue": suggestion_queue(organisation=request.org),
        "skills": list(skills_in(organisation=request.org).prefetch_related(None).order_by("name")),
    }
    return render(request, "web/people/suggestions.html", context)


@hr_required
@require_POST
def decide_suggestion(request: OrgRequest) -> HttpResponse:
    """One decision on one suggested name (everyone who typed it): add, merge or reject."""
    back = reverse("web:skill_suggestions")
    key, action = request.POST.get("key", ""), request.POST.get("action", "")
    try:
        if action == "approve":
            skill = approve_suggestion(actor=request.user, organisation=request.org, key=key)
            done = f"“{skill.name}” is now in the skill list, and given to everyone who suggested it."
        elif action == "merge":
            into = _skill(request)
            merge_suggestion(actor=request.user, organisation=request.org, key=key, into=into)
            done = f"“{key}” now means {into.name}; everyone who suggested it has {into.name} instead."
        elif action == "reject":
            reject_suggestion(actor=request.user, organisation=request.org, key=key)
            done = f"“{key}” was not added to the list; those who suggested it keep their other choices."
        else:
            return error_response(request, "Choose add, merge or reject.", status=400, back_url=back)
    except DomainError as error:
        return error_response(request, str(error), status=409, back_url=back, title="Not changed")
    messages.success(request, done)
    return redirect(back)


def _skill(request: OrgRequest) -> Skill:
    try:
        pk = row_id(request.POST.get("into", ""))
        return skills_in(organisation=request.org).get(pk=pk)
    except (ValueError, Skill.DoesNotExist) as error:
        raise DomainError("Choose the existing skill to merge the name into.") from error
