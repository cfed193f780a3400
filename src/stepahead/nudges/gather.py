"""What the nudge batch and the at-risk list look at: every open reminder and session of the
running partnerships, read in a handful of set-based queries (no query per partnership), so a
batch over thousands of partnerships and a hundred thousand sessions stays fast.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Max, Min, QuerySet

from stepahead.core.nudges import REMINDER_UNTIL, SESSION_REMINDER_AHEAD, NudgeKind, nudge_key
from stepahead.feedback.models import FitCheck, Pulse, Survey, SurveyResponse
from stepahead.lifecycle.models import AgreementConfirmation, AgreementVersion, Session, SessionStatus
from stepahead.partnerships.models import Partnership, PartnershipMember, PartnershipStatus

RUNNING = (PartnershipStatus.ACCEPTED, PartnershipStatus.ACTIVE)
# Reminders older than this are never looked at again (nor count as unanswered).
LOOKBACK = REMINDER_UNTIL
PULSE_WINDOW = timedelta(days=90)  # pulses older than this no longer say how things are going


@dataclass(frozen=True, slots=True)
class Recipient:
    member_id: int
    user_id: int | None
    email: str
    name: str


@dataclass(frozen=True, slots=True)
class Candidate:
    """A reminder or nudge that applies now or soon; `opened_at` is when its subject opened
    (a session's start for session reminders)."""

    kind: NudgeKind
    key: str
    partnership_id: int
    recipient: Recipient
    opened_at: datetime
    about: Mapping[str, object] = field(default_factory=dict)


@dataclass
class Snapshot:
    partnerships: dict[int, Partnership]
    members: dict[int, list[Recipient]]
    cadence_days: dict[int, int]
    candidates: list[Candidate]
    pulses: dict[int, list[int]]  # newest first
    negative_fit: set[int]
    pending_agreement: dict[int, datetime]
    upcoming: set[int]  # partnerships with a session scheduled ahead


def running_partnerships(*, programme_id: int | None = None) -> QuerySet[Partnership]:
    partnerships = Partnership.objects.filter(status__in=RUNNING)
    if programme_id is not None:
        partnerships = partnerships.filter(programme_id=programme_id)
    return partnerships.select_related("programme", "organisation")


def _members(ids: list[int]) -> dict[int, list[Recipient]]:
    rows = PartnershipMember.objects.filter(partnership_id__in=ids).values_list(
        "partnership_id",
        "pk",
        "enrolment__person__user_id",
        "enrolment__person__email",
        "enrolment__person__name",
        "enrolment__person__hris_id",
    )
    members: dict[int, list[Recipient]] = defaultdict(list)
    for pid, mid, uid, email, name, hris in rows:
        members[pid].append(Recipient(mid, uid, email or "", name or hris))
    return members


def _chunks(ids: list[int], size: int = 900) -> Iterable[list[int]]:
    """Batches under SQLite's bound-parameter limits."""
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _latest_versions(ids: list[int]) -> dict[int, AgreementVersion]:
    latest: dict[int, AgreementVersion] = {}
    for chunk in _chunks(ids):
        newest = AgreementVersion.objects.filter(partnership_id__in=chunk).values("partnership_id")
        numbers = newest.annotate(top=Max("number")).values_list("partnership_id", "top")
        wanted = dict(numbers)
        for version in AgreementVersion.objects.filter(partnership_id__in=chunk).only(
            "pk", "partnership_id", "number", "cadence_days", "created_at"
        ):
            if wanted.get(version.partnership_id) == version.number:
                latest[version.partnership_id] = version
    return latest


def snapshot(now: datetime, partnerships: Iterable[Partnership]) -> Snapshot:
    by_id = {p.pk: p for p in partnerships}
    ids = list(by_id)
    members = _members(ids)
    versions = _latest_versions(ids)
    shot = Snapshot(
        partnerships=by_id,
        members=members,
        cadence_days={pid: v.cadence_days for pid, v in versions.items()},
        candidates=[],
        pulses={},
        negative_fit=set(),
        pending_agreement={},
        upcoming=set(),
    )
    for chunk in _chunks(ids):
        _agreements(shot, chunk, versions)
        _sessions(now, shot, chunk)
        _feedback(now, shot, chunk)
    _surveys(now, shot)
    return shot


def _agreements(shot: Snapshot, chunk: list[int], versions: dict[int, AgreementVersion]) -> None:
    current = [versions[pid].pk for pid in chunk if pid in versions]
    confirmed = set(
        AgreementConfirmation.objects.filter(version_id__in=current).values_list("version_id", "member_id")
    )
    for pid in chunk:
        version = versions.get(pid)
        if version is None:
            continue
        for who in shot.members[pid]:
            if (version.pk, who.member_id) in confirmed:
                continue
            shot.pending_agreement.setdefault(pid, version.created_at)
            key = nudge_key(NudgeKind.AGREEMENT, who.user_id or 0, f"a{version.pk}")
            shot.candidates.append(Candidate(NudgeKind.AGREEMENT, key, pid, who, version.created_at))


def _sessions(now: datetime, shot: Snapshot, chunk: list[int]) -> None:
    scheduled = Session.objects.filter(
        partnership_id__in=chunk, status=SessionStatus.SCHEDULED, starts_at__gt=now
    ).values_list("partnership_id", "pk", "starts_at", "time_zone", "sequence")
    for pid, sid, starts_at, tz, sequence in scheduled:
        shot.upcoming.add(pid)
        if starts_at > now + SESSION_REMINDER_AHEAD:
            continue
        for who in shot.members[pid]:
            # The start is in the key: a session moved to another day gets a fresh reminder.
            key = nudge_key(NudgeKind.SESSION_REMINDER, who.user_id or 0, f"s{sid}", starts_at.isoformat())
            about = {"starts_at": starts_at, "time_zone": tz, "sequence": sequence}
            shot.candidates.append(Candidate(NudgeKind.SESSION_REMINDER, key, pid, who, starts_at, about))


def _feedback(now: datetime, shot: Snapshot, chunk: list[int]) -> None:
    since = now - LOOKBACK
    logged = list(
        Session.objects.filter(
            partnership_id__in=chunk, status=SessionStatus.HELD, logged_at__gte=since, logged_at__lte=now
        ).values_list("partnership_id", "pk", "logged_at")
    )
    pulsed = set(
        Pulse.objects.filter(session_id__in=[s for _, s, _ in logged]).values_list("session_id", "member_id")
    )
    for pid, sid, logged_at in logged:
        if logged_at is None:  # excluded by the query; says so to the type checker
            continue
        for who in shot.members[pid]:
            if (sid, who.member_id) not in pulsed:
                key = nudge_key(NudgeKind.PULSE, who.user_id or 0, f"s{sid}")
                shot.candidates.append(Candidate(NudgeKind.PULSE, key, pid, who, logged_at, {"session": sid}))
    recent = Pulse.objects.filter(partnership_id__in=chunk, answered_at__gte=now - PULSE_WINDOW).order_by(
        "partnership_id", "-answered_at"
    )
    for pid, value in recent.values_list("partnership_id", "value"):
        shot.pulses.setdefault(pid, []).append(value)
    firsts = (
        Session.objects.filter(partnership_id__in=chunk, status=SessionStatus.HELD, logged_at__isnull=False)
        .values("partnership_id")
        .annotate(first=Min("logged_at"))
        .values_list("partnership_id", "first")
    )
    checks = set(FitCheck.objects.filter(partnership_id__in=chunk).values_list("member_id", "good_fit"))
    answered = {member for member, _ in checks}
    shot.negative_fit |= set(
        FitCheck.objects.filter(partnership_id__in=chunk, good_fit=False).values_list(
            "partnership_id", flat=True
        )
    )
    for pid, first in firsts:
        if first < since:
            continue
        for who in shot.members[pid]:
            if who.member_id not in answered:
                key = nudge_key(NudgeKind.FIT_CHECK, who.user_id or 0, f"p{pid}")
                shot.candidates.append(Candidate(NudgeKind.FIT_CHECK, key, pid, who, first))


def _surveys(now: datetime, shot: Snapshot) -> None:
    programmes: dict[int, list[int]] = defaultdict(list)
    for partnership in shot.partnerships.values():
        programmes[partnership.programme_id].append(partnership.pk)
    surveys = list(
        Survey.objects.filter(
            programme_id__in=list(programmes), opens_at__lte=now, opens_at__gte=now - LOOKBACK
        ).values_list("pk", "programme_id", "opens_at")
    )
    answered = set(
        SurveyResponse.objects.filter(survey_id__in=[s for s, _, _ in surveys]).values_list(
            "survey_id", "member_id"
        )
    )
    for survey_id, programme_id, opens_at in surveys:
        for pid in programmes[programme_id]:
            for who in shot.members[pid]:
                if (survey_id, who.member_id) not in answered:
                    key = nudge_key(NudgeKind.SURVEY, who.user_id or 0, f"v{survey_id}")
                    about = {"survey": survey_id}
                    shot.candidates.append(Candidate(NudgeKind.SURVEY, key, pid, who, opens_at, about))


def overdue_anchor(partnership: Partnership, cadence_days: int | None) -> datetime | None:
    """The last held session (or the start) from lifecycle's `next_session_due_at`."""
    if cadence_days is None or partnership.next_session_due_at is None:
        return None
    return partnership.next_session_due_at - timedelta(days=cadence_days)
