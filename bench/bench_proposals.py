"""The HR proposals page (`/programmes/<pk>/proposals/`) of a 10,000-person programme: server time.

    uv run python -m bench.bench_proposals                  # 10k people, SQLite, 25 timed requests
    uv run python -m bench.bench_proposals --people 2000 --repeats 50
    uv run python -m bench.bench_proposals --database-url postgres://postgres@127.0.0.1:5432/bench_proposals

A fresh process migrates its own database (a temporary SQLite file, or the given database, which
is flushed first) and builds, untimed, the load benchmark's programme: `--people` enrolled peers
written with bulk inserts (`bench_platform._setup_job`), matched once (start + execute, as the
worker does) so ~5,000 proposals wait for review. Then, as the programme manager through the
Django test client (DEBUG off, one warm-up request each), `--repeats` requests of each view of
the board: highest score first (the default), lowest first, and a later page, and of the run's
own page (`/programmes/<pk>/runs/<run>/`, the load benchmark's other slow page). Quoted: the median
server time (wall clock, and the process's CPU time, which a busy machine inflates less), the
query count and the page size. Target: ≤ 100 ms median for the default view.
Results: bench/results/proposals[-<db>].{json,md}.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import (
    RESULT_MARKER,
    Record,
    machine_facts,
    machine_markdown,
    markdown_table,
    run_job,
    write_results,
)

TARGET_MS = 100.0
VIEWS = {"highest first": {}, "lowest first": {"sort": "score"}, "page 40": {"page": "40"}}


def _arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.bench_proposals", description=(__doc__ or "").splitlines()[0]
    )
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=25, help="timed requests per view (default 25)")
    parser.add_argument("--database-url", help="an empty database to use (flushed); default a SQLite file")
    parser.add_argument("--timeout", type=float, default=1800)
    parser.add_argument("--out", help="results file stem (default proposals[-postgres])")
    parser.add_argument("--job", help=argparse.SUPPRESS)  # internal: the measuring child
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _arguments(sys.argv[1:] if argv is None else argv)
    if args.job:
        return _child(json.loads(args.job))
    facts = machine_facts()
    print(machine_markdown(facts), flush=True)
    job = {"people": args.people, "repeats": args.repeats}
    with tempfile.TemporaryDirectory(prefix="stepahead-bench-") as folder:
        env = {
            "DATABASE_URL": args.database_url or f"sqlite:///{Path(folder) / 'db.sqlite3'}",
            "STEPAHEAD_VAR_DIR": folder,
            "DJANGO_SETTINGS_MODULE": "stepahead.config.settings",
            "DEBUG": "0",
            "SECRET_KEY": "bench-only-secret-key-not-for-production-use-0123456789",
            "LOG_LEVEL": "WARNING",
        }
        command = [sys.executable, "-m", "bench.bench_proposals", "--job", json.dumps(job)]
        record = run_job(job, args.timeout, command=command, env=env)
    if "error" in record:
        print(record["error"])
        return 1
    database = "postgres" if (args.database_url or "").startswith("postgres") else "sqlite"
    markdown = _report(facts, record, database)
    print(markdown)
    payload = {"facts": facts, "database": database, "record": record, "target_ms": TARGET_MS}
    write_results(
        args.out or ("proposals" if database == "sqlite" else f"proposals-{database}"), payload, markdown
    )
    default = record["views"]["highest first"]["median_ms"]
    return 0 if default <= TARGET_MS else 1


def _report(facts: Record, record: Record, database: str) -> str:
    rows = [
        [name, f"{v['median_ms']:.1f}", f"{v['cpu_median_ms']:.1f}", f"{v['min_ms']:.1f}", str(v["queries"]),
         f"{v['kb']:.0f}"]
        for name, v in record["views"].items()
    ]  # fmt: skip
    default = record["views"]["highest first"]["median_ms"]
    verdict = "PASS" if default <= TARGET_MS else "MISS"
    return "\n".join(
        [
            f"# HR proposals page ({database})",
            "",
            f"A peer programme of {record['people']:,} enrolled people with {record['proposals']:,} "
            f"proposals (one match run); {record['repeats']} requests per view (the board's three and "
            f"the run's page) after a warm-up, as the programme manager through the Django test client, "
            f"DEBUG off. Target: median ≤ "
            f"{TARGET_MS:.0f} ms for the default view — {verdict} ({default:.1f} ms).",
            "",
            markdown_table(["view", "median ms", "CPU median ms", "fastest ms", "queries", "KB"], rows),
            "",
            machine_markdown(facts),
            "",
        ]
    )


# --- the measuring child (a fresh Django process) ------------------------------------------------


def _child(job: Record) -> int:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    from bench.bench_platform import _organisation, _setup_job
    from bench.load.run import _match

    built = _setup_job({"size": job["people"], "seed": 0})
    _, hr = _organisation()
    run = _match(hr, built["programme"])
    from django.urls import reverse

    board = reverse("web:proposals", kwargs={"pk": built["programme"]})
    views = {name: _time_view(hr, board, query, job["repeats"]) for name, query in VIEWS.items()}
    run_page = reverse("web:run_detail", kwargs={"pk": built["programme"], "run_pk": run.pk})
    views["run page"] = _time_view(hr, run_page, {}, job["repeats"])
    record = {**job, "proposals": run.summary.get("proposals"), "views": views}
    print(RESULT_MARKER + json.dumps(record), flush=True)
    return 0


def _time_view(hr: Any, path: str, query: dict[str, str], repeats: int) -> Record:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(hr)
    first = client.get(path, query)  # warm-up: templates compiled, the session read
    assert first.status_code == 200, first.status_code
    with CaptureQueriesContext(connection) as queries:
        client.get(path, query)
    # Read now: the captured queries are a slice of a log the next request clears.
    count = len(queries.captured_queries)
    wall, cpu = [], []
    for _ in range(repeats):
        started, cpu_started = time.perf_counter(), time.process_time()
        response = client.get(path, query)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
        assert response.status_code == 200
    return {
        "median_ms": round(statistics.median(wall), 1),
        "cpu_median_ms": round(statistics.median(cpu), 1),
        "min_ms": round(min(wall), 1),
        "all_ms": [round(t, 1) for t in wall],
        "queries": count,
        "kb": round(len(first.content) / 1024, 1),
    }


if __name__ == "__main__":
    sys.exit(main())
