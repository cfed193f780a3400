"""HR: the people directory (searchable, paginated)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import render

from stepahead.people.selectors import people_in
from stepahead.web.access import OrgRequest, hr_required

PAGE_SIZE = 50


@hr_required
def people_list(request: OrgRequest) -> HttpResponse:
    people = people_in(organisation=request.org).order_by("name", "hris_id")
    query = request.GET.get("q", "").strip()[:100]
    if query:
        people = people.filter(
            Q(name__icontains=query)
            | Q(hris_id__iexact=query)
            | Q(email__icontains=query)
            | Q(function__icontains=query)
        )
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    template = "web/people/_results.html" if request.htmx else "web/people/list.html"
    return render(request, template, {"section": "people", "page_obj": page, "query": query})
