"""Platform benchmarks: people import, an end-to-end match run, the proposals page.

    uv run python -m bench.bench_platform            # 100k-row import, 10k-person run and page
    uv run python -m bench.bench_platform --quick    # 2k-row import, 1k-person run and page

Each measurement runs in a fresh process against its own SQLite file database (a temporary
directory; DATABASE_URL and STEPAHEAD_VAR_DIR point there), with DEBUG off:

- import: `read_table` → `preview_people_import` → `import_people` (the import service the web
  upload uses) on the CSV of a synthetic organisation (`participants_to_csv`), timed as a whole;
- match run: `start_match_run` + `execute_match_run` (what the worker runs: load the pool, solve,
  store the proposals) for a peer programme with everyone enrolled;
- proposals page: after that run, the programme's proposals page rendered through the Django test
  client for the HR manager, `--page-repeats` times; the median server time is quoted.

The match-run database (people, skills, goals, enrolments) is built once per size with bulk
inserts, untimed, and copied for each repeat so every run starts from the same state.
Results: bench/results/platform[-quick].{json,md}.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import (
    RESULT_MARKER,
    Record,
    finish,
    fmt,
    machine_facts,
    machine_markdown,
    markdown_table,
    parse_sizes,
    run_job,
    summarise_runs,
)

LIMITS = {"import": 60.0, "match": 30.0, "page": 0.300}  # seconds, at the full sizes below
FULL = {"import": 100_000, "match": 10_000}
QUICK = {"import": 2_000, "match": 1_000}
HR_EMAIL = "hr@bench.test"


# --- the orchestrating process ------------------------------------------------------------------


def _arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.bench_platform", description=(__doc__ or "").splitlines()[0]
    )
    parser.add_argument("--quick", action="store_true", help="small sizes (2k import, 1k match run)")
    parser.add_argument("--import-rows", help="comma-separated import sizes (default 100k; quick 2k)")
    parser.add_argument("--match-sizes", help="comma-separated match-run sizes (default 10k; quick 1k)")
    parser.add_argument("--repeats", type=int, help="runs per measurement (default 3; 1 for 100k imports)")
    parser.add_argument("--page-repeats", type=int, default=15, help="page renders per run (default 15)")
    parser.add_argument("--skip", default="", help="comma-separated: import,match")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=3600)
    parser.add_argument("--out", help="results file stem (default platform or platform-quick)")
    parser.add_argument("--job", help=argparse.SUPPRESS)  # internal: run one measurement
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _arguments(sys.argv[1:] if argv is None else argv)
    if args.job:
        return _child(json.loads(args.job))
    sizes = QUICK if args.quick else FULL
    import_sizes = parse_sizes(args.import_rows) if args.import_rows else [sizes["import"]]
    match_sizes = parse_sizes(args.match_sizes) if args.match_sizes else [sizes["match"]]
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    facts = machine_facts()
    print(machine_markdown(facts), flush=True)
    records: list[Record] = []
    if "import" not in skip:
        for rows in import_sizes:
            repeats = args.repeats or (1 if rows >= 50_000 else 3)
            record = _repeat({"kind": "import", "size": rows, "seed": args.seed}, repeats, args.timeout)
            records.append(record)
            print(_line(record), flush=True)
    if "match" not in skip:
        for size in match_sizes:
            job = {
                "kind": "match",
                "size": size,
                "seed": args.seed,
                "page_repeats": args.page_repeats,
            }
            record = _match_series(job, args.repeats or 3, args.timeout)
            records.append(record)
            print(_line(record), flush=True)
    stem = args.out or ("platform-quick" if args.quick else "platform")
    return finish(stem, facts, records, _report(facts, records))


def _run_child(job: Record, workdir: Path, timeout: float) -> Record:
    env = {
        "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
        "STEPAHEAD_VAR_DIR": str(workdir),
        "DJANGO_SETTINGS_MODULE": "stepahead.config.settings",
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-secret-key-not-for-production-use-0123456789",
        "LOG_LEVEL": "WARNING",
        "DB_CONN_MAX_AGE": "0",
    }
    command = [sys.executable, "-m", "bench.bench_platform", "--job", json.dumps(job)]
    return run_job(job, timeout, command=command, env=env)


def _repeat(job: Record, repeats: int, timeout: float) -> Record:
    runs = []
    for _ in range(repeats):
        with tempfile.TemporaryDirectory(prefix="stepahead-bench-") as tmp:
            runs.append(_run_child(job, Path(tmp), timeout))
    return _summarise(runs)


def _match_series(job: Record, repeats: int, timeout: float) -> Record:
    """Build the pool database once, then time a run (and the page) on a fresh copy each time."""
    with tempfile.TemporaryDirectory(prefix="stepahead-bench-") as tmp:
        base = Path(tmp) / "base"
        base.mkdir()
        built = _run_child({**job, "kind": "setup"}, base, timeout)
        if "error" in built:
            return {**job, **built, "kind": "match"}
        runs = []
        for i in range(repeats):
            work = Path(tmp) / f"run{i}"
            work.mkdir()
            shutil.copy(base / "db.sqlite3", work / "db.sqlite3")
            runs.append({**_run_child(job, work, timeout), "setup_seconds": built["seconds"]})
            shutil.rmtree(work)
    return _summarise(runs)


def _summarise(runs: list[Record]) -> Record:
    summary = summarise_runs(runs, ("seconds", "engine_seconds", "page_median_ms", "peak_rss_mb"))
    if "error" not in summary and "rows_per_second" in summary:  # from the median time
        summary["rows_per_second"] = round(summary["size"] / summary["seconds"], 1)
    return summary


def _verdicts(r: Record) -> list[str]:
    if "error" in r:
        return ["MISS (no figure)"]
    found = []
    if r["kind"] == "import" and r["size"] == FULL["import"]:
        found.append(f"import 100k ≤ 60 s: {'PASS' if r['seconds'] <= LIMITS['import'] else 'MISS'}")
    if r["kind"] == "match" and r["size"] == FULL["match"]:
        found.append(f"match run 10k ≤ 30 s: {'PASS' if r['seconds'] <= LIMITS['match'] else 'MISS'}")
        page = r.get("page_median_ms")
        verdict = "MISS (no figure)" if page is None else "PASS" if page <= LIMITS["page"] * 1000 else "MISS"
        found.append(f"proposals page 10k ≤ 300 ms: {verdict}")
    return found


def _line(r: Record) -> str:
    if "error" in r:
        return f"{r['kind']} {r['size']:>8,}  ERROR {r['error']}"
    checks = "  ".join(_verdicts(r))
    if r["kind"] == "import":
        return (
            f"import {r['size']:>8,} rows  {r['seconds']:.2f} s  ({r['rows_per_second']:,.0f} rows/s, "
            f"peak {r['peak_rss_mb']:.0f} MB)  {checks}"
        )
    page = "no page" if r.get("page_median_ms") is None else f"page {r['page_median_ms']:.0f} ms"
    return (
        f"match  {r['size']:>8,} people  {r['seconds']:.2f} s (engine {r['engine_seconds']:.2f} s, "
        f"{r['proposals']:,} proposals)  {page}  {checks}"
    )


def _report(facts: Record, records: list[Record]) -> str:
    imports = [r for r in records if r.get("kind") == "import"]
    matches = [r for r in records if r.get("kind") == "match"]
    parts = ["# Platform benchmarks", "", machine_markdown(facts), ""]
    if imports:
        rows = [
            [
                fmt(r["size"]),
                "error" if "error" in r else fmt(r["seconds"]),
                fmt(r.get("rows_per_second"), 0),
                fmt(r.get("peak_rss_mb"), 0),
                fmt(r.get("repeats")),
                "; ".join(_verdicts(r)) or "—",
            ]
            for r in imports
        ]
        header = ["rows", "median s", "rows/s", "peak MB", "runs", "target"]
        parts += ["## People import (read, preview, import)", "", markdown_table(header, rows), ""]
    if matches:
        rows = [
            [
                fmt(r["size"]),
                "error" if "error" in r else fmt(r["seconds"]),
                fmt(r.get("engine_seconds")),
                fmt(r.get("proposals")),
                fmt(r.get("page_median_ms"), 0),
                fmt(r.get("page_queries")),
                fmt(r.get("repeats")),
                "; ".join(_verdicts(r)) or "—",
            ]
            for r in matches
        ]
        header = ["people", "run s", "engine s", "proposals", "page ms", "page queries", "runs", "targets"]
        parts += ["## Match run end to end, and the proposals page", "", markdown_table(header, rows), ""]
        for r in matches:
            if r.get("page_note"):
                parts += [f"- {fmt(r['size'])} people: {r['page_note']}"]
    errors = [r for r in records if "error" in r]
    parts += [f"- error ({r['kind']} {fmt(r['size'])}): {r['error']}" for r in errors]
    return "\n".join(parts).rstrip() + "\n"


# --- one measurement, in a child process --------------------------------------------------------


def _child(job: Record) -> int:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    record = {**job, **_CHILD_JOBS[job["kind"]](job)}
    record["peak_rss_mb"] = _peak_rss_mb()
    print(RESULT_MARKER + json.dumps(record), flush=True)
    return 0


def _peak_rss_mb() -> float:
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _organisation() -> tuple[Any, Any]:
    from django.contrib.auth import get_user_model

    from stepahead.organisations.models import Organisation, Role
    from stepahead.organisations.services import add_member, create_organisation

    found = Organisation.objects.filter(slug="bench").first()
    users = get_user_model().objects
    if found is not None:
        return found, users.get(email=HR_EMAIL)
    admin = users.create_user(username="admin@bench.test", email="admin@bench.test")
    hr = users.create_user(username=HR_EMAIL, email=HR_EMAIL)
    organisation = create_organisation(name="Bench Ltd", slug="bench", admin_user=admin)
    add_member(actor=admin, organisation=organisation, user=hr, role=Role.PROGRAMME_MANAGER)
    return organisation, hr


def _import_job(job: Record) -> Record:
    import gc

    from stepahead.people.importing import import_people, preview_people_import, read_table
    from stepahead.people.models import Person
    from stepahead.synthetic import generate_organisation, participants_to_csv

    organisation, hr = _organisation()
    data = participants_to_csv(generate_organisation(job["size"], seed=job["seed"])).encode()
    gc.collect()
    start = time.perf_counter()
    table = read_table(data, filename="people.csv")
    preview = preview_people_import(organisation=organisation, table=table)
    previewed = time.perf_counter()
    outcome = import_people(actor=hr, organisation=organisation, preview=preview)
    seconds = time.perf_counter() - start
    assert outcome.created == job["size"], outcome
    assert Person.objects.filter(organisation=organisation).count() == job["size"]
    return {
        "seconds": round(seconds, 3),
        "preview_seconds": round(previewed - start, 3),
        "write_seconds": round(seconds - (previewed - start), 3),
        "rows_per_second": round(job["size"] / seconds, 1),
        "csv_mb": round(len(data) / 1e6, 1),
        "problems": len(preview.problems),
    }


def _setup_job(job: Record) -> Record:
    """A peer programme with `size` people enrolled, written with bulk inserts (untimed set-up)."""
    from django.db import transaction

    from stepahead.matching import normalise_label
    from stepahead.people.models import DevelopmentGoal, LevelSource, Person, Skill, SkillLevel
    from stepahead.programmes.models import Enrolment, Status
    from stepahead.programmes.services import change_programme_status, create_programme
    from stepahead.synthetic import generate_organisation

    start = time.perf_counter()
    people = generate_organisation(job["size"], seed=job["seed"])
    with transaction.atomic():
        organisation, hr = _organisation()
        labels = sorted({normalise_label(s) for p in people for s in (*p.skills, *p.goals)})
        Skill.objects.bulk_create(Skill(organisation=organisation, name=label, key=label) for label in labels)
        skills = {s.key: s for s in Skill.objects.filter(organisation=organisation)}
        Person.objects.bulk_create(
            (
                Person(
                    organisation=organisation,
                    hris_id=p.id,
                    name=p.name,
                    email=p.email,
                    function=p.function,
                    grade=p.grade,
                    manager_hris_id=p.manager_id,
                    languages=sorted(p.languages),
                )
                for p in people
            ),
            batch_size=2000,
        )
        rows = {x.hris_id: x for x in Person.objects.filter(organisation=organisation)}
        SkillLevel.objects.bulk_create(
            (
                SkillLevel(
                    person=rows[p.id], skill=skills[normalise_label(s)], level=level, source=LevelSource.SELF
                )
                for p in people
                for s, level in p.skills.items()
            ),
            batch_size=5000,
        )
        DevelopmentGoal.objects.bulk_create(
            (
                DevelopmentGoal(person=rows[p.id], skill=skills[normalise_label(g)], priority=i)
                for p in people
                for i, g in enumerate(p.goals, start=1)
            ),
            batch_size=5000,
        )
        programme = create_programme(actor=hr, organisation=organisation, name="Bench peer", mode="peer")
        programme = change_programme_status(actor=hr, programme=programme, to=Status.ENROLLING)
        Enrolment.objects.bulk_create(
            (Enrolment(programme=programme, person=rows[p.id]) for p in people), batch_size=2000
        )
        enrolments = {
            e.person.hris_id: e
            for e in Enrolment.objects.filter(programme=programme).select_related("person")
        }
        Enrolment.avoid.through.objects.bulk_create(
            Enrolment.avoid.through(enrolment=enrolments[p.id], person=rows[x])
            for p in people
            for x in p.exclude
        )
        Enrolment.prefer.through.objects.bulk_create(
            Enrolment.prefer.through(enrolment=enrolments[p.id], person=rows[x])
            for p in people
            for x in p.prefer
        )
    return {"seconds": round(time.perf_counter() - start, 3), "programme": programme.pk}


def _match_job(job: Record) -> Record:
    from stepahead.matchruns.models import MatchRun, RunStatus
    from stepahead.matchruns.services import execute_match_run, start_match_run
    from stepahead.programmes.models import Programme

    _, hr = _organisation()
    programme = Programme.objects.get(name="Bench peer")
    engine = _time_engine()
    start = time.perf_counter()
    run = start_match_run(actor=hr, programme=programme)  # autocommit: the task is queued at once
    status = execute_match_run(run_id=run.pk)
    seconds = time.perf_counter() - start
    run = MatchRun.objects.get(pk=run.pk)
    if status != RunStatus.DONE:
        return {"error": f"run {status}: {run.error}"}
    return {
        "seconds": round(seconds, 3),
        "engine_seconds": round(engine[0], 3),
        "placed": run.placed,
        "proposals": run.summary.get("proposals"),
        **_page(job, programme, hr),
    }


def _time_engine() -> list[float]:
    """Wrap the mapper's engine call (its documented seam) to time the solve alone."""
    from stepahead.matchruns import mapper

    spent = [0.0]
    solve = mapper.run_engine

    def timed(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return solve(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - start

    mapper.run_engine = timed
    return spent


def _page(job: Record, programme: Any, hr: Any) -> Record:
    """Median server time of the proposals page, as the HR manager sees it."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    path = reverse("web:proposals", kwargs={"pk": programme.pk})
    client = Client()
    client.force_login(hr)
    first = client.get(path)  # warm-up: templates compiled, caches filled
    if first.status_code != 200:
        return {"page_median_ms": None, "page_note": f"GET {path} answered {first.status_code}"}
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    count = len(queries.captured_queries)  # now: the next request clears the log it slices
    times = []
    for _ in range(job["page_repeats"]):
        start = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    return {
        "page_path": path,
        "page_median_ms": round(statistics.median(times), 1),
        "page_ms_all": [round(t, 1) for t in times],
        "page_kb": round(len(first.content) / 1024, 1),
        "page_queries": count,
    }


_CHILD_JOBS = {"import": _import_job, "setup": _setup_job, "match": _match_job}


if __name__ == "__main__":
    sys.exit(main())
