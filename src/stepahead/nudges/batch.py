"""The nudge batch: find what is due, send each nudge once, and record why partnerships are at risk.

Run by cron (`manage.py send_nudges`) or the worker (`stepahead.nudges.tasks.send_nudges`). Safe
to run twice at once or again after a crash: a nudge's row (unique key) and its email commit
together (`services.send_nudge`, in groups of NUDGE_BATCH_SIZE), so nothing is sent twice and a
rerun picks up whatever a killed batch left.
Nudges due during someone's quiet hours wait for a later run; they are not logged until sent.
"""

from __future__ import annotations

import functools
import time as clock
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from stepahead.core.nudges import (
    DEFAULT_QUIET,
    NO_RESPONSE_AFTER,
    NudgeKind,
    PartnershipFacts,
    RiskReason,
    in_quiet_hours,
    nudge_key,
    overdue_window,
    reminder_due,
    risk_reasons,
    session_reminder_due,
    zone,
)
from stepahead.mail.links import absolute_url
from stepahead.mail.services import queue_emails
from stepahead.partnerships.models import Partnership, PartnershipStatus

from .gather import Candidate, Snapshot, overdue_anchor, running_partnerships, snapshot
from .models import Nudge, NudgePreference, NudgeStatus
from .services import DueNudge, outgoing, send_nudge

REMINDER_KINDS = frozenset({NudgeKind.PULSE, NudgeKind.FIT_CHECK, NudgeKind.SURVEY, NudgeKind.AGREEMENT})


def grace() -> timedelta:
    return timedelta(days=settings.NUDGE_GRACE_DAYS)


@dataclass
class BatchReport:
    sent: int = 0
    already_sent: int = 0
    quiet: int = 0
    opted_out: int = 0
    no_email: int = 0
    at_risk: int = 0
    by_kind: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True, slots=True)
class Preference:
    opted_out: bool
    tz: ZoneInfo
    quiet: tuple[time, time]


def _preferences(user_ids: set[int]) -> dict[int, Preference]:
    fallback = settings.TIME_ZONE
    found = {
        p.user_id: Preference(p.opted_out, zone(p.time_zone, fallback), (p.quiet_from, p.quiet_until))
        for p in NudgePreference.objects.filter(user_id__in=user_ids)
    }
    default = Preference(False, zone(fallback), DEFAULT_QUIET)
    return {uid: found.get(uid, default) for uid in user_ids}


def _no_session(now: datetime, shot: Snapshot) -> list[Candidate]:
    """One nudge per member per overdue window, unless a session is already scheduled."""
    found = []
    for pid, partnership in shot.partnerships.items():
        if partnership.status != PartnershipStatus.ACTIVE or pid in shot.upcoming:
            continue
        cadence = shot.cadence_days.get(pid)
        anchor = overdue_anchor(partnership, cadence)
        if anchor is None or cadence is None:
            continue
        window = overdue_window(now, anchor, timedelta(days=cadence), grace())
        if window is None:
            continue
        for who in shot.members[pid]:
            key = nudge_key(NudgeKind.NO_SESSION, who.user_id or 0, f"p{pid}", anchor.date(), f"w{window}")
            found.append(Candidate(NudgeKind.NO_SESSION, key, pid, who, anchor))
    return found


def _due_now(now: datetime, candidate: Candidate) -> bool:
    if candidate.kind == NudgeKind.SESSION_REMINDER:
        return session_reminder_due(now, candidate.opened_at)
    if candidate.kind == NudgeKind.NO_SESSION:
        return True
    return reminder_due(now, candidate.opened_at)


_SENTINELS = (987654301, 987654302)


@functools.cache
def _route(name: str, arity: int) -> str:
    """The URL with sentinel ids, reversed once per batch process: a batch builds thousands of
    links and `reverse` is not free."""
    return reverse(name, args=_SENTINELS[:arity])


def _link(name: str, *ids: int) -> str:
    path = _route(name, len(ids))
    for sentinel, value in zip(_SENTINELS, ids, strict=False):
        path = path.replace(str(sentinel), str(value))
    return absolute_url(path)


def _mail(candidate: Candidate, partnership: Partnership, pref: Preference) -> tuple[str, dict[str, object]]:
    context: dict[str, object] = {
        "name": candidate.recipient.name,
        "programme": partnership.programme.name,
        "link": _link("web:partnership_feedback", partnership.pk),
        "partnership_link": _link("web:partnership", partnership.pk),
        "preferences_link": _link("web:nudge_preferences"),
    }
    if candidate.kind == NudgeKind.SESSION_REMINDER:
        starts = candidate.opened_at.astimezone(pref.tz)
        context["when"] = f"{starts:%A %d %B at %H:%M} ({pref.tz.key})"
    if candidate.kind == NudgeKind.SURVEY:
        survey = candidate.about["survey"]
        assert isinstance(survey, int)
        context["link"] = _link("web:survey_answer", partnership.pk, survey)
    return f"nudges/{candidate.kind.value}", context


def _status(candidate: Candidate, pref: Preference) -> str:
    if pref.opted_out:
        return NudgeStatus.OPTED_OUT
    if not candidate.recipient.email or candidate.recipient.user_id is None:
        return NudgeStatus.NO_EMAIL
    return NudgeStatus.SENT


def send_due(
    now: datetime,
    shot: Snapshot,
    report: BatchReport,
    *,
    interval: float = 0.0,
    on_sent: Callable[[Nudge], None] | None = None,
) -> None:
    """Send what is due in transactions of NUDGE_BATCH_SIZE nudges: each nudge's row and email
    commit together with the others of its group, or (killed, failed) not at all."""
    due = [c for c in [*shot.candidates, *_no_session(now, shot)] if _due_now(now, c)]
    known = set()
    keys = [c.key for c in due]
    for start in range(0, len(keys), 900):
        known |= set(Nudge.objects.filter(key__in=keys[start : start + 900]).values_list("key", flat=True))
    prefs = _preferences({c.recipient.user_id for c in due if c.recipient.user_id is not None})
    default = Preference(False, zone(settings.TIME_ZONE), DEFAULT_QUIET)
    ready: list[tuple[Candidate, Preference, str]] = []
    for candidate in due:
        if candidate.key in known:
            report.already_sent += 1
            continue
        pref = prefs.get(candidate.recipient.user_id or 0, default)
        status = _status(candidate, pref)
        if status == NudgeStatus.SENT and in_quiet_hours(now, pref.tz, pref.quiet):
            report.quiet += 1
            continue
        ready.append((candidate, pref, status))
    size = max(1, settings.NUDGE_BATCH_SIZE)
    for start in range(0, len(ready), size):
        group = ready[start : start + size]
        with transaction.atomic():
            try:
                with transaction.atomic():
                    recorded = _record_group(now, group, shot, report, interval)
            except IntegrityError:  # a concurrent batch recorded some of them: one by one
                recorded = [_send_one(now, c, shot, p, status, report, interval) for c, p, status in group]
        for nudge in recorded:
            if nudge is not None and on_sent is not None:
                on_sent(nudge)


def _due_nudge(candidate: Candidate, shot: Snapshot, pref: Preference) -> DueNudge:
    partnership = shot.partnerships[candidate.partnership_id]
    template, context = _mail(candidate, partnership, pref)
    return DueNudge(
        key=candidate.key,
        kind=candidate.kind,
        user_id=candidate.recipient.user_id or 0,
        email=candidate.recipient.email,
        partnership=partnership,
        template=template,
        context=context,
    )


def _count(report: BatchReport, kind: NudgeKind, status: str) -> None:
    if status == NudgeStatus.SENT:
        report.sent += 1
        report.by_kind[kind.value] += 1
    elif status == NudgeStatus.OPTED_OUT:
        report.opted_out += 1
    else:
        report.no_email += 1


def _record_group(
    now: datetime,
    group: list[tuple[Candidate, Preference, str]],
    shot: Snapshot,
    report: BatchReport,
    interval: float,
) -> list[Nudge | None]:
    """The group's nudge rows with one insert and their emails with another (same keys)."""
    dues = [(_due_nudge(c, shot, pref), status) for c, pref, status in group]
    nudges = Nudge.objects.bulk_create(
        Nudge(
            key=due.key,
            kind=due.kind.value,
            user_id=due.user_id,
            partnership=due.partnership,
            status=status,
            created_at=now,
        )
        for due, status in dues
    )
    queue_emails([outgoing(due) for due, status in dues if status == NudgeStatus.SENT])
    for due, status in dues:
        _count(report, due.kind, status)
    if interval:
        clock.sleep(interval * len(group))
    return list(nudges)


def _send_one(
    now: datetime,
    candidate: Candidate,
    shot: Snapshot,
    pref: Preference,
    status: str,
    report: BatchReport,
    interval: float,
) -> Nudge | None:
    nudge = send_nudge(due=_due_nudge(candidate, shot, pref), status=status, now=now)
    if interval:
        clock.sleep(interval)
    if nudge is None:
        report.already_sent += 1
    else:
        _count(report, candidate.kind, status)
    return nudge


def facts_of(now: datetime, shot: Snapshot) -> dict[int, PartnershipFacts]:
    """The at-risk facts of every partnership in the snapshot."""
    open_keys = {c.key: c.partnership_id for c in shot.candidates if c.kind in REMINDER_KINDS}
    unanswered: dict[int, datetime] = {}
    keys = list(open_keys)
    for start in range(0, len(keys), 900):
        rows = Nudge.objects.filter(
            key__in=keys[start : start + 900],
            status=NudgeStatus.SENT,
            created_at__lte=now - NO_RESPONSE_AFTER,
        ).values_list("key", "created_at")
        for key, created in rows:
            pid = open_keys[key]
            unanswered[pid] = min(created, unanswered.get(pid, created))
    facts = {}
    for pid, partnership in shot.partnerships.items():
        cadence = shot.cadence_days.get(pid)
        anchor = overdue_anchor(partnership, cadence)
        overdue_applies = partnership.status == PartnershipStatus.ACTIVE and pid not in shot.upcoming
        facts[pid] = PartnershipFacts(
            anchor=anchor if anchor is not None and overdue_applies else now,
            cadence=timedelta(days=cadence or 0) if overdue_applies else timedelta(0),
            grace=grace(),
            recent_pulses=shot.pulses.get(pid, ()),
            agreement_pending_since=shot.pending_agreement.get(pid),
            negative_fit_check=pid in shot.negative_fit,
            oldest_unanswered_reminder=unanswered.get(pid),
        )
    return facts


def reasons_of(now: datetime, shot: Snapshot) -> dict[int, tuple[RiskReason, ...]]:
    return {pid: risk_reasons(now, facts) for pid, facts in facts_of(now, shot).items()}


def record_risks(now: datetime, shot: Snapshot, report: BatchReport) -> None:
    """Store each partnership's reasons (read by HR's partnerships page), writing only changes."""
    changed = []
    for pid, reasons in reasons_of(now, shot).items():
        words = [reason.value for reason in reasons]
        report.at_risk += bool(words)
        partnership = shot.partnerships[pid]
        if partnership.risk_reasons != words:
            partnership.risk_reasons = words
            changed.append(partnership)
    Partnership.objects.bulk_update(changed, ["risk_reasons"], batch_size=500)


def run_nudge_batch(
    *,
    now: datetime | None = None,
    partnerships: Sequence[Partnership] | None = None,
    on_sent: Callable[[Nudge], None] | None = None,
) -> BatchReport:
    """Send every due nudge once and refresh the at-risk reasons."""
    now = now or timezone.now()
    shot = snapshot(now, partnerships if partnerships is not None else running_partnerships())
    report = BatchReport()
    send_due(now, shot, report, interval=settings.NUDGE_SEND_INTERVAL, on_sent=on_sent)
    record_risks(now, shot, report)
    return report
