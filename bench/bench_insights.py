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

Then, through the Django test client as the programme's manager, with DEBUG off:
- after one untimed request (a server process loads templates once), the insights page on a
  first visit (no stored figures, an empty cache: it asks the worker and says so) and the
  worker's computation of its figures (`services.compute_figures`), `--repeats` times;
- the page served from its stored figures and its status poll, at least 5 times;
- the evidence report as PDF (WeasyPrint), laid out afresh (cache cleared), with the time split
  between the report's data, its HTML and WeasyPrint; and once more unchanged (from the cache).
Medians are quoted. Results: bench/results/insights[-quick].{json,md}.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from datetime import UTC, datetime
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

LIMITS = {"page_first": 0.300, "page_warm": 0.300, "pdf": 5.0}
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
    job = {"people": people, "repeats": args.repeats, "reuse": args.reuse}
    record = run_platform_job(
        "bench.bench_insights", job, database_url=args.database_url, timeout=args.timeout
    )
    ok = [record.get(k, 1e9) <= limit for k, limit in LIMITS.items()]
    rows = [
        [
            f"{people:,}",
            f"{record.get('partnerships', 0):,}",
            f"{record.get('sessions', 0):,}",
            record["database"],
            fmt(record.get("build_seconds")),
            fmt(record.get("page_first"), 3),
            fmt(record.get("compute")),
            fmt(record.get("page_warm"), 3),
            fmt(record.get("status"), 3),
            fmt(record.get("pdf")),
            fmt(record.get("pdf_unchanged")),
            " / ".join(fmt(record.get(k), 2) for k in ("pdf_data", "pdf_html", "pdf_weasyprint")),
            *["yes" if met else "NO" for met in ok],
        ]
    ]
    header = [
        "people",
        "partnerships",
        "sessions",
        "database",
        "build s",
        "page, first visit s",
        "figures computed (worker) s",
        "page with figures s",
        "status poll s",
        "PDF s",
        "PDF again, unchanged s",
        "PDF: data / HTML / WeasyPrint s",
        "first visit ≤ 0.3 s",
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

    from stepahead.insights.models import InsightSnapshot

    client = Client()
    client.force_login(manager)
    url = f"/programmes/{programme.pk}/insights/"
    pdf_url = f"/programmes/{programme.pk}/evidence.pdf"
    first, compute, served, status, pdf = [], [], [], [], []
    _timed(client, url)  # untimed warm-up: templates load once per server process
    for _ in range(job["repeats"]):
        InsightSnapshot.objects.all().delete()
        cache.clear()
        first.append(_timed(client, url))  # no figures yet: asks the worker, shows "preparing"
        compute.append(_compute(programme))
    _timed(client, pdf_url)  # untimed warm-up: fonts load once per server process
    for _ in range(max(5, job["repeats"])):
        served.append(_timed(client, url))
        status.append(_timed(client, f"{url}status/?shown=x"))
    for _ in range(max(1, job["repeats"] // 2)):
        cache.clear()  # a report laid out afresh (an unchanged one comes from the cache)
        pdf.append(_timed(client, pdf_url))
    pdf_again = _timed(client, pdf_url)
    parts = [_pdf_parts(programme) for _ in range(max(1, job["repeats"] // 2))]
    record = {
        **{k: v for k, v in job.items() if k != "url"},
        **counts,
        "build_seconds": round(build, 1),
        "page_first": round(statistics.median(first), 3),
        "compute": round(statistics.median(compute), 3),
        "page_warm": round(statistics.median(served), 4),
        "status": round(statistics.median(status), 4),
        "pdf": round(statistics.median(pdf), 3),
        "pdf_unchanged": round(pdf_again, 3),
        # Where the PDF's time goes: the report's data (queries), its HTML, WeasyPrint.
        **{
            k: round(statistics.median(p[k] for p in parts), 3)
            for k in ("pdf_data", "pdf_html", "pdf_weasyprint")
        },
        "compute_runs": [round(t, 3) for t in compute],
        "page_runs": [round(t, 4) for t in served],
        "pdf_runs": [round(t, 3) for t in pdf],
        "load_after": list(os.getloadavg()),
    }
    print(RESULT_MARKER + json.dumps(record))
    return 0


def _pdf_parts(programme: Any) -> dict[str, float]:
    from django.contrib.staticfiles import finders
    from django.template.loader import render_to_string
    from django.utils import timezone
    from weasyprint import CSS, HTML  # type: ignore[import-untyped]

    from stepahead.core.ismcp import AWARDS
    from stepahead.insights.evidence import evidence_report

    started = time.perf_counter()
    report = evidence_report(programme, today=timezone.localdate())
    data = time.perf_counter()
    html = render_to_string(
        "web/evidence/print.html", {"programme": programme, "report": report, "awards": AWARDS}
    )
    rendered = time.perf_counter()
    HTML(string=html, base_url="http://testserver/").write_pdf(
        stylesheets=[CSS(filename=str(finders.find("web/css/evidence-print.css")))]
    )
    done = time.perf_counter()
    return {"pdf_data": data - started, "pdf_html": rendered - data, "pdf_weasyprint": done - rendered}


def _compute(programme: Any) -> float:
    """The background computation of the page's figures, as the worker runs it."""
    from stepahead.insights.models import InsightSnapshot
    from stepahead.insights.services import compute_figures

    snapshot = InsightSnapshot.objects.get(programme=programme)
    started = time.perf_counter()
    assert compute_figures(snapshot_id=snapshot.pk) == "idle", snapshot.pk
    return time.perf_counter() - started


def _timed(client: Any, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, (url, response.status_code)
    return elapsed


if __name__ == "__main__":
    sys.exit(main())
