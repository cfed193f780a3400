"""Circles as set packing over a pool of candidate circles: LP relaxation by column generation,
then integer solves (HiGHS) on the columns that can still matter.

Two stages, as the spec's objective is lexicographic: first the most people placed, then the most
score among packings that place that many. Each stage solves the LP by column generation (lp.py):
the LP optimum over the whole pool. In the first stage an LP dive (dive.py) looks for a packing
that reaches the LP's floor, which proves it. When the pool holds every valid circle, that LP is
an upper bound for every packing. A candidate with reduced cost r can only appear in packings worth
at most LP + r, so the integer solve needs only candidates with r above (incumbent - LP): with a
good incumbent a handful of columns, and the integer optimum over them is the optimum over all.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_matrix

from .._population import FloatArray, IntArray
from .._solution import Stop, never
from .dive import dive
from .lp import EPS, Floor, best_first, relax

# More columns than this could beat the incumbent: look for a better one first; the proof's
# integer solve takes this many at most.
MIP_COLUMNS = 4_000
# Pools up to this many people are promised a proven optimum, so their proof may take more columns:
# a 45-person pool left 4,217 (8 s to prove), a 60-person one 13,063 (10 s), a 39-person one 31k
# (~8 s; with 20,000 at most it stopped unproven, 35 placed where 36 could sit). At 100 people a
# proof over 15,768 took 35 s.
PROVEN_PEOPLE, PROOF_COLUMNS = 60, 40_000
# When the proof would still take too many, a second search for a better incumbent over the best
# priced of all columns (the quick one takes the LP's working columns): at 70 people it lifted the
# score from 96.145 to the optimum 97.135 in 19 s.
WIDER_COLUMNS = 4_000
QUICK_COLUMNS = 600  # columns of the quick integer solve that looks for a better incumbent
# Branch-and-bound nodes per integer solve (deterministic, unlike a time limit): a short search
# over the working columns for a better incumbent, a longer one for the proof.
QUICK_NODES, PROOF_NODES = 200, 5_000


@dataclass(frozen=True, slots=True)
class Stage:
    """One stage's outcome: the chosen columns, their value, the LP bound, whether proven."""

    chosen: IntArray
    value: float
    bound: float
    proven: bool


@dataclass(frozen=True, slots=True)
class Packing:
    chosen: IntArray  # indices into the candidate rows
    placed: int
    placed_bound: int  # over the pool: over every circle when the pool is complete
    score: float
    score_bound: float  # the most score of packings placing at least `placed`, over the pool
    proven: bool


def pack(rows: IntArray, scores: FloatArray, people: int, stop: Stop = never) -> Packing:
    """The best packing of candidate circles (rows of person indices < people, -1 padded), most
    members first."""
    sizes = (rows >= 0).sum(axis=1).astype(np.float64)
    if not len(rows):
        empty = np.zeros(0, dtype=np.int64)
        return Packing(empty, 0, 0, 0.0, 0.0, True)
    seats = _seats(rows, people)
    first = _stage(rows, seats, sizes, _greedy(rows, sizes + 1e-3 * scores, seats), None, stop)
    placed = round(first.value)
    second = _stage(rows, seats, scores, first.chosen, (sizes, placed), stop)
    return Packing(
        chosen=second.chosen,
        placed=placed,
        placed_bound=int(np.floor(first.bound + 1e-6)) if np.isfinite(first.bound) else people,
        score=second.value,
        score_bound=max(second.bound, second.value),
        proven=first.proven and second.proven,
    )


def _seats(rows: IntArray, people: int) -> csr_matrix:
    real = rows >= 0
    circle = np.repeat(np.arange(len(rows)), real.sum(axis=1))
    return csr_matrix((np.ones(len(circle)), (rows[real], circle)), shape=(people, len(rows)))


def _greedy(rows: IntArray, value: FloatArray, seats: csr_matrix) -> IntArray:
    """A first packing: people with the fewest circles choose first, each the most valuable circle
    of free people that holds them."""
    people = seats.shape[0]
    options = np.diff(seats.indptr)
    taken = np.zeros(people + 1, dtype=bool)  # the last slot stands for empty seats (-1)
    chosen = []
    for person in np.lexsort((np.arange(people), options)):
        if taken[person] or not options[person]:
            continue
        mine = seats.indices[seats.indptr[person] : seats.indptr[person + 1]]
        free = mine[~(taken[rows[mine]] & (rows[mine] >= 0)).any(axis=1)]
        if len(free):
            best = int(free[np.argmax(value[free])])
            taken[rows[best][rows[best] >= 0]] = True
            chosen.append(best)
    return np.array(chosen, dtype=np.int64)


def _stage(
    rows: IntArray, seats: csr_matrix, value: FloatArray, start: IntArray, floor: Floor, stop: Stop
) -> Stage:
    """Maximise value over packings (placing at least floor[1] people, when given)."""
    relaxed = relax(seats, value, floor, _initial_columns(seats, value, start), None, stop)
    if relaxed is None:  # out of time (or rounds): keep the start packing, with no bound from here
        return Stage(start, float(value[start].sum()), float("inf"), False)
    bound, working = relaxed.bound, relaxed.working
    reduced = relaxed.reduced(seats, value, floor)
    incumbent = float(value[start].sum()) if floor is None or _places(start, floor) else -np.inf
    if floor is None and incumbent < _target(value, bound):  # the LP's floor not reached yet
        dived = dive(rows, seats, value, working, _target(value, bound), stop)
        if float(value[dived].sum()) > incumbent:
            start, incumbent = dived, float(value[dived].sum())
    return _integer(seats, value, floor, working, reduced, bound, start, incumbent)


def _target(value: FloatArray, bound: float) -> float:
    """The most any packing can reach: the LP bound, rounded down when values are whole."""
    return float(np.floor(bound + 1e-6)) if _step(value) == 1.0 else bound


def _places(chosen: IntArray, floor: tuple[FloatArray, int]) -> bool:
    return bool(floor[0][chosen].sum() >= floor[1] - 0.5)


def _initial_columns(seats: csr_matrix, value: FloatArray, start: IntArray) -> IntArray:
    """The start packing plus each person's most valuable few circles."""
    per_person = []
    csc = seats.tocsr()
    for person in range(seats.shape[0]):
        mine = csc.indices[csc.indptr[person] : csc.indptr[person + 1]]
        if len(mine):
            per_person.append(mine[np.argsort(-value[mine], kind="stable")[:3]])
    found = np.concatenate([start, *per_person]) if per_person else start
    return np.unique(found.astype(np.int64))


def _integer(
    seats: csr_matrix,
    value: FloatArray,
    floor: Floor,
    working: IntArray,
    reduced: FloatArray,
    bound: float,
    start: IntArray,
    incumbent: float,
) -> Stage:
    """Better incumbents from the working columns, then from the best priced of all, while too
    many columns could beat the incumbent; then every column that could (reduced-cost fixing):
    proven when a solve over all of them finishes. `start` meets the floor (it is the first
    stage's packing), so the LP was feasible and `bound` is finite."""
    best, best_value = start, incumbent
    if best_value >= _target(value, bound) - 1e-6:
        return Stage(best, best_value, bound, True)
    useful = _useful(reduced, value, bound, best, best_value)
    if len(useful) > MIP_COLUMNS:  # a better incumbent first, from the most promising columns
        # Counting members, many columns tie: all working ones; weighing scores, the best priced.
        keep = MIP_COLUMNS if floor is None else QUICK_COLUMNS
        promising = working[best_first(reduced[working], keep)]
        best, best_value = _better(seats, value, floor, promising, best, best_value)
        useful = _useful(reduced, value, bound, best, best_value)
    limit = PROOF_COLUMNS if seats.shape[0] <= PROVEN_PEOPLE else MIP_COLUMNS
    if len(useful) > limit:
        promising = best_first(reduced, WIDER_COLUMNS)
        best, best_value = _better(seats, value, floor, promising, best, best_value)
        useful = _useful(reduced, value, bound, best, best_value)
    if len(useful) > limit:
        return Stage(best, best_value, bound, False)
    found = mip(seats, value, floor, useful, PROOF_NODES)
    if found[1] > best_value + EPS:
        best, best_value = found[0], found[1]
    return Stage(best, best_value, best_value if found[2] else bound, found[2])


def _better(
    seats: csr_matrix, value: FloatArray, floor: Floor, promising: IntArray, best: IntArray, best_value: float
) -> tuple[IntArray, float]:
    """The incumbent, or a better packing of these columns (a short integer solve) if one exists."""
    found = mip(seats, value, floor, np.union1d(promising, best), QUICK_NODES)
    if found[1] > best_value + EPS:
        return found[0], found[1]
    return best, best_value


def _useful(
    reduced: FloatArray, value: FloatArray, bound: float, best: IntArray, best_value: float
) -> IntArray:
    """Columns that can appear in a packing better than the incumbent (reduced-cost fixing)."""
    need = best_value + _step(value) - bound if np.isfinite(best_value) else -np.inf
    mask = reduced >= need - 1e-6  # a mask, not union1d: millions of columns at 100 people
    mask[best] = True
    useful: IntArray = np.flatnonzero(mask)
    return useful


def _step(value: FloatArray) -> float:
    """The smallest improvement that counts: one more person in the first stage, any in the second."""
    integral = bool(np.all(value == np.round(value)))
    return 1.0 if integral else 1e-6


def mip(
    seats: csr_matrix,
    value: FloatArray,
    floor: Floor,
    columns: IntArray,
    nodes: int,
) -> tuple[IntArray, float, bool]:
    """The best packing of these columns and whether it is proven optimal among them; none (worth
    -inf, unproven) when the node limit came first. Every caller's columns hold its incumbent,
    which meets the floor: the program is never infeasible."""
    constraints = [LinearConstraint(seats[:, columns], 0, 1)]
    if floor is not None:
        constraints.append(LinearConstraint(floor[0][columns][None, :], floor[1], np.inf))
    found = milp(
        -value[columns],
        constraints=constraints,
        integrality=np.ones(len(columns)),
        bounds=Bounds(0, 1),
        options={"mip_rel_gap": 0.0, "node_limit": nodes},
    )
    if found.x is None:  # a limit (nodes, solutions) came before any packing
        return columns[:0], -np.inf, False
    chosen: IntArray = columns[np.round(found.x) > 0]
    return chosen, float(value[chosen].sum()), bool(found.status == 0)


def lexicographic_packing(rows: IntArray, scores: FloatArray) -> IntArray:
    """Two integer programs: the most members, then the best score among packings that many
    (one program with a big member weight solves far slower)."""
    real = rows >= 0
    circle = np.repeat(np.arange(len(rows)), real.sum(axis=1))
    _, person = np.unique(rows[real], return_inverse=True)
    seats = csr_matrix((np.ones(len(circle)), (person, circle)), shape=(int(person.max()) + 1, len(rows)))
    sizes = real.sum(axis=1).astype(np.float64)
    one_circle_each = LinearConstraint(seats, 0, 1)
    first = _solve_all(-sizes, [one_circle_each])
    placed = round(float(sizes @ first))
    second = _solve_all(-scores, [one_circle_each, LinearConstraint(sizes[None, :], placed, placed)])
    chosen: IntArray = np.flatnonzero(second > 0)
    return chosen


def _solve_all(cost: FloatArray, constraints: list[LinearConstraint]) -> FloatArray:
    found = milp(
        cost,
        constraints=constraints,
        integrality=np.ones(len(cost)),
        bounds=Bounds(0, 1),
        options={"mip_rel_gap": 0.0},  # HiGHS stops at 0.01 % by default; a proof needs the optimum
    )
    if found.x is None:  # pragma: no cover - no limits, and x = 0 (then the first's answer) is feasible
        raise RuntimeError(f"circle packing failed: {found.message}")
    chosen: FloatArray = np.round(found.x)
    return chosen
