"""The anonymity floor, scale summaries, NPS and unattributed comments."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stepahead.core.feedback import (
    ANONYMITY_THRESHOLD,
    enough_respondents,
    nps_summary,
    scale_summary,
    unattributed_comments,
)

likert = st.lists(st.tuples(st.integers(0, 12), st.integers(1, 5)), max_size=40)
nps = st.lists(st.tuples(st.integers(0, 12), st.integers(0, 10)), max_size=40)


@settings(deadline=None)  # a shared, loaded machine: time is not the property
@given(likert)
def test_scale_summary_exists_exactly_when_five_distinct_people_answered(answers):
    summary = scale_summary(answers)
    distinct = len({who for who, _ in answers})
    assert (summary is not None) == (distinct >= ANONYMITY_THRESHOLD)
    if summary is not None:
        assert summary.respondents == distinct
        assert sum(count for _, count in summary.distribution) == len(answers)
        assert 1 <= summary.mean <= 5


def test_many_answers_from_four_people_stay_hidden():
    answers = [(person, 4) for person in range(4) for _ in range(10)]
    assert scale_summary(answers) is None
    assert nps_summary([(p, 9) for p, _ in answers]) is None


def test_scale_summary_figures():
    summary = scale_summary([(1, 5), (2, 4), (3, 4), (4, 2), (5, 1)])
    assert summary is not None
    assert summary.mean == 3.2
    assert summary.distribution == ((1, 1), (2, 1), (3, 0), (4, 2), (5, 1))


def test_out_of_scale_answer_is_refused_with_its_value():
    with pytest.raises(ValueError, match="from 1 to 5, not 7"):
        scale_summary([(n, 7) for n in range(5)])


@settings(deadline=None)  # a shared, loaded machine: time is not the property
@given(nps)
def test_nps_is_promoters_minus_detractors(answers):
    summary = nps_summary(answers)
    if len({who for who, _ in answers}) < ANONYMITY_THRESHOLD:
        assert summary is None
        return
    assert summary is not None
    assert summary.promoters + summary.passives + summary.detractors == len(answers)
    exact = 100 * (summary.promoters - summary.detractors) / len(answers)
    assert abs(summary.score - exact) <= 0.5
    assert -100 <= summary.score <= 100


def test_nps_example():
    # 3 promoters, 1 passive, 2 detractors of 6: 50 % − 33.3 % = 16.7 → 17
    summary = nps_summary([(1, 10), (2, 9), (3, 9), (4, 7), (5, 3), (6, 6)])
    assert summary is not None
    assert (summary.promoters, summary.passives, summary.detractors, summary.score) == (3, 1, 2, 17)


def test_comments_need_five_writers_not_five_respondents():
    answers = [(1, "Great pairing"), (2, ""), (3, "  "), (4, ""), (5, "")]
    assert unattributed_comments(answers) is None


@settings(deadline=None)  # a shared, loaded machine: time is not the property
@given(st.lists(st.tuples(st.integers(0, 8), st.text(max_size=5)), max_size=20))
def test_comments_are_sorted_and_carry_no_author(answers):
    comments = unattributed_comments(answers)
    writers = {who for who, text in answers if text.strip()}
    assert (comments is not None) == (len(writers) >= ANONYMITY_THRESHOLD)
    if comments is not None:
        assert list(comments) == sorted(comments)
        assert all(isinstance(text, str) and text for text in comments)


def test_enough_respondents_counts_people_not_answers():
    assert not enough_respondents(["a", "a", "b", "c", "d"])
    assert enough_respondents(["a", "b", "c", "d", "e"])
