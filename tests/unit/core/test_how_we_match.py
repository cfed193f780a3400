"""The How we match page says what the programme's parameters do."""

from __future__ import annotations

from stepahead.core.how_we_match import Parameters, how_we_match

BASE = Parameters(
    mode="peer",
    band=1,
    profile="one-step",
    circle_size=4,
    circle_band=2,
    cross_function_bonus=0.25,
    wish_bonus=0.5,
    spread=0.2,
    default_capacity=1,
    max_capacity=5,
)


def _text(parameters: Parameters) -> str:
    return " ".join(p for part in how_we_match(parameters) for p in part.paragraphs)


def test_peer_pairs_name_the_band_and_both_directions():
    text = _text(BASE)
    assert "both of you give and both of you receive" in text
    assert "at most 1 grade apart" in text
    assert "one step ahead" in text
    assert "outside your own team" in text


def test_the_words_follow_the_parameters():
    from dataclasses import replace

    assert "at most 2 grades apart" in _text(replace(BASE, band=2))
    circles = _text(replace(BASE, mode="circles", circle_size=5, circle_band=3))
    assert "Circles have 5 people" in circles
    assert "at most 3 grades apart" in circles
    expert = _text(replace(BASE, mode="traditional", profile="expert", default_capacity=2, max_capacity=4))
    assert "more senior than you" in expert
    assert "experts count most" in expert
    assert "takes 2 mentees" in expert
    assert "at most 4" in expert
    plain = _text(replace(BASE, cross_function_bonus=0, wish_bonus=0))
    assert "outside your own team" not in plain
    assert "bonus" not in plain
    assert "more junior than you" in _text(replace(BASE, mode="reverse"))
    assert "Grade does not matter" in _text(replace(BASE, mode="open"))


def test_mentoring_says_mentees_are_shared_unless_spreading_is_off():
    from dataclasses import replace

    shared = "Mentees are shared across mentors"
    assert shared in _text(replace(BASE, mode="traditional"))
    assert shared not in _text(replace(BASE, mode="traditional", spread=0.0))
    assert shared not in _text(BASE)  # peers have no mentors
