"""One definition of placed, declined, unmatched and idle mentors, used by every page and count
(issue 11 bug 4): the run page, its alert, the review board, run history and compare.

Every active enrolment of a programme is exactly one of:
- placed: a member of a partnership that still holds them (proposed, approved, accepted, ...);
- declined: not placed, and a partnership they were in was declined (by them or a partner);
- an idle mentor: not placed, not declined, and only offering to mentor: nobody is waiting for
  them, so they are not "unmatched", but HR should know their capacity went unused;
- unmatched: none of these, i.e. wanting a match and waiting for the next run (never matched,
  discarded, or joined late).
So placed + declined + idle mentors + unmatched = enrolled, whatever happened in between. A run
counts its pool the same way (`run_counts`; declines are already in its reasons).

A `both` person is placed as soon as they are in a group in either role: one who mentors someone
but found no mentor of their own is placed, not also unmatched (the engine leaves them out of its
unmatched list, spec 1.1; tests/unit/core/test_placement_of_runs.py checks the partition on
engine results). One kept in an earlier match as a mentor with no capacity left enters the next
run only as a mentee, so that run may list them as unmatched: its pool counts them once, and the
"kept in earlier matches" figure does not count them at all.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum


class Standing(StrEnum):
    DECLINED = "declined"
    UNMATCHED = "unmatched"
    IDLE_MENTOR = "idle mentor"


@dataclass(frozen=True, slots=True)
class Placement[K: Hashable]:
    """Who is where. The placed are only counted: on a 10,000-person programme nearly everyone
    is placed, and no page needs them by name, only those still waiting."""

    placed: int
    declined: frozenset[K]
    unmatched: frozenset[K]
    idle_mentors: frozenset[K] = frozenset()

    @property
    def enrolled(self) -> int:
        return self.placed + len(self.declined) + len(self.unmatched) + len(self.idle_mentors)

    @property
    def waiting(self) -> frozenset[K]:
        """Everyone who wants a match and has none: declined or unmatched."""
        return self.declined | self.unmatched

    @property
    def unplaced(self) -> frozenset[K]:
        """Everyone in no live partnership (idle mentors too: they can step in as mentors)."""
        return self.declined | self.unmatched | self.idle_mentors

    def standing(self, key: K) -> Standing | None:
        """Of someone not placed; None for the placed (and anyone not enrolled)."""
        if key in self.declined:
            return Standing.DECLINED
        if key in self.unmatched:
            return Standing.UNMATCHED
        if key in self.idle_mentors:
            return Standing.IDLE_MENTOR
        return None


def placement_of_unplaced[K: Hashable](
    *,
    placed: int,
    unplaced: Iterable[K],
    in_declined_partnership: Iterable[K],
    mentors_only: Iterable[K] = (),
) -> Placement[K]:
    """Sort those in no live partnership (`unplaced`, found by the database, which counts the
    rest as `placed`) into declined, idle mentors (`mentors_only`: who only offer to mentor) and
    unmatched: a declined partnership sends its members back to the pool as "declined" until a
    new live one holds them."""
    left = frozenset(unplaced)
    declined = left & frozenset(in_declined_partnership)
    idle = (left - declined) & frozenset(mentors_only)
    return Placement(placed, declined, left - declined - idle, idle)


@dataclass(frozen=True, slots=True)
class RunCounts:
    """A match run's pool by the same definition: placed + unmatched + idle mentors = pool."""

    pool: int
    placed: int
    unmatched: int
    idle_mentors: int


def run_counts(
    *, pool: int, placed: int, unmatched: Iterable[Hashable], idle_mentors: Iterable[Hashable]
) -> RunCounts:
    """From what a run stores: its pool size, how many people are in a group (mentors included),
    and the engine's unmatched and idle-mentor ids, each person counted once: someone the engine
    lists both ways (a mentor-and-mentee who got neither) wants a match, so is unmatched."""
    wanting = frozenset(unmatched)
    return RunCounts(pool, placed, len(wanting), len(frozenset(idle_mentors) - wanting))


def counts_in_words(*, placed: int, unmatched: int, idle_mentors: int, declined: int | None = None) -> str:
    """The one sentence every page uses: "56 placed · 2 declined · 40 unmatched · 2 mentors
    without a mentee" (declined where the page knows of declines: a run's pool does not;
    idle mentors only when there are any)."""
    parts = [f"{placed} placed"]
    if declined is not None:
        parts.append(f"{declined} declined")
    parts.append(f"{unmatched} unmatched")
    if idle_mentors:
        parts.append(f"{idle_mentors} {'mentor' if idle_mentors == 1 else 'mentors'} without a mentee")
    return " · ".join(parts)


def decline_words(*, reader_declined: bool, partners: Sequence[str], decliner: str, said: str = "") -> str:
    """Why someone whose match was declined is back in the pool, for HR (the decliner's own
    words included: HR needs them; partners are never shown them)."""
    others = _names(partners)
    if reader_declined:
        reason = f': "{said}"' if said else " (no reason given)"
        return f"Declined the match with {others}{reason}."
    return f"{decliner} declined their match; they are back in the pool."


def unmatched_after_decline(engine_reason: str, words: str) -> str:
    """The next run's unmatched reason for someone in a declined match: the decline first, since
    the engine's own sentence ("excluded … or in reporting line") only restates its effect."""
    if "excluded" in engine_reason or "reporting line" in engine_reason:
        return words
    return f"{words} {engine_reason}"


def _names(names: Sequence[str]) -> str:
    if len(names) <= 1:
        return "".join(names) or "their partner"
    return f"{', '.join(names[:-1])} and {names[-1]}"
