"""Sessions (schedule, move, cancel, log, notes) and the end of a partnership."""

from datetime import datetime

import pytest
import time_machine

from stepahead.errors import DomainError, PermissionDenied
from stepahead.lifecycle.models import ClosureKind, SessionNote, SessionStatus
from stepahead.lifecycle.policies import can_read_note
from stepahead.lifecycle.services import (
    SessionLog,
    Slot,
    cancel_session,
    end_early,
    log_session,
    move_session,
    reflect_and_close,
    schedule_session,
    write_note,
)
from stepahead.partnerships.models import PartnershipStatus
from stepahead.partnerships.selectors import matching_pool
from tests.integration.partnering import active

SLOT = Slot(datetime(2026, 3, 10, 15, 0), "Europe/Paris", 60, "https://meet.example/abc")


@time_machine.travel("2026-03-02 09:00 +00:00", tick=False)
def test_schedule_move_cancel_keep_the_uid_and_bump_the_sequence(world):
    built = active(world)
    a = built.users["A"]
    session = schedule_session(user=a, partnership=built.partnership, slot=SLOT)
    assert session.starts_at.isoformat() == "2026-03-10T15:00:00+01:00"
    uid = session.uid
    session = move_session(
        user=built.users["B"], session=session, slot=Slot(datetime(2026, 3, 11, 9), "UTC", 45)
    )
    assert (session.uid, session.sequence, session.minutes) == (uid, 1, 45)
    session = cancel_session(user=a, session=session)
    assert (session.uid, session.sequence, session.status) == (uid, 2, SessionStatus.CANCELLED)
    with pytest.raises(DomainError, match="cancelled"):
        move_session(user=a, session=session, slot=SLOT)


def test_bad_slots_and_strangers_are_refused(world):
    built = active(world)
    with pytest.raises(DomainError, match="Time zone: 'Mars/Olympus'"):
        schedule_session(
            user=built.users["A"],
            partnership=built.partnership,
            slot=Slot(SLOT.starts_at, "Mars/Olympus", 60),
        )
    with pytest.raises(PermissionDenied):
        schedule_session(user=world.manager, partnership=built.partnership, slot=SLOT)
    assert not built.partnership.sessions.exists()


def test_logging_a_held_session_moves_the_due_date_and_notes_stay_private(world):
    built = active(world)
    p, a, b = built.partnership, built.users["A"], built.users["B"]
    with time_machine.travel("2026-03-02 09:00 +00:00", tick=False):
        session = schedule_session(user=a, partnership=p, slot=SLOT)
        with pytest.raises(DomainError, match="once it has started"):
            log_session(user=a, session=session, log=SessionLog())
    goal = p.goals.first()
    member_a = p.members.get(enrolment__person__hris_id="A")
    with time_machine.travel("2026-03-10 16:00 +00:00", tick=False):
        log_session(
            user=b,
            session=session,
            log=SessionLog(
                [goal.pk], {member_a.pk: "A query review"}, "Joins first", "Practise window functions"
            ),
        )
        private = write_note(user=a, session=session, text="I felt rushed", shared=False)
        shared = write_note(user=a, session=session, text="Bring the report", shared=True)
    session.refresh_from_db()
    p.refresh_from_db()
    assert session.status == SessionStatus.HELD
    assert list(session.goals.all()) == [goal]
    assert session.contributions == {str(member_a.pk): "A query review"}
    assert p.next_session_due_at.date().isoformat() == "2026-03-24"
    member_b = p.members.get(enrolment__person__hris_id="B")
    private, shared = SessionNote.objects.get(pk=private.pk), SessionNote.objects.get(pk=shared.pk)
    assert can_read_note(member=member_a, note=private)
    assert not can_read_note(member=member_b, note=private)
    assert can_read_note(member=member_b, note=shared)
    assert not can_read_note(member=None, note=shared)


def test_on_plan_closure_needs_everyones_reflection_and_marks_goals(world):
    built = active(world)
    p = built.partnership
    goals = {g.owner.enrolment.person.hris_id: g for g in p.goals.select_related("owner__enrolment__person")}
    with pytest.raises(DomainError, match="your own goals"):
        reflect_and_close(
            user=built.users["A"], partnership=p, reflection="x", outcomes={goals["B"].pk: "achieved"}
        )
    reflect_and_close(
        user=built.users["A"], partnership=p, reflection="Learnt a lot", outcomes={goals["A"].pk: "achieved"}
    )
    p.refresh_from_db()
    assert p.status == PartnershipStatus.ACTIVE
    reflect_and_close(
        user=built.users["B"], partnership=p, reflection="Good", outcomes={goals["B"].pk: "partly"}
    )
    p.refresh_from_db()
    assert p.status == PartnershipStatus.COMPLETED
    assert p.closure.kind == ClosureKind.ON_PLAN
    assert {g.outcome for g in p.goals.all()} == {"achieved", "partly"}


def test_early_end_returns_people_to_the_pool_keeps_history_and_apart(world):
    built = active(world)
    p = built.partnership
    session = schedule_session(user=built.users["A"], partnership=p, slot=SLOT)
    assert matching_pool(programme=built.programme) == []
    with pytest.raises(DomainError, match="Reason"):
        end_early(user=built.users["A"], partnership=p, reason="they were rude")
    end_early(user=world.manager, partnership=p, reason="schedules", note="Shift patterns clash")
    p.refresh_from_db()
    session.refresh_from_db()
    assert p.status == PartnershipStatus.ENDED_EARLY
    assert (p.closure.reason, p.closure.note) == ("schedules", "Shift patterns clash")
    assert (session.status, session.sequence) == (SessionStatus.CANCELLED, 1)
    pool = {entry.enrolment.person.hris_id for entry in matching_pool(programme=built.programme)}
    assert pool == {"A", "B"}
    a = p.members.get(enrolment__person__hris_id="A").enrolment
    assert list(a.avoid.values_list("hris_id", flat=True)) == ["B"]
    assert p.agreement_versions.exists()
    assert p.goals.exists()
    with pytest.raises(DomainError, match="already ended"):
        end_early(user=built.users["B"], partnership=p, reason="other")
