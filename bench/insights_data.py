"""The insights benchmark's organisation, built with bulk inserts (see bench_insights)."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import Any

FUNCTIONS = ["Finance", "IT", "Sales", "Marketing", "Operations", "HR", "Legal", "Product"]
LOCATIONS = ["London", "Leeds", "Dublin", "Berlin"]
SKILLS = 40
SESSIONS_EACH = 10
BATCH = 5000
STATUSES = ["active"] * 50 + ["completed"] * 20 + ["ended_early"] * 10 + ["accepted"] * 10 + ["approved"] * 10
REASONS = ["schedules", "not_a_fit", "goals_met", "role_change", "left"]


def fill(size: int, now: datetime) -> tuple[Any, Any, dict[str, int]]:
    """(programme, its manager, row counts) for an organisation of `size` people."""
    from django.contrib.auth import get_user_model

    from stepahead.organisations.models import Membership, Organisation
    from stepahead.programmes.models import Programme, ProgrammeManager

    rng = random.Random(14)
    org = Organisation.objects.create(name="Bench", slug="bench")
    manager = get_user_model().objects.create_user(username="hr@bench.test", email="hr@bench.test")
    Membership.objects.create(organisation=org, user=manager, role="programme_manager")
    programme = Programme.objects.create(
        organisation=org,
        name="Bench mentoring",
        mode="open",
        status="running",
        starts_on=(now - timedelta(days=730)).date(),
        purpose="Grow skills across functions.",
        objectives="Half of mentees reach a goal\nA quarter of links cross functions",
    )
    ProgrammeManager.objects.create(programme=programme, user=manager)
    people = _people(org, size, rng)
    enrolments = _enrolments(programme, people)
    partnerships, members = _partnerships(org, programme, enrolments, now, rng)
    sessions = _lifecycle(partnerships, members, now, rng)
    _briefing(programme, enrolments, people, now)
    return (
        programme,
        manager,
        {"partnerships": len(partnerships), "members": len(members), "sessions": sessions},
    )


def reuse() -> tuple[Any, Any, dict[str, int]] | None:
    """The programme of an earlier build (`--reuse`), or None when there is none."""
    from django.contrib.auth import get_user_model

    from stepahead.lifecycle.models import Session
    from stepahead.partnerships.models import Partnership, PartnershipMember
    from stepahead.programmes.models import Programme

    programme = Programme.objects.filter(organisation__slug="bench").first()
    if programme is None:
        return None
    counts = {
        "partnerships": Partnership.objects.filter(programme=programme).count(),
        "members": PartnershipMember.objects.filter(partnership__programme=programme).count(),
        "sessions": Session.objects.filter(partnership__programme=programme).count(),
    }
    return programme, get_user_model().objects.get(email="hr@bench.test"), counts


def _people(org: Any, size: int, rng: random.Random) -> list[Any]:
    from stepahead.people.models import DevelopmentGoal, Person, Skill, SkillLevel

    skills = Skill.objects.bulk_create(
        Skill(organisation=org, name=f"Skill {k}", key=f"skill {k}") for k in range(SKILLS)
    )
    people = Person.objects.bulk_create(
        (
            Person(
                organisation=org,
                hris_id=f"P{n}",
                name=f"Person {n}",
                grade=rng.randint(1, 8),
                function=FUNCTIONS[n % len(FUNCTIONS)],
                location=LOCATIONS[n % len(LOCATIONS)],
            )
            for n in range(size)
        ),
        batch_size=BATCH,
    )
    levels, goals = [], []
    for person in people:
        picked = rng.sample(skills, 5)
        levels += [SkillLevel(person=person, skill=s, level=rng.randint(1, 5)) for s in picked[:3]]
        goals += [DevelopmentGoal(person=person, skill=s, priority=i + 1) for i, s in enumerate(picked[3:])]
    SkillLevel.objects.bulk_create(levels, batch_size=BATCH)
    DevelopmentGoal.objects.bulk_create(goals, batch_size=BATCH)
    return people


def _enrolments(programme: Any, people: list[Any]) -> list[Any]:
    from stepahead.programmes.models import Enrolment

    return Enrolment.objects.bulk_create(
        (
            Enrolment(programme=programme, person=p, role="mentor" if n % 4 == 0 else "mentee")
            for n, p in enumerate(people)
        ),
        batch_size=BATCH,
    )


def _partnerships(org: Any, programme: Any, enrolments: list[Any], now: datetime, rng: random.Random):
    """One partnership per two people: mentors (every fourth person) take 1–6 mentees each."""
    from stepahead.partnerships.models import Partnership, PartnershipMember

    mentors = [e for n, e in enumerate(enrolments) if n % 4 == 0]
    mentees = [e for n, e in enumerate(enrolments) if n % 4 != 0]
    rng.shuffle(mentees)
    count = len(enrolments) // 2
    pairs = []
    for n in range(count):
        # Skewed load: a few mentors take many mentees (the dependence the Gini should show).
        mentor = mentors[
            min(int(rng.paretovariate(1.5)) - 1, len(mentors) - 1) * 7 % len(mentors)
            if n % 3 == 0
            else n % len(mentors)
        ]
        pairs.append((mentor, mentees[n % len(mentees)]))
    made = Partnership.objects.bulk_create(
        (
            Partnership(
                organisation=org,
                programme=programme,
                kind="mentoring",
                status=rng.choice(STATUSES),
                score=1.2,
                reasons=["One step ahead in Skill 1."],
                approved_at=now,
            )
            for _ in pairs
        ),
        batch_size=BATCH,
    )
    for p in made:
        p.created_at = now - timedelta(days=rng.randint(0, 720))
        p.approved_at = p.created_at + timedelta(days=3)
        p.next_session_due_at = now + timedelta(days=rng.randint(-40, 14)) if p.status == "active" else None
    Partnership.objects.bulk_update(
        made, ["created_at", "approved_at", "next_session_due_at"], batch_size=BATCH
    )
    members = PartnershipMember.objects.bulk_create(
        (
            PartnershipMember(
                partnership=p,
                enrolment=e,
                role=role,
                response="accepted" if p.status != "approved" else "pending",
            )
            for p, (mentor, mentee) in zip(made, pairs, strict=True)
            for e, role in ((mentor, "mentor"), (mentee, "mentee"))
        ),
        batch_size=BATCH,
    )
    return made, members


def _lifecycle(partnerships: list[Any], members: list[Any], now: datetime, rng: random.Random) -> int:
    from stepahead.lifecycle.models import AgreementConfirmation, AgreementVersion, Closure, Goal, Session

    lived = [p for p in partnerships if p.status in ("active", "completed", "ended_early")]
    versions = AgreementVersion.objects.bulk_create(
        (
            AgreementVersion(
                partnership=p,
                number=1,
                cadence_days=14,
                session_minutes=60,
                channel="video",
                starts_on=p.created_at.date(),
                ends_on=p.created_at.date() + timedelta(weeks=26),
                created_at=p.created_at,
            )
            for p in lived
        ),
        batch_size=BATCH,
    )
    by_partnership: dict[int, list[Any]] = {}
    for m in members:
        by_partnership.setdefault(m.partnership_id, []).append(m)
    AgreementConfirmation.objects.bulk_create(
        (
            AgreementConfirmation(version=v, member=m, confirmed_at=v.created_at)
            for v in versions
            for m in by_partnership[v.partnership_id]
        ),
        batch_size=BATCH,
    )
    outcomes = ["achieved", "partly", "not", "open"]
    Goal.objects.bulk_create(
        (
            Goal(
                partnership=p,
                owner=by_partnership[p.pk][1],
                title=f"Skill {rng.randrange(SKILLS)}",
                outcome=rng.choice(outcomes) if p.status != "active" else "open",
                created_at=p.created_at,
            )
            for p in lived
        ),
        batch_size=BATCH,
    )
    Closure.objects.bulk_create(
        (
            Closure(
                partnership=p,
                kind="on_plan" if p.status == "completed" else "early",
                reason="" if p.status == "completed" else rng.choice(REASONS),
                closed_at=min(now, p.created_at + timedelta(days=rng.randint(30, 200))),
            )
            for p in lived
            if p.status != "active"
        ),
        batch_size=BATCH,
    )
    count = 0
    rows = []
    for p in partnerships:
        for k in range(SESSIONS_EACH):
            starts = p.created_at + timedelta(days=7 + 14 * k)
            rows.append(
                Session(
                    partnership=p,
                    uid=f"b-{p.pk}-{k}@bench",
                    starts_at=starts,
                    minutes=60,
                    status="held" if starts < now else "scheduled",
                    created_at=starts,
                    updated_at=starts,
                    logged_at=starts if starts < now else None,
                )
            )
        if len(rows) >= BATCH * 4:
            Session.objects.bulk_create(rows, batch_size=BATCH)
            count += len(rows)
            rows = []
    Session.objects.bulk_create(rows, batch_size=BATCH)
    return count + len(rows)


def _briefing(programme: Any, enrolments: list[Any], people: list[Any], now: datetime) -> None:
    from stepahead.people.models import MentorTraining
    from stepahead.programmes.models import BriefingCompletion, BriefingItem

    items = [
        BriefingItem.objects.create(programme=programme, title="Ground rules"),
        BriefingItem.objects.create(
            programme=programme, title="Mentor skills", kind="training", audience="givers"
        ),
    ]
    BriefingCompletion.objects.bulk_create(
        (
            BriefingCompletion(item=items[0], enrolment=e, completed_at=now)
            for n, e in enumerate(enrolments)
            if n % 3
        ),
        batch_size=BATCH,
    )
    MentorTraining.objects.bulk_create(
        (
            MentorTraining(
                person=p,
                course="Mentoring essentials",
                provider="Academy",
                accreditation="EMCC EQA",
                completed_on=date(2025, 3, 1),
            )
            for n, p in enumerate(people)
            if n % 8 == 0
        ),
        batch_size=BATCH,
    )
