"""Circles per organisation shape: placed against its bound, score against its bound, gap, time.

`python -m bench.bench_circles [--sizes 50,100,2k,10k] [--shapes all|steep,even,...]` writes
results/circles.{json,md}. Each size and shape runs once, in this process, timing only `match()`
on the synthetic organisation of that shape (seed 0); the load average is recorded per run (the
machine may be shared), and a last table gives the worst shape per size. With every shape and
the default sizes it takes about 15 minutes on a quiet 2-core machine (10k: about a minute each).
"""

from __future__ import annotations

import argparse
import gc
import os
import time

from bench.common import (
    Record,
    fmt,
    machine_facts,
    machine_markdown,
    markdown_table,
    parse_sizes,
    write_results,
)
from stepahead.matching import MatchParams, Mode, match
from stepahead.synthetic import SHAPES, generate_organisation

TARGET_SECONDS_10K = 30.0


def run(shape: str, size: int, seed: int) -> Record:
    people = generate_organisation(size, seed=seed, shape=shape)
    gc.collect()
    start, cpu = time.perf_counter(), time.process_time()
    result = match(people, MatchParams(mode=Mode.CIRCLES, seed=seed))
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    opt = result.optimality
    assert opt is not None
    most = opt.placed_bound if opt.placed_bound is not None else size
    return {
        "shape": shape,
        "size": size,
        "placed": result.placed,
        "placed_bound": most,
        "placed_ratio": result.placed / most if most else 1.0,
        "score": result.total_score,
        "score_bound": opt.upper_bound,
        "score_ratio": result.total_score / opt.upper_bound if opt.upper_bound > 0 else 1.0,
        "gap": opt.gap,
        "proven": opt.proven,
        "method": opt.method,
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),  # what a quiet machine would take: the load only adds waiting
        "load": round(os.getloadavg()[0], 1),
    }


def report(records: list[Record]) -> str:
    header = ["shape", "people", "placed / bound", "score / bound", "gap", "proven", "seconds", "cpu", "load"]
    rows = [
        [
            r["shape"],
            fmt(r["size"]),
            f"{r['placed']:,} / {r['placed_bound']:,} ({100 * r['placed_ratio']:.2f}%)",
            f"{r['score']:,.1f} / {r['score_bound']:,.1f} ({100 * r['score_ratio']:.2f}%)",
            f"{100 * r['gap']:.2f}%",
            fmt(r["proven"]),
            fmt(r["seconds"]),
            fmt(r.get("cpu_seconds")),
            fmt(r["load"]),
        ]
        for r in records
    ]
    return markdown_table(header, rows)


def worst(records: list[Record]) -> str:
    """Per size, the worst shape by placed ratio, by score ratio and by time."""
    header = ["people", "least placed / bound", "least score / bound", "slowest"]
    rows = []
    for size in sorted({r["size"] for r in records}):
        runs = [r for r in records if r["size"] == size]
        placed = min(runs, key=lambda r: r["placed_ratio"])
        score = min(runs, key=lambda r: r["score_ratio"])
        slow = max(runs, key=lambda r: r["seconds"])
        rows.append(
            [
                fmt(size),
                f"{100 * placed['placed_ratio']:.2f}% ({placed['shape']})",
                f"{100 * score['score_ratio']:.2f}% ({score['shape']})",
                f"{fmt(slow['seconds'])} s ({slow['shape']})",
            ]
        )
    return markdown_table(header, rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="50,100,2k,10k")
    parser.add_argument("--shapes", default="all", help="'all' or a comma-separated list")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default="circles")
    args = parser.parse_args()
    facts = machine_facts()
    records = []
    shapes = list(SHAPES) if args.shapes == "all" else args.shapes.split(",")
    for size in parse_sizes(args.sizes):
        for shape in shapes:
            records.append(run(shape, size, args.seed))
            print(report(records[-1:]).splitlines()[-1], flush=True)
            tables = f"{report(records)}\n\n## Worst shape per size\n\n{worst(records)}"
            markdown = f"# Circles per shape\n\n{machine_markdown(facts)}\n\n{tables}\n"
            write_results(args.out, {"machine": facts, "runs": records}, markdown)  # kept as it goes
    slow = [r for r in records if r["size"] >= 10_000 and r["seconds"] > TARGET_SECONDS_10K]
    return 1 if slow else 0


if __name__ == "__main__":
    raise SystemExit(main())
