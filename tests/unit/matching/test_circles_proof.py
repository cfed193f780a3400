"""Small pools where the LP leaves many circles that could still beat the best packing found.

The pool comes from `bench.circles_independent` (an organisation generator written without
`stepahead.synthetic`): 45 people in two functions, six skills, grades bunched in the middle,
230,201 valid circles. Its optimum, from the independent oracle (`bench.circles_oracle`, every
circle enumerated and packed exactly): 43 placed, score 70.29. After the engine's quick integer
solve, 4,217 circles could still beat its incumbent; when the proof took at most 4,000 the
engine stopped at 70.18 and said it was unproven.
"""

from __future__ import annotations

import pytest
from bench.circles_independent import FAMILIES, organisation

from stepahead.matching import MatchParams, Mode, match


@pytest.mark.slow
def test_a_proof_over_more_than_four_thousand_circles_reaches_the_optimum() -> None:
    people = organisation(45, 45000, FAMILIES["diamond-few-skills"])
    result = match(people, MatchParams(mode=Mode.CIRCLES, seed=45000))
    assert result.optimality is not None
    assert (result.placed, result.total_score) == (43, pytest.approx(70.29))
    assert result.optimality.proven
    assert result.optimality.upper_bound == pytest.approx(70.29)


@pytest.mark.slow
def test_beyond_sixty_people_a_wider_incumbent_search_reaches_the_optimum() -> None:
    """70 people of the diamond-specialists family (362,072 valid circles; the oracle's optimum:
    69 placed, 97.135). The quick integer solve over the LP's working columns stops at 96.145
    (98.98 %), and 45,952 columns could still beat that: too many for a proof at this size.
    A second solve over the 4,000 best priced of all columns finds the optimum."""
    people = organisation(70, 70000, FAMILIES["diamond-specialists"])
    result = match(people, MatchParams(mode=Mode.CIRCLES, seed=70000))
    assert (result.placed, result.total_score) == (69, pytest.approx(97.135))
