"""The true circles optimum of a pool, computed independently of the engine.

Every valid circle of 3 to 5 is enumerated here with numpy code written from the spec's rules over
the participants' own fields (not the engine's tables or kernels), checked against the spec's
scalar reference (`circle_is_valid`, `circle_score`) on a sample, and packed exactly in two stages,
as the objective is lexicographic: the most people placed, then the most score among packings
placing that many. Each stage solves the LP relaxation over EVERY circle by column generation
(pricing is a numpy pass over the whole list), then integer solves (HiGHS via scipy's milp) over
the circles whose reduced cost leaves room to beat the best packing known: a circle with reduced
cost r appears only in packings worth at most LP + r. The solve over all of those is the proof.

`python -m bench.circles_oracle [--sizes 100] [--shapes all] [--seed 0] [--out circles-small-optimum]`
runs the oracle and the engine per shape and writes results/<out>.{json,md}. Meant for pools of a
few hundred people at most (100 people of the few-skills shape have 4.4 million valid circles).
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import csr_matrix, vstack

from bench.common import (
    Record,
    fmt,
    machine_facts,
    machine_markdown,
    markdown_table,
    parse_sizes,
    write_results,
)
from stepahead.matching import MatchParams, Mode, Participant, circle_is_valid, circle_score, match
from stepahead.synthetic import SHAPES, generate_organisation

PRIORITY = (1.0, 0.7, 0.4)
STEP = {"one-step": (0.0, 1.0, 0.8, 0.5, 0.25, 0.25), "expert": (0.0, 0.4, 0.8, 1.0, 1.0, 0.9)}
SAMPLE = 3_000  # circles and non-circles checked against the scalar reference per pool
PROOF_COLUMNS = 400_000  # the closing integer solve takes at most this many circles
SEARCH_COLUMNS = (2_000, 8_000, 30_000, 100_000)  # restricted integer solves for a better incumbent
SEARCH_SECONDS = 120.0
CLOSING_SECONDS = 900.0  # the closing solve: unproven (and said so) past this

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


# --- enumeration ------------------------------------------------------------------------------------


def may_share(a: Participant, b: Participant, band: int) -> bool:
    """Hard rules and the grade band (spec matching-v1, circles)."""
    if a.id == b.id or a.manager_id == b.id or b.manager_id == a.id:
        return False
    if b.id in a.exclude or a.id in b.exclude:
        return False
    if a.languages and b.languages and not a.languages & b.languages:
        return False
    return abs(a.grade - b.grade) <= band


def gains(people: Sequence[Participant], profile: str) -> FloatArray:
    """gain[j, i, k]: what j brings to i's k-th goal (priority weight × step utility)."""
    step = STEP[profile]
    gain = np.zeros((len(people), len(people), 3))
    for i, receiver in enumerate(people):
        for k, goal in enumerate(receiver.goals[:3]):
            own = receiver.skills.get(goal, 0)
            for j, giver in enumerate(people):
                gap = giver.skills.get(goal, 0) - own
                if gap > 0 and i != j:
                    gain[j, i, k] = PRIORITY[k] * step[min(gap, len(step) - 1)]
    return gain


def every_circle(people: Sequence[Participant], params: MatchParams) -> tuple[IntArray, FloatArray]:
    """(members, scores) of every valid circle; members -1 padded, in index order."""
    n = len(people)
    ok = np.array([[may_share(a, b, params.circle_band) for b in people] for a in people], dtype=bool)
    gain = gains(people, params.profile.value)
    gives = (gain > 0).any(axis=2)
    wishes = np.array(
        [[(b.id in a.prefer) + (a.id in b.prefer) for b in people] for a in people], dtype=np.float64
    )
    labels = sorted({p.function for p in people if p.function})
    function = np.array([labels.index(p.function) if p.function else -1 for p in people])
    rows, scores = [], []
    for anchor in range(n):
        later = np.flatnonzero(ok[anchor] & (np.arange(n) > anchor))
        grown = np.column_stack([np.full(len(later), anchor), later])
        for _size in (3, 4, 5):
            sets = _grow(grown, ok, n)
            if not len(sets):
                break
            keep, score = _judge(sets, gain, gives, wishes, function, params)
            padded = np.full((int(keep.sum()), 5), -1, dtype=np.int64)
            padded[:, : sets.shape[1]] = sets[keep]
            rows.append(padded)
            scores.append(score[keep])
            grown = sets
    if not rows:
        return np.zeros((0, 5), dtype=np.int64), np.zeros(0)
    return np.concatenate(rows), np.concatenate(scores)


def _grow(sets: IntArray, ok: BoolArray, n: int) -> IntArray:
    """Every clique one larger, adding a person after the last member."""
    if not len(sets):
        return sets
    common = ok[sets].all(axis=1) & (np.arange(n)[None, :] > sets[:, -1:])
    which, extra = np.nonzero(common)
    return np.column_stack([sets[which], extra]).astype(np.int64)


def _judge(
    sets: IntArray,
    gain: FloatArray,
    gives: BoolArray,
    wishes: FloatArray,
    function: IntArray,
    params: MatchParams,
) -> tuple[BoolArray, FloatArray]:
    """Who is valid (everyone gives to and receives from someone in it) and each circle's score."""
    g = gain[sets[:, :, None], sets[:, None, :]]  # (circle, giver, receiver, goal)
    flows = gives[sets[:, :, None], sets[:, None, :]]
    valid = (flows.any(axis=2) & flows.any(axis=1)).all(axis=1)
    score = g.max(axis=1).sum(axis=(1, 2))
    k = sets.shape[1]
    for x, y in itertools.combinations(range(k), 2):
        score += params.wish_bonus * wishes[sets[:, x], sets[:, y]]
    f = function[sets]
    distinct = np.zeros(len(sets))
    for x in range(k):
        first = (f[:, x] >= 0) & ~(f[:, :x] == f[:, x : x + 1]).any(axis=1)
        distinct += first
    score += params.cross_function_bonus * np.maximum(distinct - 1, 0)
    return valid, score


def check_sample(
    people: Sequence[Participant], params: MatchParams, rows: IntArray, scores: FloatArray
) -> int:
    """Compares a sample of listed circles, and of random 3- to 5-sets, with the scalar reference;
    returns how many were checked (raises on the first disagreement)."""
    rng = random.Random(0)
    listed = {tuple(int(m) for m in row if m >= 0): float(s) for row, s in zip(rows, scores, strict=True)}
    picks = rng.sample(range(len(rows)), min(SAMPLE, len(rows)))
    for c in picks:
        members = [int(m) for m in rows[c] if m >= 0]
        group = [people[m] for m in members]
        assert circle_is_valid(group, params), members
        assert abs(circle_score(group, params) - scores[c]) < 1e-9, members
    for _ in range(SAMPLE):  # random groups near each other: listed exactly when valid
        anchor = rng.randrange(len(people))
        close = [
            j for j in range(len(people)) if abs(people[j].grade - people[anchor].grade) <= params.circle_band
        ]
        group_ = tuple(sorted(rng.sample(close, min(len(close), rng.randint(3, 5)))))
        if len(group_) >= 3:
            assert (group_ in listed) == circle_is_valid([people[m] for m in group_], params), group_
    return 2 * SAMPLE


# --- exact packing ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Optimum:
    placed: int
    score: float
    circles: int  # valid circles in the pool
    proof_columns: int  # circles in the closing integer solve of the score stage
    proven: bool
    lp_bound: float  # the score LP over every circle, among packings placing `placed`


def optimum(rows: IntArray, scores: FloatArray, people: int, known: IntArray) -> Optimum:
    """The exact optimum; `known` is a packing (indices into rows, checked disjoint here) that the
    search starts from: it only prunes, the proof does not rest on it."""
    sizes = (rows >= 0).sum(axis=1).astype(np.float64)
    members = rows[known][rows[known] >= 0]
    assert len(np.unique(members)) == len(members), "the known packing overlaps"
    seats = _seats(rows, people)
    placed, _, proven_1, _ = _stage(rows, seats, sizes, None, people, 1.0, known)
    score, lp, proven_2, used = _stage(rows, seats, scores, (sizes, round(placed)), people, 1e-7, known)
    return Optimum(round(placed), score, len(rows), used, proven_1 and proven_2, lp)


def locate(rows: IntArray, groups: Sequence[Sequence[int]]) -> IntArray:
    """Positions of these circles (member indices) among the rows."""
    keys = _keys(rows)
    order = np.argsort(keys, kind="stable")
    wanted = np.full((len(groups), 5), -1, dtype=np.int64)
    for g, group in enumerate(groups):
        wanted[g, : len(group)] = sorted(group)
    at = np.searchsorted(keys[order], _keys(wanted))
    found: IntArray = order[np.minimum(at, len(order) - 1)]
    assert (rows[found] == wanted).all(), "a circle of the engine is not among the valid ones"
    return found


def _keys(rows: IntArray) -> IntArray:
    keys = np.zeros(len(rows), dtype=np.int64)
    for x in range(5):
        keys = keys * 4096 + (rows[:, x] + 1)
    return keys


def _seats(rows: IntArray, people: int) -> csr_matrix:
    real = rows >= 0
    circle = np.repeat(np.arange(len(rows)), real.sum(axis=1))
    return csr_matrix((np.ones(len(circle)), (rows[real], circle)), shape=(people, len(rows)))


def _stage(
    rows: IntArray,
    seats: csr_matrix,
    value: FloatArray,
    floor: tuple[FloatArray, int] | None,
    people: int,
    step: float,
    known: IntArray,
) -> tuple[float, float, bool, int]:
    """(best value, LP bound, proven, circles in the closing solve) of one stage."""
    bound, reduced = _lp(rows, seats, value, floor, people, known)
    best = float(value[known].sum())
    print(f"  stage: LP {bound:.4f}, known {best:.4f}", flush=True)
    deadline = time.monotonic() + SEARCH_SECONDS
    for count in SEARCH_COLUMNS:  # better incumbents from the best-priced circles
        useful = np.flatnonzero(reduced >= best + step - bound - 1e-6)
        print(f"  useful {len(useful)}", flush=True)
        if len(useful) <= PROOF_COLUMNS or time.monotonic() > deadline:
            break
        top = np.union1d(np.argsort(-reduced, kind="stable")[:count], known)
        found = _mip(seats, value, floor, top, max(5.0, deadline - time.monotonic()))
        print(f"  top {count}: {found}", flush=True)
        if found is not None:
            best = max(best, found[0])
    useful = np.flatnonzero(reduced >= best + step - bound - 1e-6)
    print(f"  closing over {len(useful)}", flush=True)
    if len(useful) > PROOF_COLUMNS:
        return best, bound, False, len(useful)
    found = _mip(seats, value, floor, np.union1d(useful, known), CLOSING_SECONDS)
    if found is None:
        return best, bound, True, len(useful)
    return max(best, found[0]), bound, found[1], len(useful)


def _lp(
    rows: IntArray,
    seats: csr_matrix,
    value: FloatArray,
    floor: tuple[FloatArray, int] | None,
    people: int,
    known: IntArray,
) -> tuple[float, FloatArray]:
    """The LP over every circle by column generation: (bound, every circle's reduced cost).
    The known packing starts the columns, so that the floor can be met."""
    working = np.union1d(np.argsort(-value, kind="stable")[:2_000], known)
    while True:
        a_ub, b_ub = seats[:, working], np.ones(people)
        if floor is not None:
            a_ub = vstack([a_ub, csr_matrix(-floor[0][working][None, :])]).tocsr()
            b_ub = np.concatenate([b_ub, [-float(floor[1])]])
        found = linprog(-value[working], A_ub=a_ub, b_ub=b_ub, bounds=(0, 1), method="highs")
        assert found.status == 0, found.message
        duals = -np.asarray(found.ineqlin.marginals)
        padded = np.concatenate([duals[:people], [0.0]])
        reduced = value - padded[rows].sum(axis=1)
        if floor is not None:
            reduced += duals[-1] * floor[0]
        fresh = np.flatnonzero(reduced > 1e-7)
        fresh = np.setdiff1d(fresh, working)
        if not len(fresh):
            return float(-found.fun), reduced
        working = np.union1d(working, fresh[np.argsort(-reduced[fresh], kind="stable")[:5_000]])


def _mip(
    seats: csr_matrix,
    value: FloatArray,
    floor: tuple[FloatArray, int] | None,
    columns: IntArray,
    seconds: float | None,
) -> tuple[float, bool] | None:
    """(best value among these columns, proven); None when they hold no packing meeting the floor."""
    constraints = [LinearConstraint(seats[:, columns], 0, 1)]
    if floor is not None:
        constraints.append(LinearConstraint(floor[0][columns][None, :], floor[1], np.inf))
    options: dict[str, float] = {"mip_rel_gap": 0.0}
    if seconds is not None:
        options["time_limit"] = seconds
    found = milp(
        -value[columns],
        constraints=constraints,
        integrality=np.ones(len(columns)),
        bounds=Bounds(0, 1),
        options=options,
    )
    if found.x is None:
        return None
    return float(value[columns] @ np.round(found.x)), bool(found.status == 0)


# --- bench ------------------------------------------------------------------------------------------


def run(shape: str, size: int, seed: int) -> Record:
    people = list(generate_organisation(size, seed=seed, shape=shape))
    params = MatchParams(mode=Mode.CIRCLES, seed=seed)
    start = time.process_time()
    start, cpu = time.perf_counter(), time.process_time()
    result = match(people, params)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    start = time.process_time()
    rows, scores = every_circle(people, params)
    checked = check_sample(people, params, rows, scores)
    index = {p.id: i for i, p in enumerate(people)}
    known = locate(rows, [[index[m] for m in c.members] for c in result.circles])
    best = optimum(rows, scores, len(people), known)
    oracle_cpu = time.process_time() - start
    opt = result.optimality
    assert opt is not None
    return {
        "shape": shape,
        "size": size,
        "circles": best.circles,
        "checked": checked,
        "optimum_placed": best.placed,
        "optimum_score": best.score,
        "optimum_proven": best.proven,
        "lp_bound": best.lp_bound,
        "proof_columns": best.proof_columns,
        "oracle_cpu": round(oracle_cpu, 1),
        "placed": result.placed,
        "score": result.total_score,
        "score_ratio": result.total_score / best.score if best.score > 0 else 1.0,
        "bound": opt.upper_bound,
        "bound_ratio": opt.upper_bound / best.score if best.score > 0 else 1.0,
        "engine_proven": opt.proven,
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),
        "load": round(os.getloadavg()[0], 1),
    }


def report(records: list[Record]) -> str:
    header = [
        "shape",
        "people",
        "valid circles",
        "optimum placed / score",
        "engine placed",
        "engine score / optimum",
        "engine bound / optimum",
        "LP bound / optimum",
        "engine s (cpu)",
        "load",
    ]
    rows = [
        [
            r["shape"],
            fmt(r["size"]),
            f"{r['circles']:,}",
            f"{r['optimum_placed']} / {r['optimum_score']:.2f}{'' if r['optimum_proven'] else ' (unproven)'}",
            str(r["placed"]),
            f"{r['score']:.2f} ({100 * r['score_ratio']:.2f}%)",
            f"{r['bound']:.2f} ({r['bound_ratio']:.4f}x)",
            f"{r['lp_bound']:.2f} ({r['lp_bound'] / r['optimum_score']:.4f}x)",
            f"{r['seconds']:.1f} ({r['cpu_seconds']:.1f})",
            fmt(r["load"]),
        ]
        for r in records
    ]
    return markdown_table(header, rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="100")
    parser.add_argument("--shapes", default="all", help="'all' or a comma-separated list")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default="circles-small-optimum")
    args = parser.parse_args()
    facts = machine_facts()
    records = []
    shapes = list(SHAPES) if args.shapes == "all" else args.shapes.split(",")
    for size in parse_sizes(args.sizes):
        for shape in shapes:
            records.append(run(shape, size, args.seed))
            print(report(records[-1:]).splitlines()[-1], flush=True)
            title = "# Circles: the engine against the true optimum (independent enumeration, exact packing)"
            markdown = f"{title}\n\n{machine_markdown(facts)}\n\n{report(records)}\n"
            write_results(args.out, {"machine": facts, "runs": records}, markdown)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
