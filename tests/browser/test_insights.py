"""Insights pages in Chromium: every chart drawn under the strict CSP with no console errors,
each table view equal to the data its chart draws, axe-core clean, downloads served."""

from __future__ import annotations

import json

import pytest

from stepahead.insights.charts import Column, _cell
from tests.integration.factories import build_world
from tests.integration.insights.builders import lived_programme, rate_levels

pytestmark = pytest.mark.browser
PASSWORD = "x-password-123"


def _watch_console(page) -> list[str]:
    """Console errors and warnings (CSP violations are reported there) and failed loads (by
    URL, except the browser's own favicon request)."""
    problems: list[str] = []

    def on_response(response):
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            problems.append(f"{response.status} {response.url}")

    def on_console(message):
        if message.type in ("error", "warning") and not message.text.startswith("Failed to load resource"):
            problems.append(message.text)

    page.on("response", on_response)
    page.on("console", on_console)
    return problems


def _sign_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def _check_charts(page) -> int:
    figures = page.locator("figure[data-chart]")
    drawable = page.locator("figure[data-chart]:has(.chart-canvas)")
    count = drawable.count()
    assert count >= 6
    page.wait_for_function(
        "n => document.querySelectorAll('figure[data-rendered=\"true\"]').length === n", arg=count
    )
    for index in range(figures.count()):
        figure = figures.nth(index)
        slug = figure.get_attribute("data-chart")
        script = page.locator(f"script#{slug}")
        if script.count() == 0:
            continue
        assert (
            figure.locator(
                ".chart-canvas svg .mark-rect, .chart-canvas svg path, .chart-canvas svg .mark-symbol"
            ).count()
            > 0
        ), slug
        spec = json.loads(script.text_content())
        values = spec["data"]["values"] if "data" in spec else spec["layer"][0]["data"]["values"]
        figure.locator("summary").click()
        keys = figure.locator("th").evaluate_all("ths => ths.map(th => th.dataset.key)")
        percent = set(figure.locator("th[data-percent]").evaluate_all("ths => ths.map(th => th.dataset.key)"))
        cells = figure.locator("tbody tr").evaluate_all(
            "rows => rows.map(r => Array.from(r.cells).map(c => c.textContent.trim()))"
        )
        expected = [[_cell(row.get(k), k in percent) for k in keys] for row in values]
        assert cells == expected, slug
    return count


def test_programme_insights_draw_every_chart_with_its_table(page, axe):
    world = build_world()
    programme, _ = lived_programme(world)
    problems = _watch_console(page)
    _sign_in(page, "manager@acme.test")
    page.goto(f"/programmes/{programme.pk}/insights/")
    _check_charts(page)
    axe(page)
    assert page.js_errors == []
    assert problems == []
    response = page.request.get(f"/programmes/{programme.pk}/insights/funnel.csv")
    assert response.status == 200
    assert response.text().splitlines()[1].startswith("Eligible,7")
    page.get_by_label("Location").select_option("Leeds")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**location=Leeds**")
    _check_charts(page)
    assert "4" in page.locator("#chart-funnel tbody tr").first.inner_text()
    assert problems == []


def test_organisation_insights_for_admins(page, axe):
    world = build_world()
    lived_programme(world)
    problems = _watch_console(page)
    _sign_in(page, "admin@acme.test")
    page.get_by_role("link", name="Insights").click()
    page.wait_for_url("**/insights/")
    _check_charts(page)
    axe(page)
    assert page.js_errors == []
    assert problems == []


def test_column_helper_matches_the_page_format():
    assert _cell(0.25, True) == "25 %"
    assert Column("a", "A").percent is False


def test_figures_are_prepared_in_the_background_then_shown_and_refreshed(page, axe, settings):
    from stepahead.insights.models import InsightSnapshot
    from stepahead.insights.services import compute_figures

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # no worker: the test is it
    world = build_world()
    programme, enrolments = lived_programme(world)
    rate_levels(programme, enrolments)
    problems = _watch_console(page)
    _sign_in(page, "manager@acme.test")
    page.goto(f"/programmes/{programme.pk}/insights/")
    page.get_by_role("heading", name="Preparing the figures").wait_for()
    assert page.locator("#insights-progress").count() == 1
    axe(page, context="preparing")
    compute_figures(snapshot_id=InsightSnapshot.objects.get(programme=programme).pk)
    page.wait_for_selector("#chart-funnel", timeout=15_000)  # the status poll reloads the page
    _check_charts(page)
    levels = page.locator("#chart-level-change tbody tr")
    assert levels.count() == 1
    assert levels.first.inner_text().split("\t")[:3] == ["sql", "1.6", "2.8"]
    assert "Figures as of" in page.locator("#insights-status").inner_text()
    page.get_by_role("button", name="Refresh figures").click()
    page.get_by_text("Updating the figures").wait_for()
    compute_figures(snapshot_id=InsightSnapshot.objects.get(programme=programme).pk)
    page.get_by_role("link", name="Show them").wait_for(timeout=15_000)
    axe(page, context="newer figures ready")
    page.get_by_role("link", name="Show them").click()
    page.wait_for_selector("#chart-funnel")
    assert page.js_errors == []
    assert problems == []
