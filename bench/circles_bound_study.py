"""Where the large-pool circles bound is loose: the engine's packing against the share bound.

`python -m bench.circles_bound_study [--sizes 300,10k] [--shapes many-skills] [--lp-up-to 300]`
writes results/circles-bound-study.{json,md}. Per pool (synthetic organisation, seed 0): the
engine's score, the share bound (circles/bound.py) and, for pools of at most `--lp-up-to` people,
the LP relaxation over every valid circle by column generation (minutes at 300 people). Then each
placed person's share of their circle under the split crediting unique functions, against their
best share in any valid circle (the bound's column): how much of the difference is goals not met
as well as they could be, and how much the function bonus (a colleague in the circle, or a circle
under five).
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

from bench.common import (
    Record,
    fmt,
    machine_facts,
    machine_markdown,
    markdown_table,
    parse_sizes,
    write_results,
)
from stepahead.matching import MatchParams, Mode
from stepahead.matching._population import Population, compile_population
from stepahead.matching._scoring import PRIORITY_WEIGHTS
from stepahead.matching.circles.bound import SHARED_EXCESS, UNIQUE, split_shares, upper_bound
from stepahead.matching.circles.catalogue import pair_tables
from stepahead.matching.circles.columns import Columns, _generate
from stepahead.matching.circles.score import MAX_SIZE, judge
from stepahead.matching.circles.solve import solve_circles
from stepahead.synthetic import generate_organisation


def study(shape: str, size: int, lp_up_to: int) -> Record:
    params = MatchParams(mode=Mode.CIRCLES, seed=0)
    pop = compile_population(generate_organisation(size, seed=0, shape=shape), params)
    solution = solve_circles(pop, params, lambda *_: None)
    rows = np.array([[*g, *[-1] * (MAX_SIZE - len(g))] for g in solution.groups], dtype=np.int64)
    placed, score = int((rows >= 0).sum()), float(sum(solution.scores))
    start = time.perf_counter()
    bound = upper_bound(pop, params, placed)
    record: Record = {"shape": shape, "size": size, "placed": placed, "score": score, "share_bound": bound}
    record["share_seconds"] = round(time.perf_counter() - start, 2)
    record["lp_bound"] = lp_bound(pop, params, rows, placed) if size <= lp_up_to else None
    record.update(losses(pop, params, rows))
    record["load"] = round(os.getloadavg()[0], 1)
    return record


def lp_bound(pop: Population, params: MatchParams, rows: np.ndarray, placed: int) -> float | None:
    """The LP over every valid circle, among packings placing at least `placed`."""
    columns = Columns(pop.size)
    columns.add(rows, judge(pop, params, rows).score)
    tables = pair_tables(pop, params, np.arange(pop.size, dtype=np.int64))
    found = _generate(pop, params, tables, columns, (columns.sizes, placed), lambda: False)
    return float(found.lp.bound) if found is not None and found.proven else None


def losses(pop: Population, params: MatchParams, rows: np.ndarray) -> Record:
    """Each placed person's best share less their share in the packing, summed: split into goals
    and function bonus (with how many sit with a colleague, and in circles under five)."""
    best = split_shares(pop, params)[:, UNIQUE]
    bonus = float(params.cross_function_bonus)
    priority = np.asarray(PRIORITY_WEIGHTS)
    goals_met, bonus_got, colleagues, small = 0.0, 0.0, 0, 0
    for row in rows:
        members = row[row >= 0]
        seats = len(members)
        for x in members:
            others = members[members != x]
            gaps = pop.levels[others][:, pop.goals[x]].astype(np.int64) - pop.own[x]
            goals_met += float(priority @ pop.utility[np.clip(gaps, 0, len(pop.utility) - 1)].max(axis=0))
            colleague = bool((pop.functions[others] == pop.functions[x]).any())
            excess = (seats - 1) / seats if pop.functions[x] < 0 else (SHARED_EXCESS if colleague else 0.0)
            bonus_got += bonus * ((seats - 1) / seats - excess)
            colleagues += colleague
            small += seats < MAX_SIZE
    placed = rows[rows >= 0]
    return {
        "best_shares": float(best[placed].sum()),
        "goals_met": goals_met,
        "bonus_share": bonus_got,
        "with_colleague": colleagues,
        "in_small_circle": small,
    }


def report(facts: Record, records: list[Record]) -> str:
    header = [
        "shape",
        "people",
        "score",
        "share bound",
        "LP bound",
        "best shares",
        "goals met",
        "bonus",
        "with colleague",
        "load",
    ]
    rows = [
        [
            r["shape"],
            fmt(r["size"]),
            f"{r['score']:,.1f}",
            f"{r['share_bound']:,.1f} ({100 * r['score'] / r['share_bound']:.2f}%)",
            "-"
            if r["lp_bound"] is None
            else f"{r['lp_bound']:,.1f} ({100 * r['score'] / r['lp_bound']:.2f}%)",
            f"{r['best_shares']:,.1f}",
            f"{r['goals_met']:,.1f}",
            f"{r['bonus_share']:,.1f}",
            f"{r['with_colleague']:,} of {r['placed']:,}",
            fmt(r["load"]),
        ]
        for r in records
    ]
    return f"# Circles bound study\n\n{machine_markdown(facts)}\n\n{markdown_table(header, rows)}\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="300,10k")
    parser.add_argument("--shapes", default="many-skills")
    parser.add_argument("--lp-up-to", type=int, default=300)
    parser.add_argument("--out", default="circles-bound-study")
    args = parser.parse_args(argv)
    facts = machine_facts()
    records = [
        study(shape, size, args.lp_up_to)
        for shape in args.shapes.split(",")
        for size in parse_sizes(args.sizes)
    ]
    write_results(args.out, {"machine": facts, "records": records}, report(facts, records))
    print(report(facts, records))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
