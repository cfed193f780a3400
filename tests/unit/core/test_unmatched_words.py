"""What an unmatched person is told: the kind of reason in their terms, naming nobody else."""

import pytest

from stepahead.core.unmatched import in_plain_words


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
