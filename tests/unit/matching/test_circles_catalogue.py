"""The catalogue of every valid circle: the same circles whatever its buffer's growth, and the
budgets leave a partial catalogue that says it is one."""

from __future__ import annotations

import random

import numpy as np
import pytest

from stepahead.matching import MatchParams, Mode
from stepahead.matching._population import compile_population
from stepahead.matching.circles import catalogue as circles_catalogue
from stepahead.matching.circles.catalogue import catalogue
from stepahead.matching.circles.existence import circle_exists
from tests.unit.matching.test_circles_optimum import SHAPES, every_circle, shaped


def _as_set(rows: np.ndarray, scores: np.ndarray) -> dict[tuple[int, ...], float]:
    pairs = zip(rows, scores, strict=True)
    return {tuple(int(p) for p in row if p >= 0): round(float(s), 9) for row, s in pairs}


@pytest.mark.parametrize("shape", SHAPES)
def test_a_buffer_that_grows_many_times_lists_every_valid_circle(
    shape: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    people = shaped(shape, random.Random(f"catalogue-{shape}-0"), 24)
    params = MatchParams(mode=Mode.CIRCLES)
    pop = compile_population(people, params)
    whole = catalogue(pop, params, np.arange(pop.size))
    monkeypatch.setattr(circles_catalogue, "FIRST_ROWS", 1)  # doubles from one row
    grown = catalogue(pop, params, np.arange(pop.size))
    rows, scores = every_circle(people, params)
    assert grown.complete
    assert whole.complete
    np.testing.assert_array_equal(grown.rows, whole.rows)  # the same order: the walk's
    assert _as_set(grown.rows, grown.scores) == _as_set(rows, scores)
    assert len(rows) > 8  # the buffer grew several times


def test_a_full_store_keeps_what_it_holds_and_says_it_is_partial() -> None:
    people = shaped("one-function", random.Random("catalogue-store"), 16)
    params = MatchParams(mode=Mode.CIRCLES)
    pop = compile_population(people, params)
    whole = catalogue(pop, params, np.arange(pop.size))
    assert len(whole.rows) > 5
    part = catalogue(pop, params, np.arange(pop.size), store=5)
    assert not part.complete
    np.testing.assert_array_equal(part.rows, whole.rows[:5])
    anchor = int(np.bincount(whole.rows[:, 0]).argmax())  # the first member of several circles
    others = np.delete(np.arange(pop.size), anchor)
    anchored = catalogue(pop, params, np.concatenate([[anchor], others]), store=1, all_anchors=False)
    assert len(anchored.rows) == 1
    assert anchor in anchored.rows[0]
    assert not anchored.complete
    holding = {int(p) for row in whole.rows for p in row if p >= 0}
    assert all(circle_exists(pop, params, person) for person in holding)


def test_the_visit_budget_leaves_the_catalogue_partial() -> None:
    people = shaped("even", random.Random("catalogue-visits"), 16)
    params = MatchParams(mode=Mode.CIRCLES)
    pop = compile_population(people, params)
    whole = catalogue(pop, params, np.arange(pop.size))
    part = catalogue(pop, params, np.arange(pop.size), visits=3)
    assert whole.complete
    assert not part.complete
    assert len(part.rows) < len(whole.rows)
    assert _as_set(part.rows, part.scores).items() <= _as_set(whole.rows, whole.scores).items()
