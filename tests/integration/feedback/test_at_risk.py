"""The programme manager's at-risk list: each reason appears when time passes, says nothing of
who answered what, and the batch stores the reasons for HR's partnerships page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from django.utils import timezone

from stepahead.core.nudges import RISK_WORDS, RiskReason
from stepahead.feedback.pulses import answer_pulse
from stepahead.feedback.services import answer_fit_check
from stepahead.nudges.batch import run_nudge_batch
from stepahead.nudges.selectors import at_risk_partnerships
from tests.integration.factories import make_programme

from .factories import accepted_partnership, agree, session

START = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)


def _reasons(programme):
    return {
        row.partnership.pk: set(row.reasons)
        for row in at_risk_partnerships(programme=programme, now=timezone.now())
    }


def test_reasons_appear_as_time_passes(world):
    with time_machine.travel(START, tick=False) as clock:
        programme = make_programme(world)
        quiet, unhappy, unconfirmed = (accepted_partnership(world, programme, tag) for tag in "qua")
        agree(quiet)
        agree(unhappy)
        agree(unconfirmed, confirmed_by=unconfirmed.members[:1])
        held = session(unhappy, START - timedelta(hours=3), held=True)
        answer_pulse(user=unhappy.users[0], session=held, value=1, comment="Waste of time")
        answer_pulse(user=unhappy.users[1], session=held, value=2)
        answer_fit_check(user=unhappy.users[1], partnership=unhappy.partnership, good_fit=False)
        assert _reasons(programme) == {
            unhappy.partnership.pk: {
                RISK_WORDS[RiskReason.LOW_PULSE],
                RISK_WORDS[RiskReason.NEGATIVE_FIT_CHECK],
            }
        }
        clock.shift(timedelta(days=3))
        run_nudge_batch()  # the fit check reminder to unhappy's first member, the agreement prompt
        clock.shift(timedelta(days=15))
        reasons = _reasons(programme)
        assert RISK_WORDS[RiskReason.OVERDUE] in reasons[quiet.partnership.pk]
        assert RISK_WORDS[RiskReason.UNCONFIRMED_AGREEMENT] in reasons[unconfirmed.partnership.pk]
        assert RISK_WORDS[RiskReason.NO_RESPONSE] in reasons[unconfirmed.partnership.pk]
        assert RISK_WORDS[RiskReason.NO_RESPONSE] in reasons[unhappy.partnership.pk]
        run_nudge_batch()
        quiet.partnership.refresh_from_db()
        assert quiet.partnership.risk_reasons == ["overdue"]
