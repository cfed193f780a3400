"""A small file through the whole command line: `stepahead match` on 5 people, as a user runs it.

    uv run python -m bench.bench_cli [--runs N]

Times the complete process (interpreter start, imports, loading the mode's compiled kernels,
matching, writing JSON) for each mode, median over N fresh processes. Target: ≤ 1 s wall.
Results go to bench/results/cli-small.json and .md.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import REPO, finish, fmt, machine_facts, machine_markdown, markdown_table

MODES = ("peer", "traditional", "circles")
TARGET_SECONDS = 1.0


def _people_file(folder: Path) -> Path:
    from stepahead.synthetic import generate_organisation, participants_to_csv

    path = folder / "five.csv"
    path.write_text(participants_to_csv(generate_organisation(5, seed=1, roles=True)), encoding="utf-8")
    return path


def _time_once(people: Path, mode: str) -> tuple[float, float]:
    """Wall seconds and the child's CPU seconds (user + system): on a shared machine the CPU
    figure says what the command costs when the wall figure is inflated by others' work."""
    command = [sys.executable, "-m", "stepahead.cli", "match", str(people), "--mode", mode, "--quiet"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, cwd=REPO, check=True, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_cli", description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    facts = machine_facts()
    records = []
    with tempfile.TemporaryDirectory() as folder:
        people = _people_file(Path(folder))
        for mode in MODES:
            _time_once(people, mode)  # the first run may load compiled kernels from a cold disk
            timed = [_time_once(people, mode) for _ in range(args.runs)]
            runs = [wall for wall, _ in timed]
            median, cpu = statistics.median(runs), statistics.median(c for _, c in timed)
            records.append(
                {
                    "mode": mode,
                    "seconds": round(median, 3),
                    "cpu_seconds": round(cpu, 3),
                    "runs": [round(r, 3) for r in runs],
                    "load": round(os.getloadavg()[0], 2),
                }
            )
            verdict = "PASS" if median <= TARGET_SECONDS else "MISS"
            print(
                f"{mode:<12} median {median:.2f} s (CPU {cpu:.2f} s) over {args.runs} runs, "
                f"load {os.getloadavg()[0]:.1f}  [≤ {TARGET_SECONDS} s: {verdict}]"
            )
    rows = [
        [r["mode"], fmt(r["seconds"]), fmt(r["cpu_seconds"]), str(r["load"]), ", ".join(map(str, r["runs"]))]
        for r in records
    ]
    report = "\n\n".join(
        [
            "# `stepahead match` on a 5-person file",
            machine_markdown(facts),
            markdown_table(["mode", "median s", "median CPU s", "load", "runs"], rows),
        ]
    )
    return finish("cli-small", facts, records, report + "\n")


if __name__ == "__main__":
    sys.exit(main())
