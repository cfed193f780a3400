"""Demo feedback on the staged partnerships: pulses after held sessions (low where a pair is
overdue), fit checks (one "no"), a midpoint survey answered by enough people for HR's results,
a support contact and two concerns (one closed). The demo participant's own answers are left
for them to give."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from django.utils import timezone

from stepahead.accounts import User
from stepahead.concerns.services import add_handling_note, close_concern, raise_concern, set_support_contact
from stepahead.partnerships.models import Partnership, PartnershipMember, PartnershipStatus

from .models import QuestionKind, Survey
from .pulses import answer_pulse, held_sessions, pulses_due
from .services import answer_fit_check, create_survey, submit_survey

COMMENTS = ["Clear next steps.", "Good questions from both sides.", "", "Ran out of time again.", ""]


def stage_feedback(*, hr: User, partnerships: Sequence[Partnership], you: User | None = None) -> None:
    running = [p for p in partnerships if p.status == PartnershipStatus.ACTIVE]
    for programme in {p.programme for p in partnerships}:
        set_support_contact(actor=hr, programme=programme, user=hr)
        survey = create_survey(
            actor=hr, programme=programme, stage="midpoint", opens_at=timezone.now() - timedelta(days=14)
        )
        for n, partnership in enumerate(p for p in running if p.programme_id == programme.pk):
            struggling = _overdue(partnership)
            for k, (member, user) in enumerate(_members(partnership, you)):
                _pulses(member, user, struggling, n + k)
                if held_sessions(member=member).exists():
                    answer_fit_check(user=user, partnership=partnership, good_fit=not (struggling and k == 0))
                submit_survey(
                    user=user, survey=survey, partnership=partnership, answers=_answers(survey, n + k)
                )
    _concerns(hr, running, you)


def _overdue(partnership: Partnership) -> bool:
    due = partnership.next_session_due_at
    return due is not None and due < timezone.now() - timedelta(days=3)


def _members(partnership: Partnership, you: User | None) -> list[tuple[PartnershipMember, User]]:
    members = partnership.members.select_related("enrolment__person__user")
    found = [(m, m.enrolment.person.user) for m in members if m.enrolment.person.user is not None]
    return [(m, u) for m, u in found if u != you and u is not None]


def _pulses(member: PartnershipMember, user: User, struggling: bool, n: int) -> None:
    for k, session in enumerate(pulses_due(member=member)):
        value = 2 if struggling else 4 + (n + k) % 2
        answer_pulse(user=user, session=session, value=value, comment=COMMENTS[(n + k) % len(COMMENTS)])


def _answers(survey: Survey, n: int) -> dict[int, str]:
    values: dict[str, str] = {QuestionKind.LIKERT: str(3 + n % 3), QuestionKind.NPS: str(6 + n % 5)}
    texts = ["More time for circles to meet", "A kick-off session", "Clearer goals at the start", ""]
    return {q.pk: values.get(q.kind, texts[n % len(texts)]) for q in survey.questions.all()}


def _concerns(hr: User, running: list[Partnership], you: User | None) -> None:
    troubled = [p for p in running if _overdue(p)] or running
    if not troubled:
        return
    (_, user), *_ = _members(troubled[0], you)
    closed = raise_concern(
        user=user, partnership=troubled[0], category="not_working", description="We keep cancelling."
    )
    add_handling_note(actor=hr, concern=closed, text="Called both; agreed a fixed fortnightly slot.")
    close_concern(actor=hr, concern=closed, outcome="A fixed slot is in both calendars.")
    if len(troubled) > 1:
        (_, other), *_ = _members(troubled[1], you)
        raise_concern(
            user=other,
            partnership=troubled[1],
            category="confidentiality",
            description="Something I said in a session was repeated in a team meeting.",
        )
