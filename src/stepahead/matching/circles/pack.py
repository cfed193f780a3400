"""Circles as set packing over a pool of candidate circles: LP relaxation by column generation,
then integer solves (HiGHS) on the columns that can still matter.

Two stages, as the spec's objective is lexicographic: first the most people placed, then the most
score among packings that place that many. Each stage solves the LP over a small working set of
columns, prices every candidate by its reduced cost, adds those that price out, and repeats until
none does: the LP optimum over the whole pool. When the pool holds every valid circle, that LP is
an upper bound for every packing. A candidate with reduced cost r can only appear in packings worth
at most LP + r, so the integer solve needs only candidates with r above (incumbent - LP): with a
good incumbent a handful of columns, and the integer optimum over them is the optimum over all.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import csr_matrix

from .._population import FloatArray, IntArray

ADD_PER_ROUND = 4_000  # columns added per pricing round
MAX_ROUNDS = 200
MIP_COLUMNS = 4_000  # integer solves over more columns than this are not attempted
QUICK_COLUMNS = 600  # columns of the quick integer solve that looks for a better incumbent
# Branch-and-bound nodes per integer solve (deterministic, unlike a time limit): a short search
# over the working columns for a better incumbent, a longer one for the proof.
QUICK_NODES, PROOF_NODES = 200, 5_000
EPS = 1e-7
# The second stage keeps at least this many members: (members per column, how many).
Floor = tuple[FloatArray, int] | None


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


def pack(rows: IntArray, scores: FloatArray, people: int, start: IntArray | None = None) -> Packing:
    """The best packing of candidate circles (rows of person indices < people, -1 padded), most
    members first; `start` is a known packing (indices) to begin from."""
    sizes = (rows >= 0).sum(axis=1).astype(np.float64)
    if not len(rows):
        empty = np.zeros(0, dtype=np.int64)
        return Packing(empty, 0, 0, 0.0, 0.0, True)
    seats = _seats(rows, people)
    start = greedy(rows, sizes + 1e-3 * scores, people) if start is None else start
    first = _stage(seats, sizes, start, None)
    placed = round(first.value)
    second = _stage(seats, scores, first.chosen, (sizes, placed))
    return Packing(
        chosen=second.chosen,
        placed=placed,
        placed_bound=int(np.floor(first.bound + 1e-6)),
        score=second.value,
        score_bound=max(second.bound, second.value),
        proven=first.proven and second.proven,
    )


def _seats(rows: IntArray, people: int) -> csr_matrix:
    real = rows >= 0
    circle = np.repeat(np.arange(len(rows)), real.sum(axis=1))
    return csr_matrix((np.ones(len(circle)), (rows[real], circle)), shape=(people, len(rows)))


def greedy(rows: IntArray, value: FloatArray, people: int) -> IntArray:
    """A first packing: people with the fewest circles choose first, each the most valuable circle
    of free people that holds them."""
    seats = _seats(rows, people).tocsr()
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


def _stage(seats: csr_matrix, value: FloatArray, start: IntArray, floor: Floor) -> Stage:
    """Maximise value over packings (placing at least floor[1] people, when given)."""
    working = _initial_columns(seats, value, start)
    bound, duals = 0.0, (np.zeros(seats.shape[0]), 0.0)
    for _ in range(MAX_ROUNDS):
        bound, duals = _lp(seats[:, working], value[working], floor, working)
        reduced = _reduced(seats, value, duals, floor)
        reduced[working] = np.minimum(reduced[working], 0.0)
        fresh = np.flatnonzero(reduced > EPS)
        if not len(fresh):
            break
        top = fresh[np.argsort(-reduced[fresh], kind="stable")[:ADD_PER_ROUND]]
        working = np.union1d(working, top)
    else:
        bound = float("inf")  # no proof the LP is done: no bound from it
    reduced = _reduced(seats, value, duals, floor)
    incumbent = float(value[start].sum()) if floor is None or _places(start, floor) else -np.inf
    return _integer(seats, value, floor, working, reduced, bound, start, incumbent)


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


def _lp(
    seats: csr_matrix, value: FloatArray, floor: Floor, working: IntArray
) -> tuple[float, tuple[FloatArray, float]]:
    """The LP over the working columns: its value and duals (per person, for the floor)."""
    a_ub, b_ub = seats, np.ones(seats.shape[0])
    if floor is not None:
        from scipy.sparse import vstack

        a_ub = vstack([seats, csr_matrix(-floor[0][working][None, :])]).tocsr()
        b_ub = np.concatenate([b_ub, [-float(floor[1])]])
    found = linprog(-value, A_ub=a_ub, b_ub=b_ub, bounds=(0, 1), method="highs")
    if found.status != 0:
        raise RuntimeError(f"circle LP failed: {found.message}")
    marginals = -np.asarray(found.ineqlin.marginals)
    person_duals = marginals[: seats.shape[0]]
    floor_dual = float(marginals[-1]) if floor is not None else 0.0
    return float(-found.fun), (person_duals, floor_dual)


def _reduced(
    seats: csr_matrix,
    value: FloatArray,
    duals: tuple[FloatArray, float],
    floor: Floor,
) -> FloatArray:
    """value − the members' duals + the floor's dual × members (the bounds x ≤ 1 need no dual:
    the packing rows imply them)."""
    person, floor_dual = duals
    reduced: FloatArray = value - seats.T @ person
    if floor is not None:
        reduced = reduced + floor_dual * floor[0]
    return reduced


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
    """First the working columns, then every column that could beat the incumbent (reduced-cost
    fixing); proven when a solve over every such column finishes."""
    best, best_value = start, incumbent
    if best_value >= bound - 1e-6:
        return Stage(best, best_value, bound, np.isfinite(bound))
    if not np.isfinite(bound):
        return Stage(best, best_value, bound, False)
    useful = _useful(reduced, value, bound, best, best_value)
    if len(useful) > MIP_COLUMNS:  # a better incumbent first, from the most promising columns
        # Counting members, many columns tie: all working ones; weighing scores, the best priced.
        keep = MIP_COLUMNS if floor is None else QUICK_COLUMNS
        promising = np.union1d(working[np.argsort(-reduced[working], kind="stable")[:keep]], best)
        found = _mip(seats, value, floor, promising, QUICK_NODES)
        if found is not None and found[1] > best_value + EPS:
            best, best_value = found[0], found[1]
        useful = _useful(reduced, value, bound, best, best_value)
    if len(useful) > MIP_COLUMNS:
        return Stage(best, best_value, bound, False)
    found = _mip(seats, value, floor, useful, PROOF_NODES)
    if found is None:  # nothing among the useful columns beats the incumbent: it is optimal
        return Stage(best, best_value, best_value, True)
    if found[1] > best_value + EPS:
        best, best_value = found[0], found[1]
    return Stage(best, best_value, best_value if found[2] else bound, found[2])


def _useful(
    reduced: FloatArray, value: FloatArray, bound: float, best: IntArray, best_value: float
) -> IntArray:
    """Columns that can appear in a packing better than the incumbent (reduced-cost fixing)."""
    need = best_value + _step(value) - bound if np.isfinite(best_value) else -np.inf
    useful: IntArray = np.union1d(np.flatnonzero(reduced >= need - 1e-6), best)
    return useful


def _step(value: FloatArray) -> float:
    """The smallest improvement that counts: one more person in the first stage, any in the second."""
    integral = bool(np.all(value == np.round(value)))
    return 1.0 if integral else 1e-6


def _mip(
    seats: csr_matrix,
    value: FloatArray,
    floor: Floor,
    columns: IntArray,
    nodes: int,
) -> tuple[IntArray, float, bool] | None:
    """The best packing of these columns and whether it is proven optimal among them; None when
    they hold no feasible packing (with a floor) at all."""
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
    if found.status == 2:  # infeasible
        return None
    if found.x is None:
        raise RuntimeError(f"circle packing failed: {found.message}")
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
    if found.x is None:
        raise RuntimeError(f"circle packing failed: {found.message}")
    chosen: FloatArray = np.round(found.x)
    return chosen
