"""Shared benchmark plumbing: fresh-process measurements, machine facts, targets, result files.

Every measurement runs in its own child process (`python -m bench.worker`), so the peak memory
quoted is the real peak of a process that did only that job, and nothing is warm from before.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results"
RESULT_MARKER = "BENCH-RESULT "
PACKAGES = ("numpy", "scipy", "ortools", "rustworkx", "stepahead")
BIG_SIZE = 50_000  # from here on one repeat is the default: each run takes minutes

Record = dict[str, Any]


# --- running jobs in fresh processes ------------------------------------------------------------


def run_job(
    job: Record, timeout: float, *, command: list[str] | None = None, env: dict[str, str] | None = None
) -> Record:
    """Run one job in a fresh interpreter; its JSON record, or an `error` record when it failed.

    By default the job goes to `bench.worker`; other benchmarks pass their own `command` and
    extra `env`. The child prints its record on a line starting with RESULT_MARKER."""
    env = {**os.environ, "PYTHONHASHSEED": "0", **(env or {})}
    command = command or [sys.executable, "-m", "bench.worker", json.dumps(job)]
    try:
        done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {**job, "error": f"timed out after {timeout:.0f} s"}
    for line in reversed(done.stdout.splitlines()):
        if line.startswith(RESULT_MARKER):
            record: Record = json.loads(line.removeprefix(RESULT_MARKER))
            return record
    tail = (done.stderr or done.stdout).strip().splitlines()[-6:]
    return {**job, "error": f"exit code {done.returncode}: " + " | ".join(tail)}


def run_platform_job(module: str, job: Record, *, database_url: str, timeout: float) -> Record:
    """Run a platform benchmark's child (`python -m <module> --job ...`, DEBUG off) against its own
    database: `database_url`, or a SQLite file in a temporary folder that is also the platform's
    var folder. The child's job carries `database` (its kind) and `url`."""
    with tempfile.TemporaryDirectory(prefix="stepahead-bench-") as tmp:
        url = database_url or f"sqlite:///{tmp}/bench.sqlite3"
        job = {**job, "database": url.split(":", 1)[0]}
        env = {"DATABASE_URL": url, "STEPAHEAD_VAR_DIR": tmp, "DEBUG": "0", "SECRET_KEY": "bench"}
        command = [sys.executable, "-m", module, "--job", json.dumps({**job, "url": url})]
        return run_job(job, timeout, command=command, env=env)


def default_repeats(size: int) -> int:
    return 3 if size < BIG_SIZE else 1


def repeat_job(job: Record, repeats: int, timeout: float) -> Record:
    """Run a job `repeats` times; timings and memory are medians, outcomes must agree across runs."""
    runs = [run_job(job, timeout) for _ in range(repeats)]
    keys = ("seconds", "peak_rss_mb", "rss_before_mb", "generate_seconds", "engine_seconds")
    summary = summarise_runs(runs, keys)
    if "error" not in summary:
        outcome_keys = ("placed", "total_score")
        summary["stable"] = all(all(r.get(k) == runs[0].get(k) for k in outcome_keys) for r in runs)
    return summary


def summarise_runs(runs: list[Record], median_keys: tuple[str, ...]) -> Record:
    """The first run's record with `median_keys` replaced by medians (each run kept in
    `<key>_all`); the first failure instead, if any run failed."""
    failed = [r for r in runs if "error" in r]
    if failed:
        return {**failed[0], "repeats": len(runs)}
    summary = dict(runs[0])
    for key in median_keys:
        if summary.get(key) is not None:
            summary[key] = statistics.median(r[key] for r in runs)
            summary[f"{key}_all"] = [r[key] for r in runs]
    summary["repeats"] = len(runs)
    return summary


def finish(stem: str, facts: Record, records: list[Record], report: str) -> int:
    """Write the results and say where; exit status 1 when a run failed."""
    paths = write_results(stem, {"machine": facts, "results": records}, report)
    print(f"wrote {paths[0]} and {paths[1]}")
    return 1 if any("error" in r for r in records) else 0


def parse_sizes(text: str) -> list[int]:
    """'1000,10k,0.1m' → [1000, 10000, 100000]."""
    scale = {"k": 1_000, "m": 1_000_000}
    sizes = []
    for part in text.split(","):
        part = part.strip().lower()
        factor = scale.get(part[-1:], 1)
        sizes.append(round(float(part.rstrip("km")) * factor))
    return sizes


# --- machine facts -----------------------------------------------------------------------------------


def machine_facts() -> Record:
    """What the figures were measured on: they mean little without it."""
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "cores_usable": len(os.sched_getaffinity(0)),
        "ram_gb": _ram_gb(),
        # The machine may be shared: a high load average means slower, noisier timings.
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "platform": platform.platform(),
        "versions": {name: _version(name) for name in PACKAGES},
        "git": _git_state(),
    }


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _ram_gb() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024**2, 1)
    except OSError:
        pass
    return None


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _git_state() -> Record:
    def git(*args: str) -> str:
        # --no-optional-locks: never take the index lock others may be using.
        done = subprocess.run(
            ["git", "--no-optional-locks", *args], cwd=REPO, capture_output=True, text=True, check=False
        )
        return done.stdout.strip()

    return {
        "commit": git("rev-parse", "HEAD") or "unknown",
        "dirty": bool(git("status", "--porcelain", "--untracked-files=no")),
    }


# --- targets ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Target:
    mode: str
    size: int
    metric: str  # a key of the measurement record
    limit: float
    label: str

    def verdict(self, record: Record) -> str:
        value = record.get(self.metric)
        if "error" in record or value is None:
            return "MISS (no figure)"
        return "PASS" if value <= self.limit else "MISS"


TARGETS = (
    Target("peer", 10_000, "seconds", 5, "peer 10k ≤ 5 s"),
    Target("peer", 100_000, "seconds", 60, "peer 100k ≤ 60 s"),
    Target("peer", 100_000, "peak_rss_mb", 4096, "peer 100k peak ≤ 4 GB"),
    Target("peer", 100_000, "gap", 0.0005, "peer 100k gap ≤ 0.05%"),
    Target("traditional", 100_000, "seconds", 60, "traditional 100k+25k ≤ 60 s"),
    Target("reverse", 100_000, "seconds", 60, "reverse 100k+25k ≤ 60 s"),
    Target("open", 100_000, "seconds", 60, "open 100k+25k ≤ 60 s"),
    Target("circles", 10_000, "seconds", 30, "circles 10k ≤ 30 s"),
    Target("parse", 100_000, "seconds", 5, "parse 100k rows ≤ 5 s"),
)


def verdicts(record: Record) -> list[str]:
    """'label: PASS' for each target that applies to this measurement."""
    return [
        f"{t.label}: {t.verdict(record)}"
        for t in TARGETS
        if t.mode == record.get("mode") and t.size == record.get("size")
    ]


# --- writing results -------------------------------------------------------------------------------------


def write_results(stem: str, payload: Record, markdown: str) -> tuple[Path, Path]:
    RESULTS.mkdir(parents=True, exist_ok=True)
    json_path, md_path = RESULTS / f"{stem}.json", RESULTS / f"{stem}.md"
    json_path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    md_path.write_text(markdown, encoding="utf-8")
    return json_path, md_path


def machine_markdown(facts: Record) -> str:
    versions = ", ".join(f"{k} {v}" for k, v in facts["versions"].items())
    git = facts["git"]
    return "\n".join(
        [
            f"- Date (UTC): {facts['date']}",
            f"- CPU: {facts['cpu']} — {facts['cores']} cores ({facts['cores_usable']} usable)",
            f"- RAM: {facts['ram_gb']} GB; load average at start: {facts['load_average']}",
            f"- Python {facts['python']} on {facts['platform']}",
            f"- Versions: {versions}",
            f"- Git commit: {git['commit']}{' (uncommitted changes)' if git['dirty'] else ''}",
        ]
    )


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def fmt(value: Any, digits: int = 2) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)
