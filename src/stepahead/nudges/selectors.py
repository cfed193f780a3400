"""Reads about nudges: a person's preferences and the programme's partnerships at risk."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from stepahead.accounts import User
from stepahead.core.nudges import RISK_WORDS, RiskReason
from stepahead.partnerships.models import Partnership
from stepahead.programmes.models import Programme

from .batch import reasons_of
from .gather import running_partnerships, snapshot
from .models import Nudge, NudgePreference


def preference_of(*, user: User) -> NudgePreference:
    """The saved preferences, or the defaults (unsaved) when there are none."""
    return NudgePreference.objects.filter(user=user).first() or NudgePreference(user=user)


@dataclass(frozen=True, slots=True)
class AtRisk:
    partnership: Partnership
    members: tuple[str, ...]
    reasons: tuple[str, ...]  # in words
    nudges_sent: int


def at_risk_partnerships(*, programme: Programme, now: datetime) -> list[AtRisk]:
    """The programme's running partnerships that need attention, each with its reasons, worked
    out now (not from the last batch), most reasons first. Reasons never say who answered what."""
    shot = snapshot(now, running_partnerships(programme_id=programme.pk))
    flagged = {pid: reasons for pid, reasons in reasons_of(now, shot).items() if reasons}
    counts: dict[int, int] = {}
    for pid in Nudge.objects.filter(partnership_id__in=list(flagged)).values_list(
        "partnership_id", flat=True
    ):
        counts[pid] = counts.get(pid, 0) + 1
    rows = [
        AtRisk(
            partnership=shot.partnerships[pid],
            members=tuple(sorted(who.name for who in shot.members[pid])),
            reasons=tuple(RISK_WORDS[RiskReason(r)] for r in reasons),
            nudges_sent=counts.get(pid, 0),
        )
        for pid, reasons in flagged.items()
    ]
    return sorted(rows, key=lambda row: (-len(row.reasons), row.partnership.pk))
