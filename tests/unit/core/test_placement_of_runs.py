"""A mentoring run's people, counted by core.placement.run_counts from what the engine returns:
placed, unmatched and mentors without a mentee partition the pool, each person once. A `both`
person placed in either role (mentoring someone, or mentored) is placed, never also unmatched."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from stepahead.core.placement import run_counts
from stepahead.matching import MatchParams, Mode, Participant, match

SKILLS = ["sql", "python", "excel"]
people = st.lists(
    st.tuples(
        st.integers(1, 6),
        st.dictionaries(st.sampled_from(SKILLS), st.integers(1, 5), min_size=1),
        st.lists(st.sampled_from(SKILLS), max_size=2, unique=True),
        st.sampled_from(["mentor", "mentee", "both"]),
        st.integers(0, 2),
    ),
    min_size=2,
    max_size=9,
)


@settings(max_examples=60, deadline=None)
@given(people, st.sampled_from([Mode.TRADITIONAL, Mode.REVERSE, Mode.OPEN]))
def test_placed_unmatched_and_idle_mentors_partition_a_runs_pool(rows, mode):
    pool = [
        Participant.build(f"P{i}", grade, skills=skills, goals=goals, role=role, capacity=capacity)
        for i, (grade, skills, goals, role, capacity) in enumerate(rows)
    ]
    result = match(pool, MatchParams(mode=mode))
    in_a_group = {p for m in result.matches for p in (m.mentor, m.mentee)}
    unmatched = {u.id for u in result.unmatched}
    idle = {u.id for u in result.idle_mentors}
    assert not unmatched & in_a_group  # a `both` mentoring someone is placed, not also unmatched
    assert not idle & in_a_group
    counts = run_counts(pool=len(pool), placed=len(in_a_group), unmatched=unmatched, idle_mentors=idle)
    assert counts.placed + counts.unmatched + counts.idle_mentors == counts.pool
