"""When a nudge is due, whether it may go now, and which partnerships are at risk and why.

Every nudge carries an idempotency key built from what it is about (the session, the survey, the
overdue window…) and who gets it, never from when the batch runs: a batch run twice, or killed
half-way and run again, computes the same keys, and the database refuses a key it already holds.

Pure: no Django, no I/O, no clock (callers pass `now`, an aware datetime).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

SESSION_REMINDER_AHEAD = timedelta(hours=24)
REMINDER_AFTER = timedelta(days=2)  # a pulse, fit check, survey or agreement left open this long
REMINDER_UNTIL = timedelta(days=21)  # …but not once it is this stale: the moment has passed
NO_RESPONSE_AFTER = timedelta(days=7)  # a reminder unanswered this long marks the partnership
UNCONFIRMED_AFTER = timedelta(days=7)
LOW_PULSE = 2.5  # mean of the recent pulses at or below this is "low"
RECENT_PULSES = 4
DEFAULT_QUIET = (time(21, 0), time(8, 0))


class NudgeKind(StrEnum):
    SESSION_REMINDER = "session_reminder"
    NO_SESSION = "no_session"
    PULSE = "pulse"
    FIT_CHECK = "fit_check"
    SURVEY = "survey"
    AGREEMENT = "agreement"


class RiskReason(StrEnum):
    OVERDUE = "overdue"
    LOW_PULSE = "low_pulse"
    UNCONFIRMED_AGREEMENT = "unconfirmed_agreement"
    NEGATIVE_FIT_CHECK = "negative_fit_check"
    NO_RESPONSE = "no_response"


RISK_WORDS = {
    RiskReason.OVERDUE: "No session for longer than the agreed cadence",
    RiskReason.LOW_PULSE: "Recent session pulses are low",
    RiskReason.UNCONFIRMED_AGREEMENT: "The agreement is still not confirmed by everyone",
    RiskReason.NEGATIVE_FIT_CHECK: "A member said the match is not a good fit",
    RiskReason.NO_RESPONSE: "Reminders have gone unanswered for a week",
}


def nudge_key(kind: NudgeKind, recipient: int, *about: object) -> str:
    """The nudge's idempotency key: kind, what it is about, who receives it."""
    return ":".join(["nudge", kind.value, *(str(part) for part in about), f"u{recipient}"])


def zone(name: str, fallback: str = "UTC") -> ZoneInfo:
    """The named IANA zone, or the fallback when the name is blank or unknown."""
    try:
        return ZoneInfo(name) if name else ZoneInfo(fallback)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(fallback)


def known_zone(name: str) -> bool:
    """Is this an IANA time zone name the system knows?"""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def in_quiet_hours(now: datetime, tz: ZoneInfo, quiet: tuple[time, time] = DEFAULT_QUIET) -> bool:
    """Is it quiet time where the person is? A window may cross midnight (21:00–08:00); equal
    ends mean no quiet hours."""
    start, end = quiet
    local = now.astimezone(tz).time().replace(tzinfo=None)
    if start == end:
        return False
    if start < end:
        return start <= local < end
    return local >= start or local < end


def session_reminder_due(now: datetime, starts_at: datetime) -> bool:
    """Within the 24 hours before a session starts."""
    return now < starts_at <= now + SESSION_REMINDER_AHEAD


def reminder_due(now: datetime, opened_at: datetime) -> bool:
    """A pulse, fit check, survey or agreement open for 2 days (and not yet 3 weeks)."""
    return opened_at + REMINDER_AFTER <= now < opened_at + REMINDER_UNTIL


def overdue_window(now: datetime, anchor: datetime, cadence: timedelta, grace: timedelta) -> int | None:
    """Which overdue window `now` falls in since the last session (or the start) — 0 for the
    first cadence after cadence + grace, 1 for the next… — or None when not overdue. One
    nudge per window: a partnership still without a session a cadence later is nudged again."""
    late = now - (anchor + cadence + grace)
    if late < timedelta(0) or cadence <= timedelta(0):
        return None
    return int(late / cadence)


@dataclass(frozen=True, slots=True)
class PartnershipFacts:
    """What the at-risk rules look at, gathered by the shell for one active partnership."""

    anchor: datetime  # the last held session, or when the partnership started
    cadence: timedelta
    grace: timedelta
    recent_pulses: Sequence[int] = ()  # newest first
    agreement_pending_since: datetime | None = None  # unconfirmed by someone since then
    negative_fit_check: bool = False
    oldest_unanswered_reminder: datetime | None = None


def risk_reasons(now: datetime, facts: PartnershipFacts) -> tuple[RiskReason, ...]:
    """Why a partnership needs the programme manager's attention, in a fixed order (empty: fine)."""
    reasons = []
    if overdue_window(now, facts.anchor, facts.cadence, facts.grace) is not None:
        reasons.append(RiskReason.OVERDUE)
    recent = list(facts.recent_pulses)[:RECENT_PULSES]
    if recent and sum(recent) / len(recent) <= LOW_PULSE:
        reasons.append(RiskReason.LOW_PULSE)
    pending = facts.agreement_pending_since
    if pending is not None and now - pending >= UNCONFIRMED_AFTER:
        reasons.append(RiskReason.UNCONFIRMED_AGREEMENT)
    if facts.negative_fit_check:
        reasons.append(RiskReason.NEGATIVE_FIT_CHECK)
    unanswered = facts.oldest_unanswered_reminder
    if unanswered is not None and now - unanswered >= NO_RESPONSE_AFTER:
        reasons.append(RiskReason.NO_RESPONSE)
    return tuple(reasons)
