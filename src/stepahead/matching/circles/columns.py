"""Circle packing when there are too many valid circles to list: column generation.

The LP relaxation (each person in at most one circle) is solved over a growing set of columns;
each round the person duals price every valid circle through a branch-and-bound search
(pricing.py) and the best that price out join. When none does, the LP value is a bound over every
valid circle. Two stages, as the objective is lexicographic: the most members, then the most
score among packings placing that many. Integer solves run on the generated columns; then every
circle whose reduced cost leaves room to beat the incumbent is listed (when few enough), and an
integer solve over them proves the result or improves it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix

from .._model import MatchParams
from .._population import FloatArray, IntArray, Population
from .._solution import Progress, Stop, never, silent
from .catalogue import Tables, pair_tables
from .lp import EPS, Floor, Relaxation, solve_lp
from .pack import mip
from .pricing import VISITS, price
from .rescue import rescue
from .score import MAX_SIZE, judge

ADD_PER_ROUND = 1_000  # columns priced in per round
PRICING_VISITS = VISITS  # branch-and-bound nodes per pricing search (beyond: the LP is unproven)
MAX_ROUNDS = 400
# Pricing searches that may run out of budget in a stage before it ends (only a later complete
# search adding nothing could still prove the LP, and at 200 people once one ran out the rest did
# too, up to 16 in a row). On independently built specialists at 200 people, 1 left the score at
# 237.0, 2 at 240.6, 3 at 249.8, and no limit at 242.4.
UNFINISHED_ROUNDS = 3
# Circles listed for the closing integer solve at most: beyond, the result stands unproven.
CLOSING_COLUMNS = 1_500
CLOSING_NODES = 300  # branch-and-bound nodes of the closing integer solve
# When the closing solve leaves the score more than 1 % under the LP bound (few skills at 100
# people: 190.29 against 194.93), the best-priced circles are listed wider and solved again: the
# 8,000 best reach 194.22 within 100 nodes (33 s CPU; 300 nodes take 50 s for the same), the
# 1,500 best nothing better. The oracle (bench/circles_oracle.py) finds 194.22 too.
WIDE_GAP, WIDE_COLUMNS, WIDE_NODES = 0.01, 8_000, 100


@dataclass(frozen=True, slots=True)
class Outcome:
    rows: IntArray  # the chosen circles
    scores: FloatArray
    placed_bound: int
    score_bound: float  # over every valid circle, among packings placing as many
    proven: bool


@dataclass(frozen=True, slots=True)
class Generated:
    """The last LP over the columns; `proven` when a complete pricing search found no circle
    pricing out, so that its value bounds the LP over every valid circle."""

    lp: Relaxation
    proven: bool


class Columns:
    """The circles generated so far (rows of person indices, -1 padded), without repeats."""

    def __init__(self, people: int) -> None:
        self.people = people
        self.rows = np.zeros((0, MAX_SIZE), dtype=np.int64)
        self.scores = np.zeros(0)
        self._where: dict[tuple[int, ...], int] = {}

    def add(self, rows: IntArray, scores: FloatArray) -> IntArray:
        """Adds the circles not there yet; the positions of all the given ones."""
        keys = [tuple(row) for row in rows.tolist()]
        fresh = [k for k, key in enumerate(keys) if key not in self._where]
        for k in fresh:
            self._where[keys[k]] = len(self._where)
        self.rows = np.concatenate([self.rows, rows[fresh]])
        self.scores = np.concatenate([self.scores, scores[fresh]])
        return np.array([self._where[key] for key in keys], dtype=np.int64)

    @property
    def sizes(self) -> FloatArray:
        sizes: FloatArray = (self.rows >= 0).sum(axis=1).astype(np.float64)
        return sizes

    def seats(self) -> csr_matrix:
        real = self.rows >= 0
        circle = np.repeat(np.arange(len(self.rows)), real.sum(axis=1))
        return csr_matrix(
            (np.ones(len(circle)), (self.rows[real], circle)), shape=(self.people, len(self.rows))
        )


def improve_by_columns(
    pop: Population, params: MatchParams, circles: IntArray, stop: Stop = never, progress: Progress = silent
) -> Outcome | None:
    """Bounds over every valid circle for these circles (a packing), and the packing improved
    where an integer solve over the columns that matter finds better; None when stopped first.
    Where the pricing search runs out of budget before it can show that no circle prices out, the
    LP over the columns so far is no bound: the packing is still improved over them, but the
    bounds are left open (placed_bound = everyone, score_bound = inf) for the caller's own."""
    tables = pair_tables(pop, params, np.arange(pop.size, dtype=np.int64))
    columns = Columns(pop.size)
    columns.add(circles, judge(pop, params, circles).score)
    progress("Checking how many every valid circle could place", 0.0)
    first = _generate(pop, params, tables, columns, None, stop)
    if first is None:
        return None
    placed_bound = int(np.floor(first.lp.bound + 1e-6)) if first.proven else pop.size
    if int((circles >= 0).sum()) < placed_bound:  # someone could still be seated
        progress("Seating the unplaced by breaking up circles", 0.3)
        circles, _ = rescue(pop, params, circles, judge(pop, params, circles).score, stop)
    start = columns.add(circles, judge(pop, params, circles).score)
    placed = int((circles >= 0).sum())
    progress("Checking the best score every valid circle could reach", 0.4)
    second = _generate(pop, params, tables, columns, (columns.sizes, placed), stop)
    if second is None:
        return None
    progress("Choosing the best circles found", 0.8)
    chosen, closed = _close(pop, params, tables, columns, second.lp, placed, start, stop)
    if not closed and float(columns.scores[chosen].sum()) < (1 - WIDE_GAP) * second.lp.bound:
        wide = (WIDE_COLUMNS, WIDE_NODES)
        chosen, closed = _close(pop, params, tables, columns, second.lp, placed, chosen, stop, wide)
    # The closing solve's proof stands on the LP's duals pricing every circle: only when proven.
    # Its floor is at least `placed`, so the packing it chose may seat more: count those seats.
    seated = int((columns.rows[chosen] >= 0).sum())
    proven = second.proven and closed and seated >= placed_bound
    score = float(columns.scores[chosen].sum())
    bound = score if proven else (max(second.lp.bound, score) if second.proven else np.inf)
    return Outcome(columns.rows[chosen], columns.scores[chosen], placed_bound, bound, proven)


def _generate(
    pop: Population, params: MatchParams, tables: Tables, columns: Columns, floor: Floor, stop: Stop
) -> Generated | None:
    """Column generation until no valid circle prices out (None when stopped). When the pricing
    search runs out of budget, or the rounds run out, the last LP stands unproven: circles the
    search did not reach may still price out. UNFINISHED_ROUNDS such searches end the stage: at
    200 people, once one ran out the later ones did too (standard shape: 16 in a row, 105 s)."""
    found, unfinished = None, 0
    for _ in range(MAX_ROUNDS):
        if stop():
            return None
        value = columns.scores if floor is not None else columns.sizes
        floor_now = None if floor is None else (columns.sizes, floor[1])
        working = np.arange(len(columns.rows))
        found = solve_lp(columns.seats(), value, floor_now, working)
        if found is None:
            return None
        alpha, seat = (1.0, found.floor_dual) if floor is not None else (0.0, 1.0)
        added, complete = _price_in(
            pop, params, tables, columns, alpha, seat - found.person_duals, EPS, ADD_PER_ROUND
        )
        unfinished += not complete
        if not added or unfinished >= UNFINISHED_ROUNDS:
            return Generated(found, complete and not added)
    return None if found is None else Generated(found, False)


def _price_in(
    pop: Population,
    params: MatchParams,
    tables: Tables,
    columns: Columns,
    alpha: float,
    base: FloatArray,
    threshold: float,
    most: int,
) -> tuple[int, bool]:
    """Adds the best circles pricing out: how many were new, and whether the search was complete
    (else circles it did not reach may price out too)."""
    priced = price(tables, params.cross_function_bonus, alpha, base, threshold, most, PRICING_VISITS)
    before = len(columns.rows)
    columns.add(priced.rows, judge(pop, params, priced.rows).score)
    return len(columns.rows) - before, priced.complete


def _close(
    pop: Population,
    params: MatchParams,
    tables: Tables,
    columns: Columns,
    lp: Relaxation,
    placed: int,
    chosen: IntArray,
    stop: Stop,
    width: tuple[int, int] = (CLOSING_COLUMNS, CLOSING_NODES),
) -> tuple[IntArray, bool]:
    """The best packing placing `placed` (column positions) and whether it is proven optimal:
    a circle in a better packing than the incumbent has reduced cost above (incumbent − LP), so
    an integer solve over those circles alone decides, when they are few enough to list.
    `width`: how many circles are listed at most, and the solve's branch-and-bound nodes."""
    most, nodes = width
    score = float(columns.scores[chosen].sum())
    if score >= lp.bound - 1e-6:
        return chosen, True
    base = lp.floor_dual - lp.person_duals
    priced = price(tables, params.cross_function_bonus, 1.0, base, score - lp.bound - 1e-6, most)
    if stop():
        return chosen, False
    # All of them when the listing is complete, else the most promising: a search, not a proof.
    complete = priced.complete and len(priced.rows) < most
    listed = columns.add(priced.rows, judge(pop, params, priced.rows).score)
    useful = np.union1d(listed, chosen)  # the incumbent among them: never infeasible
    found = mip(columns.seats(), columns.scores, (columns.sizes, placed), useful, nodes)
    better, value, finished = found
    return (better if value > score + EPS else chosen), finished and complete
