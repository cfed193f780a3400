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
