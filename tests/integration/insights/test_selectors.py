"""Insights aggregates on a programme whose figures are worked out by hand (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import pytest

from stepahead.core.insights import gini, top_share
from stepahead.insights import selectors as s
from stepahead.insights.selectors import Filters, Scope
from stepahead.programmes.models import Invitation
from tests.integration.insights.builders import Q2, mentoring_programme

ALL = Filters()


@pytest.fixture
def scene(world):
    programme, enrolments = mentoring_programme(world)
    return Scope(world.org, programme), enrolments


def test_funnel_counts_people_at_each_stage(scene, world):
    scope, enrolments = scene
    Invitation.objects.create(programme=scope.programme, person=enrolments["m4"].person, token="t1")
    assert s.funnel_counts(scope, ALL) == [
        ("Eligible", 7),
        ("Invited", 1),
        ("Enrolled", 7),
        ("Matched", 6),  # expert, m1, m2, m3, junior, m5
        ("Accepted", 4),  # the approved junior–m5 partnership awaits answers
        ("Agreement confirmed", 0),
        ("Active", 0),
        ("Completed", 0),
    ]


def test_filters_narrow_the_people(scene):
    scope, _ = scene
    leeds = Filters(location="Leeds")
    assert s.funnel_counts(scope, leeds)[0] == ("Eligible", 4)
    assert s.funnel_counts(scope, leeds)[3] == ("Matched", 3)  # junior, m2, m5
    assert s.funnel_counts(scope, Filters(grade=3))[2] == ("Enrolled", 3)
    later = Filters(since=Q2 - dt.timedelta(days=1))
    assert s.funnel_counts(scope, later)[3] == ("Matched", 4)  # expert, m3, junior, m5


def test_mentoring_load_histogram_and_its_spread(scene):
    scope, _ = scene
    loads = s.load_histogram(scope, ALL)
    assert loads == {3: 1, 1: 1}
    assert gini(loads) == pytest.approx(0.25)  # loads 1 and 3: |3 − 1| × 2 / (2 · 4 · 4)
    assert top_share(loads) == pytest.approx(0.75)
    q1 = (dt.datetime(2026, 1, 1, tzinfo=dt.UTC), Q2 - dt.timedelta(days=1))
    assert s.load_histogram(scope, ALL, during=q1) == {2: 1}


def test_model_mix_and_non_senior_givers_by_quarter(scene):
    scope, _ = scene
    q1, q2 = dt.date(2026, 1, 1), dt.date(2026, 4, 1)
    assert s.model_mix(scope, ALL) == [(q1, "open", 2), (q2, "open", 2)]
    # The junior (grade 2) mentors m5 (grade 4): not senior. The expert is senior to all.
    assert s.non_senior_givers(scope, ALL) == [(q1, 2, 0), (q2, 2, 1)]
    assert s.quarters(scope, ALL) == [q1, q2]


def test_skill_demand_and_supply(scene):
    scope, _ = scene
    demand, supply = s.skill_demand_and_supply(scope, ALL)
    assert demand == {"sql": 2, "python": 2, "excel": 1, "negotiation": 1}
    assert supply == {"sql": 1, "excel": 1, "python": 1}


def test_function_links_count_each_pair_of_members_once(scene):
    scope, _ = scene
    assert s.function_links(scope, ALL) == {
        ("Finance", "Finance"): 1,
        ("Finance", "IT"): 1,
        ("Finance", "Sales"): 1,
        ("IT", "IT"): 1,
    }


def test_responses_and_days_to_match(scene):
    scope, _ = scene
    assert s.responses(scope, ALL) == {"accepted": 6, "declined": 0, "pending": 2}
    # Enrolled "now" in the test, matched two days after a date in 2026: days are clamped at 0
    # when the partnership predates the enrolment, so only the shape is checked here.
    histogram = s.days_to_match(scope, ALL)
    assert sum(n for _, n in histogram) == 8


@pytest.mark.usefixtures("scene")
def test_other_organisations_see_nothing(world):
    other = Scope(world.other_org)
    assert s.funnel_counts(other, ALL)[0] == ("Eligible", 0)
    assert s.load_histogram(other, ALL) == {}
    assert s.function_links(other, ALL) == {}


@pytest.mark.usefixtures("scene")
def test_filter_choices_list_each_value_once(world):
    assert s.filter_choices(world.org) == {
        "functions": ["Finance", "IT", "Sales"],
        "grades": [2, 3, 4, 6],
        "locations": ["Leeds", "London"],
    }
