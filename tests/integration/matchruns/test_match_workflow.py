"""The matching workflow end to end: queue, worker, proposals, review, approval, answers, re-run."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.tasks import default_task_backend

from stepahead.errors import DomainError, PermissionDenied
from stepahead.mail.services import deliver_due
from stepahead.matchruns.comparison import compare_runs
from stepahead.matchruns.models import MatchRun, RunStatus
from stepahead.matchruns.services import ProgressWriter, execute_match_run, start_match_run
from stepahead.partnerships.models import PartnershipStatus
from stepahead.partnerships.selectors import matching_pool, partnerships_of
from stepahead.partnerships.services import accept_partnership, approve_proposals, decline_partnership
from stepahead.programmes.models import Status
from tests.integration.factories import enrol_peers, make_programme, make_user


def _run(world, programme, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = start_match_run(actor=world.manager, programme=programme)
    assert execute_match_run(run_id=run.pk) == RunStatus.DONE
    run.refresh_from_db()
    return run


def _pairs(programme, status=PartnershipStatus.PROPOSED):
    found = set()
    for partnership in partnerships_of(programme=programme, statuses=[status]):
        found.add(frozenset(m.enrolment.person.hris_id for m in partnership.members.all()))
    return found


def test_start_queues_a_database_task_and_closes_enrolment(world, django_capture_on_commit_callbacks):
    programme = make_programme(world)
    enrol_peers(world, programme)
    with django_capture_on_commit_callbacks(execute=True):
        run = start_match_run(actor=world.manager, programme=programme)
    run.refresh_from_db()
    programme.refresh_from_db()
    assert programme.status == Status.MATCHING
    assert run.status == RunStatus.QUEUED
    assert run.task_id
    assert run.parameters["mode"] == "peer"
    assert run.parameters["band"] == 1
    assert default_task_backend.get_result(run.task_id).status == "READY"


def test_only_one_run_at_a_time(world, django_capture_on_commit_callbacks):
    programme = make_programme(world)
    enrol_peers(world, programme)
    start_match_run(actor=world.manager, programme=programme)
    with pytest.raises(DomainError, match="already in progress"):
        start_match_run(actor=world.manager, programme=programme)


def test_participants_and_other_organisations_cannot_start_runs(world):
    programme = make_programme(world)
    enrol_peers(world, programme)
    for actor in (world.participant, world.other_admin):
        with pytest.raises(PermissionDenied):
            start_match_run(actor=actor, programme=programme)


@pytest.mark.django_db(transaction=True)
def test_db_worker_command_runs_the_queued_run(world):
    programme = make_programme(world)
    enrol_peers(world, programme)
    run = start_match_run(actor=world.manager, programme=programme)  # autocommit: enqueued at once
    call_command("db_worker", "--batch", "--no-startup-delay")
    run.refresh_from_db()
    assert run.status == RunStatus.DONE, run.error
    assert run.finished_at
    assert run.started_at
    assert run.seconds is not None


def test_round_trip_enrolments_to_engine_to_partnerships(world, django_capture_on_commit_callbacks):
    programme = make_programme(world)
    enrol_peers(world, programme)
    run = _run(world, programme, django_capture_on_commit_callbacks)
    assert run.progress == 1.0
    assert run.placed == 4
    assert run.summary["people_placed"] == 4
    assert run.summary["proposals"] == 2
    assert _pairs(programme) == {frozenset("AB"), frozenset("CD")}
    partnership = partnerships_of(programme=programme).first()
    assert partnership.match_run == run
    assert partnership.score > 0
    assert partnership.reasons


def test_mentoring_round_trip_respects_seniority(world, django_capture_on_commit_callbacks):
    from stepahead.programmes.services import save_enrolment
    from tests.integration.factories import make_person

    programme = make_programme(world, mode="traditional")
    senior = make_person(world.org, "S", 5, skills={"python": 4})
    junior = make_person(world.org, "J", 2, skills={"python": 3}, goals=["python"])
    save_enrolment(programme=programme, person=senior, role="mentor", capacity=2)
    save_enrolment(programme=programme, person=junior, role="mentee")
    run = _run(world, programme, django_capture_on_commit_callbacks)
    (partnership,) = partnerships_of(programme=programme)
    roles = {m.enrolment.person.hris_id: m.role for m in partnership.members.all()}
    assert roles == {"S": "mentor", "J": "mentee"}
    # the spec's `placed` counts mentees; the pages count everyone in a match
    assert (run.placed, run.people_placed) == (1, 2)


def test_a_failing_engine_marks_the_run_failed(world, monkeypatch, django_capture_on_commit_callbacks):
    from stepahead import matching

    def broken(*args, **kwargs):
        raise RuntimeError("solver exploded")

    monkeypatch.setattr(matching, "match", broken)
    programme = make_programme(world)
    enrol_peers(world, programme)
    with django_capture_on_commit_callbacks(execute=True):
        run = start_match_run(actor=world.manager, programme=programme)
    assert execute_match_run(run_id=run.pk) == RunStatus.FAILED
    run.refresh_from_db()
    assert "solver exploded" in run.error
    assert run.finished_at


def test_progress_writer_throttles_but_records_stage_changes(world):
    programme = make_programme(world)
    enrol_peers(world, programme)
    run = start_match_run(actor=world.manager, programme=programme)
    writer = ProgressWriter(run.pk, interval=3600)
    writer("solving", 0.1)
    writer("solving", 0.9)  # same stage within the interval: skipped
    run.refresh_from_db()
    assert (run.stage, run.progress) == ("solving", 0.1)
    writer("explaining", 0.95)
    run.refresh_from_db()
    assert (run.stage, run.progress) == ("explaining", 0.95)


def test_approve_accept_decline_and_rerun_keeps_accepted(world, django_capture_on_commit_callbacks):
    programme = make_programme(world)
    enrolments = enrol_peers(world, programme)
    first = _run(world, programme, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        approved = approve_proposals(actor=world.manager, programme=programme)
    assert len(approved) == 2
    deliver_due()
    assert len(mail.outbox) == 4
    ab = next(p for p in approved if enrolments["A"].pk in {m.enrolment_id for m in p.members.all()})
    cd = next(p for p in approved if p != ab)
    b_user, c_user = make_user("b@acme.test"), make_user("c@acme.test")
    for name, user in (("B", b_user), ("C", c_user)):
        person = enrolments[name].person
        person.user = user
        person.save()
    accept_partnership(user=world.participant, partnership=ab)
    accept_partnership(user=b_user, partnership=ab)
    ab.refresh_from_db()
    assert ab.status == PartnershipStatus.ACCEPTED
    decline_partnership(user=c_user, partnership=cd, reason="we already work together")
    cd.refresh_from_db()
    assert cd.status == PartnershipStatus.DECLINED
    pool = {e.enrolment.person.hris_id for e in matching_pool(programme=programme)}
    assert pool == {"C", "D"}  # the decline returned both; the accepted pair is kept out
    second = _run(world, programme, django_capture_on_commit_callbacks)
    assert second.pool_size == 2
    assert second.locked_people == 2
    assert _pairs(programme) == set()  # C now avoids D, so nothing new can be proposed
    assert _pairs(programme, PartnershipStatus.ACCEPTED) == {frozenset("AB")}
    comparison = compare_runs(before=first, after=second)
    assert comparison.newly_unmatched == ["C", "D"]
    assert comparison.placed == (4, 0)


def test_only_members_answer_and_only_once_approved(world, django_capture_on_commit_callbacks):
    programme = make_programme(world)
    enrol_peers(world, programme)
    _run(world, programme, django_capture_on_commit_callbacks)
    proposal = next(
        p
        for p in partnerships_of(programme=programme)
        if "A" in {m.enrolment.person.hris_id for m in p.members.all()}
    )
    with pytest.raises(DomainError, match="not waiting"):
        accept_partnership(user=world.participant, partnership=proposal)
    approve_proposals(actor=world.manager, programme=programme)
    with pytest.raises(PermissionDenied):
        accept_partnership(user=world.manager, partnership=proposal)


def test_matchrun_rows_are_kept_for_audit(world, django_capture_on_commit_callbacks):
    programme = make_programme(world)
    enrol_peers(world, programme)
    _run(world, programme, django_capture_on_commit_callbacks)
    _run(world, programme, django_capture_on_commit_callbacks)
    assert MatchRun.objects.filter(programme=programme, status=RunStatus.DONE).count() == 2
    # the second run superseded the first run's proposals instead of duplicating them
    assert partnerships_of(programme=programme, statuses=["proposed"]).count() == 2


def test_a_mentoring_run_shares_mentees_and_keeps_the_load_figures(world, django_capture_on_commit_callbacks):
    """Spec 1.1 through the platform: the programme's spread reaches the engine, and the run keeps
    (and shows) how the mentoring is shared."""
    from stepahead.programmes.services import save_enrolment
    from tests.integration.factories import make_person

    programme = make_programme(world, mode="traditional", spread=0.3)
    for k in range(2):
        mentor = make_person(world.org, f"S{k}", 5, skills={"python": 3 + k})
        save_enrolment(programme=programme, person=mentor, role="mentor", capacity=2)
    for k in range(2):
        junior = make_person(world.org, f"J{k}", 2, skills={"python": 2}, goals=["python"])
        save_enrolment(programme=programme, person=junior, role="mentee")
    run = _run(world, programme, django_capture_on_commit_callbacks)
    assert run.parameters["spread"] == 0.3
    # S0 is one step ahead of both (1.0 each), S1 two steps (0.8): a second mentee for S0 is
    # worth 1.0 − 0.3, less than S1's 0.8, so each mentor takes one.
    assert run.summary["mentor_load"] == {"mentors": 2, "used": 2, "max": 1, "gini": 0.0, "top10_share": 0.5}
    assert run.summary["objective"] == pytest.approx(1.8)


def test_the_programme_time_limit_is_the_engines_budget(
    world, django_capture_on_commit_callbacks, monkeypatch
):
    """A programme's time limit reaches the engine as stop(): past it the run still records its
    best result; a lost lease stops it whatever the limit."""
    from stepahead.matchruns import services
    from stepahead.matchruns.lease import RunLease

    clock = [100.0]
    monkeypatch.setattr(services.time, "monotonic", lambda: clock[0])
    lease = RunLease(0)
    stop = services._budget(lease, 30)
    assert not stop()
    clock[0] = 131.0
    assert stop()
    unlimited = services._budget(lease, None)
    assert not unlimited()
    lease.lost.set()
    assert unlimited()

    monkeypatch.undo()
    from stepahead.programmes.services import save_enrolment
    from tests.integration.factories import make_person

    programme = make_programme(world, time_limit=1)
    assert programme.time_limit == 1
    for k, (mine, wanted) in enumerate([("python", "sql"), ("sql", "python")]):
        person = make_person(world.org, f"T{k}", 3, skills={mine: 3, wanted: 1}, goals=[wanted])
        save_enrolment(programme=programme, person=person)
    run = _run(world, programme, django_capture_on_commit_callbacks)
    assert run.status == RunStatus.DONE
