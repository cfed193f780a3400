"""Local search moves for circles. Each move builds every candidate change it can see as a batch of
circles, judges them at once, and applies the best changes that touch disjoint circles and people.

A change is applied only when it places more people, or places as many with a higher score, so
the search always terminates."""

from __future__ import annotations

import numpy as np

from .._model import MatchParams
from .._population import FloatArray, IntArray, Population
from .board import Board, Peers, distinct, with_member, without_member
from .score import MAX_SIZE, MIN_SIZE, judge

GAIN = 1e-9  # a score change smaller than this is float noise, not an improvement
# Moves are tried with the circles of a member's nearest peers only (more in large pools).
NEAR_PEERS, LARGE_NEAR_PEERS = 12, 24


def circles_near(
    board: Board, peers: Peers, people: IntArray, limit: int | None = None
) -> tuple[IntArray, IntArray]:
    """Unique (person, circle) where the circle holds one of the person's peers and not the person."""
    owner, peer = peers.spread(people, limit)
    circle = board.circle_of[peer]
    keep = (circle >= 0) & (circle != board.circle_of[owner])
    keys = distinct(owner[keep] * len(board.alive) + circle[keep])
    person, near = np.divmod(keys, len(board.alive))
    return person, near


def take_disjoint(gain: FloatArray, *claims: IntArray) -> IntArray:
    """Indices of changes to apply, best first, no two claiming the same circle or person."""
    taken: set[int] = set()
    chosen = []
    for i in np.argsort(-gain, kind="stable"):
        keys = [int(c[i]) for c in claims if c[i] >= 0]
        if not any(key in taken for key in keys):
            taken.update(keys)
            chosen.append(int(i))
    return np.array(chosen, dtype=np.int64)


def insert_unplaced(pop: Population, params: MatchParams, peers: Peers, board: Board) -> int:
    """Seat an unplaced person in a circle with a free seat."""
    person, circle = circles_near(board, peers, board.unplaced)
    roomy = board.sizes[circle] < MAX_SIZE
    person, circle = person[roomy], circle[roomy]
    rows = with_member(board.members[circle], person)
    verdict = judge(pop, params, rows)
    ok = np.flatnonzero(verdict.valid)
    gain = verdict.score[ok] - board.score[circle[ok]]
    chosen = ok[take_disjoint(gain, _circle_claim(circle[ok]), _person_claim(person[ok]))]
    for i in chosen:
        board.set(int(circle[i]), rows[i], float(verdict.score[i]))
    return len(chosen)


def swap_in(pop: Population, params: MatchParams, peers: Peers, board: Board) -> int:
    """An unplaced person takes a member's seat: when the member then finds a seat elsewhere
    (one more placed), or when the circle scores higher (as many placed)."""
    person, circle, member, rows, scores = _replacements(pop, params, peers, board)
    if not len(person):
        return 0
    target, target_rows, target_scores = _reseat(pop, params, peers, board, member)
    seated = target >= 0
    gain = np.where(
        seated,
        _COUNT_FIRST + scores - board.score[circle] + target_scores - board.score[np.maximum(target, 0)],
        scores - board.score[circle],
    )
    worth = np.flatnonzero(gain > GAIN)
    claims = (_circle_claim(circle[worth]), _circle_claim(target[worth]), _person_claim(person[worth]))
    chosen = worth[take_disjoint(gain[worth], claims[0], claims[1], claims[2], _person_claim(member[worth]))]
    for i in chosen:
        board.set(int(circle[i]), rows[i], float(scores[i]))
        if target[i] >= 0:
            board.set(int(target[i]), target_rows[i], float(target_scores[i]))
    return len(chosen)


_COUNT_FIRST = 1e9


def _replacements(
    pop: Population, params: MatchParams, peers: Peers, board: Board
) -> tuple[IntArray, IntArray, IntArray, IntArray, FloatArray]:
    person, circle = circles_near(board, peers, board.unplaced)
    person, circle = np.repeat(person, MAX_SIZE), np.repeat(circle, MAX_SIZE)
    member = board.members[circle, np.tile(np.arange(MAX_SIZE), len(circle) // MAX_SIZE)]
    real = member >= 0
    person, circle, member = person[real], circle[real], member[real]
    rows = with_member(without_member(board.members[circle], member), person)
    verdict = judge(pop, params, rows)
    ok = verdict.valid
    return person[ok], circle[ok], member[ok], rows[ok], verdict.score[ok]


def _reseat(
    pop: Population, params: MatchParams, peers: Peers, board: Board, member: IntArray
) -> tuple[IntArray, IntArray, FloatArray]:
    """For each displaced member, the best other circle with a free seat that takes them (-1 if
    none): `circles_near` never offers a member the circle they are leaving (their own)."""
    target = np.full(len(member), -1, dtype=np.int64)
    target_rows = np.full((len(member), MAX_SIZE), -1, dtype=np.int64)
    target_scores = np.zeros(len(member), dtype=np.float64)
    unique_members, back = np.unique(member, return_inverse=True)
    who, where = circles_near(board, peers, unique_members)
    roomy = board.sizes[where] < MAX_SIZE
    who, where = who[roomy], where[roomy]
    rows = with_member(board.members[where], who)
    verdict = judge(pop, params, rows)
    ok = np.flatnonzero(verdict.valid)
    gain = verdict.score[ok] - board.score[where[ok]]
    best_of: dict[int, int] = {}
    for i in ok[np.argsort(-gain, kind="stable")]:
        best_of.setdefault(int(who[i]), int(i))
    for j, m in enumerate(unique_members[back]):
        if (i := best_of.get(int(m), -1)) >= 0:
            target[j], target_rows[j], target_scores[j] = where[i], rows[i], verdict.score[i]
    return target, target_rows, target_scores


def relocate(
    pop: Population,
    params: MatchParams,
    peers: Peers,
    board: Board,
    focus: IntArray,
    near_peers: int = NEAR_PEERS,
) -> int:
    """A member moves to another circle with a free seat when both circles score more in total."""
    placed = focus[board.circle_of[focus] >= 0]
    person, target = circles_near(board, peers, placed, near_peers)
    source = board.circle_of[person]
    can = (board.sizes[source] > MIN_SIZE) & (board.sizes[target] < MAX_SIZE)
    person, source, target = person[can], source[can], target[can]
    left = without_member(board.members[source], person)
    joined = with_member(board.members[target], person)
    return _apply_pairs(pop, params, board, source, left, target, joined)


def _apply_pairs(
    pop: Population,
    params: MatchParams,
    board: Board,
    first: IntArray,
    first_rows: IntArray,
    second: IntArray,
    second_rows: IntArray,
) -> int:
    if not len(first):
        return 0
    a, b = judge(pop, params, first_rows), judge(pop, params, second_rows)
    gain = a.score + b.score - board.score[first] - board.score[second]
    worth = np.flatnonzero(a.valid & b.valid & (gain > GAIN))
    chosen = worth[take_disjoint(gain[worth], _circle_claim(first[worth]), _circle_claim(second[worth]))]
    for i in chosen:
        board.set(int(first[i]), first_rows[i], float(a.score[i]))
        board.set(int(second[i]), second_rows[i], float(b.score[i]))
    return len(chosen)


def _circle_claim(circles: IntArray) -> IntArray:
    return circles


def _person_claim(people: IntArray) -> IntArray:
    claim: IntArray = people + (1 << 40)  # people and circles share one claim space
    return claim


def disband(pop: Population, params: MatchParams, peers: Peers, board: Board) -> int:
    """A circle of three or four breaks up when its members each take a free seat in other
    circles that gain more than it scored: as many placed, and fewer, fuller circles (another
    member brings another giver for every goal and often another function)."""
    return sum(_disband(pop, params, peers, board, size) for size in range(MIN_SIZE, MAX_SIZE))


def _disband(pop: Population, params: MatchParams, peers: Peers, board: Board, size: int) -> int:
    alive = board.circles()
    small = alive[board.sizes[alive] == size]
    if not len(small):
        return 0
    members = board.members[small, :size]
    target, rows, scores = _reseat(pop, params, peers, board, members.ravel())
    target = target.reshape(-1, size)
    rows, scores = rows.reshape(-1, size, MAX_SIZE), scores.reshape(-1, size)
    ordered = np.sort(target, axis=1)
    apart = (ordered[:, 1:] != ordered[:, :-1]).all(axis=1)
    gain = (scores - board.score[np.maximum(target, 0)]).sum(axis=1) - board.score[small]
    worth = np.flatnonzero((target >= 0).all(axis=1) & apart & (gain > GAIN))
    claims = [_circle_claim(small[worth])] + [_circle_claim(target[worth, j]) for j in range(size)]
    chosen = worth[take_disjoint(gain[worth], *claims)]
    for i in chosen:
        board.close(int(small[i]))
        for j in range(size):
            board.set(int(target[i, j]), rows[i, j], float(scores[i, j]))
    return len(chosen)
