"""The circle search's working state: who sits in which circle, each person's likely peers, and
the greedy builder that grows a circle around one person."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from .._model import MatchParams, Mode
from .._population import IntArray, Population, hard_rules_mask
from ..mentoring.pairs import Pairs, Sides
from ..mentoring.scan import BestLists, Report, ScanSpec, known_rows, scan
from ..mentoring.units import pair_weights
from .score import MAX_SIZE, MIN_SIZE, BoolArray

# Each person's best givers and best receivers, before the union (more in large pools, where the
# search has no exact solve after it: 10k people +0.1 % score for ~1 s CPU).
PEERS_PER_PERSON, LARGE_PEERS_PER_PERSON = 12, 16
FAN_OUT = 3


@dataclass(frozen=True, slots=True)
class Peers:
    """Each person's likely circle-mates (CSR rows, best first): who gives them the most and to
    whom they give the most, within the grade band and the hard rules."""

    starts: IntArray
    people: IntArray

    def of(self, person: int) -> IntArray:
        return self.people[self.starts[person] : self.starts[person + 1]]

    def around(self, person: int, free: BoolArray, width: int) -> list[int]:
        """Up to `width` free people near `person`, breadth first, at most FAN_OUT peers taken from
        each: a circle often needs a peer's peer (in a ring, the one who gives to my giver)."""
        found: list[int] = []
        seen = {person}
        queue = [person]
        while queue and len(found) < width:
            taken = 0
            for mate in self.of(queue.pop(0)):
                mate = int(mate)
                if mate in seen or not free[mate]:
                    continue
                seen.add(mate)
                found.append(mate)
                queue.append(mate)
                taken += 1
                if taken == FAN_OUT or len(found) == width:
                    break
        return found

    def spread(self, people: IntArray, limit: int | None = None) -> tuple[IntArray, IntArray]:
        """(person, peer) for every peer of every given person (the nearest `limit` when given)."""
        first, count = self.starts[people], self.starts[people + 1] - self.starts[people]
        if limit is not None:
            count = np.minimum(count, limit)
        owner = np.repeat(people, count)
        at = np.repeat(first - np.cumsum(count) + count, count) + np.arange(int(count.sum()))
        return owner, self.people[at]


def find_peers(
    pop: Population, params: MatchParams, report: Report | None = None, per_person: int = PEERS_PER_PERSON
) -> Peers:
    everyone = np.arange(pop.size, dtype=np.int64)
    best = BestLists(pop.size, per_person, np.full(pop.size, per_person, dtype=np.int64))
    spec = ScanSpec(
        mentors=everyone,
        offsets=np.zeros(pop.size, dtype=np.int64),
        mentees=everyone,
        c=np.zeros(pop.size, dtype=np.int64),
        bonus=True,
    )
    sides = Sides(mentors=everyone, capacity=np.ones(pop.size, dtype=np.int64), mentees=everyone)
    circles = replace(params, mode=Mode.CIRCLES)
    scan(pop, circles, sides, spec, best, known_rows(Pairs.none(), pop.size), report)
    found = best.pairs()
    wished = _wished_peers(pop, params)
    a = np.concatenate([found.mentor, found.mentee, wished.mentor, wished.mentee])
    b = np.concatenate([found.mentee, found.mentor, wished.mentee, wished.mentor])
    return _as_rows(pop, params, a, b)


def _wished_peers(pop: Population, params: MatchParams) -> Pairs:
    a, b = np.divmod(pop.wish_keys, max(1, pop.size))
    ok = hard_rules_mask(pop, a, b) & (np.abs(pop.grades[a] - pop.grades[b]) <= params.circle_band)
    return Pairs(mentor=a[ok], mentee=b[ok])


def _as_rows(pop: Population, params: MatchParams, a: IntArray, b: IntArray) -> Peers:
    """Unique undirected pairs as rows per person, the strongest two-way exchange first."""
    keys = distinct(a * pop.size + b)
    a, b = np.divmod(keys, pop.size)
    strength = pair_weights(pop, params, a, b) + pair_weights(pop, params, b, a)
    order = np.lexsort((b, -strength, a))
    starts = np.searchsorted(a[order], np.arange(pop.size + 1))
    return Peers(starts=starts.astype(np.int64), people=b[order])


def distinct(values: IntArray) -> IntArray:
    """The sorted distinct values: `np.unique` by sorting. numpy 2.5's hash table takes ~80x longer
    on many distinct int64 keys (600k: 0.8 s against 0.01 s), and the search asks this often."""
    ordered = np.sort(values, axis=None)
    kept: IntArray = ordered[np.append(True, ordered[1:] != ordered[:-1])[: len(ordered)]]
    return kept


class Board:
    """Circles as rows of member indices (packed left, -1 for empty seats) and each person's circle."""

    def __init__(self, people: int) -> None:
        rows = people // MIN_SIZE + 1
        self.members = np.full((rows, MAX_SIZE), -1, dtype=np.int64)
        self.score = np.zeros(rows, dtype=np.float64)
        self.alive = np.zeros(rows, dtype=bool)
        self.circle_of = np.full(people, -1, dtype=np.int64)
        self.changed = np.zeros(rows, dtype=bool)  # since the search last looked
        self.released = np.zeros(0, dtype=np.int64)
        self.clock = 0  # counts changes; `stamp[c]`: the clock at circle c's last change
        self.stamp = np.zeros(rows, dtype=np.int64)
        self.settled = np.zeros(0, dtype=np.int64)  # pairs of circles no split improves (keys)
        self.settled_at = np.zeros(0, dtype=np.int64)  # the clock when each was split

    @property
    def sizes(self) -> IntArray:
        sizes: IntArray = (self.members >= 0).sum(axis=1)
        return sizes

    @property
    def unplaced(self) -> IntArray:
        return np.flatnonzero(self.circle_of < 0)

    def open(self, row: IntArray, score: float) -> int:
        circle = int(np.flatnonzero(~self.alive)[0])
        self.alive[circle] = True
        self.set(circle, row, score)
        return circle

    def set(self, circle: int, row: IntArray, score: float) -> None:
        old = self.members[circle][self.members[circle] >= 0]
        self.circle_of[old[self.circle_of[old] == circle]] = -1  # not those just seated elsewhere
        packed = np.full(MAX_SIZE, -1, dtype=np.int64)
        real = row[row >= 0]
        packed[: len(real)] = real
        self.members[circle] = packed
        self.score[circle] = score
        self.circle_of[real] = circle
        self.changed[circle] = True
        self.clock += 1
        self.stamp[circle] = self.clock

    def close(self, circle: int) -> None:
        self.changed_people(circle)
        self.set(circle, np.full(MAX_SIZE, -1, dtype=np.int64), 0.0)
        self.alive[circle] = False

    def changed_people(self, circle: int) -> None:
        """Remember who sat in a circle about to close (they are worth a second look)."""
        members = self.members[circle][self.members[circle] >= 0]
        self.released = distinct(np.concatenate([self.released, members]))

    def take_focus(self, peers: Peers) -> IntArray:
        """People in circles changed since the last call, those released, and their peers."""
        changed = self.members[self.changed]
        people = distinct(np.concatenate([changed[changed >= 0], self.released]))
        self.changed[:] = False
        self.released = np.zeros(0, dtype=np.int64)
        return distinct(np.concatenate([people, peers.spread(people)[1]]))

    def circles(self) -> IntArray:
        return np.flatnonzero(self.alive)

    def pair_keys(self, first: IntArray, second: IntArray) -> IntArray:
        """One key per unordered pair of circles."""
        rows = len(self.alive)
        keys: IntArray = np.minimum(first, second) * rows + np.maximum(first, second)
        return keys

    def unsettled(self, keys: IntArray) -> BoolArray:
        """Which pairs (`pair_keys`) are not known to have no better split: never split, or one
        of their circles changed since."""
        if not len(self.settled):
            return np.ones(len(keys), dtype=bool)
        at = np.minimum(np.searchsorted(self.settled, keys), len(self.settled) - 1)
        first, second = np.divmod(keys, len(self.alive))
        seen = (self.settled[at] == keys) & (
            np.maximum(self.stamp[first], self.stamp[second]) <= self.settled_at[at]
        )
        unseen: BoolArray = ~seen
        return unseen

    def settle(self, keys: IntArray, at: int) -> None:
        """Remember that no split of these pairs improved them at clock `at` (entries whose
        circles changed since are dropped: they can never match again)."""
        keys = np.concatenate([self.settled, keys])
        when = np.concatenate([self.settled_at, np.full(len(keys) - len(self.settled), at, dtype=np.int64)])
        first, second = np.divmod(keys, len(self.alive))
        current = np.maximum(self.stamp[first], self.stamp[second]) <= when
        keys, when = keys[current], when[current]
        order = np.lexsort((when, keys))
        keys, when = keys[order], when[order]  # each key's entries in clock order
        last = np.append(keys[1:] != keys[:-1], True)[: len(keys)]  # each pair's latest
        self.settled, self.settled_at = keys[last], when[last]


def with_member(rows: IntArray, people: IntArray) -> IntArray:
    """Each row with one more member in its first empty seat."""
    grown = rows.copy()
    seat = (rows >= 0).sum(axis=1)
    grown[np.arange(len(rows)), np.minimum(seat, MAX_SIZE - 1)] = people
    return grown


def without_member(rows: IntArray, people: IntArray) -> IntArray:
    """Each row without the given member, repacked to the left."""
    kept = np.where(rows == people[:, None], -1, rows)
    order = np.argsort(kept < 0, axis=1, kind="stable")
    packed: IntArray = np.take_along_axis(kept, order, axis=1)
    return packed
