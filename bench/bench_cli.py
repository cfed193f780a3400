"""A small file through the whole command line: `stepahead match` on 5 people, as a user runs it.

    uv run python -m bench.bench_cli [--runs N]

Times the complete process (interpreter start, imports, loading the mode's compiled kernels,
matching, writing JSON) for each mode, median over N fresh processes. Target: ≤ 1 s wall.
Results go to bench/results/cli-small.json and .md.
"""

from __future__ import annotations

import argparse
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


def _time_once(people: Path, mode: str) -> float:
    command = [sys.executable, "-m", "stepahead.cli", "match", str(people), "--mode", mode, "--quiet"]
    start = time.perf_counter()
    subprocess.run(command, cwd=REPO, check=True, capture_output=True)
    return time.perf_counter() - start


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
            runs = [_time_once(people, mode) for _ in range(args.runs)]
            median = statistics.median(runs)
            records.append({"mode": mode, "seconds": round(median, 3), "runs": [round(r, 3) for r in runs]})
            verdict = "PASS" if median <= TARGET_SECONDS else "MISS"
            print(
                f"{mode:<12} median {median:.2f} s over {args.runs} runs  [≤ {TARGET_SECONDS} s: {verdict}]"
            )
    rows = [[r["mode"], fmt(r["seconds"]), ", ".join(map(str, r["runs"]))] for r in records]
    report = "\n\n".join(
        [
            "# `stepahead match` on a 5-person file",
            machine_markdown(facts),
            markdown_table(["mode", "median s", "runs"], rows),
        ]
    )
    return finish("cli-small", facts, records, report + "\n")


if __name__ == "__main__":
    sys.exit(main())
