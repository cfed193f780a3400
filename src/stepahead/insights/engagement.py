"""Reads for engagement and outcomes from the partnership lifecycle: sessions held against the
agreed cadence, partnerships at risk, early endings and their reasons, goal outcomes.

Aggregates only: counts and averages per month, reason or goal; never a session's notes or a
goal's reflections (HR sees that sessions happened, not what was said).
"""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.db.models import Avg, Count, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from stepahead.core.partnering import GRACE
from stepahead.lifecycle.models import (
    AgreementVersion,
    Closure,
    ClosureKind,
    EarlyEndReason,
    Goal,
    GoalOutcome,
    RatingMoment,
    Session,
    SessionStatus,
    SkillRating,
)
from stepahead.partnerships.models import Partnership, PartnershipStatus

from .selectors import Filters, Scope, day_of

# Partnerships that got as far as an agreement's life: running or ended after it.
LIVED = (PartnershipStatus.ACTIVE, PartnershipStatus.COMPLETED, PartnershipStatus.ENDED_EARLY)


def _partnerships(scope: Scope, filters: Filters) -> QuerySet[Partnership]:
    """Partnerships in scope with at least one member matching the people filters."""
    found = scope.partnerships(filters)
    people = filters.people("members__enrolment__person__")
    return found.filter(people).distinct() if people else found


def _in_scope(scope: Scope, filters: Filters, prefix: str) -> Q:
    """A condition on a related partnership (through `prefix`) being in scope."""
    q = Q(**{f"{prefix}organisation": scope.organisation})
    if scope.programme is not None:
        q &= Q(**{f"{prefix}programme": scope.programme})
    if filters.since is not None:
        q &= Q(**{f"{prefix}created_at__gte": filters.since})
    people = filters.people(f"{prefix}members__enrolment__person__")
    if people:
        q &= Q(**{f"{prefix}pk__in": _partnerships(scope, filters).values("pk")})
    return q


def sessions_by_month(scope: Scope, filters: Filters) -> list[tuple[dt.date, int, int]]:
    """(month, sessions held, partnerships that held one) for the last twelve months with any."""
    rows = (
        Session.objects.filter(_in_scope(scope, filters, "partnership__"), status=SessionStatus.HELD)
        .annotate(month=TruncMonth("starts_at"))
        .values("month")
        .annotate(held=Count("pk"), partnerships=Count("partnership", distinct=True))
        .order_by("-month")[:12]
    )
    return sorted((day_of(r["month"]), r["held"], r["partnerships"]) for r in rows)


def running_in(scope: Scope, filters: Filters, months: list[dt.date]) -> list[int]:
    """Per month, partnerships whose agreement had started by the month's end and that had not
    closed before it began: those expected to meet that month. One query for all the months
    (the partnerships joined to a small table of them)."""
    if not months:
        return []
    first = AgreementVersion.objects.filter(partnership=OuterRef("pk"), number=1).values("starts_on")[:1]
    spans = (
        _partnerships(scope, filters)
        .filter(status__in=LIVED)
        .annotate(began=Subquery(first), closed=F("closure__closed_at"))
        .filter(began__isnull=False)
        .values("pk", "began", "closed")
    )
    inner, params = spans.query.sql_with_params()
    ops = connection.ops
    table = " UNION ALL ".join(
        f"SELECT {i} AS i, %s AS month_start, %s AS month_end" for i in range(len(months))
    )
    sql = (
        f"SELECT q.i, COUNT(*) FROM ({inner}) g JOIN ({table}) q "
        "ON g.began < q.month_end AND (g.closed IS NULL OR g.closed >= q.month_start) GROUP BY q.i"
    )
    values = []
    for month in months:  # a closure on the month's first day (local time) still counts
        start = timezone.make_aware(dt.datetime(month.year, month.month, 1))
        values += [ops.adapt_datetimefield_value(start), ops.adapt_datefield_value(_month_after(month))]
    counts = [0] * len(months)
    with connection.cursor() as cursor:
        cursor.execute(sql, (*params, *values))
        for i, n in cursor.fetchall():
            counts[int(i)] = int(n)
    return counts


def _month_after(month: dt.date) -> dt.date:
    return dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def agreed_cadence_days(scope: Scope, filters: Filters) -> float | None:
    """The mean cadence (days between sessions) of the current agreements of active partnerships."""
    latest = AgreementVersion.objects.filter(partnership=OuterRef("partnership")).order_by("-number")
    found = (
        AgreementVersion.objects.filter(
            _in_scope(scope, filters, "partnership__"), partnership__status=PartnershipStatus.ACTIVE
        )
        .filter(pk=Subquery(latest.values("pk")[:1]))
        .aggregate(mean=Avg("cadence_days"))
    )
    mean = found["mean"]
    return None if mean is None else float(mean)


def at_risk(scope: Scope, filters: Filters, now: dt.datetime) -> tuple[int, int, dict[str, int]]:
    """(active partnerships, at risk, {reason: partnerships}) — overdue by cadence plus grace, or
    flagged by the nudge batch with its reasons."""
    active = _partnerships(scope, filters).filter(status=PartnershipStatus.ACTIVE)
    overdue = Q(next_session_due_at__lte=now - GRACE)
    risky = active.filter(overdue | ~Q(risk_reasons=[]))
    reasons: dict[str, int] = {"overdue": active.filter(overdue).count()}
    for flagged in risky.exclude(risk_reasons=[]).values_list("risk_reasons", flat=True)[:5000]:
        for reason in flagged or []:
            if reason != "overdue":
                reasons[str(reason)] = reasons.get(str(reason), 0) + 1
    return active.count(), risky.count(), {k: v for k, v in reasons.items() if v}


def early_endings(scope: Scope, filters: Filters) -> tuple[int, int, list[tuple[str, int]]]:
    """(ended on plan, ended early, [(reason in words, partnerships)]) from closures."""
    closures = Closure.objects.filter(_in_scope(scope, filters, "partnership__"))
    kinds = dict(closures.values("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    words = dict(EarlyEndReason.choices)
    reasons = (
        closures.filter(kind=ClosureKind.EARLY)
        .values("reason")
        .annotate(n=Count("pk"))
        .order_by("-n", "reason")
    )
    return (
        kinds.get(ClosureKind.ON_PLAN, 0),
        kinds.get(ClosureKind.EARLY, 0),
        [(words.get(r["reason"], "No reason given"), r["n"]) for r in reasons],
    )


def goal_outcomes(scope: Scope, filters: Filters, most: int = 12) -> list[tuple[str, int, int, int, int]]:
    """(goal, achieved, partly, not achieved, open) for the most common goal titles (goals are
    pre-filled from people's development goals, so a title is usually a skill)."""
    rows = (
        Goal.objects.filter(_in_scope(scope, filters, "partnership__"), retired=False)
        .values("title")
        .annotate(
            total=Count("pk"),
            achieved=Count("pk", filter=Q(outcome=GoalOutcome.ACHIEVED)),
            partly=Count("pk", filter=Q(outcome=GoalOutcome.PARTLY)),
            missed=Count("pk", filter=Q(outcome=GoalOutcome.NOT_ACHIEVED)),
            open=Count("pk", filter=Q(outcome=GoalOutcome.OPEN)),
        )
        .order_by("-total", "title")[:most]
    )
    return [(r["title"], r["achieved"], r["partly"], r["missed"], r["open"]) for r in rows]


def level_pairs(scope: Scope, filters: Filters) -> list[tuple[str, int, int, int, int, int]]:
    """(skill, people, pairs, Σ before, Σ after, pairs that rose) per goal skill, from members'
    self-rated levels when the goals were agreed and at the close (both needed for a pair)."""
    after = SkillRating.objects.filter(
        member=OuterRef("member"), skill=OuterRef("skill"), moment=RatingMoment.AFTER
    ).values("level")[:1]
    rows = (
        SkillRating.objects.filter(_in_scope(scope, filters, "partnership__"), moment=RatingMoment.BEFORE)
        .annotate(after=Subquery(after))
        .filter(after__isnull=False)
        .values("skill__name")
        .annotate(
            people=Count("member__enrolment__person", distinct=True),
            pairs=Count("pk"),
            before_sum=Sum("level"),
            after_sum=Sum("after"),
            rose=Count("pk", filter=Q(after__gt=F("level"))),
        )
        .order_by("skill__name")
    )
    return [
        (r["skill__name"], r["people"], r["pairs"], r["before_sum"], r["after_sum"], r["rose"]) for r in rows
    ]
