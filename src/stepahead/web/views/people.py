"""HR: the people directory (searchable, filterable, paginated) and a page per person."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render

from stepahead.partnerships.profiles import person_profile
from stepahead.people.models import Person
from stepahead.people.policies import can_change_person
from stepahead.people.selectors import PeopleFilter, directory_values, people_filtered, people_in
from stepahead.programmes.selectors import pending_names, programmes_for
from stepahead.web.access import OrgRequest, hr_required
from stepahead.web.params import row_id

PAGE_SIZE = 50


@hr_required
def people_list(request: OrgRequest) -> HttpResponse:
    programmes = list(programmes_for(user=request.user, organisation=request.org).only("pk", "name"))
    by, problems = _filter_from(request, {p.pk for p in programmes})
    people = people_filtered(organisation=request.org, by=by)
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "section": "people",
        "page_obj": page,
        "query": by.query,
        "by": by,
        "filtered": by != PeopleFilter(query=by.query),
        "problems": problems,
        "values": directory_values(organisation=request.org),
        "programmes": programmes,
        "suggestions_waiting": pending_names(organisation=request.org) if not request.htmx else 0,
    }
    template = "web/people/_results.html" if request.htmx else "web/people/list.html"
    return render(request, template, context)


def _filter_from(request: OrgRequest, programmes: set[int]) -> tuple[PeopleFilter, list[str]]:
    """The filter the query string asks for; a value that cannot be one is named and ignored."""
    get = request.GET
    problems = []
    grade = programme = None
    if text := get.get("grade", "").strip():
        try:
            grade = int(text)
        except ValueError:
            problems.append(f"Grade “{text[:20]}” is not a whole number; grade is not filtered.")
    if text := get.get("programme", "").strip():
        try:
            programme = row_id(text)
        except ValueError:
            programme = None
        if programme not in programmes:
            problems.append("That programme is not one you can see; programme is not filtered.")
            programme = None
    by = PeopleFilter(
        query=get.get("q", "").strip()[:100],
        function=get.get("function", "").strip()[:120],
        grade=grade,
        location=get.get("location", "").strip()[:120],
        programme=programme,
    )
    return by, problems


@hr_required
def person_detail(request: OrgRequest, pk: int) -> HttpResponse:
    """One person of the organisation: directory entry, skills and their source, goals,
    programmes and partnerships (status only, never their content)."""
    try:
        person = people_in(organisation=request.org, active_only=False).get(pk=pk)
    except Person.DoesNotExist as error:
        raise Http404("No such person in your organisation.") from error
    context = {
        "section": "people",
        "profile": person_profile(reader=request.user, person=person),
        "can_change": can_change_person(user=request.user, person=person),
        "training": list(person.mentor_training.all()),
    }
    return render(request, "web/people/detail.html", context)
