"""Reads for feedback insights: response rates, pulse scores from each side, NPS and the
balance of giving and receiving — every score over 5 or more distinct respondents only
(`core.feedback.ANONYMITY_THRESHOLD`); smaller groups are left out, never shown.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Avg, Count, Q
from django.db.models.functions import TruncQuarter

from stepahead.core.feedback import ANONYMITY_THRESHOLD
from stepahead.feedback.models import Aspect, FitCheck, Pulse, QuestionKind, SurveyAnswer, SurveyResponse
from stepahead.lifecycle.models import Session, SessionStatus
from stepahead.partnerships.models import PartnershipMember

from .engagement import _in_scope
from .selectors import Filters, Scope, day_of

# Which side of a partnership a member answers from, for "both directions".
SIDES = {"mentor": "Mentors", "mentee": "Mentees", "peer": "Peers", "member": "Circle members"}


def response_rates(scope: Scope, filters: Filters) -> dict[str, tuple[int, int]]:
    """{what: (answered, asked)}: a pulse per member per held session, a fit check per member of
    a partnership that has met, each survey per member of a partnership that has met."""
    held = Session.objects.filter(_in_scope(scope, filters, "partnership__"), status=SessionStatus.HELD)
    pulses_asked = held.aggregate(n=Count("partnership__members"))["n"]
    met = PartnershipMember.objects.filter(partnership__in=held.values("partnership")).count()
    responses = SurveyResponse.objects.filter(_in_scope(scope, filters, "partnership__"))
    surveys = responses.values("survey").distinct().count()
    return {
        "Pulses": (Pulse.objects.filter(_in_scope(scope, filters, "partnership__")).count(), pulses_asked),
        "Fit checks": (FitCheck.objects.filter(_in_scope(scope, filters, "partnership__")).count(), met),
        "Surveys": (responses.count(), surveys * met),
    }


def pulse_by_side(scope: Scope, filters: Filters) -> list[tuple[dt.date, str, float, int]]:
    """(quarter, side, mean pulse 1–5, respondents) for groups of 5 or more respondents."""
    rows = (
        Pulse.objects.filter(_in_scope(scope, filters, "partnership__"))
        .annotate(q=TruncQuarter("answered_at"))
        .values("q", "member__role")
        .annotate(mean=Avg("value"), people=Count("member__enrolment__person", distinct=True))
        .order_by("q", "member__role")
    )
    return [
        (
            day_of(r["q"]),
            SIDES.get(r["member__role"], r["member__role"]),
            round(float(r["mean"]), 2),
            r["people"],
        )
        for r in rows
        if r["people"] >= ANONYMITY_THRESHOLD
    ]


def nps_answers(scope: Scope, filters: Filters) -> list[tuple[str, int, int, int, int]]:
    """(survey, respondents, promoters, passives, detractors) per survey with 5+ respondents."""
    rows = (
        SurveyAnswer.objects.filter(
            _in_scope(scope, filters, "response__partnership__"),
            question__kind=QuestionKind.NPS,
            value__isnull=False,
        )
        .values("response__survey__title")
        .annotate(
            people=Count("response__member__enrolment__person", distinct=True),
            promoters=Count("pk", filter=Q(value__gte=9)),
            passives=Count("pk", filter=Q(value__gte=7, value__lte=8)),
            detractors=Count("pk", filter=Q(value__lte=6)),
        )
        .order_by("response__survey__title")
    )
    return [
        (r["response__survey__title"], r["people"], r["promoters"], r["passives"], r["detractors"])
        for r in rows
        if r["people"] >= ANONYMITY_THRESHOLD
    ]


def giving_and_receiving(scope: Scope, filters: Filters) -> list[tuple[float, float]]:
    """(mean "what I gave", mean "what I received") per partnership, from peer surveys, for
    partnerships where someone answered both; shown only as a distribution over 5 or more."""
    rows = (
        SurveyAnswer.objects.filter(
            _in_scope(scope, filters, "response__partnership__"),
            value__isnull=False,
            question__aspect__in=[Aspect.GAVE, Aspect.RECEIVED],
        )
        .values("response__partnership")
        .annotate(
            gave=Avg("value", filter=Q(question__aspect=Aspect.GAVE)),
            received=Avg("value", filter=Q(question__aspect=Aspect.RECEIVED)),
        )
    )
    pairs = [(float(r["gave"]), float(r["received"])) for r in rows if r["gave"] and r["received"]]
    return pairs if len(pairs) >= ANONYMITY_THRESHOLD else []
