"""Nudge due-ness, quiet hours, idempotency keys and the at-risk rules."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from stepahead.core.nudges import (
    NudgeKind,
    PartnershipFacts,
    RiskReason,
    in_quiet_hours,
    nudge_key,
    overdue_window,
    reminder_due,
    risk_reasons,
    session_reminder_due,
    zone,
)

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
WEEK, DAY = timedelta(days=7), timedelta(days=1)
moments = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC))


def test_quiet_hours_follow_the_persons_zone():
    tokyo, london = zone("Asia/Tokyo"), zone("Europe/London")
    at = datetime(2026, 3, 10, 13, 0, tzinfo=UTC)  # 22:00 in Tokyo, 13:00 in London
    assert in_quiet_hours(at, tokyo)
    assert not in_quiet_hours(at, london)


def test_quiet_window_within_a_day_and_none():
    at = datetime(2026, 3, 10, 13, 30, tzinfo=UTC)
    assert in_quiet_hours(at, zone("UTC"), (time(13, 0), time(14, 0)))
    assert not in_quiet_hours(at, zone("UTC"), (time(14, 0), time(15, 0)))
    assert not in_quiet_hours(at, zone("UTC"), (time(9, 0), time(9, 0)))


def test_unknown_zone_falls_back():
    assert zone("Mars/Olympus").key == "UTC"
    assert zone("", "Europe/London").key == "Europe/London"


@settings(deadline=None)  # a shared, loaded machine: time is not the property
@given(moments, st.integers(0, 23), st.integers(0, 23))
def test_a_crossing_window_is_the_complement_of_its_reverse(now, a, b):
    if a == b:
        return
    utc = zone("UTC")
    crossing, inside = (time(max(a, b)), time(min(a, b))), (time(min(a, b)), time(max(a, b)))
    assert in_quiet_hours(now, utc, crossing) != in_quiet_hours(now, utc, inside)


def test_session_reminder_window():
    assert session_reminder_due(NOW, NOW + timedelta(hours=23))
    assert session_reminder_due(NOW, NOW + timedelta(hours=24))
    assert not session_reminder_due(NOW, NOW + timedelta(hours=25))
    assert not session_reminder_due(NOW, NOW - timedelta(minutes=1))


def test_reminder_after_two_days_until_three_weeks():
    assert not reminder_due(NOW, NOW - DAY)
    assert reminder_due(NOW, NOW - 2 * DAY)
    assert not reminder_due(NOW, NOW - 22 * DAY)


@settings(deadline=None)  # a shared, loaded machine: time is not the property
@given(moments, st.integers(1, 60), st.integers(0, 30), st.integers(0, 400))
def test_overdue_windows_advance_once_per_cadence(anchor, cadence_days, grace_days, days_later):
    cadence, grace = timedelta(days=cadence_days), timedelta(days=grace_days)
    now = anchor + timedelta(days=days_later)
    window = overdue_window(now, anchor, cadence, grace)
    if days_later < cadence_days + grace_days:
        assert window is None
    else:
        assert window == (days_later - cadence_days - grace_days) // cadence_days


def test_keys_name_kind_subject_and_recipient():
    assert nudge_key(NudgeKind.PULSE, 7, "s12") == "nudge:pulse:s12:u7"
    assert nudge_key(NudgeKind.PULSE, 7, "s12") != nudge_key(NudgeKind.PULSE, 8, "s12")


def _facts(**changes):
    base = {"anchor": NOW - DAY, "cadence": 2 * WEEK, "grace": WEEK}
    return PartnershipFacts(**{**base, **changes})


def test_a_fresh_partnership_is_not_at_risk():
    assert risk_reasons(NOW, _facts()) == ()


def test_each_reason_and_their_order():
    facts = _facts(
        anchor=NOW - 4 * WEEK,
        recent_pulses=[2, 2, 3, 5, 5],  # only the newest 4 count: mean 3.0 is not low
        agreement_pending_since=NOW - WEEK,
        negative_fit_check=True,
        oldest_unanswered_reminder=NOW - WEEK,
    )
    assert risk_reasons(NOW, facts) == (
        RiskReason.OVERDUE,
        RiskReason.UNCONFIRMED_AGREEMENT,
        RiskReason.NEGATIVE_FIT_CHECK,
        RiskReason.NO_RESPONSE,
    )
    assert risk_reasons(NOW, _facts(recent_pulses=[2, 3])) == (RiskReason.LOW_PULSE,)
    assert risk_reasons(NOW, _facts(agreement_pending_since=NOW - 6 * DAY)) == ()
