"""The platform's pure wording helpers: match strength, optimality and reasons for the reader."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stepahead.core.optimality import optimality_words
from stepahead.core.reasons import addressed_to
from stepahead.core.strength import BEST_EXCHANGE, match_strength, strength_words


@given(st.floats(min_value=-10, max_value=50, allow_nan=False), st.integers(2, 5), st.booleans())
def test_strength_is_always_on_the_0_to_100_scale(score, members, circle):
    assert 0 <= match_strength(score, members=members, circle=circle) <= 100


def test_strength_is_100_for_the_best_exchange_and_scales_circles_by_members():
    assert match_strength(BEST_EXCHANGE) == 100
    assert match_strength(BEST_EXCHANGE / 2) == 50
    assert match_strength(BEST_EXCHANGE * 2, members=4, circle=True) == 50
    assert match_strength(None) is None
    assert [strength_words(s) for s in (90, 50, 25, 5, None)] == [
        "strong",
        "good",
        "fair",
        "weak",
        "not scored",
    ]


@pytest.mark.parametrize(
    ("optimality", "words"),
    [
        ({"proven": True, "gap": 0.0}, "Best possible result, proven"),
        ({"proven": False, "gap": 0.00218}, "Within 0.2 % of the best possible"),
        ({"proven": False, "gap": 0.0000001}, "Within less than 0.1 % of the best possible"),
        ({"proven": False, "gap": None}, "A good result; the best possible could not be confirmed"),
        (None, "Not checked"),
    ],
)
def test_optimality_is_said_without_solver_jargon(optimality, words):
    assert optimality_words(optimality) == words


@pytest.mark.parametrize(
    ("reason", "reader", "words"),
    [
        (
            "Ada is one step ahead of Emily in sql (3 vs 2)",
            "Ada",
            "You are one step ahead of Emily in sql (3 vs 2)",
        ),
        ("Emily is ahead of Ada in excel (4 vs 1)", "Ada", "Emily is ahead of you in excel (4 vs 1)"),
        ("Emily is ahead of Bo in excel (4 vs 1)", "Ada", "Emily is ahead of Bo in excel (4 vs 1)"),
        ("Ada asked to be paired with Bo", "Ada", "You asked to be paired with Bo"),
        ("Bo asked to be in the same circle with Ada", "Ada", "Bo asked to be in the same circle with you"),
        ("Finance meets Data", "Ada", "Finance meets Data"),
        ("Both asked to be paired", "Ada", "Both asked to be paired"),
        ("Ada is ahead of Bo in sql (3 vs 1)", "", "Ada is ahead of Bo in sql (3 vs 1)"),
    ],
)
def test_reasons_are_addressed_to_the_reader(reason, reader, words):
    assert addressed_to(reason, reader) == words


def test_language_codes_are_named_and_other_labels_kept():
    from stepahead.core.languages import language_name

    assert language_name("en") == "English (en)"
    assert language_name("swiss german") == "Swiss german"
