"""Circles at 10k people on organisations built without `stepahead.synthetic`: the large-pool
targets against the engine's own bounds (no oracle reaches these sizes).

The families are `bench.circles_independent`'s. Per pool: time of `match` (organisation built
first), placed against the engine's bound on how many could be placed, score against its score
bound. The issue's 10k targets: at most 30 s, placed within 0.5 % of its bound, score within 3 %.

`python -m bench.circles_independent_large [--sizes 10k] [--families all]` writes
results/circles-independent-large.{json,md}; the exit code is 1 when a target is missed.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from bench.circles_independent import FAMILIES, engine_run
from bench.common import Record, machine_facts, machine_markdown, markdown_table, parse_sizes, write_results

SECONDS, PLACED_SHORT, SCORE_SHORT = 30.0, 0.005, 0.03


def run(name: str, size: int, seed: int) -> Record:
    _, _, result, record = engine_run(name, size, seed)
    assert result.optimality is not None
    assert result.optimality.placed_bound is not None
    record["placed_bound"] = result.optimality.placed_bound
    record["misses"] = misses(record)
    return record


def misses(r: Record) -> list[str]:
    found = []
    if r["seconds"] > SECONDS:
        found.append(f"over {SECONDS:.0f} s")
    if r["placed"] < (1 - PLACED_SHORT) * r["placed_bound"]:
        found.append("placed over 0.5 % under its bound")
    if r["score"] < (1 - SCORE_SHORT) * r["bound"]:
        found.append("score over 3 % under its bound")
    return found


def report(records: list[Record]) -> str:
    header = ["family", "people", "placed / bound", "score / bound", "seconds", "load", "targets"]
    rows = [
        [
            r["family"],
            f"{r['size']:,}",
            f"{r['placed']:,} / {r['placed_bound']:,} ({100 * r['placed'] / r['placed_bound']:.2f} %)",
            f"{r['score']:,.1f} / {r['bound']:,.1f} ({100 * r['score'] / r['bound']:.2f} %)",
            f"{r['seconds']:.1f}",
            str(r["load"]),
            "; ".join(r["misses"]) or "all met",
        ]
        for r in records
    ]
    return markdown_table(header, rows)


def main(argv: list[str] | None = None) -> int:
    args = family_arguments(__doc__, "circles-independent-large", argv)
    title = f"# Circles at {args.sizes} on independently built organisations: the engine against its bounds"
    records = sweep(args, title, run, report, summary=True)
    return 1 if any(r["misses"] for r in records) else 0


def family_arguments(doc: str | None, out: str, argv: list[str] | None) -> argparse.Namespace:
    """--sizes (10k), --families (all) and --out, as every 10k family bench takes them."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10k")
    parser.add_argument("--families", default="all", help="'all' or a comma-separated list")
    parser.add_argument("--out", default=out)
    return parser.parse_args(argv)


def sweep(
    args: argparse.Namespace,
    title: str,
    one: Callable[[str, int, int], Record],
    table: Callable[[list[Record]], str],
    summary: bool = False,
) -> list[Record]:
    """`one(family, size, seed)` for every size and family (seed = size), each row printed as it
    comes and the results rewritten after every pool."""
    names = list(FAMILIES) if args.families == "all" else args.families.split(",")
    facts, records = machine_facts(), []
    for size in parse_sizes(args.sizes):
        for name in names:
            records.append(one(name, size, size))
            print(table(records[-1:]).splitlines()[-1], flush=True)
            line = ""
            if summary:  # records carry their misses
                met = sum(not r["misses"] for r in records)
                line = f"{len(records)} pools, {met} meeting every target\n\n"
            markdown = f"{title}\n\n{machine_markdown(facts)}\n\n{line}{table(records)}\n"
            write_results(args.out, {"machine": facts, "runs": records}, markdown)
    return records


if __name__ == "__main__":
    raise SystemExit(main())
