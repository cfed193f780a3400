"""Mentor load spreading (spec 1.1): the figures, the penalty's effect, and idle mentors' reasons.
The objective with spreading is checked against exact oracles in test_mentoring.py."""

from __future__ import annotations

import numpy as np
import pytest

from stepahead.matching import MatchParams, Mode, Participant, match, result_to_dict
from stepahead.matching.mentoring.load import gini, load_penalty, mentor_load, top_share
from stepahead.synthetic import generate_organisation


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([], 0.0),
        ([0, 0, 0], 0.0),
        ([2, 2, 2, 2], 0.0),
        ([0, 0, 0, 4], 0.75),  # one of four holds everything: (n − 1)/n
        ([1, 2, 3], 2 / 9),  # mean absolute difference 4/3 over twice the mean 2
    ],
)
def test_gini_against_hand_computed_values(values: list[int], expected: float) -> None:
    assert gini(np.array(values, dtype=np.int64)) == pytest.approx(expected)


def test_top_share_takes_the_busiest_tenth() -> None:
    assert top_share(np.array([5, 1, 1, 1, 1, 1, 1, 1, 1, 1])) == pytest.approx(5 / 14)
    assert top_share(np.array([3, 0, 0])) == 1.0  # at least one mentor
    assert top_share(np.array([0, 0])) == 0.0


def test_load_penalty_is_spread_times_l_l_minus_one_over_two() -> None:
    assert load_penalty(np.array([0, 1, 2, 3]), 0.2) == pytest.approx(0.2 * (0 + 0 + 1 + 3))


def test_mentor_load_figures() -> None:
    load = mentor_load(np.array([0, 3, 1, 0], dtype=np.int64))
    assert (load.mentors, load.used, load.max) == (4, 2, 3)
    assert load.top10_share == 0.75


def experts_and_others(experts: int = 100, others: int = 400, mentees: int = 500) -> list[Participant]:
    """Experts are one step ahead (the best fit), others two steps: without spreading the experts
    fill every seat they have; capacity 3 each."""
    people = [
        Participant.build(f"X{i}", 5, skills={"sql": 3}, role="mentor", capacity=3) for i in range(experts)
    ]
    people += [
        Participant.build(f"O{i}", 5, skills={"sql": 4}, role="mentor", capacity=3) for i in range(others)
    ]
    people += [
        Participant.build(f"E{i}", 1, skills={"sql": 2}, goals=["sql"], role="mentee") for i in range(mentees)
    ]
    return people


def test_spreading_shares_mentees_across_mentors() -> None:
    people = experts_and_others()
    piled = match(people, MatchParams(mode=Mode.TRADITIONAL, spread=0.0))
    shared = match(people, MatchParams(mode=Mode.TRADITIONAL, spread=0.3))
    assert piled.placed == shared.placed == 500  # spreading never costs a mentee a place
    assert piled.mentor_load is not None
    assert shared.mentor_load is not None
    assert piled.mentor_load.used < 250  # 100 experts × 3, then the others pile up on equal terms
    assert shared.mentor_load.used == 500  # a second mentee (1.0 − 0.3) is worth less than 0.8
    assert shared.mentor_load.gini < piled.mentor_load.gini
    assert shared.mentor_load.max == 1
    assert shared.objective == pytest.approx(100 * 1.0 + 400 * 0.8)
    assert piled.objective == piled.total_score


def test_objective_is_total_less_penalties() -> None:
    people = experts_and_others(experts=10, others=0, mentees=30)
    result = match(people, MatchParams(mode=Mode.TRADITIONAL))  # default spread 0.2
    assert result.params.spread == 0.2
    assert result.placed == 30
    assert result.objective == pytest.approx(result.total_score - 10 * 0.2 * 3)
    assert result.optimality is not None
    assert result.optimality.proven
    assert result.optimality.upper_bound == pytest.approx(result.objective)


def test_spread_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError, match="spread must be between 0 and 10"):
        MatchParams(spread=-0.1)
    with pytest.raises(ValueError, match="spread"):
        MatchParams(spread=11)


def test_json_carries_idle_mentors_objective_and_load() -> None:
    people = experts_and_others(experts=2, others=3, mentees=2)
    out = result_to_dict(match(people, MatchParams(mode=Mode.TRADITIONAL)))
    assert out["stats"]["mentor_load"] == {"mentors": 5, "used": 2, "max": 1, "gini": 0.6, "top10_share": 0.5}
    assert out["stats"]["objective"] == pytest.approx(out["stats"]["total_score"])
    assert {m["id"] for m in out["idle_mentors"]} == {"O0", "O1", "O2"}


def test_peer_results_have_no_mentor_figures() -> None:
    out = result_to_dict(match(generate_organisation(30, seed=1)))
    assert "idle_mentors" not in out
    assert "mentor_load" not in out["stats"]


# --- idle mentors' reasons ------------------------------------------------------------------------


def idle(people: list[Participant], mode: Mode = Mode.TRADITIONAL) -> dict[str, str]:
    return {u.id: u.reason for u in match(people, MatchParams(mode=mode)).idle_mentors}


def mentor(pid: str, grade: int = 5, **extra: object) -> Participant:
    options: dict[str, object] = {"skills": {"SQL": 4, "Excel": 2}, "role": "mentor", **extra}
    return Participant.build(pid, grade, **options)  # type: ignore[arg-type]


def mentee(pid: str, grade: int = 1, **extra: object) -> Participant:
    options: dict[str, object] = {"skills": {"sql": 1}, "goals": ["sql"], "role": "mentee", **extra}
    return Participant.build(pid, grade, **options)  # type: ignore[arg-type]


def test_idle_because_capacity_is_zero() -> None:
    assert "capacity 0" in idle([mentor("M", capacity=0), mentee("E")])["M"]


def test_idle_because_no_mentee_is_on_their_side_of_the_grades() -> None:
    assert (
        idle([mentor("M", grade=1), mentee("E", grade=3)])["M"] == "no mentee is more junior than M (grade 1)"
    )
    reverse = idle([mentor("M", grade=5), mentee("E", grade=3)], Mode.REVERSE)
    assert reverse["M"] == "no mentee is more senior than M (grade 5)"


def test_idle_because_nobody_wants_what_they_offer() -> None:
    people = [mentor("M", skills={"python": 5, "excel": 3}), mentee("E")]
    assert idle(people)["M"] == "no mentee's goals are among M's strengths (python, excel)"


def test_idle_because_the_rules_keep_them_apart() -> None:
    reason = idle([mentor("M", exclude=["E"]), mentee("E")])["M"]
    assert reason.startswith("the mentees M is ahead of (E) are excluded")


def test_idle_because_mentees_went_to_better_fits_names_the_skill() -> None:
    people = [mentor("Best", skills={"sql": 2}), mentor("M"), mentee("E")]
    assert idle(people) == {"M": "the 1 mentee M could help in SQL went to mentors who fit them better"}


def test_a_both_who_is_mentored_is_not_idle() -> None:
    people = [
        mentor("M", skills={"sql": 4, "python": 1}),
        Participant.build("B", 3, skills={"sql": 2, "python": 5}, goals=["sql"], role="both"),
    ]
    assert idle(people) == {}
