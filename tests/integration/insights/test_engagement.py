"""Engagement and outcome aggregates from the partnership lifecycle, worked by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from stepahead.insights import engagement as e
from stepahead.insights import selectors as s
from stepahead.insights.overview import build_overview
from stepahead.insights.selectors import Filters, Scope
from tests.integration.insights.builders import lived_programme

ALL = Filters()
NOW = dt.datetime(2026, 5, 1, 12, tzinfo=dt.UTC)


@pytest.fixture
def scope(world):
    programme, _ = lived_programme(world)
    return Scope(world.org, programme)


def test_sessions_per_month_and_partnerships_running(scope):
    months = e.sessions_by_month(scope, ALL)
    assert months == [(dt.date(2026, 1, 1), 3, 2), (dt.date(2026, 2, 1), 2, 2), (dt.date(2026, 4, 1), 1, 1)]
    months = [dt.date(2026, 1, 1), dt.date(2026, 3, 1), dt.date(2026, 4, 1), dt.date(2026, 5, 1)]
    # January: m1 and m2; March: m2 closed on the 30th, still counts; April: m1 still active, m3
    # started 16 April; May: m2 closed in March, m3 in April.
    assert e.running_in(scope, ALL, months) == [2, 2, 2, 1]
    assert e.running_in(scope, ALL, []) == []
    assert e.agreed_cadence_days(scope, ALL) == 14.0


def test_at_risk_early_endings_and_goals(scope):
    assert e.at_risk(scope, ALL, NOW) == (1, 1, {"overdue": 1})
    assert e.early_endings(scope, ALL) == (1, 1, [("Our schedules did not work together", 1)])
    assert e.goal_outcomes(scope, ALL) == [("sql", 1, 0, 0, 1), ("excel", 0, 0, 1, 0), ("python", 0, 1, 0, 0)]


def test_funnel_reaches_the_lifecycle_stages(scope):
    stages = dict(s.funnel_counts(scope, ALL))
    assert stages["Agreement confirmed"] == 4  # the expert and m1, m2, m3
    assert stages["Active"] == 2
    assert stages["Completed"] == 2


def test_load_counts_only_partnerships_running_now_or_in_the_period(scope):
    # Now: the expert mentors m1 only (m2 completed, m3 ended early); the junior mentors m5.
    assert s.load_histogram(scope, ALL) == {1: 2}
    april = (dt.datetime(2026, 4, 1, tzinfo=dt.UTC), dt.datetime(2026, 7, 1, tzinfo=dt.UTC))
    assert s.load_histogram(scope, ALL, during=april) == {2: 1, 1: 1}  # m2 closed 30 March
    # Many periods in one query, each as if asked alone (and an empty one before anything began).
    march = (dt.datetime(2026, 3, 1, tzinfo=dt.UTC), dt.datetime(2026, 4, 1, tzinfo=dt.UTC))
    before = (dt.datetime(2020, 1, 1, tzinfo=dt.UTC), dt.datetime(2020, 4, 1, tzinfo=dt.UTC))
    together = s.load_histograms(scope, ALL, [april, before, march])
    # March: the expert with m1 and m2 (closed on the 30th); the junior's m5 began in Q2.
    assert together == [{2: 1, 1: 1}, {}, {2: 1}]
    assert s.load_histograms(scope, ALL, []) == []


def test_the_overview_shows_engagement_and_outcomes(scope):
    overview = build_overview(scope, ALL, now=NOW)
    sessions = overview.chart("sessions")
    assert sessions is not None
    assert sessions.rows[0] == {
        "month": "2026-01",
        "held": 3,
        "partnerships": 2,
        "per_partnership": 1.5,
        "agreed": 2.17,
    }
    assert {f.label: f.value for f in overview.figures}["At risk"] == "1 of 1"
    assert overview.chart("early-endings").rows == [
        {"reason": "Our schedules did not work together", "partnerships": 1}
    ]
