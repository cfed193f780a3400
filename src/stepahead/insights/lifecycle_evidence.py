"""Evidence from the partnership lifecycle and feedback: agreements and their confidentiality and
ground rules (standard 5), sessions, pulses, fit checks, surveys and goal outcomes (standard 4),
early endings and returns to the pool (standard 3), the support contact, concerns and nudges
(standards 5 and 6)."""

from __future__ import annotations

from datetime import timedelta
from fractions import Fraction

from django.db.models import Count, F, Q

from stepahead.core.feedback import ANONYMITY_THRESHOLD
from stepahead.core.ismcp import Finding, level_of
from stepahead.lifecycle.models import AgreementTemplate, Closure, ClosureKind, Goal, GoalOutcome, Session
from stepahead.partnerships.models import PartnershipStatus
from stepahead.programmes.models import Programme

from .findings import Evidence

PROMPT = timedelta(days=14)
AGREED = (PartnershipStatus.ACTIVE, PartnershipStatus.COMPLETED)
SAID_YES = (PartnershipStatus.ACCEPTED, *AGREED)


def gather(programme: Programme) -> dict[str, Evidence]:
    return {
        **_agreements(programme),
        **_review(programme),
        **_unwinding(programme),
        **_support(programme),
        **_feedback(programme),
        **_concerns(programme),
    }


def _feedback(programme: Programme) -> dict[str, Evidence]:
    """Pulses and fit checks follow each relationship (4.1); surveys review the process (4.2)."""
    from stepahead.feedback.models import FitCheck, Pulse, SurveyResponse

    pulses = Pulse.objects.filter(partnership__programme=programme).count()
    fits = FitCheck.objects.filter(partnership__programme=programme)
    said_no, answered = fits.filter(good_fit=False).count(), fits.count()
    found: dict[str, Evidence] = {}
    if pulses and answered:
        found["4.1"] = Evidence(
            Finding.MET,
            [
                f"{pulses} session pulses and {answered} early fit checks answered; {said_no} said "
                "“not a fit” and were offered a no-fault re-pairing, the programme manager told."
            ],
        )
    respondents = (
        SurveyResponse.objects.filter(survey__programme=programme)
        .values("member__enrolment__person")
        .distinct()
        .count()
    )
    if respondents:
        enough = respondents >= ANONYMITY_THRESHOLD
        found["4.2"] = Evidence(
            Finding.MET if enough else Finding.PARTLY,
            [
                f"Midpoint and end surveys answered by {respondents} people"
                + ("; results reviewed in aggregate." if enough else " (under 5: results stay hidden).")
            ],
        )
    return found


def _concerns(programme: Programme) -> dict[str, Evidence]:
    """A support contact (5.3, 6.1) and how promptly concerns were closed (6.2); nudges (6.4)."""
    from stepahead.concerns.models import Concern, SupportContact
    from stepahead.nudges.models import Nudge

    found: dict[str, Evidence] = {}
    contact = SupportContact.objects.filter(programme=programme).select_related("user").first()
    if contact is not None:
        words = [f"Support contact: {contact.user.email}; members raise concerns privately with them."]
        found["5.3"] = Evidence(Finding.MET, words)
        found["6.1"] = Evidence(Finding.MET, words)
    concerns = Concern.objects.filter(partnership__programme=programme)
    raised = concerns.count()
    if raised:
        prompt = concerns.filter(closed_at__isnull=False, closed_at__lte=F("raised_at") + PROMPT).count()
        found["6.2"] = Evidence(
            level_of(Fraction(prompt, raised), met=Fraction(4, 5), partly=Fraction(1, 2)),
            [f"{prompt} of {raised} concerns closed within 14 days, with their handling recorded."],
        )
    sent = Nudge.objects.filter(partnership__programme=programme, status="sent").count()
    if sent:
        found["6.4"] = Evidence(
            Finding.MET,
            [
                f"{sent} reminders and nudges sent (session reminders, overdue partnerships, feedback), "
                "at-risk partnerships flagged to the manager."
            ],
        )
    return found


def _agreements(programme: Programme) -> dict[str, Evidence]:
    said_yes = programme.partnerships.filter(status__in=SAID_YES).count()
    agreed = programme.partnerships.filter(status__in=AGREED).count()
    template = AgreementTemplate.objects.filter(programme=programme).first()
    rules = [
        part for part in ("confidentiality", "ground_rules") if template and getattr(template, part).strip()
    ]
    return {
        "5.1": Evidence(
            level_of(
                Fraction(agreed, said_yes) if said_yes else None, met=Fraction(4, 5), partly=Fraction(1, 2)
            ),
            [
                f"{agreed} of {said_yes} accepted partnerships have an agreement every member confirmed, "
                "stating goals, cadence and ground rules."
            ]
            if said_yes
            else [],
        ),
        "5.2": Evidence(
            Finding.MET if len(rules) == 2 else (Finding.PARTLY if rules else Finding.MISSING),
            [f"The agreement template states {' and '.join(r.replace('_', ' ') for r in rules)}."]
            if rules
            else [],
        ),
    }


def _review(programme: Programme) -> dict[str, Evidence]:
    # One scan of the sessions for both counts (at 500k sessions each scan costs ~0.3 s).
    held = Session.objects.filter(partnership__programme=programme, status="held").aggregate(
        sessions=Count("pk"), meeting=Count("partnership", distinct=True)
    )
    sessions, meeting = held["sessions"], held["meeting"]
    ended = Goal.objects.filter(
        partnership__programme=programme,
        retired=False,
        partnership__status__in=(PartnershipStatus.COMPLETED, PartnershipStatus.ENDED_EARLY),
    )
    goals = ended.aggregate(total=Count("pk"), marked=Count("pk", filter=~Q(outcome=GoalOutcome.OPEN)))
    marked = Fraction(goals["marked"], goals["total"]) if goals["total"] else None
    return {
        # Logged sessions show each relationship is followed; pulses and fit checks complete it.
        "4.1": Evidence(
            Finding.PARTLY if sessions else Finding.MISSING,
            [
                f"{sessions} sessions logged across {meeting} partnerships; overdue partnerships are flagged "
                "at risk."
            ]
            if sessions
            else [],
        ),
        "4.3": Evidence(
            level_of(marked, met=Fraction(4, 5), partly=Fraction(1, 2)),
            [f"{goals['marked']} of {goals['total']} goals of ended partnerships have an outcome marked."]
            if goals["total"]
            else [],
        ),
    }


def _unwinding(programme: Programme) -> dict[str, Evidence]:
    early = Closure.objects.filter(partnership__programme=programme, kind=ClosureKind.EARLY).count()
    if not early:
        return {}
    return {
        "3.4": Evidence(
            Finding.MET,
            [
                f"{early} partnerships ended early with a no-fault reason; their members went back to "
                "the pool for the next run, their history kept."
            ],
        )
    }


def _support(programme: Programme) -> dict[str, Evidence]:
    active = programme.partnerships.filter(status=PartnershipStatus.ACTIVE).count()
    if not active:
        return {}
    return {
        "6.4": Evidence(
            Finding.PARTLY,
            [
                f"{active} active partnerships followed on the Partnerships page, with at-risk flags "
                "(overdue, unconfirmed agreement)."
            ],
        )
    }
