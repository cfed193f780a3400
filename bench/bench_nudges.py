"""Nudge batch benchmark: 5,000 active partnerships and 100,000 sessions, target ≤ 30 s.

    uv run python -m bench.bench_nudges                 # 5,000 partnerships, 20 sessions each
    uv run python -m bench.bench_nudges --quick         # 500 partnerships
    uv run python -m bench.bench_nudges --database-url postgres://postgres@127.0.0.1:5432/bench_nudges

The child process (`--job`) migrates a fresh database (a temporary SQLite file unless a
PostgreSQL URL is given: that database is dropped and re-created), fills it with bulk inserts,
untimed, then times `run_nudge_batch` at a fixed moment (10:00 UTC, outside default quiet hours):

- one programme of 10,000 people in 5,000 active pairs, each with a confirmed agreement
  (fortnightly) and 20 sessions (100,000): 19 held and logged long ago, and a last one that is
  held and logged 3 days ago (1 pair in 10: pulse and fit-check reminders), scheduled for
  tomorrow (1 in 10: session reminders) or was logged 5 weeks ago (1 in 10: overdue nudges);
- a midpoint survey that opened 3 days ago (a reminder to everyone who has not answered, the
  heaviest moment of a programme: 10,000 emails).

The URLconf is imported before timing (a long-running worker has it; it costs seconds once per
process). The first batch sends every due nudge (each with its outbox email and delivery task); the
second finds them all sent (the cost of a cron run on a quiet day). Both times are quoted with
the nudges sent. Results: bench/results/nudges[-quick].{json,md}.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.common import (
    RESULT_MARKER,
    finish,
    fmt,
    machine_facts,
    machine_markdown,
    markdown_table,
    run_platform_job,
)

LIMIT = 30.0
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_nudges")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--partnerships", type=int)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--timeout", type=float, default=3600)
    parser.add_argument("--job", help=argparse.SUPPRESS)
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    if args.job:
        return _child(json.loads(args.job))
    size = args.partnerships or (500 if args.quick else 5_000)
    facts = machine_facts()
    job = {"partnerships": size}
    record = run_platform_job("bench.bench_nudges", job, database_url=args.database_url, timeout=args.timeout)
    rows = [
        [
            f"{size:,}",
            f"{record.get('sessions', 0):,}",
            record["database"],
            fmt(record.get("first_seconds")),
            f"{record.get('first_sent', 0):,}",
            fmt(record.get("second_seconds")),
            "yes" if record.get("first_seconds", LIMIT + 1) <= LIMIT else "NO",
        ]
    ]
    header = [
        "partnerships",
        "sessions",
        "database",
        "first batch s",
        "nudges sent",
        "rerun s",
        f"≤ {LIMIT:.0f} s",
    ]
    report = "\n\n".join(
        ["# Nudge batch", machine_markdown(facts), markdown_table(header, rows), record.get("error", "")]
    )
    print(report)
    return finish("nudges-quick" if args.quick else "nudges", facts, [record], report + "\n")


def _child(job: dict[str, Any]) -> int:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stepahead.config.settings")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    sessions = _fill(job["partnerships"])
    from django.urls import reverse

    from stepahead.nudges.batch import run_nudge_batch

    reverse("web:home")  # import the URLconf (and every view) first, as a running worker has
    started = time.perf_counter()
    first = run_nudge_batch(now=NOW)
    first_seconds = time.perf_counter() - started
    started = time.perf_counter()
    second = run_nudge_batch(now=NOW)
    second_seconds = time.perf_counter() - started
    assert second.sent == 0, "a rerun sent nudges again"
    record = {
        **{k: v for k, v in job.items() if k != "url"},
        "sessions": sessions,
        "first_seconds": round(first_seconds, 2),
        "first_sent": first.sent,
        "first_by_kind": dict(first.by_kind),
        "at_risk": first.at_risk,
        "second_seconds": round(second_seconds, 2),
        "second_already_sent": second.already_sent,
    }
    print(RESULT_MARKER + json.dumps(record))
    return 0


def _fill(size: int) -> int:
    """Bulk-insert the programme; returns the number of sessions."""
    from django.contrib.auth import get_user_model

    from stepahead.feedback.models import Survey
    from stepahead.feedback.questions import default_questions
    from stepahead.organisations.models import Organisation
    from stepahead.partnerships.models import Partnership, PartnershipMember
    from stepahead.people.models import Person
    from stepahead.programmes.models import Enrolment, Programme

    org = Organisation.objects.create(name="Bench", slug="bench")
    programme = Programme.objects.create(organisation=org, name="Bench peers", mode="peer", status="running")
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"u{n}@bench.test", email=f"u{n}@bench.test") for n in range(2 * size)
    )
    people = Person.objects.bulk_create(
        Person(organisation=org, hris_id=f"P{n}", name=f"Person {n}", email=u.email, grade=3, user=u)
        for n, u in enumerate(users)
    )
    enrolments = Enrolment.objects.bulk_create(Enrolment(programme=programme, person=p) for p in people)
    agreed = NOW - timedelta(days=300)
    partnerships = Partnership.objects.bulk_create(
        Partnership(
            organisation=org,
            programme=programme,
            kind="pair",
            status="active",
            activated_at=agreed,
            next_session_due_at=NOW + timedelta(days=7),
        )
        for _ in range(size)
    )
    members = PartnershipMember.objects.bulk_create(
        PartnershipMember(partnership=p, enrolment=enrolments[2 * n + side], role="peer", response="accepted")
        for n, p in enumerate(partnerships)
        for side in (0, 1)
    )
    _agreements(partnerships, members, agreed)
    sessions = _sessions(partnerships)
    survey = Survey.objects.create(
        programme=programme, stage="midpoint", title="Midpoint", opens_at=NOW - timedelta(days=3)
    )
    from stepahead.feedback.models import Question

    Question.objects.bulk_create(
        Question(survey=survey, position=n, **q._asdict())
        for n, q in enumerate(default_questions(stage="midpoint", peer=True), 1)
    )
    return sessions


def _agreements(partnerships: list[Any], members: list[Any], agreed: datetime) -> None:
    from stepahead.lifecycle.models import AgreementConfirmation, AgreementVersion

    versions = AgreementVersion.objects.bulk_create(
        AgreementVersion(
            partnership=p,
            number=1,
            cadence_days=14,
            session_minutes=60,
            channel="video",
            starts_on=agreed.date(),
            ends_on=(agreed + timedelta(days=365)).date(),
            created_at=agreed,
        )
        for p in partnerships
    )
    AgreementConfirmation.objects.bulk_create(
        AgreementConfirmation(version=versions[n // 2], member=m, confirmed_at=agreed)
        for n, m in enumerate(members)
    )


def _sessions(partnerships: list[Any]) -> int:
    from stepahead.lifecycle.models import Session
    from stepahead.partnerships.models import Partnership

    rows, overdue = [], []
    for n, p in enumerate(partnerships):
        for k in range(19):
            starts = NOW - timedelta(days=300 - 14 * k)
            rows.append(_session(p, n, k, starts, held=True))
        case = n % 10
        if case == 0:  # logged 3 days ago: pulse and fit-check reminders
            rows.append(_session(p, n, 19, NOW - timedelta(days=3, hours=3), held=True))
        elif case == 1:  # tomorrow: session reminders
            rows.append(_session(p, n, 19, NOW + timedelta(hours=20), held=False))
        else:
            rows.append(_session(p, n, 19, NOW - timedelta(days=35), held=True))
            if case == 2:
                overdue.append(p.pk)
    Session.objects.bulk_create(rows, batch_size=5000)
    Partnership.objects.filter(pk__in=overdue).update(next_session_due_at=NOW - timedelta(days=21))
    return len(rows)


def _session(partnership: Any, n: int, k: int, starts: datetime, *, held: bool) -> Any:
    from stepahead.lifecycle.models import Session

    return Session(
        partnership=partnership,
        uid=f"bench-{n}-{k}@stepahead",
        starts_at=starts,
        time_zone="Europe/London",
        minutes=60,
        status="held" if held else "scheduled",
        created_at=starts - timedelta(days=7),
        updated_at=starts - timedelta(days=7),
        logged_at=starts + timedelta(hours=2) if held else None,
    )


if __name__ == "__main__":
    sys.exit(main())
