"""Reads for HR's "Partnerships" page and its CSV: who is with whom, status, sessions held
against the cadence, last activity, decline and early-end reasons.

Privacy by construction: these queries never select session logs, notes, goals or reflections —
only that sessions happened (a count) and, per session, its length. HR's status words come from
`core.partnering.HrStatus`; "at risk" is an active partnership overdue by its cadence plus grace,
or one the nudge batch flagged (`Partnership.risk_reasons`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Prefetch, Q, QuerySet

from stepahead.core.nudges import RISK_WORDS, RiskReason
from stepahead.core.partnering import GRACE, HR_STATUS_WORDS, HrStatus, expected_sessions
from stepahead.partnerships.models import Partnership, PartnershipMember, PartnershipStatus
from stepahead.programmes.models import Programme

from .models import AgreementVersion, Session, SessionStatus

ENDED = [PartnershipStatus.COMPLETED, PartnershipStatus.ENDED_EARLY, PartnershipStatus.DECLINED]
SHOWN = [PartnershipStatus.APPROVED, PartnershipStatus.ACCEPTED, PartnershipStatus.ACTIVE, *ENDED]


def _at_risk(now: datetime) -> Q:
    return Q(status=PartnershipStatus.ACTIVE) & (
        Q(next_session_due_at__lte=now - GRACE) | ~Q(risk_reasons=[])
    )


def status_filter(status: str, now: datetime) -> Q:
    """The SQL condition for one of HR's status words (unknown words: everything shown)."""
    filters = {
        HrStatus.AWAITING_ANSWERS: Q(status=PartnershipStatus.APPROVED),
        HrStatus.AGREEMENT_PENDING: Q(status=PartnershipStatus.ACCEPTED),
        HrStatus.AT_RISK: _at_risk(now),
        HrStatus.ACTIVE: Q(status=PartnershipStatus.ACTIVE) & ~_at_risk(now),
        HrStatus.ENDED: Q(status__in=ENDED),
    }
    known = {s.value: s for s in HrStatus}
    return filters[known[status]] if status in known else Q()


def overview(
    *, programme: Programme, now: datetime, status: str = "", query: str = ""
) -> QuerySet[Partnership]:
    """The programme's partnerships after approval, newest activity first: a plain filtered,
    ordered query, so a page of it costs the same in a programme of 50 or 5,000
    (`detailed` then reads the numbers for just the rows shown)."""
    rows = (
        Partnership.objects.filter(organisation=programme.organisation, programme=programme, status__in=SHOWN)
        .filter(status_filter(status, now))
        .order_by("-last_activity_at", "-pk")
    )
    if query:
        rows = rows.filter(
            Q(members__enrolment__person__name__icontains=query)
            | Q(members__enrolment__person__hris_id__iexact=query)
        ).distinct()
    return rows


def detailed(partnerships: Iterable[Partnership]) -> list[Partnership]:
    """The given partnerships, in the same order, with members, closure, held-session count and
    the current agreement's cadence and planned end — five queries whatever the number."""
    ids = [p.pk for p in partnerships]
    found = (
        Partnership.objects.filter(pk__in=ids)
        .select_related("closure")
        .prefetch_related(
            Prefetch(
                "members",
                queryset=PartnershipMember.objects.select_related("enrolment__person").order_by("pk"),
            )
        )
        .in_bulk()
    )
    held = dict(
        Session.objects.filter(partnership_id__in=ids, status=SessionStatus.HELD)
        .values("partnership_id")
        .annotate(n=Count("pk"))
        .values_list("partnership_id", "n")
    )
    terms: dict[int, tuple[int, date]] = {}
    versions = AgreementVersion.objects.filter(partnership_id__in=ids).order_by("partnership_id", "number")
    for partnership_id, cadence, ends_on in versions.values_list("partnership_id", "cadence_days", "ends_on"):
        terms[partnership_id] = (cadence, ends_on)  # the highest number wins
    result = []
    for pk in ids:
        p = found[pk]
        p.held = held.get(pk, 0)  # type: ignore[attr-defined]
        p.cadence_days, p.planned_end = terms.get(pk, (None, None))  # type: ignore[attr-defined]
        result.append(p)
    return result


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the page or the CSV (no session content, by design)."""

    partnership: Partnership
    members: str
    status: HrStatus
    status_words: str
    risk: tuple[str, ...]
    held: int
    expected: int | None
    cadence_days: int | None
    last_activity: datetime | None
    decline_reasons: tuple[str, ...]
    end_reason: str


def hr_status(partnership: Partnership, now: datetime) -> tuple[HrStatus, tuple[str, ...]]:
    if partnership.status == PartnershipStatus.APPROVED:
        return HrStatus.AWAITING_ANSWERS, ()
    if partnership.status == PartnershipStatus.ACCEPTED:
        return HrStatus.AGREEMENT_PENDING, ()
    if partnership.status != PartnershipStatus.ACTIVE:
        return HrStatus.ENDED, ()
    reasons = [RISK_WORDS.get(RiskReason(r), r) for r in partnership.risk_reasons if r in RiskReason]
    due = partnership.next_session_due_at
    overdue = RISK_WORDS[RiskReason.OVERDUE]
    if due is not None and due <= now - GRACE and overdue not in reasons:
        reasons.insert(0, overdue)
    return (HrStatus.AT_RISK if reasons else HrStatus.ACTIVE), tuple(reasons)


def rows(partnerships: Iterable[Partnership], now: datetime) -> Iterator[Row]:
    today = now.date()
    for p in partnerships:
        status, risk = hr_status(p, now)
        members = list(p.members.all())
        cadence: int | None = getattr(p, "cadence_days", None)
        yield Row(
            partnership=p,
            members=" · ".join(_name(m) for m in members),
            status=status,
            status_words=HR_STATUS_WORDS[status],
            risk=risk,
            held=getattr(p, "held", 0),
            expected=_expected(p, cadence, getattr(p, "planned_end", None), today),
            cadence_days=cadence,
            last_activity=p.last_activity_at or p.decided_at or p.approved_at,
            decline_reasons=tuple(f"{_name(m)}: {m.decline_reason}" for m in members if m.decline_reason),
            end_reason=_end_reason(p),
        )


def _name(member: PartnershipMember) -> str:
    person = member.enrolment.person
    label = person.display_name
    return f"{label} ({member.get_role_display().lower()})" if member.role in ("mentor", "mentee") else label


def _expected(p: Partnership, cadence: int | None, planned_end: date | None, today: date) -> int | None:
    if cadence is None or p.activated_at is None:
        return None
    until = p.ended_at.date() if p.ended_at else today
    return expected_sessions(p.activated_at.date(), until, planned_end, cadence)


def _end_reason(p: Partnership) -> str:
    closure = getattr(p, "closure", None)
    if closure is None or closure.kind != "early":
        return ""
    reason = closure.get_reason_display()
    return f"{reason}: {closure.note}" if closure.note else reason


def status_counts(*, programme: Programme, now: datetime) -> dict[HrStatus, int]:
    """How many partnerships carry each status word (for the filter's labels)."""
    base = Partnership.objects.filter(programme=programme, status__in=SHOWN)
    counts = base.aggregate(**{s.value: Count("pk", filter=status_filter(s, now)) for s in HrStatus})
    return {status: counts[status.value] for status in HrStatus}
