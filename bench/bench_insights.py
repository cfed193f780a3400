"""Insights benchmark: the programme insights page for 100k people, 50k partnerships and 500k
sessions (target ≤ 300 ms server time), and the ISMCP evidence PDF (target ≤ 5 s).

    uv run python -m bench.bench_insights --database-url postgres://postgres@127.0.0.1:5432/bench_insights
    uv run python -m bench.bench_insights --quick        # 10k people, SQLite

The child process (`--job`) migrates the database (a PostgreSQL database is dropped and made
anew; without a URL, a temporary SQLite file), fills it with bulk inserts, untimed: one
organisation of N people (40 skills, 3 levels and 2 goals each, 8 functions, 4 locations,
grades 1–8), all enrolled in one open-mentoring programme; N/2 partnerships over eight quarters
(three in four peer-style pairs of two members, mentors with 1–6 mentees), in every status
(active, completed, ended early with reasons, accepted, approved), each with an agreement, goals
and 10 held sessions (5N sessions), plus purpose, briefing items and training records.

Then, through the Django test client as the programme's manager, with DEBUG off, after one
untimed request of each (a server process loads templates and fonts once):
- the insights page with an empty cache (every aggregate computed), `--repeats` times;
- the same page again, served from the overview cache (`INSIGHTS_CACHE_SECONDS`);
- the evidence report as PDF (WeasyPrint).
Medians are quoted. Results: bench/results/insights[-quick].{json,md}.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from typing import Any

from bench.common import RESULT_MARKER, finish, fmt, machine_facts, machine_markdown, markdown_table, run_job

LIMITS = {"page_warm": 0.300, "pdf": 5.0}
NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_insights")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--people", type=int)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--reuse", action="store_true", help="keep a PostgreSQL database already built")
    parser.add_argument("--timeout", type=float, default=3600)
    parser.add_argument("--job", help=argparse.SUPPRESS)
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    if args.job:
        return _child(json.loads(args.job))
    people = args.people or (10_000 if args.quick else 100_000)
    facts = machine_facts()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/insights.sqlite3"
        job = {
            "people": people,
            "repeats": args.repeats,
            "database": url.split(":", 1)[0],
            "reuse": args.reuse,
        }
        env = {"DATABASE_URL": url, "STEPAHEAD_VAR_DIR": tmp, "DEBUG": "0", "SECRET_KEY": "bench"}
        command = [sys.executable, "-m", "bench.bench_insights", "--job", json.dumps({**job, "url": url})]
        record = run_job(job, args.timeout, command=command, env=env)
    ok = [record.get(k, 1e9) <= limit for k, limit in LIMITS.items()]
    rows = [
        [
            f"{people:,}",
            f"{record.get('partnerships', 0):,}",
            f"{record.get('sessions', 0):,}",
            record["database"],
            fmt(record.get("build_seconds")),
            fmt(record.get("page_cold")),
            fmt(record.get("page_warm"), 3),
            fmt(record.get("pdf")),
            "yes" if ok[0] else "NO",
            "yes" if ok[1] else "NO",
        ]
    ]
    header = [
        "people",
        "partnerships",
        "sessions",
        "database",
        "build s",
        "page, cold cache s",
        "page, cached s",
        "PDF s",
        "page ≤ 0.3 s",
        "PDF ≤ 5 s",
    ]
    report = "\n\n".join(
        [
            "# Insights page and evidence PDF",
            machine_markdown(facts),
            markdown_table(header, rows),
            record.get("error", ""),
        ]
    )
    print(report)
    return finish("insights-quick" if args.quick else "insights", facts, [record], report + "\n")


def _fresh_postgres(url: str) -> None:
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    with psycopg.connect(
        host=config["HOST"],
        port=config["PORT"] or None,
        user=config["USER"],
        dbname="postgres",
        autocommit=True,
    ) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{config["NAME"]}"')
        admin.execute(f'CREATE DATABASE "{config["NAME"]}"')


def _child(job: dict[str, Any]) -> int:
    if job["url"].startswith("postgres") and not job.get("reuse"):
        _fresh_postgres(job["url"])
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stepahead.config.settings")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    from bench.insights_data import fill, reuse

    found = reuse() if job.get("reuse") else None
    programme, manager, counts = found or fill(job["people"], NOW)
    build = time.perf_counter() - started
    from django.core.cache import cache
    from django.test import Client

    client = Client()
    client.force_login(manager)
    url = f"/programmes/{programme.pk}/insights/"
    pdf_url = f"/programmes/{programme.pk}/evidence.pdf"
    _timed(client, url)  # untimed warm-up: templates and fonts load once per server process
    _timed(client, pdf_url)
    cold, warm, pdf = [], [], []
    for _ in range(job["repeats"]):
        cache.clear()
        cold.append(_timed(client, url))
    for _ in range(job["repeats"]):
        warm.append(_timed(client, url))
    for _ in range(max(1, job["repeats"] // 2)):
        pdf.append(_timed(client, pdf_url))
    record = {
        **{k: v for k, v in job.items() if k != "url"},
        **counts,
        "build_seconds": round(build, 1),
        "page_cold": round(statistics.median(cold), 3),
        "page_warm": round(statistics.median(warm), 4),
        "pdf": round(statistics.median(pdf), 3),
        "page_cold_runs": [round(t, 3) for t in cold],
        "pdf_runs": [round(t, 3) for t in pdf],
    }
    print(RESULT_MARKER + json.dumps(record))
    return 0


def _timed(client: Any, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, (url, response.status_code)
    return elapsed


if __name__ == "__main__":
    sys.exit(main())
