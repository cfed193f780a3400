"""ISMCP adherence against hand-worked cases, at each award threshold's edge."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from stepahead.core.ismcp import (
    CRITERIA,
    STANDARDS,
    Finding,
    assess,
    award_for,
    completed_cycle,
    finding_with_statement,
    level_of,
    percent,
)

ALL_MET = dict.fromkeys(CRITERIA, Finding.MET)


def test_the_six_standards_in_order():
    assert [s.name for s in STANDARDS] == [
        "Clarity of purpose",
        "Stakeholder training and briefing",
        "Selection and matching",
        "Measurement and review",
        "Ethics",
        "Administration and support",
    ]


def test_everything_met_is_gold():
    result = assess(ALL_MET)
    assert result.overall == 1
    assert result.award is not None
    assert result.award.name == "gold"


def test_nothing_found_is_no_award():
    result = assess({})
    assert result.overall == 0
    assert result.award is None


def test_one_weak_standard_caps_the_award():
    # Ethics has three criteria; one missing leaves it at 2/3 = 66.7 %: overall (5 + 2/3) / 6
    # = 94.4 % would be gold, but 66.7 % in one standard reaches only bronze's 60 %.
    result = assess({**ALL_MET, "5.3": Finding.MISSING})
    assert result.overall == Fraction(17, 18)
    assert result.standards[4].adherence == Fraction(2, 3)
    assert result.award is not None
    assert result.award.name == "bronze"


def test_partly_met_counts_half():
    # Every four-criterion standard: three met, one missing = 75 %; ethics: two met and one
    # partly = 2.5 / 3. Overall (5 × 3/4 + 5/6) / 6 = 55/72 = 76.4 %: bronze, not silver.
    findings = dict(ALL_MET)
    for standard in STANDARDS:
        last = standard.criteria[-1].code
        findings[last] = Finding.PARTLY if standard.number == 5 else Finding.MISSING
    result = assess(findings)
    assert result.overall == Fraction(55, 72)
    assert result.award is not None
    assert result.award.name == "bronze"
    assert percent(result.overall) == "76.4 %"


@pytest.mark.parametrize(
    ("overall", "lowest", "award"),
    [
        (Fraction(90, 100), Fraction(80, 100), "gold"),
        (Fraction(8999, 10000), Fraction(80, 100), "silver"),
        (Fraction(90, 100), Fraction(7999, 10000), "silver"),
        (Fraction(80, 100), Fraction(70, 100), "silver"),
        (Fraction(7999, 10000), Fraction(70, 100), "bronze"),
        (Fraction(80, 100), Fraction(6999, 10000), "bronze"),
        (Fraction(70, 100), Fraction(60, 100), "bronze"),
        (Fraction(6999, 10000), Fraction(60, 100), None),
        (Fraction(70, 100), Fraction(5999, 10000), None),
    ],
)
def test_award_thresholds_at_their_edges(overall, lowest, award):
    found = award_for(overall, [Fraction(1)] * 5 + [lowest])
    assert (found.name if found else None) == award


def test_a_statement_meets_external_criteria_and_lifts_platform_ones_halfway():
    assert finding_with_statement(Finding.MISSING, has_statement=True, external=True) is Finding.MET
    assert finding_with_statement(Finding.MISSING, has_statement=True, external=False) is Finding.PARTLY
    assert finding_with_statement(Finding.PARTLY, has_statement=False, external=True) is Finding.PARTLY
    assert finding_with_statement(Finding.MET, has_statement=True, external=False) is Finding.MET


def test_levels_from_rates():
    met, partly = Fraction(4, 5), Fraction(1, 2)
    assert level_of(Fraction(4, 5), met=met, partly=partly) is Finding.MET
    assert level_of(Fraction(79, 100), met=met, partly=partly) is Finding.PARTLY
    assert level_of(Fraction(1, 2), met=met, partly=partly) is Finding.PARTLY
    assert level_of(Fraction(49, 100), met=met, partly=partly) is Finding.MISSING
    assert level_of(None, met=met, partly=partly) is Finding.MISSING


def test_a_completed_cycle_is_twelve_months():
    start = dt.date(2025, 3, 1)
    assert not completed_cycle(start, dt.date(2026, 2, 28))
    assert completed_cycle(start, dt.date(2026, 3, 1))
    assert completed_cycle(dt.date(2024, 2, 29), dt.date(2025, 3, 1))
    assert not completed_cycle(dt.date(2024, 2, 29), dt.date(2025, 2, 28))
    assert not completed_cycle(None, dt.date(2026, 1, 1))
