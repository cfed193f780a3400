"""core.placement: every enrolled person is exactly one of placed, declined, unmatched."""

from hypothesis import given
from hypothesis import strategies as st

from stepahead.core.placement import (
    Standing,
    counts_in_words,
    decline_words,
    placement_of_unplaced,
    run_counts,
    unmatched_after_decline,
)

ids = st.frozensets(st.integers(0, 30))


@given(st.integers(0, 30), ids, ids)
def test_the_three_standings_partition_the_enrolled(placed, unplaced, declined):
    p = placement_of_unplaced(placed=placed, unplaced=unplaced, in_declined_partnership=declined)
    assert p.placed == placed
    assert p.declined | p.unmatched == unplaced
    assert not (p.declined & p.unmatched)
    assert p.enrolled == placed + len(unplaced)


def test_a_new_live_partnership_wins_over_an_old_decline():
    # 1 declined a match and is placed again: only the unplaced can be "declined"
    p = placement_of_unplaced(placed=1, unplaced={2, 3}, in_declined_partnership={1, 2})
    assert p.placed == 1
    assert p.standing(1) is None
    assert p.standing(2) is Standing.DECLINED
    assert p.standing(3) is Standing.UNMATCHED
    assert p.standing(4) is None


def test_decline_words_for_hr():
    assert (
        decline_words(reader_declined=True, partners=["Bo", "Cy"], decliner="Al", said="busy")
        == 'Declined the match with Bo and Cy: "busy".'
    )
    assert decline_words(reader_declined=True, partners=["Bo"], decliner="Al") == (
        "Declined the match with Bo (no reason given)."
    )
    assert decline_words(reader_declined=False, partners=[], decliner="Al") == (
        "Al declined their match; they are back in the pool."
    )


def test_the_decline_replaces_the_engines_restatement_of_its_effect():
    words = "Al declined their match; they are back in the pool."
    assert unmatched_after_decline("Everyone eligible is excluded or in reporting line", words) == words
    assert unmatched_after_decline("No one else is within 1 grade.", words) == (
        f"{words} No one else is within 1 grade."
    )


@given(st.integers(0, 30), ids, ids, ids)
def test_idle_mentors_are_neither_placed_nor_unmatched(placed, unplaced, declined, mentors):
    p = placement_of_unplaced(
        placed=placed, unplaced=unplaced, in_declined_partnership=declined, mentors_only=mentors
    )
    assert p.idle_mentors == (unplaced - declined) & mentors
    assert not (p.idle_mentors & p.unmatched)
    assert p.unplaced == unplaced
    assert p.waiting == p.unplaced - p.idle_mentors
    assert p.enrolled == placed + len(unplaced)


@given(st.integers(0, 50), st.frozensets(st.integers(0, 9)), st.frozensets(st.integers(0, 9)))
def test_a_runs_pool_adds_up_counting_everyone_once(placed, unmatched, idle):
    pool = placed + len(unmatched | idle)
    counts = run_counts(pool=pool, placed=placed, unmatched=unmatched, idle_mentors=idle)
    assert counts.placed + counts.unmatched + counts.idle_mentors == pool
    assert counts.unmatched == len(unmatched)  # listed both ways: wants a match, so unmatched


def test_the_counts_read_the_same_everywhere():
    assert counts_in_words(placed=56, unmatched=42, idle_mentors=2) == (
        "56 placed · 42 unmatched · 2 mentors without a mentee"
    )
    assert (
        counts_in_words(placed=2, declined=2, unmatched=0, idle_mentors=0)
        == "2 placed · 2 declined · 0 unmatched"
    )
