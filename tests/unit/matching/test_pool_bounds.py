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


def test_a_repeated_participant_id_is_a_pool_error() -> None:
    people = [*_mentoring(1), Participant.build("M1", 2, goals=["sql"], role="mentee")]
    with pytest.raises(PoolError, match="duplicate participant ids: M1"):
        match(people, MatchParams(mode=Mode.TRADITIONAL))


@pytest.mark.parametrize("level", [-1, 6])
def test_a_skill_level_outside_zero_to_five_is_a_pool_error(level: int) -> None:
    people = [Participant.build("M1", 5, skills={"sql": level}, role="mentor"), *_mentoring(1)[1:]]
    with pytest.raises(PoolError, match="skill levels outside 0-5 for: M1"):
        match(people, MatchParams(mode=Mode.TRADITIONAL))


@pytest.mark.parametrize(
    ("options", "words"),
    [
        ({"band": -1}, "band must be 0 or more"),
        ({"circle_size": 2}, "circle_size must be between 3 and 5"),
        ({"circle_size": 6}, "circle_size must be between 3 and 5"),
        ({"circle_band": -1}, "circle_band must be 0 or more"),
    ],
)
def test_match_parameters_out_of_range_are_refused(options: dict[str, int], words: str) -> None:
    with pytest.raises(ValueError, match=words):
        MatchParams(**options)  # type: ignore[arg-type]
