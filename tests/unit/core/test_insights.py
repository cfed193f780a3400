"""Insight metrics against figures worked by hand."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stepahead.core.insights import (
    LevelChange,
    cross_function_share,
    funnel,
    gini,
    level_changes,
    quarter_of,
    rate,
    reciprocity,
    skill_balance,
    suggest_model,
    symmetric_cells,
    top_share,
)


def test_funnel_converts_from_previous_and_first():
    stages = funnel([("eligible", 200), ("enrolled", 50), ("matched", 40), ("active", 30)])
    assert [s.of_previous for s in stages] == [None, 0.25, 0.8, 0.75]
    assert [s.of_first for s in stages] == [1.0, 0.25, 0.2, 0.15]


def test_funnel_with_an_empty_first_stage_has_no_rates():
    stages = funnel([("eligible", 0), ("enrolled", 0)])
    assert stages[1].of_previous is None
    assert stages[1].of_first is None
    assert rate(3, 0) is None


def test_gini_of_equal_loads_is_zero():
    assert gini({2: 10}) == 0.0
    assert gini({}) == 0.0
    assert gini({0: 5}) == 0.0


def test_gini_worked_by_hand():
    # Loads 1, 1, 1, 5: mean 2, Σ|xi − xj| over ordered pairs = 6 × 4 = 24, G = 24 / (2·16·2).
    assert gini({1: 3, 5: 1}) == pytest.approx(0.375)
    # Loads 0, 0, 0, 4: all the load on one of four people, the maximum (n − 1) / n.
    assert gini({0: 3, 4: 1}) == pytest.approx(0.75)


@given(st.lists(st.integers(min_value=0, max_value=12), min_size=1, max_size=40))
def test_gini_from_the_histogram_equals_the_mean_absolute_difference(loads):
    total = sum(loads)
    n = len(loads)
    expected = 0.0 if total == 0 else sum(abs(a - b) for a in loads for b in loads) / (2 * n * total)
    assert gini(Counter(loads)) == pytest.approx(expected, abs=1e-12)


def test_top_ten_percent_share_worked_by_hand():
    # Ten people: nine carry 1, one carries 11; the top 10 % is that one person: 11 of 20.
    assert top_share({1: 9, 11: 1}) == pytest.approx(0.55)
    # Twenty people: the top two (loads 5 and 3) carry 8 of 8 + 18 = 26.
    assert top_share({1: 18, 3: 1, 5: 1}) == pytest.approx(8 / 26)
    # Three people: at least one person is always the top.
    assert top_share({2: 3}) == pytest.approx(1 / 3)
    assert top_share({}) == 0.0


@pytest.mark.parametrize(
    ("demand", "supply", "model"),
    [
        (4, 0, "circles"),
        (0, 4, "open"),
        (10, 3, "circles"),
        (5, 3, "traditional"),
        (3, 3, "peer"),
        (1, 4, "reverse"),
        (0, 0, "none"),
    ],
)
def test_suggested_model_follows_the_ratio(demand, supply, model):
    assert suggest_model(demand, supply)[0] == model


def test_skill_balance_puts_the_largest_shortfall_first():
    rows = skill_balance({"sql": 6, "python": 2}, {"python": 5, "excel": 1})
    assert [(r.skill, r.demand, r.supply) for r in rows] == [
        ("sql", 6, 0),
        ("excel", 0, 1),
        ("python", 2, 5),
    ]


def test_reciprocity_is_the_smaller_direction_over_the_larger():
    assert reciprocity(2.0, 2.0) == 1.0
    assert reciprocity(1.0, 4.0) == 0.25
    assert reciprocity(0.0, 3.0) == 0.0
    assert reciprocity(0.0, 0.0) is None
    with pytest.raises(ValueError, match="negative"):
        reciprocity(-1.0, 1.0)


def test_cross_function_share_counts_each_link_once():
    links = {("Sales", "Sales"): 3, ("Sales", "IT"): 1}
    assert cross_function_share(links) == 0.25
    assert symmetric_cells(links) == {("Sales", "Sales"): 3, ("Sales", "IT"): 1, ("IT", "Sales"): 1}
    assert cross_function_share({}) is None


def test_quarter_labels_sort():
    assert quarter_of(2026, 1) == "2026 Q1"
    assert quarter_of(2026, 12) == "2026 Q4"


def test_bucket_regroups_a_histogram_into_ranges():
    from stepahead.core.insights import bucket

    assert bucket([(0, 2), (7, 1), (8, 4), (30, 1), (31, 5)], (7, 14)) == [
        ("0–7", 3),
        ("8–14", 4),
        ("15+", 6),
    ]
    assert bucket([], (7,)) == [("0–7", 0), ("8+", 0)]


def test_level_changes_worked_by_hand():
    # SQL: 5 people, 6 pairs (one person rated in two partnerships): before 1+1+2+2+3+3 = 12,
    # after 3+2+2+4+3+4 = 18; four pairs rose. Means 2.0 → 3.0, change +1.0, rose 4/6.
    # Excel: 4 people only — under the anonymity threshold, left out.
    rows = [("SQL", 5, 6, 12, 18, 4), ("Excel", 4, 4, 4, 12, 4), ("Python", 7, 7, 21, 14, 0)]
    found = level_changes(rows, threshold=5)
    assert found == [
        LevelChange("Python", 7, 3.0, 2.0, -1.0, 0.0),
        LevelChange("SQL", 5, 2.0, 3.0, 1.0, 0.6667),
    ]


def test_level_changes_at_the_threshold_edge_and_with_no_pairs():
    assert [c.skill for c in level_changes([("A", 5, 5, 5, 5, 0), ("B", 4, 9, 9, 9, 0)], 5)] == ["A"]
    assert level_changes([("A", 5, 0, 0, 0, 0)], 5) == []


@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5)), min_size=1, max_size=40))
def test_level_change_is_the_mean_of_the_differences(pairs):
    before, after = sum(b for b, _ in pairs), sum(a for _, a in pairs)
    rose = sum(1 for b, a in pairs if a > b)
    (change,) = level_changes([("S", 5, len(pairs), before, after, rose)], 5)
    assert change.change == pytest.approx(sum(a - b for b, a in pairs) / len(pairs), abs=0.01)
    assert 0 <= change.rose <= 1
