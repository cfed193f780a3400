"""Where a mentoring solve spends its time: CPU and wall seconds of each step, round by round.

    uv run python -m bench.bench_mentoring_rounds --mode open --shape few-skills [--size 100000]

The machine is shared, so wall time is noisy; CPU time (this process, every thread) says what each
step costs. Steps: the first candidate scan, each min-cost flow (with its candidate pairs), each
certificate, each proof scan (with the pairs it found). Writes
bench/results/mentoring-rounds-<mode>-<shape>-<size>.md and .json.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from typing import Any

from bench.common import Record, finish, fmt, machine_facts, machine_markdown, markdown_table

STEPS = ("first_candidates", "match_candidates", "repair", "certify", "find_shortfalls")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_mentoring_rounds", description=__doc__)
    parser.add_argument("--mode", default="open", choices=["traditional", "reverse", "open"])
    parser.add_argument("--shape", default="standard")
    parser.add_argument("--size", type=int, default=100_000, help="mentees (mentors: a quarter as many)")
    args = parser.parse_args(argv)
    facts = machine_facts()
    steps, total = _profile(args.mode, args.shape, args.size)
    facts["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    record: Record = {"mode": args.mode, "shape": args.shape, "size": args.size, "steps": steps, **total}
    stem = f"mentoring-rounds-{args.mode}-{args.shape}-{args.size}"
    return finish(stem, facts, [record], _report(facts, record))


def _profile(mode: str, shape: str, size: int) -> tuple[list[Record], Record]:
    from bench.worker import organisation_for
    from stepahead.matching import MatchParams, Mode, match
    from stepahead.matching.mentoring import solve

    people = organisation_for(mode, size, 0, shape)
    steps: list[Record] = []
    for name in STEPS:
        setattr(solve, name, _timed(name, getattr(solve, name), steps))
    cpu, wall = time.process_time(), time.perf_counter()
    result = match(people, MatchParams(mode=Mode(mode)))
    total = {
        "cpu": round(time.process_time() - cpu, 2),
        "wall": round(time.perf_counter() - wall, 2),
        "proven": result.optimality is not None and result.optimality.proven,
        "placed": result.placed,
    }
    return steps, total


def _timed(name: str, call: Callable[..., Any], steps: list[Record]) -> Callable[..., Any]:
    def timed(*args: Any, **kwargs: Any) -> Any:
        cpu, wall = time.process_time(), time.perf_counter()
        out = call(*args, **kwargs)
        step: Record = {"step": name, "cpu": time.process_time() - cpu, "wall": time.perf_counter() - wall}
        if name in ("match_candidates", "repair"):
            step["pairs"] = len(args[0].pairs)
        if name == "find_shortfalls":
            step["found"] = len(out.pairs)
        size = step.get("pairs", step.get("found", ""))
        print(f"  {name:<17} cpu {step['cpu']:6.1f} s  wall {step['wall']:6.1f} s  {size}")
        steps.append(step)
        return out

    return timed


def _report(facts: Record, r: Record) -> str:
    rows = [
        [s["step"], fmt(s["cpu"], 1), fmt(s["wall"], 1), fmt(s.get("pairs", s.get("found")))]
        for s in r["steps"]
    ]
    by_step = {n: sum(s["cpu"] for s in r["steps"] if s["step"] == n) for n in STEPS}
    return (
        "\n\n".join(
            [
                f"# Mentoring rounds: {r['mode']}, {r['shape']}, "
                f"{r['size']:,} mentees + {r['size'] // 4:,} mentors",
                machine_markdown(facts) + f"\n- Load average at end: {facts['load_average_end']}",
                f"Total: CPU {r['cpu']} s, wall {r['wall']} s, proven {r['proven']}, placed {r['placed']:,}.",
                "CPU by step: " + ", ".join(f"{n} {v:.1f} s" for n, v in by_step.items()) + ".",
                markdown_table(["step", "CPU s", "wall s", "pairs (flow) / found (proof)"], rows),
            ]
        )
        + "\n"
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
