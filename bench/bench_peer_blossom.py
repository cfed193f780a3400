"""Peer pairs by price and repair (our primal-dual blossom + pricing every pair) against
rustworkx's blossom on the full eligible graph, timed side by side in one run.

    uv run python -m bench.bench_peer_blossom [--sizes 5000,10000] [--shapes standard,steep]
                                              [--exact-up-to 5000] [--time-limit S]

Writes bench/results/peer-blossom.json and .md; one run per row (the big ones are run once)."""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from bench.exact import eligible_pairs, exact_optimum
from stepahead.matching import MatchParams, match
from stepahead.synthetic import generate_organisation

RESULTS = Path(__file__).resolve().parent / "results"


def _row(size: int, shape: str, exact_up_to: int, time_limit: float | None) -> dict[str, object]:
    people = generate_organisation(size, seed=1, shape=shape)
    params = MatchParams()
    started = time.perf_counter()

    def out_of_time() -> bool:
        return time_limit is not None and time.perf_counter() - started > time_limit

    result = match(people, params, stop=out_of_time)
    seconds = time.perf_counter() - started
    optimality = result.optimality
    row: dict[str, object] = {
        "size": size,
        "shape": shape,
        "engine_s": round(seconds, 2),
        "placed": 2 * len(result.pairs),
        "total_score": round(sum(p.score for p in result.pairs), 4),
        "proven": bool(optimality and optimality.proven),
        "gap": optimality.gap if optimality else None,
    }
    if size <= exact_up_to:
        started = time.perf_counter()
        exact = exact_optimum(eligible_pairs(people, params), size)
        row["rustworkx_s"] = round(time.perf_counter() - started, 2)
        row["exact_placed"] = exact["exact_placed"]
        row["exact_total_score"] = round(float(exact["exact_total_score"]), 4)
        row["speedup"] = round(float(row["rustworkx_s"]) / seconds, 2)  # type: ignore[arg-type]
    print(json.dumps(row), flush=True)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_peer_blossom")
    parser.add_argument("--sizes", default="5000,10000")
    parser.add_argument("--shapes", default="standard")
    parser.add_argument("--exact-up-to", type=int, default=5000)
    parser.add_argument("--time-limit", type=float, default=None)
    parser.add_argument("--name", default="peer-blossom")
    args = parser.parse_args()
    rows = [
        _row(int(size), shape, args.exact_up_to, args.time_limit)
        for size in args.sizes.split(",")
        for shape in args.shapes.split(",")
    ]
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{args.name}.json").write_text(json.dumps(rows, indent=2) + "\n")
    keys = list(rows[0]) if rows else []
    for row in rows:
        keys += [k for k in row if k not in keys]
    lines = ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
    lines += ["| " + " | ".join(str(row.get(k, "")) for k in keys) + " |" for row in rows]
    (RESULTS / f"{args.name}.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
