"""Packing candidate circles (pack.py, dive.py): the integer solve's node limit and an LP dive
cut short by the caller's budget."""

from __future__ import annotations

import random

import numpy as np

from stepahead.matching import MatchParams, Mode
from stepahead.matching._solution import never
from stepahead.matching.circles.dive import dive
from stepahead.matching.circles.lp import relax
from stepahead.matching.circles.pack import _seats, mip
from tests.support.budget import Budget
from tests.unit.matching.test_circles_optimum import every_circle, shaped


def planted(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Circles of three to four among twelve people, a packing of four circles seating all of
    them planted among them: (rows, seats matrix)."""
    rng = np.random.default_rng(seed)
    people = rng.permutation(12)
    rows = [rng.choice(12, size=int(rng.integers(3, 5)), replace=False) for _ in range(24)]
    rows += [people[i : i + 3] for i in range(0, 12, 3)]
    padded = np.full((len(rows), 5), -1, dtype=np.int64)
    for k, row in enumerate(rows):
        padded[k, : len(row)] = row
    return padded, _seats(padded, 12)


def test_an_integer_solve_without_nodes_finds_no_packing_and_proves_nothing() -> None:
    """Seating everyone needs the planted packing; with no branch-and-bound nodes to spend, the
    solve says it found none (worth -inf) rather than claiming one; with nodes, it finds it."""
    rows, seats = planted(0)
    sizes = (rows >= 0).sum(axis=1).astype(np.float64)
    columns = np.arange(len(rows))
    chosen, value, proven = mip(seats, sizes, (sizes, 12), columns, 0)
    assert (len(chosen), value, proven) == (0, -np.inf, False)
    chosen, value, proven = mip(seats, sizes, (sizes, 12), columns, 100)
    assert value == 12.0
    assert proven
    assert np.bincount(rows[chosen][rows[chosen] >= 0], minlength=12).tolist() == [1] * 12


def _dive_pool() -> tuple[np.ndarray, object, np.ndarray, np.ndarray, float]:
    """Every valid circle of a small pool, with the root LP's working columns and floor."""
    people = shaped("pyramid", random.Random(1), 20)
    rows, _ = every_circle(people, MatchParams(mode=Mode.CIRCLES))
    seats = _seats(rows, len(people))
    sizes = (rows >= 0).sum(axis=1).astype(np.float64)
    root = relax(seats, sizes, None, np.arange(min(len(rows), 40)), None, never)
    assert root is not None
    return rows, seats, sizes, root.working, float(np.floor(root.bound + 1e-6))


def test_a_stopped_dive_keeps_the_circles_it_had_fixed() -> None:
    """Stopped at any question, a dive returns the first circles of the dive left to run:
    a packing, never a circle it had not fixed yet."""
    rows, seats, sizes, working, target = _dive_pool()
    asked = Budget(10**9)
    whole = dive(rows, seats, sizes, working, target, asked)
    questions = next(asked.asked) - 1
    assert len(whole) >= 2  # the budget can fall between steps
    for calls in range(questions):
        cut = dive(rows, seats, sizes, working, target, Budget(calls))
        assert cut.tolist() == whole[: len(cut)].tolist()
        members = rows[cut][rows[cut] >= 0]
        assert len(members) == len(set(members.tolist()))
