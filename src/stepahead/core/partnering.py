"""Rules of a partnership's life after everyone said yes: agreement defaults, cadence, due dates,
the circle facilitator's rotation and the status HR reads.

Pure: no Django, no I/O, no clock (callers pass `now` or `today`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

DEFAULT_CONFIDENTIALITY = (
    "What we say in our sessions stays between us. We share what we learn, not what the other "
    "person told us, unless they agree."
)
DEFAULT_GROUND_RULES = (
    "We come prepared and on time, and tell each other early when we cannot make a session.\n"
    "We give honest, kind feedback and ask for it.\n"
    "Either of us may end the partnership at any time, without blame."
)
CIRCLE_GROUND_RULES = (
    "We come prepared and on time, and tell the facilitator early when we cannot make a session.\n"
    "Everyone speaks and everyone listens; the facilitator keeps time and the agenda.\n"
    "Anyone may leave the circle at any time, without blame."
)
GRACE = timedelta(days=7)  # a partnership is overdue once a cadence plus this has passed


class Channel(StrEnum):
    VIDEO = "video"
    IN_PERSON = "in_person"
    PHONE = "phone"
    MIXED = "mixed"


class GoalOutcome(StrEnum):
    OPEN = "open"
    ACHIEVED = "achieved"
    PARTLY = "partly"
    NOT_ACHIEVED = "not"


class HrStatus(StrEnum):
    """The five words HR's partnerships page uses, in lifecycle order."""

    AWAITING_ANSWERS = "awaiting"
    AGREEMENT_PENDING = "agreement"
    ACTIVE = "active"
    AT_RISK = "at_risk"
    ENDED = "ended"


HR_STATUS_WORDS = {
    HrStatus.AWAITING_ANSWERS: "Awaiting answers",
    HrStatus.AGREEMENT_PENDING: "Agreement pending",
    HrStatus.ACTIVE: "Active",
    HrStatus.AT_RISK: "At risk",
    HrStatus.ENDED: "Ended",
}


@dataclass(frozen=True, slots=True)
class Terms:
    """An agreement's terms apart from goals: what the template proposes and members edit."""

    cadence_days: int
    session_minutes: int
    channel: str
    confidentiality: str
    ground_rules: str
    starts_on: date
    ends_on: date


def default_terms(
    *,
    today: date,
    circle: bool,
    cadence_days: int = 14,
    session_minutes: int = 60,
    planned_weeks: int = 26,
    programme_ends_on: date | None = None,
) -> Terms:
    """A sensible first draft: fortnightly hour-long video calls for about six months, ending no
    later than the programme (but never before the start)."""
    ends_on = today + timedelta(weeks=planned_weeks)
    if programme_ends_on is not None and today <= programme_ends_on < ends_on:
        ends_on = programme_ends_on
    return Terms(
        cadence_days=cadence_days,
        session_minutes=session_minutes,
        channel=Channel.VIDEO,
        confidentiality=DEFAULT_CONFIDENTIALITY,
        ground_rules=CIRCLE_GROUND_RULES if circle else DEFAULT_GROUND_RULES,
        starts_on=today,
        ends_on=ends_on,
    )


def terms_problems(terms: Terms) -> list[str]:
    """What is wrong with edited terms, each naming the field (empty: fine)."""
    problems = []
    if not 1 <= terms.cadence_days <= 92:
        problems.append("Meeting cadence: every 1 to 92 days.")
    if not 15 <= terms.session_minutes <= 240:
        problems.append("Session length: 15 to 240 minutes.")
    if terms.channel not in set(Channel):
        problems.append(f"Channel: choose one of {', '.join(Channel)}.")
    if terms.ends_on <= terms.starts_on:
        problems.append("Planned end: after the start date.")
    return problems


def facilitator_for(rotation: Sequence[int], sessions_before: int) -> int | None:
    """Who leads a circle's next meeting: the rotation's members in turn, one per scheduled
    (not cancelled) session, starting again after the last."""
    if not rotation:
        return None
    return rotation[sessions_before % len(rotation)]


def rotated(rotation: Sequence[int], members: Sequence[int]) -> list[int]:
    """A rotation kept to the current members: unknown ids dropped, missing members appended in
    the given order, so everyone leads in turn whatever was stored."""
    present = set(members)
    kept = [member for member in dict.fromkeys(rotation) if member in present]
    return kept + [member for member in members if member not in kept]


def next_session_due(anchor: datetime, cadence_days: int) -> datetime:
    """When the next session is due: a cadence after the last held one (or the start)."""
    return anchor + timedelta(days=cadence_days)


def is_overdue(now: datetime, anchor: datetime, cadence_days: int, grace: timedelta = GRACE) -> bool:
    return now >= next_session_due(anchor, cadence_days) + grace


def expected_sessions(starts_on: date, today: date, ends_on: date | None, cadence_days: int) -> int:
    """Sessions the cadence asks for by `today` (or the planned end, if earlier): one per full
    cadence since the start."""
    if cadence_days <= 0:
        return 0
    until = min(today, ends_on) if ends_on is not None else today
    if until <= starts_on:
        return 0
    return (until - starts_on).days // cadence_days


def progress_problem(progress: int) -> str | None:
    if not 0 <= progress <= 100:
        return "Progress: a percentage from 0 to 100."
    return None
