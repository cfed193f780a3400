"""One definition of placed, declined and unmatched, used by every page and count (issue 11 bug 4).

Every active enrolment of a programme is exactly one of:
- placed: a member of a partnership that still holds them (proposed, approved, accepted, ...);
- declined: not placed, and a partnership they were in was declined (by them or a partner);
- unmatched: neither, i.e. waiting for the next run (never matched, discarded, or joined late).
So placed + declined + unmatched = enrolled, whatever happened in between.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum


class Standing(StrEnum):
    DECLINED = "declined"
    UNMATCHED = "unmatched"


@dataclass(frozen=True, slots=True)
class Placement[K: Hashable]:
    """Who is where. The placed are only counted: on a 10,000-person programme nearly everyone
    is placed, and no page needs them by name, only those still waiting."""

    placed: int
    declined: frozenset[K]
    unmatched: frozenset[K]

    @property
    def enrolled(self) -> int:
        return self.placed + len(self.declined) + len(self.unmatched)

    @property
    def unplaced(self) -> frozenset[K]:
        """Everyone who is waiting for a match: declined or unmatched."""
        return self.declined | self.unmatched

    def standing(self, key: K) -> Standing | None:
        """Of someone waiting; None for the placed (and anyone not enrolled)."""
        if key in self.declined:
            return Standing.DECLINED
        if key in self.unmatched:
            return Standing.UNMATCHED
        return None


def placement[K: Hashable](
    enrolled: Iterable[K], *, in_live_partnership: Iterable[K], in_declined_partnership: Iterable[K]
) -> Placement[K]:
    """Sort the enrolled keys into placed, declined and unmatched (keys outside `enrolled`,
    e.g. withdrawn people, are ignored)."""
    everyone = frozenset(enrolled)
    placed = everyone & frozenset(in_live_partnership)
    return placement_of_unplaced(
        placed=len(placed), unplaced=everyone - placed, in_declined_partnership=in_declined_partnership
    )


def placement_of_unplaced[K: Hashable](
    *, placed: int, unplaced: Iterable[K], in_declined_partnership: Iterable[K]
) -> Placement[K]:
    """The same split when the database has already found who is in no live partnership
    (`unplaced`) and counted the rest (`placed`): a declined partnership sends its members back
    to the pool as "declined" until a new live one holds them."""
    waiting = frozenset(unplaced)
    declined = waiting & frozenset(in_declined_partnership)
    return Placement(placed, declined, waiting - declined)


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
