"""Insights snapshots: a page never computes its figures in the request; it serves the stored
ones, asks the worker for newer ones when they are due, and shows the progress meanwhile."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from stepahead.insights import stored
from stepahead.insights.models import InsightSnapshot, SnapshotState
from stepahead.insights.overview import build_overview
from stepahead.insights.selectors import Filters, Scope
from stepahead.insights.services import compute_figures
from stepahead.partnerships.models import Partnership
from tests.integration.insights.builders import mentoring_programme


@pytest.fixture
def setup(world, browser_for, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # no worker here
    programme, _ = mentoring_programme(world)
    return programme, browser_for(world.manager), f"/programmes/{programme.pk}/insights/"


def _only(programme) -> InsightSnapshot:
    return InsightSnapshot.objects.get(programme=programme)


def test_first_visit_asks_the_worker_and_shows_that_figures_are_being_prepared(
    setup, django_capture_on_commit_callbacks
):
    programme, client, url = setup
    with django_capture_on_commit_callbacks(execute=True):
        page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Preparing the figures" in html
    assert 'hx-trigger="load delay:2s"' in html  # the status line polls
    assert "figure" not in html.split("Preparing the figures")[0].split("<main")[-1]
    snapshot = _only(programme)
    assert snapshot.state == SnapshotState.QUEUED
    assert DBTaskResult.objects.filter(task_path__endswith="compute_insights").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        client.get(url)  # a second view while queued asks nothing more
    assert DBTaskResult.objects.count() == 1


def test_the_worker_stores_the_figures_and_the_page_serves_them(setup, django_assert_max_num_queries):
    programme, client, url = setup
    client.get(url)
    assert compute_figures(snapshot_id=_only(programme).pk) == SnapshotState.IDLE
    snapshot = _only(programme)
    assert (snapshot.state, snapshot.progress, snapshot.stale) == (SnapshotState.IDLE, 100, False)
    assert compute_figures(snapshot_id=snapshot.pk) == "not queued"  # a task runs once
    with django_assert_max_num_queries(12):  # no aggregate: the stored figures
        page = client.get(url)
    html = page.content.decode()
    assert "Figures as of" in html
    assert "Refresh figures" in html
    assert 'id="chart-funnel"' in html
    expected = build_overview(Scope(programme.organisation, programme), Filters())
    assert stored.load(snapshot.figures) == expected


def test_a_lifecycle_change_makes_the_figures_due_and_the_old_ones_stay_shown(
    setup, django_capture_on_commit_callbacks
):
    programme, client, url = setup
    client.get(url)
    compute_figures(snapshot_id=_only(programme).pk)
    Partnership.objects.filter(programme=programme).first().save()
    assert _only(programme).stale
    with django_capture_on_commit_callbacks(execute=True):
        client.get(url)  # within INSIGHTS_MIN_REFRESH_SECONDS: not yet
    assert _only(programme).state == SnapshotState.IDLE
    InsightSnapshot.objects.update(computed_at=timezone.now() - dt.timedelta(minutes=2))
    with django_capture_on_commit_callbacks(execute=True):
        page = client.get(url)
    html = page.content.decode()
    assert _only(programme).state == SnapshotState.QUEUED
    assert "Updating the figures" in html
    assert 'id="chart-funnel"' in html


def test_old_figures_are_recomputed_and_a_lost_computation_is_asked_again(setup, settings):
    programme, client, url = setup
    client.get(url)
    compute_figures(snapshot_id=_only(programme).pk)
    old = timezone.now() - dt.timedelta(seconds=settings.INSIGHTS_MAX_AGE_SECONDS + 1)
    InsightSnapshot.objects.update(computed_at=old)
    client.get(url)
    assert _only(programme).state == SnapshotState.QUEUED
    lost = timezone.now() - dt.timedelta(seconds=settings.INSIGHTS_COMPUTE_TIMEOUT_SECONDS + 1)
    InsightSnapshot.objects.update(state=SnapshotState.RUNNING, requested_at=lost)
    client.get(url)
    assert _only(programme).requested_at > lost


def test_status_polls_then_reloads_the_page_or_offers_newer_figures(setup):
    programme, client, url = setup
    client.get(url)
    polling = client.get(f"{url}status/?shown=")
    assert 'hx-get="' in polling.content.decode()
    assert "HX-Refresh" not in polling
    compute_figures(snapshot_id=_only(programme).pk)
    first = client.get(f"{url}status/?shown=")
    assert first["HX-Refresh"] == "true"  # the page had nothing yet: reload it
    newer = client.get(f"{url}status/?shown=2026-01-01T00:00:00%2B00:00")
    assert "Newer figures" in newer.content.decode()
    assert "Show them" in newer.content.decode()


def test_refresh_queues_once_and_keeps_the_filters(setup):
    programme, client, url = setup
    client.get(f"{url}?location=Leeds")
    snapshot = InsightSnapshot.objects.get(programme=programme, filters__location="Leeds")
    compute_figures(snapshot_id=snapshot.pk)
    response = client.post(f"{url}refresh/", {"location": "Leeds", "period": "all"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Updating the figures" in response.content.decode()
    client.post(f"{url}refresh/", {"location": "Leeds"}, HTTP_HX_REQUEST="true")
    snapshot.refresh_from_db()
    assert snapshot.state == SnapshotState.QUEUED
    assert InsightSnapshot.objects.filter(programme=programme).count() == 1  # only the Leeds page
    assert client.post(f"{url}refresh/", {"location": "Leeds"})["Location"] == f"{url}?location=Leeds"
    assert client.get(f"{url}refresh/").status_code == 405


def _snapshot_queries_of_a_refresh(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        client.post(f"{url}refresh/", {}, **headers)
    return [q["sql"].split()[0] for q in queries.captured_queries if '"insights_insightsnapshot"' in q["sql"]]


def test_a_refresh_reads_the_snapshot_once_and_claims_it_once(setup):
    programme, client, url = setup
    client.get(url)
    compute_figures(snapshot_id=_only(programme).pk)
    InsightSnapshot.objects.update(stale=True, computed_at=timezone.now() - dt.timedelta(days=30))  # due
    hx = {"HTTP_HX_REQUEST": "true"}
    queued_and_shown = ["SELECT", "UPDATE", "SELECT"]
    assert _snapshot_queries_of_a_refresh(client, url, **hx) == queued_and_shown
    assert _only(programme).state == SnapshotState.QUEUED
    assert _snapshot_queries_of_a_refresh(client, url, **hx) == ["SELECT", "UPDATE"]  # already queued
    assert _snapshot_queries_of_a_refresh(client, url) == ["SELECT", "UPDATE"]  # no htmx: a redirect


def test_filters_have_their_own_figures(setup):
    programme, client, url = setup
    client.get(url)
    client.get(f"{url}?location=Leeds")
    for snapshot in InsightSnapshot.objects.filter(programme=programme):
        compute_figures(snapshot_id=snapshot.pk)
    everyone = client.get(f"{url}funnel.csv").content.decode().splitlines()[1]
    leeds = client.get(f"{url}funnel.csv?location=Leeds").content.decode().splitlines()[1]
    assert everyone != leeds


def test_a_failed_computation_is_recorded_and_shown(setup):
    programme, client, url = setup
    client.get(url)
    # A stored filter set no page can produce (pages clean their filters): the build fails.
    InsightSnapshot.objects.update(filters={"grade": "not a grade"})
    assert compute_figures(snapshot_id=_only(programme).pk) == SnapshotState.FAILED
    snapshot = _only(programme)
    assert "ValueError" in snapshot.error
    html = client.get(url).content.decode()
    assert "could not be computed" in html
    assert "Try again" in html


def test_downloads_wait_for_the_figures(setup):
    _, client, url = setup
    assert client.get(f"{url}funnel.csv").status_code == 404
