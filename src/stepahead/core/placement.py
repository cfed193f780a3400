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
    PLACED = "placed"
    DECLINED = "declined"
    UNMATCHED = "unmatched"


@dataclass(frozen=True, slots=True)
class Placement[K: Hashable]:
    placed: frozenset[K]
    declined: frozenset[K]
    unmatched: frozenset[K]

    @property
    def enrolled(self) -> int:
        return len(self.placed) + len(self.declined) + len(self.unmatched)

    def standing(self, key: K) -> Standing | None:
        for standing, keys in (
            (Standing.PLACED, self.placed),
            (Standing.DECLINED, self.declined),
            (Standing.UNMATCHED, self.unmatched),
        ):
            if key in keys:
                return standing
        return None


def placement[K: Hashable](
    enrolled: Iterable[K], *, in_live_partnership: Iterable[K], in_declined_partnership: Iterable[K]
) -> Placement[K]:
    """Sort the enrolled keys into placed, declined and unmatched (keys outside `enrolled`,
    e.g. withdrawn people, are ignored)."""
    everyone = frozenset(enrolled)
    placed = everyone & frozenset(in_live_partnership)
    declined = (everyone & frozenset(in_declined_partnership)) - placed
    return Placement(placed, declined, everyone - placed - declined)


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
