"""Circles at 50 people on every organisation shape, certified by an independent LP.

The enumerator of test_circles_optimum (written from the spec, not the engine's) lists every valid
circle; scipy's LP over all of them bounds the people placed (⌊LP⌋), and an integer solve over
the circles the LP's reduced costs leave open gives the best score at that many. When the engine
meets both, its circles are optimal by a certificate the engine had no part in. At 50 people the
engine used to come one person short in three shapes (its integer search stopped on a restricted
column set).
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import csr_matrix, vstack

from stepahead.matching import MatchParams, Mode, Participant, circle_is_valid
from stepahead.matching._model import Optimality
from stepahead.synthetic import SHAPES, generate_organisation
from tests.unit.matching.test_circles_optimum import every_circle, solve


def optimum_at(
    people: list[Participant], params: MatchParams, placed: int, score: float
) -> tuple[float, float]:
    """The LP bound on people placed; and the best score of a packing placing `placed`, solved
    exactly over every circle that a packing scoring more than `score` could use (the circle LP's
    reduced costs rule the others out: a packing is worth at most the LP's dual value plus the
    reduced costs of its circles)."""
    rows, scores = every_circle(people, params)
    real = rows >= 0
    circle = np.repeat(np.arange(len(rows)), real.sum(axis=1))
    seats = csr_matrix((np.ones(len(circle)), (rows[real], circle)), shape=(len(people), len(rows)))
    sizes = real.sum(axis=1).astype(float)
    ones = np.ones(len(people))
    most = linprog(-sizes, A_ub=seats, b_ub=ones, bounds=(0, 1), method="highs")
    a_ub = vstack([seats, csr_matrix(-sizes[None, :])]).tocsr()
    b_ub = np.append(ones, -placed)
    lp = linprog(-scores, A_ub=a_ub, b_ub=b_ub, bounds=(0, 1), method="highs")
    marginals = np.asarray(lp.ineqlin.marginals)  # ≤ 0: the LP minimises −score
    dual_value = float(-b_ub @ marginals)
    reduced = scores + a_ub.T @ marginals
    slack = float(np.maximum(reduced, 0).sum())
    useful = np.flatnonzero(reduced >= score - dual_value - slack - 1e-6)
    found = milp(
        -scores[useful],
        constraints=[LinearConstraint(a_ub[:, useful], -np.inf, b_ub)],
        integrality=np.ones(len(useful)),
        bounds=Bounds(0, 1),
        options={"mip_rel_gap": 0.0},
    )
    best = max(score, -found.fun) if found.x is not None else score
    return -most.fun, best


@pytest.mark.slow
@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_fifty_people_are_placed_and_scored_optimally_on_every_shape(shape: str) -> None:
    people = list(generate_organisation(50, seed=0, shape=shape))
    params = MatchParams(mode=Mode.CIRCLES, seed=0)
    solution = solve(people, params)
    by_index = {p.id: p for p in people}
    for group in solution.groups:
        assert circle_is_valid([people[i] for i in group], params), [by_index[people[i].id].id for i in group]
    placed = sum(len(group) for group in solution.groups)
    most, best = optimum_at(people, params, placed, sum(solution.scores))
    assert placed == int(np.floor(most + 1e-6))
    assert sum(solution.scores) == pytest.approx(best, abs=1e-6)
    optimality = solution.optimality
    assert isinstance(optimality, Optimality)
    assert optimality.proven
    assert optimality.placed_bound == placed
