"""Mentor × mentee sweeps: every pair scored blockwise, in exact integer units.

The mentoring solver looks at all mentor–mentee pairs more than once: to pick each mentee's best
mentors as flow candidates, then to prove that no pair left out could improve the match. Both are
the same sweep: score = v(M→E) [+ cross-function bonus] + a per-mentor offset, reported wherever it
beats the mentee's threshold (or the mentor's). Lookup tables turn v into three row gathers, so
a pair costs a few numpy operations; memory stays O(people · goal levels), never mentors × mentees.

Grades, languages and v > 0 are settled exactly here; manager and exclusion facts are sparse and
the sinks settle them on the few pairs reported (`_mentoring_units.personal_rules_allow`).
Wish bonuses are left out: the solver always keeps wished-for pairs among the candidates.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ._mentoring_layout import (
    MENTOR_CHUNK,
    Mentees,
    Mentors,
    SweepSpec,
    best_values,
    lay_out_mentees,
    mentor_groups,
)
from ._mentoring_units import TIE_BITS, BoolArray, quantum, term_units, tie_hash, units
from ._model import MAX_GOALS, MAX_LEVEL, MatchParams, Mode
from ._population import IntArray, Population

# sink(mentee positions, mentor positions, scores): positions index the caller's arrays.
Sink = Callable[[IntArray, IntArray, IntArray], None]
Report = Callable[[float], None]
Found = tuple[IntArray, IntArray, IntArray]  # rows, columns (or positions), scores in units
Scores = npt.NDArray[np.signedinteger[Any]]  # int16, int32 or int64: the narrowest that fits
MENTEE_BLOCK = 256
_LOWEST = np.iinfo(np.int64).min // 4
_NEVER = np.iinfo(np.int64).max // 4  # a threshold no score reaches
WAVE = 8  # blocks per wave: mentors' thresholds and floors move between waves
WORKERS = 2  # numpy releases the GIL in the kernel's gathers and adds; the target machine has 2 cores


def sweep(
    pop: Population,
    params: MatchParams,
    spec: SweepSpec,
    sink: Sink,
    report: Report | None = None,
    mentor_sink: Sink | None = None,
) -> None:
    """Hand `sink` every pair whose score beats the mentee's threshold (and possibly a few more),
    and `mentor_sink` those that beat the mentor's (spec.mentor_thresholds); `report(fraction)`
    follows the work done. `sink` runs on worker threads, one call at a time, each call about
    one block's mentees only; `mentor_sink` and `report` run on this thread between waves, in
    block order. Either way, what the sinks see does not depend on thread timing."""
    if not len(spec.mentors) or not len(spec.mentees):
        return
    bonus = units(params.cross_function_bonus) if spec.bonus else 0
    value = best_values(pop, spec.mentors, spec.mentees)
    reach = value + int(spec.offsets.max()) + (pop.functions[spec.mentees] >= 0) * max(0, bonus)
    wanted = reach > spec.thresholds if spec.mentor_thresholds is None else True
    live = np.flatnonzero(wanted & (value > 0))
    if not len(live):
        return
    mentees = lay_out_mentees(pop, spec.mentees, live)
    order = np.lexsort((np.arange(len(spec.mentors)), -spec.offsets, pop.grades[spec.mentors]))
    groups = list(mentor_groups(pop, spec, mentees, order))
    for g, group in enumerate(groups):
        part = None if report is None else _share(report, g, len(groups))
        Kernel(pop, params, spec, mentees, group).run(sink, part, mentor_sink)


def _share(report: Report, index: int, count: int) -> Report:
    def part(fraction: float) -> None:
        report((index + fraction) / count)

    return part


class Kernel:
    """Sweeps every mentee block against one group of mentor chunks.

    Scores count in the weights' common quantum and use the narrowest integer type that holds them:
    int16 for the spec's default tables, which halves memory traffic against int32."""

    def __init__(
        self, pop: Population, params: MatchParams, spec: SweepSpec, mentees: Mentees, mentors: Mentors
    ):
        self.pop, self.params, self.spec, self.mentees, self.mentors = pop, params, spec, mentees, mentors
        real = mentors.position >= 0
        self.grade_lo = np.where(real, mentors.grades, np.iinfo(np.int64).max).min(axis=1)
        self.grade_hi = np.where(real, mentors.grades, np.iinfo(np.int64).min).max(axis=1)
        self.offset_hi = np.where(real, mentors.offsets, np.iinfo(np.int64).min // 4).max(axis=1)
        self.scale = Scale.of(pop, params, spec)
        self.tables = _tables(pop, mentors, mentees, self.scale)
        self.blocks = _blocks(mentees.combo)
        self.lock = threading.Lock()
        self.local = threading.local()  # each thread's score buffers
        # With spec.tighten: each row's (column's) best score so far that a chunk's best few
        # reached; later chunks report only pairs at least as good.
        self.mentee_floor = np.full(len(spec.mentees), _LOWEST, dtype=np.int64)
        self.mentor_floor = np.full(len(spec.mentors), _LOWEST, dtype=np.int64)

    def run(self, sink: Sink, report: Report | None = None, mentor_sink: Sink | None = None) -> None:
        """Blocks run on WORKERS threads in waves. A block's own mentees' thresholds move as it
        goes (no other block touches them); what concerns mentors (their hits, their floors) is
        applied between waves in block order, so results never depend on thread timing."""
        waves = [
            range(start, min(start + WAVE, len(self.blocks))) for start in range(0, len(self.blocks), WAVE)
        ]
        with ThreadPoolExecutor(WORKERS) as pool:
            for done, wave in enumerate(waves, start=1):
                for later in pool.map(lambda b: self._block(b, sink), wave):
                    later.apply(self.mentor_floor, mentor_sink)
                if report is not None:
                    report(done / len(waves))

    def _buffers(self) -> tuple[Scores, Scores]:
        if not hasattr(self.local, "buffers"):
            self.local.buffers = (self.scale.empty(), self.scale.empty())
        buffers: tuple[Scores, Scores] = self.local.buffers
        return buffers

    def _block(self, b: int, sink: Sink) -> _ForMentors:
        block = self.blocks[b]
        person = int(self.mentees.people[block.start])
        later = _ForMentors()
        chunks = self._eligible_chunks(int(self.pop.grades[person]))
        if not len(chunks):
            return later
        chunks = np.roll(chunks, -(b % len(chunks)))  # blocks favour different mentors on ties
        positions = self.mentees.position[block]
        reach = self._reach(block, person)
        keep = self.spec.per_mentee
        if keep and self.spec.per_mentee_extra is not None:
            keep += int(self.spec.per_mentee_extra[positions].max())
        batch = _Batch(sink, self.lock)
        for c in chunks:
            thresholds = self.spec.thresholds[positions]
            if (reach[c] > thresholds).any() or self._mentors_reachable(c, int(reach[c].max())):
                mine, theirs = self._hits(c, block, person, thresholds, keep, later)
                batch.add(positions[mine[0]], self.mentors.position[c, mine[1]], mine[2])
                later.add(positions[theirs[0]], self.mentors.position[c, theirs[1]], theirs[2])
        batch.flush()
        return later

    def _mentor_thresholds(self, c: int) -> IntArray | None:
        if self.spec.mentor_thresholds is None:
            return None
        real = self.mentors.position[c] >= 0
        at = np.where(real, self.spec.mentor_thresholds[np.maximum(self.mentors.position[c], 0)], _NEVER)
        mentor_thresholds: IntArray = at
        return mentor_thresholds

    def _mentors_reachable(self, c: int, reach: int) -> bool:
        mentor_thresholds = self._mentor_thresholds(c)
        return mentor_thresholds is not None and reach > int(mentor_thresholds.min())

    def _hits(
        self,
        c: int,
        block: slice,
        person: int,
        thresholds: IntArray,
        keep: int,
        later: _ForMentors,
    ) -> tuple[Found, Found]:
        """Pairs of chunk c that beat the mentee's threshold, and those that beat the mentor's."""
        extras = self._extras(c, person)
        scores = self._scores(c, block, extras, self._buffers())
        ids = (self.mentees.position[block], self.mentors.position[c])
        bar = np.maximum(thresholds, self.mentee_floor[ids[0]])
        mine = self._best_few(
            scores > self.scale.threshold(bar)[:, None], scores, extras, keep, 1, ids, later
        )
        mentor_thresholds = self._mentor_thresholds(c)
        theirs = np.zeros_like(mine)
        if mentor_thresholds is not None:
            bar = np.maximum(mentor_thresholds, self.mentor_floor[np.maximum(ids[1], 0)])
            beat = scores > self.scale.threshold(bar)[None, :]
            theirs = self._best_few(beat, scores, extras, self.spec.per_mentor, 0, ids, later)
        return self._found(mine, scores, extras), self._found(theirs, scores, extras)

    def _found(self, hit: BoolArray, scores: Scores, extras: Scores) -> Found:
        at = np.flatnonzero(hit)
        rows, cols = np.divmod(at, MENTOR_CHUNK)
        values = scores.reshape(-1)[at]
        given = values > extras[cols]  # v > 0: a bonus alone never makes a pair eligible
        return rows[given], cols[given], values[given].astype(np.int64) * self.scale.quantum

    def _best_few(
        self,
        hit: BoolArray,
        scores: Scores,
        extras: Scores,
        best: int,
        axis: int,
        ids: tuple[IntArray, IntArray],
        later: _ForMentors,
    ) -> BoolArray:
        """When only each side's `best` few are wanted (axis 1: per mentee, 0: per mentor) and a
        chunk reports far more, keep the best few of each row (or column). With spec.tighten,
        later chunks then only report what beats those few (mentors: after this wave)."""
        if not 0 < best < hit.shape[axis] or int(np.count_nonzero(hit)) <= 2 * best * hit.shape[1 - axis]:
            return hit
        hit &= scores > extras[None, :]  # v > 0: a bonus alone never makes a pair eligible
        if int(np.count_nonzero(hit)) <= 2 * best * hit.shape[1 - axis]:
            return hit
        mask, kth = _best_of(scores, hit, best, axis, ids)
        if self.spec.tighten:
            at = ids[0] if axis == 1 else ids[1]
            reached = (kth > _LOWEST) & (at >= 0)
            floor = kth[reached] * self.scale.quantum - 1  # a pair as good as the k-th still counts
            if axis == 1:
                self.mentee_floor[at[reached]] = np.maximum(self.mentee_floor[at[reached]], floor)
            else:
                later.floors.append((at[reached], floor))
        return hit & mask

    def _reach(self, block: slice, person: int) -> IntArray:
        """Most each chunk could score for each mentee of the block (to skip chunks)."""
        cells = self.mentees.goal_cells[block]
        best = self.mentors.best_term[:, cells[:, :, 0], cells[:, :, 1], np.arange(MAX_GOALS)].sum(axis=2)
        bonus = self.scale.bonus * self.scale.quantum if self.pop.functions[person] >= 0 else 0
        reach: IntArray = best + max(0, bonus) + self.offset_hi[:, None]
        return reach

    def _eligible_chunks(self, grade: int) -> npt.NDArray[np.intp]:
        low, high = _grade_window(self.params, grade)
        return np.flatnonzero((self.grade_hi >= low) & (self.grade_lo <= high))

    def _scores(self, c: int, block: slice, extras: Scores, buffers: tuple[Scores, Scores]) -> Scores:
        rows = self.mentees.rows[block]
        out, scratch = buffers[0][: len(rows)], buffers[1][: len(rows)]
        np.take(self.tables[0][c], rows[:, 0], axis=0, out=out, mode="clip")  # "clip": no bounds pass
        for k in range(1, MAX_GOALS):
            np.take(self.tables[k][c], rows[:, k], axis=0, out=scratch, mode="clip")
            out += scratch
        out += extras[None, :]
        return out

    def _extras(self, c: int, person: int) -> Scores:
        """Per mentor of chunk c: offset + bonus, or the floor where grade, language or padding rule out."""
        pop, m, scale = self.pop, self.mentors, self.scale
        extras = scale.offsets(m.offsets[c])
        if scale.bonus:
            f = pop.functions[person]
            extras += ((f >= 0) & (m.functions[c] >= 0) & (m.functions[c] != f)) * scale.bonus
        blocked = (m.position[c] < 0) | ~_languages_shared(pop.languages[person], m.languages[c])
        low, high = _grade_window(self.params, int(pop.grades[person]))
        blocked |= (m.grades[c] < low) | (m.grades[c] > high)
        extras[blocked] = scale.floor
        return extras.astype(scale.dtype)


def _grade_window(params: MatchParams, grade: int) -> tuple[int, int]:
    """Grades a partner may have: above or below for traditional and reverse mentoring, within
    the band for peers and circles (the kernel serves the circle search's peer lists too)."""
    unbounded = 1 << 40
    if params.mode is Mode.TRADITIONAL:
        return grade + 1, unbounded
    if params.mode is Mode.REVERSE:
        return -unbounded, grade - 1
    if params.mode is Mode.PEER:
        return grade - params.band, grade + params.band
    if params.mode is Mode.CIRCLES:
        return grade - params.circle_band, grade + params.circle_band
    return -unbounded, unbounded


class _ForMentors:
    """What a block found that concerns mentors, held back until its wave ends."""

    def __init__(self) -> None:
        self.hits: list[Found] = []
        self.floors: list[tuple[IntArray, IntArray]] = []

    def add(self, mentees: IntArray, mentors: IntArray, values: IntArray) -> None:
        if len(mentees):
            self.hits.append((mentees, mentors, values))

    def apply(self, mentor_floor: IntArray, sink: Sink | None) -> None:
        for at, floor in self.floors:
            mentor_floor[at] = np.maximum(mentor_floor[at], floor)
        if sink is not None and self.hits:
            sink(*(np.concatenate([h[i] for h in self.hits]) for i in range(3)))


class _Batch:
    """Hands a block's hits to the sink: the first at once (it may raise thresholds for the rest
    of the block), later ones together, since sink calls cost more than they carry."""

    def __init__(self, sink: Sink, lock: threading.Lock) -> None:
        self.sink, self.lock = sink, lock
        self.parts: list[tuple[IntArray, IntArray, IntArray]] = []
        self.flushed = False
        self.size = 0

    def add(self, mentees: IntArray, mentors: IntArray, values: IntArray) -> None:
        if len(mentees):
            self.parts.append((mentees, mentors, values))
            self.size += len(mentees)
        if self.parts and (not self.flushed or self.size > 1 << 16):
            self.flush()

    def flush(self) -> None:
        if not self.parts:
            return
        joined = [np.concatenate([part[i] for part in self.parts]) for i in range(3)]
        self.parts, self.size, self.flushed = [], 0, True
        with self.lock:
            self.sink(joined[0], joined[1], joined[2])


@dataclass(frozen=True, slots=True)
class Scale:
    """The sweep's number format: scores in multiples of `quantum`, in the narrowest dtype."""

    quantum: int
    bonus: int  # cross-function bonus, in quanta (0 when the sweep leaves it out)
    floor: int  # a score below every threshold: what ruled-out pairs get
    high: int  # no score exceeds this
    dtype: type

    @classmethod
    def of(cls, pop: Population, params: MatchParams, spec: SweepSpec) -> Scale:
        q = quantum(pop, params)
        if np.any(spec.offsets % q):
            q = 1
        bonus = units(params.cross_function_bonus) // q if spec.bonus else 0
        top = int(term_units(pop).max(axis=1).sum()) // q + max(0, bonus)
        floor = spec.lowest_threshold() // q - top - 1
        high = max(top + int(spec.offsets.max()) // q, floor + 1)
        low = floor + min(0, bonus)
        dtype = next(t for t in (np.int16, np.int32, np.int64) if _fits(t, low, high))
        return cls(quantum=q, bonus=bonus, floor=floor, high=high, dtype=dtype)

    def empty(self) -> Scores:
        scores: Scores = np.empty((MENTEE_BLOCK, MENTOR_CHUNK), dtype=self.dtype)
        return scores

    def offsets(self, offsets: IntArray) -> IntArray:
        clipped: IntArray = np.maximum(offsets // self.quantum, self.floor)
        return clipped

    def threshold(self, thresholds: IntArray) -> Scores:
        """score·q > t ⟺ score > ⌊t/q⌋ for integer scores; clipping keeps every comparison's outcome
        (ruled-out pairs score at most floor + top, below every threshold)."""
        clipped: Scores = np.clip(thresholds // self.quantum, self.floor, self.high).astype(self.dtype)
        return clipped


def _fits(dtype: type, low: int, high: int) -> bool:
    info = np.iinfo(dtype)
    return bool(info.min < 2 * low - 4 and 2 * high + 4 < info.max)


def _tables(pop: Population, mentors: Mentors, mentees: Mentees, scale: Scale) -> list[Scores]:
    """tables[k][c, row, m]: the term mentor m of chunk c gives a mentee whose goal k is that row."""
    terms = term_units(pop) // scale.quantum
    tables = []
    for k in range(MAX_GOALS):
        skill, level = np.divmod(mentees.row_keys[k], MAX_LEVEL + 1)
        table: Scores = np.empty((mentors.people.shape[0], len(skill), MENTOR_CHUNK), dtype=scale.dtype)
        for c in range(mentors.people.shape[0]):
            gap = pop.levels[mentors.people[c][:, None], skill[None, :]].astype(np.int64) - level
            table[c] = terms[k, np.clip(gap, 0, MAX_LEVEL)].T
        tables.append(table)
    return tables


def _blocks(combo: npt.NDArray[np.intp]) -> list[slice]:
    """Runs of one combo, cut to at most MENTEE_BLOCK rows."""
    starts = np.flatnonzero(np.diff(combo, prepend=-1))
    ends = np.append(starts[1:], len(combo))
    return [
        slice(s, min(e, s + MENTEE_BLOCK))
        for a, e in zip(starts, ends, strict=True)
        for s in range(a, e, MENTEE_BLOCK)
    ]


def _languages_shared(person: npt.NDArray[np.uint64], mentors: npt.NDArray[np.uint64]) -> BoolArray:
    """The language rule against each mentor: either lists none, or they share one."""
    shared: BoolArray = ~person.any() | ~mentors.any(axis=1) | (mentors & person).any(axis=1)
    return shared


def _best_of(
    scores: Scores, hit: BoolArray, k: int, axis: int, ids: tuple[IntArray, IntArray]
) -> tuple[BoolArray, IntArray]:
    """Marks the k highest hits along the axis, and gives the k-th score (_LOWEST when fewer).
    Ties go by a hash of the pair, so that equally good mentors are spread over mentees instead of
    every mentee taking the same few."""
    rows, cols = (tie_hash(i) for i in ids)
    wide = np.int32 if scores.dtype == np.int16 else np.int64  # room for the tie bits
    keys: Scores = np.left_shift(scores.astype(wide), TIE_BITS)
    keys += (rows[:, None] ^ cols[None, : scores.shape[1]]).astype(wide)  # tie_key, broadcast
    keys[~hit] = np.iinfo(wide).min
    lined = keys if axis == 1 else np.ascontiguousarray(keys.T)  # partitioning along rows is faster
    kth_key = np.partition(lined, lined.shape[1] - k, axis=1)[:, lined.shape[1] - k]
    mask: BoolArray = hit & (keys >= np.expand_dims(kth_key, axis))
    kth: IntArray = np.where(kth_key > np.iinfo(wide).min, kth_key.astype(np.int64) >> TIE_BITS, _LOWEST)
    return mask, kth
