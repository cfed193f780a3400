"""The demo carries feedback for the insights work: pulses, fit checks, a survey with results
HR may see, a support contact and concerns — and leaves the demo participant's own to give."""

from __future__ import annotations

from stepahead.concerns.models import Concern, ConcernStatus
from stepahead.demo import PARTICIPANT_EMAIL, load_demo
from stepahead.feedback.models import FitCheck, Pulse, Survey
from stepahead.feedback.selectors import survey_results


def test_the_demo_has_feedback_in_every_form(db):
    load_demo(headcount=120)
    assert Pulse.objects.filter(value__lte=2).exists()
    assert Pulse.objects.filter(value__gte=4).exists()
    assert FitCheck.objects.filter(good_fit=False).exists()
    assert not Pulse.objects.filter(member__enrolment__person__user__email=PARTICIPANT_EMAIL).exists()
    shown = [survey_results(survey=s) for s in Survey.objects.all()]
    assert any(result.respondents for result in shown)
    assert {c.status for c in Concern.objects.all()} == {ConcernStatus.CLOSED, ConcernStatus.OPEN}
