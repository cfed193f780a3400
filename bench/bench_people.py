"""HR people directory benchmark: the list with every filter, and a person page, at 10,000
people (target ≤ 300 ms server time, a fixed number of queries whatever the size).

    uv run python -m bench.bench_people              # 10,000 people
    uv run python -m bench.bench_people --quick      # 1,000 people
    uv run python -m bench.bench_people --database-url postgres://postgres@127.0.0.1:5432/bench_people

The child process migrates a fresh database (temporary SQLite unless a PostgreSQL URL is given),
fills it untimed (people in 12 functions, 8 grades, 20 locations; one programme with every tenth
person enrolled), then times, as an organisation admin, `--repeats` GETs of each view after one
warm-up (`bench_partnerships._timed`); medians are quoted. Results: bench/results/people[-quick].
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from bench.bench_partnerships import _client, _timed
from bench.common import (
    RESULT_MARKER,
    finish,
    fmt,
    machine_facts,
    machine_markdown,
    markdown_table,
    run_platform_job,
)

LIMIT_MS = 300.0
VIEWS = {
    "list": "/people/",
    "function": "/people/?function=Function%2003",
    "all filters": "/people/?function=Function%2003&grade=4&location=Location%2007&programme={programme}",
    "search": "/people/?q=Person%2004",
    "page 50": "/people/?page=50",
    "person": "/people/{person}/",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_people")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--people", type=int)
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--timeout", type=float, default=1800)
    parser.add_argument("--job", help=argparse.SUPPRESS)
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    if args.job:
        return _child(json.loads(args.job))
    size = args.people or (1_000 if args.quick else 10_000)
    facts = machine_facts()
    job = {"people": size, "repeats": args.repeats}
    record = run_platform_job("bench.bench_people", job, database_url=args.database_url, timeout=args.timeout)
    rows = [
        [
            name,
            f"{size:,}",
            record["database"],
            fmt(record.get(f"{name}_median_ms"), 1),
            str(record.get(f"{name}_queries", "")),
            "yes" if record.get(f"{name}_median_ms", LIMIT_MS + 1) <= LIMIT_MS else "NO",
        ]
        for name in VIEWS
    ]
    header = ["view", "people", "database", "median ms", "queries", f"≤ {LIMIT_MS:.0f} ms"]
    report = "\n\n".join(
        [
            "# HR people directory",
            machine_markdown(facts),
            markdown_table(header, rows),
            record.get("error", ""),
        ]
    )
    print(report)
    return finish("people-quick" if args.quick else "people", facts, [record], report + "\n")


def _child(job: dict[str, Any]) -> int:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stepahead.config.settings")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    admin, programme, person = _fill(job["people"])
    client = _client(admin)
    record: dict[str, Any] = dict(job)
    for name, path in VIEWS.items():
        record.update(_timed(client, path.format(programme=programme, person=person), name, job["repeats"]))
    print(RESULT_MARKER + json.dumps(record))
    return 0


def _fill(size: int) -> tuple[Any, int, int]:
    from django.contrib.auth import get_user_model

    from stepahead.organisations.services import create_organisation
    from stepahead.people.models import Person
    from stepahead.people.services import write_development_goals, write_skill_levels
    from stepahead.programmes.models import Enrolment, Programme

    admin = get_user_model().objects.create_user(username="admin@bench.test", email="admin@bench.test")
    org = create_organisation(name="Bench", slug="bench", admin_user=admin)
    Person.objects.bulk_create(
        Person(
            organisation=org,
            hris_id=f"E{i:06d}",
            name=f"Person {i:06d}",
            email=f"p{i}@bench.test",
            function=f"Function {i % 12:02d}",
            grade=1 + i % 8,
            location=f"Location {i % 20:02d}",
        )
        for i in range(size)
    )
    programme = Programme.objects.create(organisation=org, name="Bench peers", status="enrolling")
    people = list(Person.objects.filter(organisation=org).order_by("pk"))
    Enrolment.objects.bulk_create(Enrolment(programme=programme, person=p) for p in people[::10])
    first = people[0]
    write_skill_levels(person=first, levels={"sql": 3, "excel": 2, "python": 4}, source="self")
    write_development_goals(person=first, goals=["negotiation", "pitching"])
    return admin, programme.pk, first.pk


if __name__ == "__main__":
    sys.exit(main())
