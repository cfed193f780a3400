"""HR: insights pages (organisation-wide and per programme) and their chart downloads."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from stepahead.insights.charts import Chart, to_csv, to_xlsx
from stepahead.insights.overview import Overview, overview
from stepahead.insights.selectors import Filters, Scope, filter_choices
from stepahead.organisations.policies import is_org_admin
from stepahead.web.access import OrgRequest, hr_required, managed_programme

# The period filter: label, days back (None = all time).
PERIODS = {"all": ("All time", None), "90d": ("Last 90 days", 90), "12m": ("Last 12 months", 365)}


def parse_filters(request: OrgRequest) -> tuple[Filters, dict[str, str]]:
    """Filters from the query string; unknown or malformed values are ignored, never a 500."""
    period = request.GET.get("period", "all")
    if period not in PERIODS:
        period = "all"
    days = PERIODS[period][1]
    since = timezone.now() - dt.timedelta(days=days) if days else None
    grade_text = request.GET.get("grade", "").strip()
    grade = int(grade_text) if grade_text.lstrip("-").isdigit() else None
    function = request.GET.get("function", "").strip()[:120]
    location = request.GET.get("location", "").strip()[:120]
    chosen = {"period": period, "function": function, "grade": "" if grade is None else str(grade),
              "location": location}  # fmt: skip
    return Filters(since=since, function=function, grade=grade, location=location), chosen


def _page(request: OrgRequest, scope: Scope, context: dict[str, object]) -> HttpResponse:
    filters, chosen = parse_filters(request)
    found = overview(scope, filters)
    return render(
        request,
        "web/insights/page.html",
        {
            **context,
            "overview": found,
            "chosen": chosen,
            "periods": [(key, label) for key, (label, _) in PERIODS.items()],
            "choices": _choices(scope),
            "query": request.GET.urlencode(),
        },
    )


def _choices(scope: Scope) -> dict[str, list[str] | list[int]]:
    """The filter form's values, cached like the overview (a distinct scan of every person)."""
    key = f"insights:choices:{scope.organisation.pk}"
    found: dict[str, list[str] | list[int]] | None = cache.get(key)
    if found is None:
        found = filter_choices(scope.organisation)
        cache.set(key, found, settings.INSIGHTS_CACHE_SECONDS)
    return found


def _org_scope(request: OrgRequest) -> Scope:
    if not is_org_admin(user=request.user, organisation=request.org):
        raise PermissionDenied("Organisation-wide insights are for organisation admins.")
    return Scope(request.org)


@hr_required
def org_insights(request: OrgRequest) -> HttpResponse:
    return _page(request, _org_scope(request), {"section": "insights", "programme": None})


@hr_required
def programme_insights(request: OrgRequest, pk: int) -> HttpResponse:
    programme = managed_programme(request, pk)
    return _page(request, Scope(request.org, programme), {"section": "programmes", "programme": programme})


def _download(request: OrgRequest, scope: Scope, slug: str, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404("Charts download as .csv or .xlsx.")
    filters, _ = parse_filters(request)
    found: Overview = overview(scope, filters)
    chart: Chart | None = found.chart(slug)
    if chart is None:
        raise Http404("No such chart.")
    name = f"{scope.programme.pk if scope.programme else 'organisation'}-{slug}"
    if fmt == "csv":
        response = HttpResponse(to_csv(chart), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            to_xlsx(chart), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@hr_required
def org_chart_download(request: OrgRequest, slug: str, fmt: str) -> HttpResponse:
    return _download(request, _org_scope(request), slug, fmt)


@hr_required
def programme_chart_download(request: OrgRequest, pk: int, slug: str, fmt: str) -> HttpResponse:
    programme = managed_programme(request, pk)
    return _download(request, Scope(request.org, programme), slug, fmt)
