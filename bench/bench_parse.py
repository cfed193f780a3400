"""Parsing benchmark: time `stepahead.matching.parse_participants` on a synthetic CSV.

    uv run python -m bench.bench_parse [--rows 100000] [--repeats 3]

The CSV comes from `stepahead.synthetic.participants_to_csv` (roles included), encoded as UTF-8 bytes
in the child process before the clock starts; only the parse call is timed.
Results: bench/results/parse.json and parse.md.
"""

from __future__ import annotations

import argparse
import sys

from bench.common import (
    Record,
    finish,
    fmt,
    machine_facts,
    machine_markdown,
    markdown_table,
    parse_sizes,
    repeat_job,
    verdicts,
)


def _arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.bench_parse", description=(__doc__ or "").splitlines()[0]
    )
    parser.add_argument("--rows", default="100000", help="comma-separated row counts (default 100000)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=1800)
    parser.add_argument("--out", default="parse", help="results file stem")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _arguments(sys.argv[1:] if argv is None else argv)
    facts = machine_facts()
    print(machine_markdown(facts), flush=True)
    records = []
    for rows in parse_sizes(args.rows):
        job = {"kind": "parse", "mode": "parse", "size": rows, "seed": args.seed}
        record = repeat_job(job, args.repeats, args.timeout)
        records.append(record)
        print(_line(record), flush=True)
    return finish(args.out, facts, records, _report(facts, records))


def _line(r: Record) -> str:
    if "error" in r:
        return f"parse {r['size']:>8,} rows  ERROR {r['error']}"
    checks = "  ".join(verdicts(r))
    return (
        f"parse {r['size']:>8,} rows ({r['csv_mb']} MB)  {r['seconds']:.2f} s  peak {r['peak_rss_mb']:.0f} MB"
        f"  → {r['parsed']:,} participants, round trip {'ok' if r['round_trip'] else 'DIFFERS'}"
        + (f"  [{checks}]" if checks else "")
    )


def _report(facts: Record, records: list[Record]) -> str:
    header = ["rows", "CSV MB", "seconds (median)", "peak MB", "parsed", "round trip", "runs", "targets"]
    rows = [
        [fmt(r["size"]), f"ERROR: {r['error']}", "", "", "", "", "", ""]
        if "error" in r
        else [
            fmt(r["size"]),
            fmt(r["csv_mb"], 1),
            fmt(r["seconds"]),
            fmt(r["peak_rss_mb"], 0),
            fmt(r["parsed"]),
            "equal" if r["round_trip"] else "DIFFERS",
            fmt(r["repeats"]),
            "; ".join(verdicts(r)) or "—",
        ]
        for r in records
    ]
    method = (
        '## What is measured\n\nWall time of `parse_participants(data, file_format="csv")` on the UTF-8'
        " bytes of a synthetic organisation with roles (`participants_to_csv`), one fresh process per"
        " run, median over runs. Peak MB is the child's ru_maxrss, including generating the CSV."
        " Round trip: the parsed participants equal the generated ones.\n"
    )
    return "\n\n".join(["# Parsing benchmark", machine_markdown(facts), markdown_table(header, rows), method])


if __name__ == "__main__":
    sys.exit(main())
