"""Reads for the insights pages: small aggregates computed in the database, per organisation or
programme, narrowed by period and by the people's function, grade and location.

Each function returns counts (or a few rows); `stepahead.core.insights` turns them into rates,
Gini coefficients and suggestions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, TruncQuarter

from stepahead.organisations.models import Organisation
from stepahead.partnerships.models import Partnership, PartnershipMember, PartnershipStatus, Response
from stepahead.people.models import DevelopmentGoal, Person, SkillLevel
from stepahead.programmes.models import Enrolment, EnrolmentStatus, Invitation, Programme

# Partnerships that went ahead: sent to the members and not withdrawn or declined, whether
# running now or ended; CURRENT are those running now.
RUNNING = (
    PartnershipStatus.APPROVED,
    PartnershipStatus.ACCEPTED,
    PartnershipStatus.ACTIVE,
    PartnershipStatus.COMPLETED,
    PartnershipStatus.ENDED_EARLY,
)
CURRENT = (PartnershipStatus.APPROVED, PartnershipStatus.ACCEPTED, PartnershipStatus.ACTIVE)
SAID_YES = (
    PartnershipStatus.ACCEPTED,
    PartnershipStatus.ACTIVE,
    PartnershipStatus.COMPLETED,
    PartnershipStatus.ENDED_EARLY,
)
GIVING_ROLES = ("mentor", "peer", "member")
RECEIVING_ROLES = ("mentee", "peer", "member")
# "One step ahead" in a skill for the supply side: a level of at least this (of 5).
GIVER_LEVEL = 3


@dataclass(frozen=True, slots=True)
class Filters:
    since: dt.datetime | None = None  # the period: records created from then on
    function: str = ""
    grade: int | None = None
    location: str = ""

    def people(self, prefix: str = "") -> Q:
        """A filter on Person fields, reached through `prefix` (e.g. "enrolment__person__")."""
        q = Q()
        if self.function:
            q &= Q(**{f"{prefix}function": self.function})
        if self.grade is not None:
            q &= Q(**{f"{prefix}grade": self.grade})
        if self.location:
            q &= Q(**{f"{prefix}location": self.location})
        return q

    def key(self) -> str:
        since = self.since.date().isoformat() if self.since else ""
        return f"{since}|{self.function}|{self.grade}|{self.location}"


@dataclass(frozen=True, slots=True)
class Scope:
    organisation: Organisation
    programme: Programme | None = None

    def key(self) -> str:
        return f"{self.organisation.pk}:{self.programme.pk if self.programme else '*'}"

    def partnerships(self, filters: Filters) -> QuerySet[Partnership]:
        found = Partnership.objects.filter(organisation=self.organisation)
        if self.programme is not None:
            found = found.filter(programme=self.programme)
        if filters.since is not None:
            found = found.filter(created_at__gte=filters.since)
        return found

    def memberships(self, filters: Filters) -> QuerySet[PartnershipMember]:
        found = PartnershipMember.objects.filter(partnership__organisation=self.organisation)
        if self.programme is not None:
            found = found.filter(partnership__programme=self.programme)
        if filters.since is not None:
            found = found.filter(partnership__created_at__gte=filters.since)
        return found.filter(filters.people("enrolment__person__"))

    def enrolments(self, filters: Filters) -> QuerySet[Enrolment]:
        found = Enrolment.objects.filter(programme__organisation=self.organisation)
        if self.programme is not None:
            found = found.filter(programme=self.programme)
        if filters.since is not None:
            found = found.filter(created_at__gte=filters.since)
        return found.filter(filters.people("person__"))

    def people(self, filters: Filters) -> QuerySet[Person]:
        return Person.objects.filter(organisation=self.organisation, is_active=True).filter(filters.people())


def funnel_counts(scope: Scope, filters: Filters) -> list[tuple[str, int]]:
    """People at each stage, from the eligible population to accepted partnerships."""
    invited = Invitation.objects.filter(programme__organisation=scope.organisation)
    if scope.programme is not None:
        invited = invited.filter(programme=scope.programme)
    if filters.since is not None:
        invited = invited.filter(created_at__gte=filters.since)
    invited = invited.filter(filters.people("person__"))
    enrolled = scope.enrolments(filters).filter(status=EnrolmentStatus.ACTIVE)
    # The partnership stages in one scan of the memberships, each a distinct count of people.
    # (Joining the confirmations repeats a member per version confirmed: distinct counts ignore it.)
    status = "partnership__status"
    stages = scope.memberships(filters).aggregate(
        matched=_people(Q(**{f"{status}__in": RUNNING})),
        accepted=_people(Q(**{f"{status}__in": SAID_YES})),
        confirmed=_people(Q(confirmations__isnull=False)),
        active=_people(Q(**{status: PartnershipStatus.ACTIVE})),
        completed=_people(Q(**{status: PartnershipStatus.COMPLETED})),
    )
    return [
        ("Eligible", scope.people(filters).count()),
        ("Invited", invited.values("person").distinct().count()),
        ("Enrolled", enrolled.values("person").distinct().count()),
        ("Matched", stages["matched"]),
        ("Accepted", stages["accepted"]),
        ("Agreement confirmed", stages["confirmed"]),
        ("Active", stages["active"]),
        ("Completed", stages["completed"]),
    ]


def _people(condition: Q) -> Count:
    return Count("enrolment__person", distinct=True, filter=condition)


def responses(scope: Scope, filters: Filters) -> dict[str, int]:
    """Members' answers to the partnerships sent to them: accepted, declined, pending."""
    rows = (
        scope.memberships(filters)
        .exclude(partnership__status__in=[PartnershipStatus.PROPOSED, PartnershipStatus.WITHDRAWN])
        .values("response")
        .annotate(n=Count("pk"))
    )
    counts = {answer.value: 0 for answer in Response}
    counts.update({row["response"]: row["n"] for row in rows})
    return counts


def decline_reasons(scope: Scope, filters: Filters, limit: int = 10) -> list[str]:
    """The latest reasons people gave for declining, without names."""
    rows = (
        scope.memberships(filters)
        .filter(response=Response.DECLINED)
        .exclude(decline_reason="")
        .order_by("-responded_at", "-pk")
        .values_list("decline_reason", flat=True)[:limit]
    )
    return list(rows)


def days_to_match(scope: Scope, filters: Filters) -> list[tuple[int, int]]:
    """A histogram (days from enrolment to the partnership being sent, people) in the database."""
    members = scope.memberships(filters).filter(
        partnership__status__in=RUNNING, partnership__approved_at__isnull=False
    )
    start = "e.created_at"
    end = "p.approved_at"
    if connection.vendor == "sqlite":
        days = f"CAST(julianday({end}) - julianday({start}) AS INTEGER)"
    else:
        days = f"CAST(EXTRACT(EPOCH FROM ({end} - {start})) / 86400 AS INTEGER)"
    ids, params = members.values("pk").query.sql_with_params()
    sql = (
        f"SELECT {days} AS days, COUNT(*) FROM partnerships_partnershipmember m "
        "JOIN partnerships_partnership p ON p.id = m.partnership_id "
        "JOIN programmes_enrolment e ON e.id = m.enrolment_id "
        f"WHERE m.id IN ({ids}) GROUP BY 1 ORDER BY 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(max(0, int(d)), int(n)) for d, n in cursor.fetchall()]


def _giving(scope: Scope, filters: Filters) -> QuerySet[PartnershipMember]:
    return scope.memberships(filters).filter(partnership__status__in=RUNNING, role__in=GIVING_ROLES)


def load_histogram(
    scope: Scope, filters: Filters, during: tuple[dt.datetime, dt.datetime] | None = None
) -> dict[int, int]:
    """{load: people}: how many people each giver supports across the partnerships running now,
    or during a period (started before its end, not closed before its start). A mentor supports
    their mentees, a peer their partner, a circle member the others."""
    if during is not None:
        return load_histograms(scope, filters, [during])[0]
    giving = _giving(scope, filters).filter(partnership__status__in=CURRENT)
    per_person = giving.values("enrolment__person").annotate(supported=Coalesce(Sum(_supported()), Value(0)))
    inner, params = per_person.values("supported").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT supported, COUNT(*) FROM ({inner}) t GROUP BY supported", params)
        return {int(load): int(n) for load, n in cursor.fetchall()}


def load_histograms(
    scope: Scope, filters: Filters, periods: list[tuple[dt.datetime, dt.datetime]]
) -> list[dict[int, int]]:
    """`load_histogram` for each period, in one query: the giving memberships are joined to a
    small table of the periods (one scan instead of one per quarter)."""
    if not periods:
        return []
    spans = (
        _giving(scope, filters)
        .annotate(
            person=F("enrolment__person"),
            started=F("partnership__created_at"),
            closed=F("partnership__closure__closed_at"),
            weight=_supported(),
        )
        .values("person", "started", "closed", "weight")
    )
    inner, params = spans.query.sql_with_params()
    adapt = connection.ops.adapt_datetimefield_value
    table = " UNION ALL ".join(f"SELECT {i} AS i, %s AS qs, %s AS qe" for i in range(len(periods)))
    sql = (
        "SELECT i, supported, COUNT(*) FROM ("
        "SELECT q.i AS i, g.person AS person, SUM(g.weight) AS supported "
        f"FROM ({inner}) g JOIN ({table}) q ON g.started < q.qe AND (g.closed IS NULL OR g.closed >= q.qs) "
        "GROUP BY q.i, g.person) t GROUP BY i, supported"
    )
    found: list[dict[int, int]] = [{} for _ in periods]
    with connection.cursor() as cursor:
        cursor.execute(sql, (*params, *(adapt(v) for period in periods for v in period)))
        for i, load, n in cursor.fetchall():
            found[int(i)][int(load)] = int(n)
    return found


def _supported() -> Case:
    """People a giving membership supports: the other member of a pair or mentoring match, the
    others of a circle (only circles need counting)."""
    size = Partnership.objects.filter(pk=OuterRef("partnership")).annotate(n=Count("members")).values("n")
    return Case(When(partnership__kind="circle", then=Subquery(size) - 1), default=Value(1))


def quarters(scope: Scope, filters: Filters, most: int = 8) -> list[dt.date]:
    """The starts of the quarters with partnerships, the latest `most`, oldest first."""
    rows = (
        scope.partnerships(filters)
        .filter(status__in=RUNNING)
        .annotate(q=TruncQuarter("created_at"))
        .values_list("q", flat=True)
        .distinct()
        .order_by("-q")[:most]
    )
    return sorted(day_of(q) for q in rows if q is not None)


def model_mix(scope: Scope, filters: Filters) -> list[tuple[dt.date, str, int]]:
    """(quarter, mode, partnerships started) for partnerships that went ahead."""
    rows = (
        scope.partnerships(filters)
        .filter(status__in=RUNNING)
        .annotate(q=TruncQuarter("created_at"))
        .values("q", "programme__mode")
        .annotate(n=Count("pk"))
        .order_by("q", "programme__mode")
    )
    return [(day_of(r["q"]), r["programme__mode"], r["n"]) for r in rows]


def non_senior_givers(scope: Scope, filters: Filters) -> list[tuple[dt.date, int, int]]:
    """(quarter, givers, givers not senior to someone they support) by partnership start.

    A giver is not senior when a person they support has the same grade or a higher one."""
    peer_or_above = PartnershipMember.objects.filter(
        partnership=OuterRef("partnership"),
        role__in=RECEIVING_ROLES,
        enrolment__person__grade__gte=OuterRef("enrolment__person__grade"),
    ).exclude(pk=OuterRef("pk"))
    rows = (
        _giving(scope, filters)
        .annotate(q=TruncQuarter("partnership__created_at"), level=Exists(peer_or_above))
        .values("q")
        .annotate(givers=Count("pk"), non_senior=Count("pk", filter=Q(level=True)))
        .order_by("q")
    )
    return [(day_of(r["q"]), r["givers"], r["non_senior"]) for r in rows]


def skill_demand_and_supply(scope: Scope, filters: Filters) -> tuple[dict[str, int], dict[str, int]]:
    """Per skill: people with it as a goal, and people at level 3 or more who could give it.

    For a programme, its enrolled people; organisation-wide, everyone active."""
    people: QuerySet[Any, Any] = (
        scope.enrolments(filters).filter(status=EnrolmentStatus.ACTIVE).values("person")
        if scope.programme is not None
        else scope.people(filters).values("pk")
    )
    demand = (
        DevelopmentGoal.objects.filter(person__in=people).values("skill__name").annotate(n=Count("person"))
    )
    supply = (
        SkillLevel.objects.filter(person__in=people, level__gte=GIVER_LEVEL)
        .values("skill__name")
        .annotate(n=Count("person", distinct=True))
    )
    return (
        {row["skill__name"]: row["n"] for row in demand},
        {row["skill__name"]: row["n"] for row in supply},
    )


def function_links(scope: Scope, filters: Filters) -> dict[tuple[str, str], int]:
    """Links between members of partnerships that went ahead, by the two people's functions
    (each unordered pair of members once, circles contributing every pair)."""
    rows = (
        scope.memberships(filters)
        .filter(partnership__status__in=RUNNING, partnership__members__pk__gt=F("pk"))
        .values("enrolment__person__function", "partnership__members__enrolment__person__function")
        .annotate(n=Count("pk"))
    )
    links: dict[tuple[str, str], int] = {}
    for row in rows:
        pair = sorted(
            (
                row["enrolment__person__function"] or "(none)",
                row["partnership__members__enrolment__person__function"] or "(none)",
            )
        )
        key = (pair[0], pair[1])
        links[key] = links.get(key, 0) + row["n"]
    return links


def filter_choices(organisation: Organisation) -> dict[str, list[str] | list[int]]:
    """The functions, grades and locations people in the organisation have, for the filter form:
    one scan for the distinct combinations (a few hundred rows), not one scan per field."""
    # order_by() clears Person's default ordering, which DISTINCT would otherwise include.
    combinations = (
        Person.objects.filter(organisation=organisation, is_active=True)
        .order_by()
        .values_list("function", "grade", "location")
        .distinct()
    )
    functions: set[str] = set()
    grades: set[int] = set()
    locations: set[str] = set()
    for function, grade, location in combinations:
        functions.add(function)
        grades.add(int(grade))
        locations.add(location)
    return {
        "functions": sorted(functions - {""}),
        "grades": sorted(grades),
        "locations": sorted(locations - {""}),
    }


def day_of(value: dt.datetime | dt.date) -> dt.date:
    """The day a TruncMonth or TruncQuarter row starts (in the current time zone): truncating a
    date-time field gives a datetime, which the charts compare with dates."""
    return value.date() if isinstance(value, dt.datetime) else value
