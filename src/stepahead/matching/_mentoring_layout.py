"""How a sweep lays people out: mentors in fixed-size chunks sorted by grade, mentees sorted so a
block shares grade, function and languages, and each mentee's goals as rows of lookup tables."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ._mentoring_units import BoolArray, term_units
from ._model import MAX_GOALS, MAX_LEVEL
from ._population import IntArray, Population

MENTOR_CHUNK = 2048
TABLE_BYTES = 1 << 28  # beyond this, mentors are swept in groups with their own lookup tables


@dataclass(frozen=True, slots=True)
class SweepSpec:
    """One sweep: who, with which offsets and thresholds, and whether the cross-function bonus counts.

    A pair is reported when v > 0 and its score v + bonus + offsets[mentor] beats thresholds[mentee]
    (>), or mentor_thresholds[mentor] when given. The sink may raise either threshold array while the
    sweep runs (best-k collection)."""

    mentors: IntArray
    offsets: IntArray
    mentees: IntArray
    thresholds: IntArray
    bonus: bool
    per_mentee: int = 0  # when set, report roughly the best this many per mentee and chunk,
    per_mentee_extra: IntArray | None = None  # plus this many more (pairs the sink will skip)
    mentor_thresholds: IntArray | None = None
    per_mentor: int = 0  # when set, report roughly the best this many per mentor and block
    # Raise report thresholds from each chunk's best few as the sweep goes: right for collecting
    # candidates, wrong for a proof (a best few may hold pairs the sink then drops).
    tighten: bool = False

    def lowest_threshold(self) -> int:
        low = int(self.thresholds.min())
        if self.mentor_thresholds is not None and len(self.mentor_thresholds):
            low = min(low, int(self.mentor_thresholds.min()))
        return low


def best_values(pop: Population, mentors: IntArray, mentees: IntArray) -> IntArray:
    """An upper bound on v(M→E) over the given mentors, per mentee (exact when levels allow)."""
    best = best_terms(pop, mentors[None, :], np.ones((1, len(mentors)), dtype=bool))[0]
    skill, level = pop.goals[mentees], pop.levels[mentees[:, None], pop.goals[mentees]]
    reach: IntArray = best[skill, level, np.arange(MAX_GOALS)].sum(axis=1)
    return reach


def best_terms(pop: Population, people: npt.NDArray[np.intp], real: BoolArray) -> IntArray:
    """best[c, s, a, k]: the most any mentor of chunk c gives a mentee at level a in goal k = s."""
    levels = np.arange(MAX_LEVEL + 1)
    present = np.zeros((people.shape[0], pop.levels.shape[1], MAX_LEVEL + 1), dtype=bool)
    for c in range(people.shape[0]):
        lv = pop.levels[people[c][real[c]]]
        present[c] = (lv[:, :, None] == levels).any(axis=0)
    gaps = np.clip(levels[:, None] - levels[None, :], 0, MAX_LEVEL)  # [mentor level, mentee level]
    gain = term_units(pop)[:, gaps].transpose(1, 2, 0)  # (mentor level, mentee level, goal)
    best: IntArray = (present[:, :, :, None, None] * gain[None, None]).max(axis=2)
    return best  # (chunks, skills, mentee level, goal)


@dataclass(frozen=True, slots=True)
class Mentees:
    """Mentees worth sweeping, sorted so that a block shares grade, function and languages."""

    position: npt.NDArray[np.intp]  # caller positions, in sweep order
    rows: npt.NDArray[np.intp]  # (n, goals): table row of each goal
    row_keys: tuple[IntArray, ...]  # per goal: skill * (levels) + level of each table row
    goal_cells: npt.NDArray[np.intp]  # (n, goals, 2): skill and own level of each goal
    combo: npt.NDArray[np.intp]  # id of (grade, function, languages)
    people: npt.NDArray[np.intp]  # population index, in sweep order


def lay_out_mentees(pop: Population, all_mentees: IntArray, live: IntArray) -> Mentees:
    people = all_mentees[live]
    cells = np.stack([pop.goals[people], pop.levels[people[:, None], pop.goals[people]]], axis=2)
    _, lang = np.unique(pop.languages[people], axis=0, return_inverse=True)
    keys = np.stack([pop.grades[people], pop.functions[people], lang.reshape(-1)], axis=1)
    _, combo = np.unique(keys, axis=0, return_inverse=True)
    order = np.lexsort((np.arange(len(people)), combo.reshape(-1)))
    flat = cells[:, :, 0] * (MAX_LEVEL + 1) + cells[:, :, 1]
    row_keys, rows = [], []
    for k in range(MAX_GOALS):
        uniq, inv = np.unique(flat[order, k], return_inverse=True)
        row_keys.append(uniq.astype(np.int64))
        rows.append(inv.reshape(-1))
    return Mentees(
        position=live[order],
        rows=np.stack(rows, axis=1),
        row_keys=tuple(row_keys),
        goal_cells=cells[order],
        combo=combo.reshape(-1)[order],
        people=people[order],
    )


@dataclass(frozen=True, slots=True)
class Mentors:
    """A group of mentors, sorted by grade, laid out in fixed-size chunks (padding: position -1)."""

    position: npt.NDArray[np.intp]  # (chunks, CHUNK) caller positions
    people: npt.NDArray[np.intp]
    grades: IntArray
    functions: IntArray
    languages: npt.NDArray[np.uint64]  # (chunks, CHUNK, words)
    offsets: IntArray
    best_term: IntArray  # (chunks, skills + 1, levels, goals): best term a chunk can give


def mentor_groups(
    pop: Population, spec: SweepSpec, mentees: Mentees, order: npt.NDArray[np.intp]
) -> Iterator[Mentors]:
    rows = sum(len(keys) for keys in mentees.row_keys)
    group = max(MENTOR_CHUNK, TABLE_BYTES // max(1, rows * 4) // MENTOR_CHUNK * MENTOR_CHUNK)
    for start in range(0, len(order), group):
        yield _lay_out_mentors(pop, spec, order[start : start + group])


def _lay_out_mentors(pop: Population, spec: SweepSpec, order: npt.NDArray[np.intp]) -> Mentors:
    chunks = -(-len(order) // MENTOR_CHUNK)
    position = np.full(chunks * MENTOR_CHUNK, -1, dtype=np.intp)
    position[: len(order)] = order
    people = np.where(position >= 0, spec.mentors[np.maximum(position, 0)], 0)
    offsets = np.where(position >= 0, spec.offsets[np.maximum(position, 0)], 0)
    shape = (chunks, MENTOR_CHUNK)
    return Mentors(
        position=position.reshape(shape),
        people=people.reshape(shape),
        grades=pop.grades[people].reshape(shape),
        functions=np.where(position >= 0, pop.functions[people], -1).reshape(shape),
        languages=pop.languages[people].reshape((*shape, -1)),
        offsets=offsets.reshape(shape),
        best_term=best_terms(pop, people.reshape(shape), position.reshape(shape) >= 0),
    )
