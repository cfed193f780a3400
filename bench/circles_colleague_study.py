"""Why large many-skills pools stay ~3.6 % under the circles share bound: colleagues.

`python -m bench.circles_colleague_study [--sizes 10k] [--shapes many-skills]` writes
results/circles-colleague-study.{json,md}. In the many-skills shape most goals are specialisms of
one's own function, so the best giver is often a colleague, and sitting with a colleague costs the
function bonus. Per pool (synthetic organisation, seed 0) this splits each person's best share in
any valid circle (the bound's column crediting unique functions) into the best *alone in their
function* and the gain a colleague could add (`gain`), then:

- the engine's packing, person by person against their best share: alone or with a colleague, and
  whether the colleague can gain them anything (most of the shortfall is people sitting with a
  colleague they gain nothing from: the givers of those who do);
- how far the bound could fall if it made the colleague pay: a function group of m in a circle
  costs 0.25 · (m − 1) of bonus, so each member who gains pays 0.25 unless the group gains all
  round, which needs a cycle of people each lifting the next above their best alone. Counting the
  people who could be on such a cycle (pair by pair, in a grade window both fit) bounds how many
  groups can; the study reports that tightened gain beside the bound's.
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
from stepahead.matching._population import FloatArray, Population, compile_population, hard_rules_mask
from stepahead.matching._scoring import PRIORITY_WEIGHTS
from stepahead.matching.circles import bound
from stepahead.matching.circles.solve import solve_circles
from stepahead.synthetic import generate_organisation

# A colleague's share of a pair's bonus (0.25 · (4/5 − 1/2)) against alone in a circle of five.
ALONE, WITH_COLLEAGUE = 0.2, 0.075
GROUP_COST = 0.25  # bonus a circle loses per member beyond the first of a function


def study(shape: str, size: int) -> Record:
    params = MatchParams(mode=Mode.CIRCLES, seed=0)
    pop = compile_population(generate_organisation(size, seed=0, shape=shape), params)
    start = time.perf_counter()
    solution = solve_circles(pop, params, lambda *_: None)
    seconds = time.perf_counter() - start
    best = bound.split_shares(pop, params)[:, bound.UNIQUE]
    alone, reach = alone_shares(pop, params)
    gain = np.maximum(best - alone, 0.0) + ALONE - WITH_COLLEAGUE  # goal gained beside a colleague
    gain[best <= alone] = 0.0
    record: Record = {"shape": shape, "size": size, "seconds": round(seconds, 1)}
    record["score"], record["placed"] = float(sum(solution.scores)), sum(len(g) for g in solution.groups)
    shares = np.sort(bound.bound_shares(pop, params).shares, axis=0)[::-1][: record["placed"]]
    record["share_bound"] = float(shares.sum(axis=0).min())  # the two splits, colleagues not charged
    record["bound"] = bound.upper_bound(pop, params, record["placed"])  # with colleagues.py
    record.update(packing_losses(pop, solution.groups, best, gain))
    record.update(colleague_cost(pop, params, alone - ALONE, reach, gain))
    record["load"] = round(os.getloadavg()[0], 1)
    return record


def alone_shares(pop: Population, params: MatchParams) -> tuple[FloatArray, FloatArray]:
    """Each person's best share with nobody of their function beside them (the bound's split
    crediting unique functions, wishes apart); and reach[x, w, g], the most any other function
    in grade window w could give x's g-th goal (inf where x is not in w)."""
    kinds = int(pop.functions.max(initial=-1)) + 2
    kind = np.where(pop.functions >= 0, pop.functions, kinds - 1).astype(np.int64)
    sets, sizes = bound.function_sets(kinds)
    priority = np.asarray(PRIORITY_WEIGHTS, dtype=np.float64)
    first = int(pop.grades.min()) - params.circle_band
    windows = int(pop.grades.max()) + 1 - first
    best = np.zeros((pop.size, 2))
    reach = np.full((pop.size, windows, 3), np.inf)
    for w in range(windows):
        low = first + w
        inside = np.flatnonzero((pop.grades >= low) & (pop.grades <= low + params.circle_band))
        if len(inside) < 3:
            continue
        goals, count = bound._window(pop, kind[inside], kinds, inside)
        count[np.arange(len(inside)), kind[inside]] = 0  # no colleague: sets of other functions only
        share = np.zeros((len(inside), 2))
        args = (kinds, sets, sizes, params.cross_function_bonus, priority, share)
        bound._best_sets(goals, count, kind[inside], *args)
        best[inside] = np.maximum(best[inside], share)
        reach[inside, w] = np.where((count >= 1)[:, :, None], goals, 0.0).max(axis=1)
    return best[:, bound.UNIQUE], reach


def packing_losses(
    pop: Population, groups: tuple[tuple[int, ...], ...], best: FloatArray, gain: FloatArray
) -> Record:
    """Each placed person's best share less their share of the engine's circle, summed per kind of
    seat: alone in their function or beside a colleague, gaining from one or not."""
    priority = np.asarray(PRIORITY_WEIGHTS)
    loss: dict[str, list[float]] = {
        "alone": [],
        "alone_gaining": [],
        "colleague_gaining": [],
        "colleague_idle": [],
    }
    for group in groups:
        members = np.array(group)
        seats = len(members)
        for x in members:
            others = members[members != x]
            gaps = pop.levels[others][:, pop.goals[x]].astype(np.int64) - pop.own[x]
            goal = float(priority @ pop.utility[np.clip(gaps, 0, len(pop.utility) - 1)].max(axis=0))
            same = 1 + int((pop.functions[others] == pop.functions[x]).sum())
            share = goal + GROUP_COST * ((seats - 1) / seats - (1 - 1 / same))
            gaining = gain[x] > ALONE - WITH_COLLEAGUE
            key = (
                ("colleague_" + ("gaining" if gaining else "idle"))
                if same > 1
                else ("alone_gaining" if gaining else "alone")
            )
            loss[key].append(float(best[x]) - share)
    out: Record = {}
    for key, values in loss.items():
        out[f"{key}_people"], out[f"{key}_loss"] = len(values), round(sum(values), 1)
    return out


def colleague_cost(
    pop: Population, params: MatchParams, alone_goal: FloatArray, reach: FloatArray, gain: FloatArray
) -> Record:
    """The bound's colleague gain, and the gain were each group that does not gain all round made
    to pay its bonus: Σ (gain − 0.25)⁺ + 0.25 per group gaining all round. Such a group holds a
    cycle of colleagues each lifting the next above their best alone, or someone whose best alone
    the other functions of some window already beat (`free`): at most half the people who lift a
    colleague and are lifted by one, plus the free."""
    lifted, lifts = np.zeros(pop.size, dtype=bool), np.zeros(pop.size, dtype=bool)
    for function in np.unique(pop.functions[pop.functions >= 0]):
        people = np.flatnonzero(pop.functions == function)
        for block in np.array_split(people, max(1, len(people) // 200)):
            x, y = _colleague_pairs(pop, params, block, people)
            helps = _lifts(pop, params, x, y, alone_goal, reach)
            lifted[x[helps]], lifts[y[helps]] = True, True
    others = np.where(np.isfinite(reach), reach, 0.0) @ np.asarray(PRIORITY_WEIGHTS)
    free = (pop.functions >= 0) & (others > alone_goal[:, None] + 1e-9).any(axis=1)
    cycling = lifted & lifts & ~free
    groups = int(free.sum()) + int(cycling.sum()) // 2
    gaining = gain > ALONE - WITH_COLLEAGUE
    allowed = float(np.maximum(gain - (ALONE - WITH_COLLEAGUE), 0).sum())
    paying = float(np.maximum(gain - GROUP_COST, 0).sum()) + GROUP_COST * groups
    return {
        "gaining_people": int(gaining.sum()),
        "bound_colleague_gain": round(allowed, 1),
        "on_a_cycle": int(cycling.sum()),
        "free": int(free.sum()),
        # Both are bounds: where few can sit alone (one function) the free make the second the higher.
        "paying_colleague_gain": round(min(paying, allowed), 1),
    }


def _colleague_pairs(
    pop: Population, params: MatchParams, block: np.ndarray, people: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    x, y = np.repeat(block, len(people)), np.tile(people, len(block))
    ok = (np.abs(pop.grades[x] - pop.grades[y]) <= params.circle_band) & hard_rules_mask(pop, x, y)
    return x[ok], y[ok]


def _lifts(
    pop: Population,
    params: MatchParams,
    x: np.ndarray,
    y: np.ndarray,
    alone_goal: FloatArray,
    reach: FloatArray,
) -> np.ndarray:
    """Whether y beside x, with the best of every other function in some window both fit, meets
    x's goals better than x's best alone."""
    given = pop.utility[np.clip(pop.levels[y[:, None], pop.goals[x]].astype(np.int64) - pop.own[x], 0, 5)]
    first = int(pop.grades.min()) - params.circle_band
    top = np.minimum(pop.grades[x], pop.grades[y]) - first
    bottom = np.maximum(pop.grades[x], pop.grades[y]) - params.circle_band - first
    best = np.full(len(x), -np.inf)
    for w in range(reach.shape[1]):
        fits = (w >= bottom) & (w <= top) & np.isfinite(reach[x, w, 0])
        value = (np.maximum(reach[x, w], given) * np.asarray(PRIORITY_WEIGHTS)).sum(axis=1)
        best = np.where(fits, np.maximum(best, value), best)
    lifted: np.ndarray = best > alone_goal[x] + 1e-9
    return lifted


def report(facts: Record, records: list[Record]) -> str:
    header = ["shape", "people", "score", "share bound", "alone", "alone, gaining", "colleague, gaining"]
    header += ["colleague, idle", "bound's colleague gain", "if colleagues paid", "engine's bound", "seconds"]
    rows = [
        [
            r["shape"],
            fmt(r["size"]),
            f"{r['score']:,.1f}",
            f"{r['share_bound']:,.1f} ({100 * r['score'] / r['share_bound']:.2f}%)",
            *(
                f"{r[k + '_people']:,}: −{r[k + '_loss']:,.1f}"
                for k in ("alone", "alone_gaining", "colleague_gaining", "colleague_idle")
            ),
            f"{r['bound_colleague_gain']:,.1f} ({r['gaining_people']:,} people)",
            f"{r['paying_colleague_gain']:,.1f} ({r['on_a_cycle']:,} on a cycle)",
            f"{r['bound']:,.1f} ({100 * r['score'] / r['bound']:.2f}%)",
            fmt(r["seconds"]),
        ]
        for r in records
    ]
    notes = (
        "Seats: people alone in their function or beside a colleague, and whether a colleague could "
        "gain them anything; after the colon, their best shares less their shares in the engine's "
        "circles. Then the share bound's allowance for goals met by colleagues, and that allowance "
        "were each colleague group made to pay its bonus (see the module docstring); the engine's "
        "bound charges colleagues so (circles/colleagues.py, with its own count of the groups)."
    )
    table = markdown_table(header, rows)
    return f"# Circles colleague study\n\n{machine_markdown(facts)}\n\n{table}\n\n{notes}\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10k")
    parser.add_argument("--shapes", default="many-skills")
    parser.add_argument("--out", default="circles-colleague-study")
    args = parser.parse_args(argv)
    facts = machine_facts()
    records = [study(shape, size) for shape in args.shapes.split(",") for size in parse_sizes(args.sizes)]
    write_results(args.out, {"machine": facts, "records": records}, report(facts, records))
    print(report(facts, records))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
