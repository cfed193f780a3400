"""Load benchmark: the documented production start under 50 concurrent clients.

    uv run python -m bench.load.run                    # SQLite, 10k people, 50 users, 60 s
    uv run python -m bench.load.run --database postgres://postgres@127.0.0.1:5432/load
    make bench-load                                    # both, one after the other (LOAD_POSTGRES_URL)

A PostgreSQL database given with --database is the benchmark's own: it is dropped and created
afresh (on the same server) before the set-up.

What it does, in a temporary directory (loopback only, nothing else touched):
1. migrates a fresh database and builds a peer programme of `--people` enrolled people (bulk
   inserts, as `bench.bench_platform` does), runs matching once so proposals exist, and links
   `--participants` of the matched people to logins; signed-in sessions are stored for them and
   for the HR manager (logging 50 users in at once would measure the sign-in rate limit);
2. starts gunicorn (`stepahead.config.wsgi`, DEBUG off) and a `db_worker`;
3. runs locust headless (`bench/load/locustfile.py`) for `--seconds` with `--users` clients,
   HR managers (1 in 4) over the programme, proposals, run and dashboard pages, participants
   over their programmes and matches;
4. writes throughput, p50/p95/p99 and errors per page to bench/results/load-<db>.{json,md}, with
   the load average just before the clients start and when they stop (the machine may be shared).

HTTPS-only cookies and the SSL redirect are production settings a loopback HTTP run cannot use,
so the server runs with `DJANGO_ENV` unset and `DEBUG=0` (same code path otherwise).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from bench.common import REPO, Record, machine_facts, machine_markdown, markdown_table, write_results

TARGET_P95_MS = 500


def _arguments(argv: list[str]) -> argparse.Namespace:
    summary = (__doc__ or "").splitlines()[0]
    parser = argparse.ArgumentParser(prog="python -m bench.load.run", description=summary)
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--participants", type=int, default=40, help="participant logins (default 40)")
    parser.add_argument("--users", type=int, default=50, help="concurrent clients (default 50)")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--port", type=int, default=8115)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--database", help="a DATABASE_URL (default: a fresh SQLite file)")
    parser.add_argument("--setup", help=argparse.SUPPRESS)  # internal: the set-up child
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _arguments(sys.argv[1:] if argv is None else argv)
    if args.setup:
        return _setup(json.loads(args.setup))
    with tempfile.TemporaryDirectory(prefix="stepahead-load-") as folder:
        work = Path(folder)
        env = _environment(work, args)
        if args.database:
            _fresh_postgres(args.database)
        started = time.perf_counter()
        setup = _run_setup(env, args, work)
        print(f"set-up: {time.perf_counter() - started:.0f} s ({args.people} people)", flush=True)
        server, worker = _start(env, args, work)
        try:
            _wait_for(f"http://127.0.0.1:{args.port}/api/health")
            facts = machine_facts()  # the load average as the clients start
            stats = _locust(env, args, work, setup)
            facts["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
        finally:
            _stop(server, worker)
    return _report(args, stats, facts)


def _fresh_postgres(url: str) -> None:
    """Drop and create the benchmark's database, so every run starts from the same state."""
    import psycopg
    from psycopg import sql

    name = urllib.parse.urlsplit(url).path.lstrip("/")
    server = urllib.parse.urlsplit(url)._replace(path="/postgres").geturl()
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _environment(work: Path, args: argparse.Namespace) -> dict[str, str]:
    drop = ("DJANGO_ENV", "DEBUG", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(
        DEBUG="0",
        SECRET_KEY="load-benchmark-" + "x" * 50,
        ALLOWED_HOSTS="127.0.0.1",
        STEPAHEAD_VAR_DIR=str(work),
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="stepahead.config.settings",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        PYTHONPATH=os.pathsep.join([str(REPO), str(REPO / "src")]),
    )
    if args.database:
        env["DATABASE_URL"] = args.database
    return env


def _run_setup(env: dict[str, str], args: argparse.Namespace, work: Path) -> Record:
    job = {"people": args.people, "participants": args.participants, "out": str(work / "sessions.json")}
    command = [sys.executable, "-m", "bench.load.run", "--setup", json.dumps(job)]
    subprocess.run(command, cwd=REPO, env=env, check=True, timeout=1800)
    return json.loads((work / "sessions.json").read_text())


def _start(env: dict[str, str], args: argparse.Namespace, work: Path) -> tuple[subprocess.Popen[bytes], ...]:
    log = (work / "server.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "stepahead.config.wsgi", "--bind", f"127.0.0.1:{args.port}",
         "--workers", str(args.workers), "--threads", "4", "--timeout", "60", "--graceful-timeout", "5",
         "--log-level", "warning"],
        cwd=REPO, env=env, stdout=log, stderr=log,
    )  # fmt: skip
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker"], cwd=REPO, env=env, stdout=log, stderr=log
    )
    return server, worker


def _stop(*processes: subprocess.Popen[bytes]) -> None:
    for process in processes:
        process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                if answer.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.5)


def _locust(env: dict[str, str], args: argparse.Namespace, work: Path, setup: Record) -> list[Record]:
    env = {**env, "LOAD_SESSIONS": str(work / "sessions.json")}
    command = [
        sys.executable, "-m", "locust", "-f", str(REPO / "bench" / "load" / "locustfile.py"), "--headless",
        "--users", str(args.users), "--spawn-rate", str(max(1, args.users // 10)),
        "--run-time", f"{args.seconds}s", "--host", f"http://127.0.0.1:{args.port}",
        "--csv", str(work / "load"), "--only-summary", "--stop-timeout", "30",
    ]  # fmt: skip
    subprocess.run(command, cwd=REPO, env=env, timeout=args.seconds + 120, check=False)
    with (work / "load_stats.csv").open(newline="") as file:
        stats = [_row(row) for row in csv.DictReader(file)]
    with (work / "load_failures.csv").open(newline="") as file:  # what each error was, and how often
        failures = [f"{row['Name']}: {row['Error']} (×{row['Occurrences']})" for row in csv.DictReader(file)]
    server_log = (work / "server.log").read_text(errors="replace").splitlines()
    errors = [line for line in server_log if "Error" in line or "Traceback" in line][:20]
    return [*stats, {"page": "failures", "failures": failures, "server_errors": errors}]


def _row(row: dict[str, str]) -> Record:
    def number(key: str) -> float | None:
        value = row.get(key, "")
        return None if value in ("", "N/A") else float(value)

    return {
        "page": row["Name"],
        "requests": int(row["Request Count"]),
        "errors": int(row["Failure Count"]),
        "per_second": round(number("Requests/s") or 0, 2),
        "p50_ms": number("50%"),
        "p95_ms": number("95%"),
        "p99_ms": number("99%"),
        "mean_ms": round(number("Average Response Time") or 0, 1),
    }


def _report(args: argparse.Namespace, stats: list[Record], facts: Record) -> int:
    database = "postgres" if args.database else "sqlite"
    failures = next(s for s in stats if s["page"] == "failures")
    stats = [s for s in stats if s is not failures]
    rows = [
        [s["page"], str(s["requests"]), str(s["errors"]), f"{s['per_second']:.1f}",
         *(f"{s[k]:.0f}" if s[k] is not None else "—" for k in ("p50_ms", "p95_ms", "p99_ms"))]
        for s in stats
    ]  # fmt: skip
    total = next((s for s in stats if s["page"] == "Aggregated"), None)
    met = all(s["errors"] == 0 and (s["p95_ms"] or 0) <= TARGET_P95_MS for s in stats)
    markdown = "\n".join(
        [
            f"# Load benchmark ({database})",
            "",
            f"{args.users} concurrent clients for {args.seconds} s against gunicorn ({args.workers} workers "
            f"× 4 threads) + db_worker on loopback; a peer programme of {args.people:,} people with its "
            f"proposals; 1 in 4 clients an HR manager. Target: no errors, p95 ≤ {TARGET_P95_MS} ms per page "
            f"— {'met' if met else 'NOT met'}.",
            "",
            markdown_table(["page", "requests", "errors", "req/s", "p50 ms", "p95 ms", "p99 ms"], rows),
            "",
            *(["Errors:", "", *(f"- {f}" for f in failures["failures"]), ""] if failures["failures"] else []),
            *(
                ["Server log:", "", *(f"    {line}" for line in failures["server_errors"]), ""]
                if failures["server_errors"]
                else []
            ),
            machine_markdown(facts),
            f"- Load average when the clients stopped: {facts['load_average_at_end']} (1, 5, 15 min; "
            "other work on the machine shows here)",
            "",
        ]
    )
    payload = {"facts": facts, "database": database, "arguments": vars(args), "pages": stats, **failures}
    payload["target_met"] = met
    write_results(f"load-{database}", payload, markdown)
    print(markdown)
    return 0 if total is not None else 1


# --- the set-up child (a fresh Django process) ---------------------------------------------------


def _setup(job: Record) -> int:
    import django

    django.setup()
    from django.core.management import call_command

    from bench.bench_platform import _organisation, _setup_job

    call_command("migrate", interactive=False, verbosity=0)
    built = _setup_job({"size": job["people"], "seed": 0})
    organisation, hr = _organisation()
    run = _match(hr, built["programme"])
    sessions = {"hr": [_session(hr) for _ in range(8)], "participants": _participants(organisation, run, job)}
    setup = {"cookie": _cookie_name(), "programme": built["programme"], "run": run.pk, "sessions": sessions}
    Path(job["out"]).write_text(json.dumps(setup))
    return 0


def _match(hr: Any, programme_pk: int) -> Any:
    from stepahead.matchruns.models import MatchRun
    from stepahead.matchruns.services import execute_match_run, start_match_run
    from stepahead.programmes.models import Programme

    run = start_match_run(actor=hr, programme=Programme.objects.get(pk=programme_pk))
    execute_match_run(run_id=run.pk)
    return MatchRun.objects.get(pk=run.pk)


def _participants(organisation: Any, run: Any, job: Record) -> list[str]:
    from django.contrib.auth import get_user_model

    from stepahead.organisations.models import Membership, Role
    from stepahead.partnerships.models import PartnershipMember

    members = PartnershipMember.objects.filter(partnership__programme=run.programme).select_related(
        "enrolment__person"
    )[: job["participants"]]
    sessions = []
    for n, member in enumerate(members):
        email = f"participant{n}@bench.test"
        user = get_user_model().objects.create_user(username=email, email=email)
        Membership.objects.create(organisation=organisation, user=user, role=Role.PARTICIPANT)
        person = member.enrolment.person
        person.user = user
        person.save(update_fields=["user"])
        sessions.append(_session(user))
    return sessions


def _session(user: Any) -> str:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "allauth.account.auth_backends.AuthenticationBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return str(session.session_key)


def _cookie_name() -> str:
    from django.conf import settings

    return str(settings.SESSION_COOKIE_NAME)


if __name__ == "__main__":
    sys.exit(main())
