"""HR Partnerships page benchmark: 5,000 active partnerships and 100,000 sessions, target
≤ 300 ms server time for the page.

    uv run python -m bench.bench_partnerships                 # 5,000 partnerships, 20 sessions each
    uv run python -m bench.bench_partnerships --quick         # 500 partnerships
    uv run python -m bench.bench_partnerships --database-url postgres://postgres@127.0.0.1:5432/bench_hr

The child process (`--job`) migrates a fresh database (a temporary SQLite file unless a
PostgreSQL URL is given), fills it untimed with the nudge benchmark's programme (`bench_nudges`:
one peer programme, 5,000 active pairs with confirmed fortnightly agreements and 20 sessions
each; 1 in 10 overdue, so "at risk"), then times, as the programme manager, `--repeats` GETs of
the page (first page, every status), the at-risk filter and a member search, each after one
warm-up request; medians are quoted. The CSV of all 5,000 rows is timed once (no target).
Server time is the in-process request time through Django's test client (middleware, views,
queries and templates; no network). Results: bench/results/partnerships[-quick].{json,md}.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
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

LIMIT_MS = 300.0
VIEWS = {"page": "", "at risk": "?status=at_risk", "search": "?q=Person%2042"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_partnerships")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--partnerships", type=int)
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--timeout", type=float, default=3600)
    parser.add_argument("--job", help=argparse.SUPPRESS)
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    if args.job:
        return _child(json.loads(args.job))
    size = args.partnerships or (500 if args.quick else 5_000)
    facts = machine_facts()
    job = {"partnerships": size, "repeats": args.repeats}
    record = run_platform_job(
        "bench.bench_partnerships", job, database_url=args.database_url, timeout=args.timeout
    )
    rows = [
        [
            name,
            f"{size:,}",
            f"{record.get('sessions', 0):,}",
            record["database"],
            fmt(record.get(f"{name}_median_ms"), 1),
            str(record.get(f"{name}_queries", "")),
            "yes" if record.get(f"{name}_median_ms", LIMIT_MS + 1) <= LIMIT_MS else "NO",
        ]
        for name in VIEWS
    ]
    header = ["view", "partnerships", "sessions", "database", "median ms", "queries", f"≤ {LIMIT_MS:.0f} ms"]
    csv_line = (
        f"CSV export of every row: {fmt(record.get('csv_ms'), 0)} ms, {record.get('csv_rows', 0):,} rows."
    )
    report = "\n\n".join(
        [
            "# HR Partnerships page",
            machine_markdown(facts),
            markdown_table(header, rows),
            csv_line,
            record.get("error", ""),
        ]
    )
    print(report)
    return finish("partnerships-quick" if args.quick else "partnerships", facts, [record], report + "\n")


def _child(job: dict[str, Any]) -> int:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stepahead.config.settings")
    django.setup()
    from django.core.management import call_command

    from bench.bench_nudges import NOW, _fill

    call_command("migrate", verbosity=0)
    sessions = _fill(job["partnerships"])
    programme, manager = _manager()
    import time_machine

    record: dict[str, Any] = {**job, "sessions": sessions}
    with time_machine.travel(NOW, tick=True):  # the fill's moment: 1 in 10 pairs overdue
        client = _client(manager)
        base = f"/programmes/{programme.pk}/partnerships/"
        for name, query in VIEWS.items():
            record.update(_timed(client, base + query, name, job["repeats"]))
        start = time.perf_counter()
        response = client.get(f"/programmes/{programme.pk}/partnerships.csv")
        record["csv_ms"] = round((time.perf_counter() - start) * 1000, 1)
        record["csv_rows"] = response.content.count(b"\n") - 1
    print(RESULT_MARKER + json.dumps(record))
    return 0


def _manager() -> tuple[Any, Any]:
    from django.contrib.auth import get_user_model

    from stepahead.organisations.models import Membership, Role
    from stepahead.partnerships.models import Partnership
    from stepahead.programmes.models import Programme, ProgrammeManager

    programme = Programme.objects.get(name="Bench peers")
    manager = get_user_model().objects.create_user(username="hr@bench.test", email="hr@bench.test")
    Membership.objects.create(organisation=programme.organisation, user=manager, role=Role.PROGRAMME_MANAGER)
    ProgrammeManager.objects.create(programme=programme, user=manager)
    Partnership.objects.filter(programme=programme).update(last_activity_at=programme.created_at)
    return programme, manager


def _client(user: Any) -> Any:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def _timed(client: Any, path: str, name: str, repeats: int) -> dict[str, Any]:
    from django.db import connection

    queries = [0]

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        queries[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        first = client.get(path)  # warm-up: templates compiled, caches filled
    assert first.status_code == 200, f"GET {path} answered {first.status_code}"
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - start) * 1000)
    return {
        f"{name}_median_ms": round(statistics.median(times), 1),
        f"{name}_ms_all": [round(t, 1) for t in times],
        f"{name}_queries": queries[0],
        f"{name}_kb": round(len(first.content) / 1024, 1),
    }


if __name__ == "__main__":
    sys.exit(main())
