"""Every mentor–mentee pair, scanned by compiled code (`mentoring.kernel`) into best-few lists.

The mentoring solver looks at all pairs more than once: to pick each mentee's best mentors as
flow candidates, then to prove that no pair left out could improve the match. Both are one scan:
a pair's rank is v + cross-function bonus + offsets[mentor] + c[mentee] (in units), and each
mentee keeps its best few mentors, each mentor its best few mentees, ranks ≥ 1 only.

Grades, languages, the personal rules (oneself, manager, exclusions) and v > 0 are settled
exactly; pairs already known (the flow's candidates) are passed over. Wish bonuses are left
out: the solver always keeps wished-for pairs among the candidates. Memory stays O(people ·
goal cells), never mentors × mentees.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .._model import MAX_GOALS, MAX_LEVEL, MatchParams, Mode, Participant
from .._population import IntArray, Population, compile_population
from .kernel import build_tables, mentor_bars, scan_parts
from .pairs import Pairs, Sides, merge
from .units import grade_window, quantum, term_units, tie_hash, units

Report = Callable[[float], None]
PARTS = 2  # mentees run in this many parts at once, one per core of the target machine
WAVES = 16  # calls into the kernel, for progress reports
NO_BREAK = 1 << 62  # a shift no rank exceeds: the scan proves nothing, it only collects


@dataclass(frozen=True, slots=True)
class ScanSpec:
    """One scan: these mentors (positions in Sides.mentors) against these mentees (positions in
    Sides.mentees). Ranks above `shift` break the flow's certificate and are counted."""

    mentors: IntArray
    offsets: IntArray  # per mentor, in units
    mentees: IntArray
    c: IntArray  # per mentee, in units
    bonus: bool  # whether the cross-function bonus counts
    shift: int = NO_BREAK


class BestLists:
    """Each mentee's best `per_mentee` mentors and each mentor's best `per_mentor[m]` mentees over
    every pair the scans saw, by rank, then tie key (`mentoring.units.tie_key`), then partner."""

    def __init__(self, mentees: int, per_mentee: int, per_mentor: IntArray) -> None:
        self.per_mentor = per_mentor
        self.e_rank = np.zeros((mentees, per_mentee), dtype=np.int64)
        self.e_tie = np.zeros((mentees, per_mentee), dtype=np.int64)
        self.e_partner = np.full((mentees, per_mentee), -1, dtype=np.int64)
        self.slots = np.concatenate([[0], np.cumsum(per_mentor)]).astype(np.int64)
        total = int(self.slots[-1]) + 1  # one spare, never filled: no list reads past the end
        self.m_rank = np.zeros((PARTS, total), dtype=np.int64)
        self.m_tie = np.zeros((PARTS, total), dtype=np.int64)
        self.m_partner = np.full((PARTS, total), -1, dtype=np.int64)
        self.breaks = np.zeros(PARTS, dtype=np.int64)
        self.unsettled = np.zeros(mentees, dtype=bool)  # mentees with a pair that broke the certificate

    def arrays(self, mentor_bars: IntArray, tile_bars: IntArray) -> tuple[IntArray, ...]:
        """What the kernel reads and writes, in its order, with one scan's bars."""
        return (
            *(self.e_rank, self.e_tie, self.e_partner),
            *(self.slots, self.m_rank, self.m_tie, self.m_partner),
            *(mentor_bars, tile_bars, self.breaks, self.unsettled),
        )

    @property
    def broken(self) -> int:
        """How many pairs broke the certificate so far."""
        return int(self.breaks.sum())

    def pairs(self) -> Pairs:
        """Every pair on a mentee's list or on a mentor's, ordered by mentee, then mentor."""
        mentee, slot = np.nonzero(self.e_partner >= 0)
        owner, partner = self._mentor_lists()
        return merge(Pairs(self.e_partner[mentee, slot], mentee), Pairs(owner, partner), len(self.e_rank))

    def _mentor_lists(self) -> tuple[IntArray, IntArray]:
        """Each mentor's best per_mentor[m] of its parts' lists together: mentors and mentees."""
        part, at = np.nonzero(self.m_partner >= 0)
        owner = np.searchsorted(self.slots, at, side="right") - 1
        rank, tie, partner = self.m_rank[part, at], self.m_tie[part, at], self.m_partner[part, at]
        order = np.lexsort((partner, -tie, -rank, owner))
        owner, partner = owner[order], partner[order]
        keep = np.arange(len(owner)) - np.searchsorted(owner, owner) < self.per_mentor[owner]
        return owner[keep], partner[keep]


def known_rows(pairs: Pairs, mentees: int) -> tuple[IntArray, IntArray]:
    """Known pairs as CSR rows by mentee: mentors of mentee e are mentors[start[e]:start[e + 1]]."""
    order = np.lexsort((pairs.mentor, pairs.mentee))
    start = np.concatenate([[0], np.cumsum(np.bincount(pairs.mentee, minlength=mentees))])
    return start.astype(np.int64), pairs.mentor[order].astype(np.int64)


def scan(
    pop: Population,
    params: MatchParams,
    sides: Sides,
    spec: ScanSpec,
    lists: BestLists,
    known: tuple[IntArray, IntArray],
    report: Report | None = None,
) -> None:
    """Offers every eligible pair of the spec, not in `known`, to `lists`."""
    if not len(spec.mentors) or not len(spec.mentees):
        return
    # Scores count in a unit that divides every weight, offset and c, so that ranks stay exact.
    q = int(np.gcd.reduce(np.concatenate([[quantum(pop, params)], spec.offsets, spec.c])))
    mentors = _Mentors.of(pop, sides, spec, q)
    mentees = _Mentees.of(pop, params, sides, spec, mentors.grades)
    terms = term_units(pop) // q
    table, tile_table = build_tables(terms, pop.levels, mentors.people, mentees.cells)
    bonus = units(params.cross_function_bonus) // q if spec.bonus else 0
    tables = (table, tile_table, q, bonus, spec.shift)
    bars = mentor_bars(lists.slots, lists.m_rank, lists.m_tie, lists.m_partner, mentors.position, q)
    state = lists.arrays(*bars)
    # `_rules.allowed`'s rules, over population indices, then the known pairs.
    rules = (np.arange(pop.size), pop.manager, pop.languages, pop.in_blocked, pop.blocked_keys, *known)
    mentee_args, mentor_args = mentees.args(), mentors.args()
    waves = _split(mentees.cost, WAVES)
    for w in range(len(waves) - 1):
        bounds = waves[w] + _split(mentees.cost[waves[w] : waves[w + 1]], PARTS)
        scan_parts(bounds, mentee_args, mentor_args, tables, state, rules)
        if report is not None:
            report((w + 1) / (len(waves) - 1))


def _split(cost: IntArray, parts: int) -> IntArray:
    """Bounds cutting the rows into `parts` contiguous runs of about equal total cost."""
    total = np.cumsum(cost)
    marks = np.searchsorted(total, np.linspace(0, int(total[-1]) if len(total) else 0, parts + 1)[1:-1])
    return np.concatenate([[0], marks, [len(cost)]]).astype(np.int64)


@dataclass(frozen=True, slots=True)
class _Mentors:
    """The scan's mentors sorted by grade, then by offset (high first), so that a tile's mentors
    score alike and its bound is tight."""

    position: IntArray  # in Sides.mentors
    people: IntArray
    grades: IntArray
    offsets: IntArray  # in quanta
    functions: IntArray

    @classmethod
    def of(cls, pop: Population, sides: Sides, spec: ScanSpec, q: int) -> _Mentors:
        people = sides.mentors[spec.mentors]
        order = np.lexsort((spec.mentors, -spec.offsets, pop.grades[people]))
        people = people[order]
        return cls(
            position=spec.mentors[order].astype(np.int64),
            people=people.astype(np.int64),
            grades=pop.grades[people],
            offsets=(spec.offsets[order] // q).astype(np.int64),
            functions=pop.functions[people],
        )

    def args(self) -> tuple[IntArray, ...]:
        """What the kernel reads, in its order; the last is each mentor's half of the tie key."""
        return (self.position, self.offsets, self.people, self.functions, tie_hash(self.position))


@dataclass(frozen=True, slots=True)
class _Mentees:
    """The scan's mentees sorted so that neighbours share function and languages (the mentors'
    extras), then grade (the window), then goals (table rows stay in cache)."""

    rows: IntArray  # (n, goals): each goal's row in the tables
    cells: IntArray  # (rows, 3): goal, skill and own level of each row
    position: IntArray
    people: IntArray
    combo: IntArray
    window: IntArray  # (n, 2) the mentors, in scan order, whose grade the mode allows
    c: IntArray
    functions: IntArray
    cost: IntArray  # window sizes: what a mentee costs to scan

    @classmethod
    def of(
        cls, pop: Population, params: MatchParams, sides: Sides, spec: ScanSpec, grades: IntArray
    ) -> _Mentees:
        people = sides.mentees[spec.mentees]
        skill = pop.goals[people]
        flat = skill * (MAX_LEVEL + 1) + pop.levels[people[:, None], skill]
        # Goal k's distinct (skill, own level) cells are rows first[k]... of one shared table.
        rows = [np.unique(flat[:, k], return_inverse=True) for k in range(MAX_GOALS)]
        first = np.cumsum([0] + [len(keys) for keys, _ in rows])
        index = np.stack([inverse.reshape(-1) + first[k] for k, (_, inverse) in enumerate(rows)], axis=1)
        cells = np.concatenate(
            [
                np.stack([np.full(len(keys), k), *np.divmod(keys, MAX_LEVEL + 1)], axis=1)
                for k, (keys, _) in enumerate(rows)
            ]
        )
        _, lang = np.unique(pop.languages[people], axis=0, return_inverse=True)
        _, combo = np.unique(
            np.stack([pop.functions[people], lang.reshape(-1)], axis=1), axis=0, return_inverse=True
        )
        combo = combo.reshape(-1)
        order = np.lexsort((index[:, 2], index[:, 1], index[:, 0], pop.grades[people], combo))
        people = people[order]
        window = _windows(params, pop.grades[people], grades)
        return cls(
            rows=np.ascontiguousarray(index[order]).astype(np.int64),
            cells=cells.astype(np.int64),
            position=spec.mentees[order].astype(np.int64),
            people=people.astype(np.int64),
            combo=combo[order].astype(np.int64),
            window=window,
            c=spec.c[order].astype(np.int64),
            functions=pop.functions[people],
            cost=window[:, 1] - window[:, 0] + 1,
        )

    def args(self) -> tuple[IntArray, ...]:
        """What the kernel reads, in its order; the last is each mentee's half of the tie key."""
        return (
            *(self.rows, self.position, self.people, self.combo),
            *(self.window, self.c, self.functions, tie_hash(self.position)),
        )


def _windows(params: MatchParams, grades: IntArray, mentor_grades: IntArray) -> IntArray:
    """Per mentee, the run [lo, hi) of mentors (sorted by grade) the mode allows."""
    window = np.empty((len(grades), 2), dtype=np.int64)
    for grade in np.unique(grades):
        low, high = grade_window(params, int(grade))
        at = grades == grade
        window[at, 0] = np.searchsorted(mentor_grades, low, side="left")
        window[at, 1] = np.searchsorted(mentor_grades, high, side="right")
    return window


def compile_kernels() -> None:
    """Run the compiled scan once on a tiny pool, so numba writes it to its cache."""
    people = [
        Participant.build(f"P{i}", i, skills={"a": i, "b": 3 - i}, goals=["a", "b"], role="both")
        for i in range(4)
    ]
    params = MatchParams(mode=Mode.OPEN)
    pop = compile_population(people, params)
    sides = Sides.of(pop)
    everyone = np.arange(len(people), dtype=np.int64)
    spec = ScanSpec(everyone, np.zeros(4, dtype=np.int64), everyone, np.zeros(4, dtype=np.int64), bonus=True)
    scan(pop, params, sides, spec, BestLists(4, 1, np.ones(4, dtype=np.int64)), known_rows(Pairs.none(), 4))
