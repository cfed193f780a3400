"""HR: insights pages (organisation-wide and per programme), their refresh and chart downloads.

A page serves the latest stored figures at once (`InsightSnapshot`) and asks the worker for
newer ones when they are due; the status fragment polls (htmx) while figures are computed."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from stepahead.insights import stored
from stepahead.insights.charts import Chart, to_csv, to_xlsx
from stepahead.insights.choices import PERIODS, chosen_filters
from stepahead.insights.models import InsightSnapshot, SnapshotState
from stepahead.insights.selectors import Scope, filter_choices
from stepahead.insights.services import figures_for, refresh_figures, snapshot_for
from stepahead.organisations.policies import is_org_admin
from stepahead.web.access import OrgRequest, hr_required, managed_programme


def _page(request: OrgRequest, scope: Scope, context: dict[str, object]) -> HttpResponse:
    chosen = chosen_filters(request.GET)
    snapshot = figures_for(scope=scope, chosen=chosen)
    return render(
        request,
        "web/insights/page.html",
        {
            **context,
            "overview": stored.load(snapshot.figures),
            "snapshot": snapshot,
            "shown": _stamp(snapshot),
            "chosen": chosen,
            "periods": [(key, label) for key, (label, _) in PERIODS.items()],
            "choices": _choices(scope),
            "query": _query(chosen),
        },
    )


def _query(chosen: dict[str, str]) -> str:
    query = QueryDict(mutable=True)
    query.update({k: v for k, v in chosen.items() if v and not (k == "period" and v == "all")})
    return query.urlencode()


def _status(request: OrgRequest, scope: Scope, context: dict[str, object]) -> HttpResponse:
    """The figures' state for the page's status line: polled while they are being computed."""
    chosen = chosen_filters(request.GET)
    snapshot = figures_for(scope=scope, chosen=chosen)
    shown = request.GET.get("shown", "")
    ready = snapshot.computed_at is not None and snapshot.state == SnapshotState.IDLE
    response = render(
        request,
        "web/insights/_status.html",
        {
            **context,
            "snapshot": snapshot,
            "query": _query(chosen),
            "shown": shown,
            "newer": ready and shown != _stamp(snapshot),
        },
    )
    if ready and not shown:  # the page had no figures yet: show them now
        response["HX-Refresh"] = "true"
    return response


def _stamp(snapshot: InsightSnapshot) -> str:
    return snapshot.computed_at.isoformat() if snapshot.computed_at else ""


def _refresh(request: OrgRequest, scope: Scope, context: dict[str, object]) -> HttpResponse:
    """Asked by hand, so whether the figures are due does not matter: one claim, and the
    snapshot read again only when this request queued it and the status line shows it."""
    chosen = chosen_filters(request.POST)
    snapshot = snapshot_for(scope=scope, chosen=chosen)
    queued = refresh_figures(snapshot=snapshot)
    if not request.headers.get("HX-Request"):
        page = context["page_url"]
        return redirect(f"{page}?{_query(chosen)}")
    if queued:
        snapshot.refresh_from_db()
    return render(
        request,
        "web/insights/_status.html",
        {
            **context,
            "snapshot": snapshot,
            "query": _query(chosen),
            "shown": _stamp(snapshot),
            "newer": False,
        },
    )


def _choices(scope: Scope) -> dict[str, list[str] | list[int]]:
    """The filter form's values, cached (a distinct scan of every person)."""
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


def _org_context() -> dict[str, object]:
    return {"section": "insights", "programme": None, "page_url": reverse("web:org_insights")}


def _programme(request: OrgRequest, pk: int) -> tuple[Scope, dict[str, object]]:
    programme = managed_programme(request, pk)
    page_url = reverse("web:programme_insights", args=[pk])
    context = {"section": "programmes", "programme": programme, "page_url": page_url}
    return Scope(request.org, programme), context


@hr_required
def org_insights(request: OrgRequest) -> HttpResponse:
    return _page(request, _org_scope(request), _org_context())


@hr_required
def org_insights_status(request: OrgRequest) -> HttpResponse:
    return _status(request, _org_scope(request), _org_context())


@hr_required
@require_POST
def org_insights_refresh(request: OrgRequest) -> HttpResponse:
    return _refresh(request, _org_scope(request), _org_context())


@hr_required
def programme_insights(request: OrgRequest, pk: int) -> HttpResponse:
    return _page(request, *_programme(request, pk))


@hr_required
def programme_insights_status(request: OrgRequest, pk: int) -> HttpResponse:
    return _status(request, *_programme(request, pk))


@hr_required
@require_POST
def programme_insights_refresh(request: OrgRequest, pk: int) -> HttpResponse:
    return _refresh(request, *_programme(request, pk))


def _download(request: OrgRequest, scope: Scope, slug: str, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404("Charts download as .csv or .xlsx.")
    snapshot = figures_for(scope=scope, chosen=chosen_filters(request.GET))
    found = stored.load(snapshot.figures)
    if found is None:
        raise Http404("The figures are still being prepared; try again in a minute.")
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
