"""Feedback insights: response rates, and scores only for groups of 5 or more respondents."""

from __future__ import annotations

import datetime as dt

from stepahead.feedback.models import FitCheck, Pulse
from stepahead.insights import feedback as f
from stepahead.insights.selectors import Filters, Scope
from stepahead.lifecycle.models import Session
from stepahead.partnerships.models import Partnership, PartnershipMember
from tests.integration.insights.builders import lived_programme

ALL = Filters()
AT = dt.datetime(2026, 2, 10, 12, tzinfo=dt.UTC)


def _pulse(member, session, value):
    Pulse.objects.create(
        partnership=member.partnership, member=member, session=session, value=value, answered_at=AT
    )


def test_pulses_from_fewer_than_five_people_stay_hidden_and_five_show(world):
    programme, enrolments = lived_programme(world)
    first = Partnership.objects.filter(programme=programme, status="active").get()
    session = Session.objects.filter(partnership=first).first()
    # Give the first partnership more mentees (artificial, to reach five people on one side).
    extra = [
        PartnershipMember.objects.create(partnership=first, enrolment=enrolments[n], role="mentee")
        for n in ("m2", "m3", "m4", "m5")
    ]
    mentees = [first.members.get(role="mentee", enrolment=enrolments["m1"]), *extra]
    mentor = first.members.get(role="mentor")
    for member in mentees[:4]:
        _pulse(member, session, 4)
    _pulse(mentor, session, 5)
    scope = Scope(world.org, programme)
    assert f.pulse_by_side(scope, ALL) == []  # 4 mentees, 1 mentor: both groups under 5
    _pulse(mentees[4], session, 2)
    assert f.pulse_by_side(scope, ALL) == [(dt.date(2026, 1, 1), "Mentees", 3.6, 5)]


def test_response_rates(world):
    programme, _ = lived_programme(world)
    first = Partnership.objects.filter(programme=programme, status="active").get()
    member = first.members.first()
    _pulse(member, Session.objects.filter(partnership=first).first(), 3)
    FitCheck.objects.create(partnership=first, member=member, good_fit=True, answered_at=AT)
    rates = f.response_rates(Scope(world.org, programme), ALL)
    # Six held sessions in partnerships of two: twelve pulses asked; three partnerships met.
    assert rates["Pulses"] == (1, 12)
    assert rates["Fit checks"] == (1, 6)
    assert rates["Surveys"] == (0, 0)
