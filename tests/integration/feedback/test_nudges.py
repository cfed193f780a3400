"""The nudge batch: each nudge due is sent once — across reruns, quiet hours and opt-outs."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine
from django.core import mail

from stepahead.feedback.pulses import answer_pulse
from stepahead.feedback.services import create_survey
from stepahead.mail.models import OutboundEmail
from stepahead.mail.services import deliver_due
from stepahead.nudges.batch import run_nudge_batch
from stepahead.nudges.models import Nudge, NudgeStatus
from stepahead.nudges.services import set_preferences
from tests.integration.factories import make_programme

from .factories import accepted_partnership, agree, session

# Tuesday 10 March 2026, 10:00 UTC (10:00 in London, 19:00 in Tokyo).
START = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def pair(world, clock):
    pair = accepted_partnership(world, make_programme(world), "n")
    agree(pair)
    return pair


def _kinds():
    return sorted(Nudge.objects.values_list("kind", "status"))


def test_session_reminder_is_sent_once_however_often_the_batch_runs(pair, clock):
    session(pair, START + timedelta(hours=20))
    first = run_nudge_batch()
    second = run_nudge_batch()
    assert (first.sent, second.sent, second.already_sent) == (2, 0, 2)
    assert OutboundEmail.objects.filter(key__startswith="nudge:session_reminder").count() == 2
    deliver_due()
    assert sorted(m.to[0] for m in mail.outbox) == ["n0@acme.test", "n1@acme.test"]
    assert "Tuesday 10 March" not in mail.outbox[0].body  # the session is on Wednesday
    assert "Wednesday 11 March at 06:00 (Europe/London)" in mail.outbox[0].body


def test_a_moved_session_gets_a_fresh_reminder(pair, clock):
    row = session(pair, START + timedelta(hours=20))
    run_nudge_batch()
    row.starts_at += timedelta(hours=2)
    row.save()
    assert run_nudge_batch().sent == 2


def test_quiet_hours_hold_a_nudge_until_they_end_where_the_person_is(pair, clock):
    set_preferences(
        user=pair.users[1],
        opted_out=False,
        time_zone="Asia/Tokyo",
        quiet_from=time(18, 0),
        quiet_until=time(8, 0),
    )
    session(pair, START + timedelta(hours=23))
    report = run_nudge_batch()
    assert (report.sent, report.quiet) == (1, 1)
    clock.shift(timedelta(hours=12))  # 07:00 in Tokyo: still quiet
    assert run_nudge_batch().sent == 0
    clock.shift(timedelta(hours=1, minutes=30))  # 08:30 in Tokyo, before the session
    assert run_nudge_batch().sent == 1
    assert Nudge.objects.filter(status=NudgeStatus.SENT).count() == 2


def test_an_opt_out_is_logged_and_sends_nothing(pair, clock):
    set_preferences(user=pair.users[0], opted_out=True, time_zone="", quiet_from=time(0), quiet_until=time(0))
    session(pair, START + timedelta(hours=5))
    report = run_nudge_batch()
    assert (report.sent, report.opted_out) == (1, 1)
    assert _kinds() == [("session_reminder", "opted_out"), ("session_reminder", "sent")]
    assert OutboundEmail.objects.count() == 1


def test_no_session_for_cadence_plus_grace_nudges_once_per_overdue_window(pair, clock):
    clock.shift(timedelta(days=16))  # cadence 14 + grace 3 not yet over
    assert run_nudge_batch().sent == 0
    clock.shift(timedelta(days=1, hours=1))
    assert run_nudge_batch().by_kind["no_session"] == 2
    assert run_nudge_batch().sent == 0
    clock.shift(timedelta(days=14))
    assert run_nudge_batch().by_kind["no_session"] == 2
    session(pair, START + timedelta(days=60))  # something planned at last
    clock.shift(timedelta(days=14))
    assert run_nudge_batch().by_kind["no_session"] == 0


def test_pulse_and_fit_check_reminders_go_to_those_who_have_not_answered(pair, clock):
    held = session(pair, START - timedelta(hours=3), held=True)
    answer_pulse(user=pair.users[0], session=held, value=4)
    clock.shift(timedelta(days=2))
    report = run_nudge_batch()
    assert report.by_kind == {"pulse": 1, "fit_check": 2}
    assert Nudge.objects.get(kind="pulse").user == pair.users[1]
    clock.shift(timedelta(days=30))  # the moment has passed: no more reminders
    assert run_nudge_batch().by_kind.get("pulse", 0) == 0


def test_survey_and_agreement_reminders(world, clock):
    programme = make_programme(world)
    pair = accepted_partnership(world, programme, "s")
    agree(pair, confirmed_by=pair.members[:1])
    create_survey(actor=world.manager, programme=programme, stage="midpoint", opens_at=START)
    clock.shift(timedelta(days=2, hours=1))
    report = run_nudge_batch()
    assert report.by_kind == {"agreement": 1, "survey": 2}
    assert Nudge.objects.get(kind="agreement").user == pair.users[1]


def test_a_person_without_email_is_logged_not_retried(pair, clock):
    person = pair.members[0].enrolment.person
    person.email = ""
    person.save()
    session(pair, START + timedelta(hours=5))
    first, second = run_nudge_batch(), run_nudge_batch()
    assert (first.sent, first.no_email, second.no_email) == (1, 1, 0)
