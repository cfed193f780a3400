"""A small programme with partnerships of known shape, for the insights selectors and pages."""

from __future__ import annotations

import datetime as dt

from stepahead.partnerships.models import Partnership, PartnershipMember, PartnershipStatus
from stepahead.programmes.models import Enrolment, Programme
from stepahead.programmes.services import save_enrolment
from tests.integration.factories import World, make_person, make_programme

Q1 = dt.datetime(2026, 1, 15, 9, 0, tzinfo=dt.UTC)
Q2 = dt.datetime(2026, 4, 15, 9, 0, tzinfo=dt.UTC)


def partnership(
    programme: Programme,
    members: list[tuple[Enrolment, str]],
    *,
    status: str = PartnershipStatus.ACCEPTED,
    created_at: dt.datetime = Q1,
    kind: str = "mentoring",
) -> Partnership:
    made = Partnership.objects.create(
        organisation=programme.organisation, programme=programme, kind=kind, status=status, score=1.0
    )
    Partnership.objects.filter(pk=made.pk).update(
        created_at=created_at, approved_at=created_at + dt.timedelta(days=2)
    )
    for enrolment, role in members:
        PartnershipMember.objects.create(
            partnership=made,
            enrolment=enrolment,
            role=role,
            response="accepted" if status == PartnershipStatus.ACCEPTED else "pending",
        )
    return made


def mentoring_programme(world: World) -> tuple[Programme, dict[str, Enrolment]]:
    """One expert mentor (grade 6, Finance) with three mentees, one junior mentor (grade 2, IT)
    mentoring a grade-3 mentee (reverse-like), and one unmatched mentee.

    Loads: the expert supports 3, the junior mentor 1 → histogram {3: 1, 1: 1}."""
    programme = make_programme(world, mode="open")
    people = {
        "expert": make_person(
            world.org, "X", 6, function="Finance", location="London", skills={"sql": 5, "excel": 4}
        ),
        "junior": make_person(world.org, "J", 2, function="IT", location="Leeds", skills={"python": 4}),
        "m1": make_person(world.org, "M1", 2, function="Finance", location="London", goals=["sql"]),
        "m2": make_person(world.org, "M2", 3, function="IT", location="Leeds", goals=["sql", "python"]),
        "m3": make_person(world.org, "M3", 3, function="Sales", location="London", goals=["excel"]),
        "m4": make_person(world.org, "M4", 3, function="Sales", location="Leeds", goals=["negotiation"]),
        "m5": make_person(world.org, "M5", 4, function="IT", location="Leeds", goals=["python"]),
    }
    roles = {"expert": "mentor", "junior": "mentor"}
    enrolments = {
        name: save_enrolment(
            programme=programme,
            person=person,
            role=roles.get(name, "mentee"),
            capacity=3 if name == "expert" else None,
        )
        for name, person in people.items()
    }
    Programme.objects.filter(pk=programme.pk).update(status="running")
    programme.refresh_from_db()
    e = enrolments
    partnership(programme, [(e["expert"], "mentor"), (e["m1"], "mentee")])
    partnership(programme, [(e["expert"], "mentor"), (e["m2"], "mentee")])
    partnership(programme, [(e["expert"], "mentor"), (e["m3"], "mentee")], created_at=Q2)
    partnership(programme, [(e["junior"], "mentor"), (e["m5"], "mentee")], status="approved", created_at=Q2)
    # Withdrawn and declined proposals do not count as partnerships that went ahead.
    partnership(programme, [(e["junior"], "mentor"), (e["m4"], "mentee")], status="withdrawn")
    return programme, enrolments


def _at(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=10, tzinfo=dt.UTC)


def live(
    partnership_: Partnership,
    *,
    status: str,
    start: str,
    cadence: int = 14,
    sessions=(),
    goals=(),
    closed: tuple[str, str, str] | None = None,
    due: str | None = None,
) -> None:
    """Give a partnership a confirmed agreement, held sessions, goals and perhaps a closure."""
    from stepahead.lifecycle.models import AgreementConfirmation, AgreementVersion, Closure, Goal, Session

    Partnership.objects.filter(pk=partnership_.pk).update(
        status=status, next_session_due_at=_at(due) if due else None
    )
    version = AgreementVersion.objects.create(
        partnership=partnership_,
        number=1,
        cadence_days=cadence,
        session_minutes=60,
        channel="video",
        starts_on=dt.date.fromisoformat(start),
        ends_on=dt.date.fromisoformat(start) + dt.timedelta(weeks=26),
        created_at=_at(start),
    )
    members = list(partnership_.members.all())
    for member in members:
        AgreementConfirmation.objects.create(version=version, member=member, confirmed_at=_at(start))
    for day in sessions:
        Session.objects.create(
            partnership=partnership_,
            uid=f"{partnership_.pk}-{day}@test",
            starts_at=_at(day),
            minutes=60,
            status="held",
            created_at=_at(day),
            updated_at=_at(day),
            logged_at=_at(day),
        )
    for title, outcome in goals:
        Goal.objects.create(
            partnership=partnership_, owner=members[-1], title=title, outcome=outcome, created_at=_at(start)
        )
    if closed:
        kind, reason, day = closed
        Closure.objects.create(partnership=partnership_, kind=kind, reason=reason, closed_at=_at(day))


def lived_programme(world: World) -> tuple[Programme, dict[str, Enrolment]]:
    """The mentoring programme with its three expert partnerships lived out:

    - expert–m1: active since 5 Jan, cadence 14 days (2.17 a month), sessions 10 Jan, 24 Jan,
      7 Feb; overdue since 1 March (at risk); goal "sql" open.
    - expert–m2: completed 30 March; sessions 12 Jan and 15 Feb; goals "sql" achieved, "python"
      partly.
    - expert–m3: ended early on 20 April (schedules); one session 20 Apr; goal "excel" not achieved.
    """
    programme, enrolments = mentoring_programme(world)
    first, second, third = Partnership.objects.filter(
        programme=programme, members__enrolment=enrolments["expert"]
    ).order_by("pk")[:3]
    live(
        first,
        status="active",
        start="2026-01-05",
        sessions=["2026-01-10", "2026-01-24", "2026-02-07"],
        goals=[("sql", "open")],
        due="2026-03-01",
    )
    live(
        second,
        status="completed",
        start="2026-01-05",
        sessions=["2026-01-12", "2026-02-15"],
        goals=[("sql", "achieved"), ("python", "partly")],
        closed=("on_plan", "", "2026-03-30"),
    )
    live(
        third,
        status="ended_early",
        start="2026-04-16",
        sessions=["2026-04-20"],
        goals=[("excel", "not")],
        closed=("early", "schedules", "2026-04-25"),
    )
    return programme, enrolments


def rate_levels(programme: Programme, enrolments: dict[str, Enrolment]) -> None:
    """Self-rated levels in SQL before and after for five people (worked by hand: before 8/5 =
    1.6, after 14/5 = 2.8, change +1.2, 4 of 5 rose), and in Excel for four (under the threshold)."""
    from stepahead.lifecycle.models import RatingMoment, SkillRating
    from stepahead.people.models import Skill

    sql, excel = Skill.objects.get(key="sql"), Skill.objects.get(key="excel")
    ratings = [
        (sql, "m1", 1, 3),
        (sql, "m2", 2, 2),
        (sql, "m3", 2, 4),
        (sql, "m5", 3, 4),
        (sql, "junior", 0, 1),
    ]
    ratings += [(excel, name, 1, 2) for name in ("m1", "m2", "m3", "m5")] + [(excel, "junior", 1, None)]
    for skill, name, before, after in ratings:
        member = PartnershipMember.objects.filter(
            partnership__programme=programme, enrolment=enrolments[name]
        ).first()
        assert member is not None
        for moment, level in ((RatingMoment.BEFORE, before), (RatingMoment.AFTER, after)):
            if level is not None:
                SkillRating.objects.create(
                    partnership=member.partnership,
                    member=member,
                    skill=skill,
                    moment=moment,
                    level=level,
                    recorded_at=Q2,
                )
