"""The engine refuses numbers it cannot afford instead of allocating for them (issue 10 item 7):
a mentor capacity of 10^12 once made it try to allocate 43.7 TiB and took the worker down."""

import pytest

from stepahead.matching import MatchParams, Mode, Participant, PoolError, match
from stepahead.matching._model import MAX_CAPACITY, MAX_GRADE


def _mentoring(capacity: int, grade: int = 5) -> list[Participant]:
    return [
        Participant.build("M1", grade, skills={"sql": 4}, role="mentor", capacity=capacity),
        Participant.build("E1", 1, goals=["sql"], role="mentee"),
    ]


@pytest.mark.parametrize("capacity", [10**12, MAX_CAPACITY + 1, -1])
def test_a_capacity_out_of_bounds_is_a_pool_error(capacity: int) -> None:
    with pytest.raises(PoolError, match=f"mentor capacity outside 0-{MAX_CAPACITY} for: M1"):
        match(_mentoring(capacity), MatchParams(mode=Mode.TRADITIONAL))


@pytest.mark.parametrize("grade", [10**30, MAX_GRADE + 1, -MAX_GRADE - 1])
def test_a_grade_out_of_bounds_is_a_pool_error(grade: int) -> None:
    with pytest.raises(PoolError, match=f"grade outside -{MAX_GRADE} to {MAX_GRADE} for: M1"):
        match(_mentoring(1, grade), MatchParams(mode=Mode.OPEN))


def test_the_largest_capacity_allowed_still_matches() -> None:
    result = match(_mentoring(MAX_CAPACITY), MatchParams(mode=Mode.TRADITIONAL))
    assert [(m.mentor, m.mentee) for m in result.matches] == [("M1", "E1")]
