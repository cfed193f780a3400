"""What an unmatched person is told: the kind of reason in their terms, naming nobody else."""

import pytest

from stepahead.core.unmatched import idle_mentor_in_plain_words, in_plain_words


def test_goals_nobody_is_ahead_in_are_named_back_to_the_reader():
    reason = "no one within 1 grade is ahead of Ada in any of Ada's goals (sql, excel)"
    words = in_plain_words(reason)
    assert words == (
        "Nobody taking part this time is ahead of you in the skills you want to grow: sql, excel."
    )
    assert "Ada" not in words


@pytest.mark.parametrize(
    "reason",
    [
        'Declined the match with Bob Smith: "he is my ex".',
        "Bob Smith declined their match; they are back in the pool.",
        "the only peers who could help (Bob Smith, Eve Jones) do not share a language with Ada",
        "Ada excluded Bob Smith or is in their reporting line",
        "Ada's places went to Bob Smith and Eve Jones, better fits",
        "something the engine says about Bob Smith that we do not recognise",
    ],
)
def test_other_peoples_names_and_words_never_reach_the_reader(reason):
    words = in_plain_words(reason)
    assert "Bob" not in words
    assert "Eve" not in words
    assert "ex" not in words.split()
    assert words.endswith(".")


@pytest.mark.parametrize(
    ("reason", "expected"),
    [
        ("Sam has capacity 0: raise it so Sam can take a mentee", "can take 0 mentees"),
        ("no mentee is more junior than Sam (grade 2)", "at a grade this programme pairs with you"),
        ("no mentee's goals are among Sam's strengths (sql)", "skills you are ahead in"),
        (
            "the mentees Sam is ahead of (Jo Bloggs) are excluded, in Sam's reporting line, or ...",
            "asked not",
        ),
        ("the 2 mentees Sam could help in sql went to mentors who fit them better", "closer fit for another"),
        ("something new about Jo Bloggs", "No mentee was matched with you"),
    ],
)
def test_an_idle_mentor_is_told_why_without_names(reason, expected):
    words = idle_mentor_in_plain_words(reason)
    assert expected in words
    assert "Jo" not in words
    assert "Sam" not in words
