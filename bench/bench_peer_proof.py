"""Peer pairs and their proof, per organisation shape: the engine (`match`, the default path),
our exact method (`exact_peer`: primal-dual blossom + every pair priced) and, at the sizes where
it is affordable, rustworkx's blossom on the full eligible graph, timed side by side in one run.

    uv run python -m bench.bench_peer_proof [--shapes all] [--sizes 5k,10k,100k]
                                            [--rustworkx-up-to 5000] [--exact-up-to 10000]
                                            [--timeout 900] [--out peer-proof]

Each measurement runs in a fresh process (time and peak memory of that process; the engine's
compiled kernels are loaded by a small match first, as in a long-running worker), one run per row;
the load average before and after each is recorded, since the machine may be shared. Results go
to bench/results/<out>.json and .md; the summary keeps the worst shape per row."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
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
    write_results,
)

METHODS = ("engine", "exact", "rustworkx")


def main(argv: list[str] | None = None) -> int:
    args = _arguments(sys.argv[1:] if argv is None else argv)
    if args.job:
        return _run_here(json.loads(args.job))
    from stepahead.synthetic import SHAPES

    shapes = list(SHAPES) if args.shapes == "all" else args.shapes.split(",")
    facts = machine_facts()
    print(machine_markdown(facts), flush=True)
    records = []
    for size in parse_sizes(args.sizes):
        for shape in shapes:
            for method in _methods(size, args):
                job = {"method": method, "size": size, "shape": shape, "seed": args.seed}
                command = [sys.executable, "-m", "bench.bench_peer_proof", "--job", json.dumps(job)]
                record = {**run_job(job, args.timeout, command=command), "load_before": _load()}
                records.append(record)
                print(_line(record), flush=True)
                # written after every row, so a run cut short keeps what it measured
                write_results(args.out, {"machine": facts, "results": records}, _report(facts, records))
    return finish(args.out, facts, records, _report(facts, records))


def _arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_peer_proof", description=__doc__)
    parser.add_argument("--shapes", default="all", help="comma-separated shapes or 'all' (default)")
    parser.add_argument("--sizes", default="5k,10k,100k")
    parser.add_argument("--rustworkx-up-to", type=int, default=5_000, help="full-graph blossom up to this")
    parser.add_argument("--exact-up-to", type=int, default=10_000, help="exact_peer up to this size")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=900, help="seconds before a run is abandoned")
    parser.add_argument("--out", default="peer-proof")
    parser.add_argument("--job", default=None, help=argparse.SUPPRESS)  # one measurement, in a child
    return parser.parse_args(argv)


def _methods(size: int, args: argparse.Namespace) -> list[str]:
    wanted = ["engine"]
    if size <= args.exact_up_to:
        wanted.append("exact")
    if size <= args.rustworkx_up_to:
        wanted.append("rustworkx")
    return wanted


def _load() -> float:
    return round(os.getloadavg()[0], 2)


def _run_here(job: Record) -> int:
    from bench.worker import _peak_rss_mb, _timed
    from stepahead.matching import MatchParams
    from stepahead.synthetic import generate_organisation

    params = MatchParams()
    if job["method"] != "rustworkx":
        # Load the compiled kernels first (as a long-running worker has): numba's cache takes
        # seconds to load on a busy machine, which is not what this measures.
        _MEASURE[job["method"]](generate_organisation(60, seed=0), params)
    people = generate_organisation(job["size"], seed=job["seed"], shape=job["shape"])
    cpu_before = time.process_time()  # the machine is shared: CPU time is steadier than wall time
    outcome, seconds = _timed(lambda: _MEASURE[job["method"]](people, params))
    record = {
        **job,
        "seconds": round(seconds, 3),
        "cpu_seconds": round(time.process_time() - cpu_before, 3),
        **outcome,
        "peak_rss_mb": _peak_rss_mb(),
        "load_after": _load(),
    }
    print(RESULT_MARKER + json.dumps(record), flush=True)
    return 0


def _engine(people: list[Any], params: Any) -> Record:
    from stepahead.matching import match

    result = match(people, params)
    return _outcome(result.placed, result.total_score, result.optimality)


def _exact(people: list[Any], params: Any) -> Record:
    from stepahead.matching._population import compile_population
    from stepahead.matching.peer.solve import exact_peer

    solution = exact_peer(compile_population(people, params), params, lambda stage, done: None)
    return _outcome(2 * len(solution.groups), float(sum(solution.scores)), solution.optimality)


def _rustworkx(people: list[Any], params: Any) -> Record:
    from bench.exact import eligible_pairs, exact_optimum

    pairs = eligible_pairs(people, params)
    optimum = exact_optimum(pairs, len(people))
    return {
        "placed": optimum["exact_placed"],
        "total_score": float(optimum["exact_total_score"]),
        "proven": True,
        "gap": 0.0,
        "eligible_pairs": len(pairs),
    }


def _outcome(placed: int, total: float, optimality: Any) -> Record:
    return {
        "placed": placed,
        "total_score": total,
        "proven": bool(optimality and optimality.proven),
        "gap": optimality.gap if optimality else None,
        "method_detail": optimality.method if optimality else None,
    }


_MEASURE = {"engine": _engine, "exact": _exact, "rustworkx": _rustworkx}


def _line(record: Record) -> str:
    if "error" in record:
        return f"{record['method']:>9} {record['size']:>7} {record['shape']:<13} ERROR {record['error']}"
    return (
        f"{record['method']:>9} {record['size']:>7} {record['shape']:<13} {record['seconds']:>8.2f} s "
        f"(CPU {record.get('cpu_seconds', 0):.1f} s) "
        f"{record['peak_rss_mb']:>7.0f} MB  placed {record['placed']}  score {record['total_score']:.4f}  "
        f"proven {record['proven']}  gap {fmt(record['gap'], 6)}  load {record['load_before']}"
    )


def _report(facts: Record, records: list[Record]) -> str:
    header = [
        "size",
        "shape",
        "method",
        "seconds",
        "peak MB",
        "placed",
        "total score",
        "proven",
        "gap",
        "load",
    ]
    rows = [
        [
            str(r["size"]),
            r["shape"],
            r["method"],
            "error" if "error" in r else fmt(r["seconds"]),
            fmt(r.get("peak_rss_mb"), 0),
            str(r.get("placed", "")),
            fmt(r.get("total_score"), 4),
            str(r.get("proven", "")),
            fmt(r.get("gap"), 6),
            fmt(r.get("load_before")),
        ]
        for r in records
    ]
    return "\n\n".join(
        [
            "# Peer pairs: the engine, our exact method and full-graph blossom, per shape",
            machine_markdown(facts),
            markdown_table(header, rows),
            "## Worst shape per size and method",
            markdown_table(*_worst(records)),
            "## 5k: speed-up over rustworkx on the full eligible graph (same run)",
            markdown_table(*_speedups(records)),
        ]
    )


def _worst(records: list[Record]) -> tuple[list[str], list[list[str]]]:
    header = ["size", "method", "worst shape", "seconds", "peak MB", "all proven", "largest gap"]
    rows = []
    keys = sorted({(r["size"], r["method"]) for r in records}, key=lambda k: (k[0], METHODS.index(k[1])))
    for size, method in keys:
        group = [r for r in records if r["size"] == size and r["method"] == method]
        worst = max(group, key=lambda r: float("inf") if "error" in r else r["seconds"])
        gaps = [r["gap"] for r in group if r.get("gap") is not None]
        rows.append(
            [
                str(size),
                method,
                worst["shape"],
                "error" if "error" in worst else fmt(worst["seconds"]),
                fmt(max((r.get("peak_rss_mb") or 0) for r in group), 0),
                str(all(r.get("proven") for r in group)),
                fmt(max(gaps, default=None), 6),
            ]
        )
    return header, rows


def _speedups(records: list[Record]) -> tuple[list[str], list[list[str]]]:
    header = ["size", "shape", "rustworkx s", "engine s", "engine ×", "exact s", "exact ×", "same optimum"]
    rows = []
    for r in records:
        if r["method"] != "rustworkx" or "error" in r:
            continue
        mine = {m: _find(records, m, r["size"], r["shape"]) for m in ("engine", "exact")}
        rows.append(
            [
                str(r["size"]),
                r["shape"],
                fmt(r["seconds"]),
                *(x for m in ("engine", "exact") for x in _versus(r, mine[m])),
                str(all(_same(r, x) for x in mine.values() if x is not None)),
            ]
        )
    return header, rows


def _find(records: list[Record], method: str, size: int, shape: str) -> Record | None:
    found = [x for x in records if (x["method"], x["size"], x["shape"]) == (method, size, shape)]
    return found[0] if found and "error" not in found[0] else None


def _versus(reference: Record, record: Record | None) -> list[str]:
    if record is None:
        return ["-", "-"]
    return [fmt(record["seconds"]), fmt(reference["seconds"] / record["seconds"], 1)]


def _same(reference: Record, record: Record) -> bool:
    close = abs(reference["total_score"] - record["total_score"]) <= 1e-4 * max(1.0, reference["total_score"])
    return bool(reference["placed"] == record["placed"] and close)


if __name__ == "__main__":
    sys.exit(main())
