"""The benchmark's circles oracle (bench/circles_oracle.py) against the tests' own enumerator: the
same valid circles and the same lexicographic optimum on small pools of every synthetic shape."""

from __future__ import annotations

import numpy as np
import pytest
from bench.circles_oracle import every_circle, locate, optimum

from stepahead.matching import MatchParams, Mode, match
from stepahead.synthetic import SHAPES, generate_organisation
from tests.unit.matching import test_circles_optimum as reference


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_the_oracle_agrees_with_the_tests_enumerator(shape: str) -> None:
    people = list(generate_organisation(24, seed=3, shape=shape))
    params = MatchParams(mode=Mode.CIRCLES, seed=0)
    rows, scores = every_circle(people, params)
    theirs, their_scores = reference.every_circle(people, params)
    assert sorted(map(tuple, rows.tolist())) == sorted(map(tuple, theirs.tolist()))
    assert np.isclose(np.sort(scores), np.sort(their_scores)).all()
    result = match(people, params)
    index = {p.id: i for i, p in enumerate(people)}
    known = locate(rows, [[index[m] for m in c.members] for c in result.circles])
    best = optimum(rows, scores, len(people), known)
    most, top = reference.optimum(people, params)
    assert best.proven
    assert (best.placed, best.score) == (most, pytest.approx(top, abs=1e-6))
