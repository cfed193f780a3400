"""Which mentors could reach each unplaced mentee, for the explanations, as bitsets over mentors.

Explaining tens of thousands of unplaced mentees by filtering the whole mentor array per person
costs a gather over every mentor for each rule, per person: ~0.5 ms each, ~30 s at 100k. Here
each rule is a bitset over mentors (one bit per mentor, in input order) built once per distinct
(skill, level), grade or language set, so a mentee's sets are a few word-wise ANDs and ORs over
m/64 words, done for a batch of mentees at a time. Counts are popcounts; the first few members
(the names an explanation shows) are the lowest set bits, so the order is input order as before.

The rules are the ones `mentoring.explain.MentoringDiagnosis` words (v(j→i) > 0 is "j is ahead of i in
one of i's goals" there too); memory stays O(batch · m/64) besides the per-skill tables.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import numpy.typing as npt

from .._explain import SHOWN
from .._model import MAX_LEVEL, Mode
from .._population import IntArray, Population

Bits = npt.NDArray[np.uint64]  # (..., words): bit b of word w is mentor 64 * w + b
BoolArray = npt.NDArray[np.bool_]
_BATCH_WORDS = 1 << 20  # ~8 MB per batch-sized bitset array


def pack(mask: BoolArray, words: int) -> Bits:
    """Boolean rows over mentors as bitsets of `words` little-endian 64-bit words."""
    padded = np.zeros((*mask.shape[:-1], words * 64), dtype=np.bool_)
    padded[..., : mask.shape[-1]] = mask
    packed: Bits = np.packbits(padded, axis=-1, bitorder="little").view("<u8")
    return packed


def popcount(bits: Bits) -> IntArray:
    counts: IntArray = np.bitwise_count(bits).sum(axis=-1, dtype=np.int64)
    return counts


def lowest_bits(bits: Bits, k: int = SHOWN) -> IntArray:
    """The positions of each row's k lowest set bits, -1 where a row has fewer."""
    left = bits.copy()
    rows = np.arange(len(left))
    found = np.full((len(left), k), -1, dtype=np.int64)
    for col in range(k):
        word_at = np.argmax(left != 0, axis=1)
        word = left[rows, word_at]
        low = word & (~word + np.uint64(1))  # two's complement isolates the lowest set bit
        below = np.bitwise_count(low - np.uint64(1)).astype(np.int64)
        has = word != 0
        found[has, col] = word_at[has] * 64 + below[has]
        left[rows, word_at] = word & ~low
    return found


@dataclass(frozen=True, slots=True)
class Reach:
    """Per unplaced mentee (rows in the order asked): how many mentors each rule leaves, and the
    first few of those an explanation names (population indices, -1 padded)."""

    candidates: IntArray  # mentors on the mode's side of the mentee (grade), other than them
    helpers: IntArray  # ... who are ahead of the mentee in one of their goals
    allowed: IntArray  # ... whom the hard rules allow with the mentee
    able: IntArray  # ... with capacity > 0
    room: IntArray  # ... with a place left
    first_allowed: IntArray  # (rows, SHOWN), filled only where able == 0
    first_able: IntArray  # filled only where able > 0 and room == 0
    first_room: IntArray  # filled only where room > 0


def reach(
    pop: Population, mode: Mode, side: Side, people: IntArray, relations: tuple[IntArray, IntArray]
) -> Reach:
    """The mentors each of `people` could have, rule by rule; relations are `_explain._relations`."""
    tables = _Tables(pop, mode, side, relations)
    batch = max(1, _BATCH_WORDS // tables.words)
    parts = [tables.reach(people[start : start + batch]) for start in range(0, len(people), batch)]
    parts = parts or [tables.reach(people)]
    return Reach(*(np.concatenate([getattr(p, f.name) for p in parts]) for f in fields(Reach)))


@dataclass(frozen=True, slots=True)
class Side:
    """Everyone who mentors (capacity 0 included, so explanations can say so), with their load."""

    mentors: IntArray  # population indices, ascending
    capacity: IntArray
    load: IntArray

    @classmethod
    def of(cls, pop: Population, load: IntArray) -> Side:
        """`load[i]`: how many mentees person i mentors in the solution."""
        mentors = [i for i, p in enumerate(pop.people) if p.role is not None and p.role.mentors]
        capacity = np.array([pop.people[i].capacity for i in mentors], dtype=np.int64)
        at = np.array(mentors, dtype=np.int64)
        return cls(at, capacity, load[at])


class _Tables:
    """Bitsets shared by every mentee: one per (skill, level above), plus capacity and room."""

    def __init__(self, pop: Population, mode: Mode, side: Side, relations: tuple[IntArray, IntArray]):
        self.pop, self.mode, self.relations = pop, mode, relations
        mentors = side.mentors
        self.words = max(1, -(-len(mentors) // 64))
        self.shown = np.append(mentors, -1)  # bit position -> person; -1 -> -1
        self.position = np.full(pop.size, -1, dtype=np.int64)
        self.position[mentors] = np.arange(len(mentors))
        self.grades = pop.grades[mentors]
        self.sorted_grades = np.sort(self.grades)
        self.everyone = pack(np.ones(len(mentors), dtype=np.bool_), self.words)
        self.able = pack(side.capacity > 0, self.words)
        self.room = self.able & pack(side.load < side.capacity, self.words)
        levels, steps = pop.levels[mentors], np.arange(MAX_LEVEL + 1)[:, None]
        # above[s, l]: mentors above level l in skill s (none for the all-zero "no goal" column).
        self.above = np.stack([pack(levels[:, s] > steps, self.words) for s in range(levels.shape[1])])
        spoken = pop.languages[mentors]
        bits = np.arange(64, dtype=np.uint64)
        # speakers[b]: mentors who list language bit b; word-major, as `_language_masks` lays it out.
        self.speakers = np.concatenate(
            [
                pack((spoken[:, w, None] >> bits).T & np.uint64(1) != 0, self.words)
                for w in range(spoken.shape[1])
            ]
        )
        self.silent = self.everyone & ~np.bitwise_or.reduce(self.speakers, axis=0)

    def reach(self, people: IntArray) -> Reach:
        goals = self.pop.goals[people]
        levels = self.pop.levels[people[:, None], goals]
        helpers = self.above[goals[:, 0], levels[:, 0]]
        for k in range(1, goals.shape[1]):
            helpers |= self.above[goals[:, k], levels[:, k]]
        if self.mode is not Mode.OPEN:
            helpers &= self.on_side(people)
        allowed = helpers & self.speaking(people)
        self.drop_relations(people, allowed)
        able = allowed & self.able
        room = able & self.room
        able_count, room_count = popcount(able), popcount(room)
        return Reach(
            candidates=self.candidates(people),
            helpers=popcount(helpers),
            allowed=popcount(allowed),
            able=able_count,
            room=room_count,
            first_allowed=self.first(allowed, able_count == 0),
            first_able=self.first(able, (able_count > 0) & (room_count == 0)),
            first_room=self.first(room, room_count > 0),
        )

    def candidates(self, people: IntArray) -> IntArray:
        grades, m = self.pop.grades[people], len(self.sorted_grades)
        if self.mode is Mode.TRADITIONAL:
            return m - np.searchsorted(self.sorted_grades, grades, side="right")
        if self.mode is Mode.REVERSE:
            return np.searchsorted(self.sorted_grades, grades, side="left").astype(np.int64)
        return m - (self.position[people] >= 0)  # open: every mentor but themselves

    def on_side(self, people: IntArray) -> Bits:
        """Mentors more senior (traditional) or more junior (reverse) than each person."""
        distinct, at = np.unique(self.pop.grades[people], return_inverse=True)
        senior = self.mode is Mode.TRADITIONAL
        table = np.empty((len(distinct), self.words), dtype="<u8")
        for row, grade in enumerate(distinct):
            table[row] = pack(self.grades > grade if senior else self.grades < grade, self.words)
        side: Bits = table[at.reshape(-1)]
        return side

    def speaking(self, people: IntArray) -> Bits:
        """Mentors who share a language with each person, or where either lists none."""
        distinct, at = np.unique(self.pop.languages[people], axis=0, return_inverse=True)
        table = np.empty((len(distinct), self.words), dtype="<u8")
        for row, mask in enumerate(distinct):
            bits = np.flatnonzero(np.unpackbits(mask.astype("<u8").view(np.uint8), bitorder="little"))
            if len(bits):
                table[row] = self.silent | np.bitwise_or.reduce(self.speakers[bits], axis=0)
            else:
                table[row] = self.everyone
        speaks: Bits = table[at.reshape(-1)]
        return speaks

    def drop_relations(self, people: IntArray, allowed: Bits) -> None:
        """Clears each person's exclusions, manager and reports (a handful each) from `allowed`."""
        start, related = self.relations
        lo, hi = start[people], start[people + 1]
        counts = hi - lo
        row = np.repeat(np.arange(len(people)), counts)
        offset = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
        at = self.position[related[np.repeat(lo, counts) + offset]]
        row, at = row[at >= 0], at[at >= 0]
        bit = np.left_shift(np.uint64(1), (at % 64).astype(np.uint64))
        np.bitwise_and.at(allowed, (row, at // 64), ~bit)

    def first(self, bits: Bits, wanted: BoolArray) -> IntArray:
        found = np.full((len(bits), SHOWN), -1, dtype=np.int64)
        found[wanted] = self.shown[lowest_bits(bits[wanted])]
        return found
