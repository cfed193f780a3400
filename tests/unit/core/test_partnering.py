"""Pure rules of a partnership's life: defaults, rotation, cadence, expected sessions."""

from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from stepahead.core.partnering import (
    default_terms,
    expected_sessions,
    facilitator_for,
    is_overdue,
    next_session_due,
    rotated,
    terms_problems,
)


def test_defaults_end_with_the_programme_but_never_before_the_start():
    today = date(2026, 3, 2)
    assert default_terms(today=today, circle=False).ends_on == date(2026, 8, 31)
    assert default_terms(today=today, circle=False, programme_ends_on=date(2026, 6, 30)).ends_on == date(
        2026, 6, 30
    )
    assert default_terms(today=today, circle=False, programme_ends_on=date(2026, 1, 1)).ends_on == date(
        2026, 8, 31
    )
    assert "facilitator" in default_terms(today=today, circle=True).ground_rules
    assert terms_problems(default_terms(today=today, circle=False)) == []


def test_problems_name_the_field():
    terms = default_terms(today=date(2026, 3, 2), circle=False)
    from dataclasses import replace

    bad = replace(terms, cadence_days=0, channel="pigeon", ends_on=terms.starts_on)
    assert [p.split(":")[0] for p in terms_problems(bad)] == ["Meeting cadence", "Channel", "Planned end"]


@given(st.lists(st.integers(1, 50), min_size=1, max_size=6, unique=True), st.integers(0, 100))
def test_everyone_facilitates_once_per_round(rotation, start):
    round_ = [facilitator_for(rotation, start + i) for i in range(len(rotation))]
    assert sorted(round_) == sorted(rotation)


def test_no_rotation_means_no_facilitator():
    assert facilitator_for([], 3) is None


@given(st.lists(st.integers(1, 9)), st.lists(st.integers(1, 9), unique=True))
def test_rotation_is_always_exactly_the_members(stored, members):
    assert sorted(rotated(stored, members)) == sorted(members)


def test_cadence_due_and_overdue_after_grace():
    anchor = datetime(2026, 3, 1, 10, tzinfo=UTC)
    assert next_session_due(anchor, 14) == anchor + timedelta(days=14)
    assert not is_overdue(anchor + timedelta(days=20), anchor, 14)
    assert is_overdue(anchor + timedelta(days=21), anchor, 14)


def test_expected_sessions_count_full_cadences_until_today_or_the_end():
    start = date(2026, 1, 1)
    assert expected_sessions(start, date(2026, 1, 14), None, 14) == 0
    assert expected_sessions(start, date(2026, 1, 15), None, 14) == 1
    assert expected_sessions(start, date(2027, 1, 1), date(2026, 2, 26), 14) == 4
    assert expected_sessions(start, date(2025, 1, 1), None, 14) == 0
