"""What-if runs: other parameters on the current pool, nothing changed until HR adopts one."""

import pytest

from stepahead.errors import DomainError
from stepahead.matchruns import mapper
from stepahead.matchruns.comparison import compare_runs
from stepahead.matchruns.models import MatchRun, RunStatus
from stepahead.matchruns.selectors import latest_finished_run
from stepahead.matchruns.services import execute_match_run, start_match_run
from stepahead.matchruns.whatif import adopt_run, start_what_if_run
from stepahead.partnerships.models import PartnershipStatus
from stepahead.partnerships.selectors import partnerships_of
from stepahead.partnerships.services import approve_proposals
from stepahead.programmes.models import Status
from stepahead.programmes.services import save_enrolment
from tests.integration.factories import PEERS, enrol_peers, make_person, make_programme


def _two_grades_apart(world, mode="peer", status=Status.ENROLLING):
    """A↔B at grade 3; C (grade 3) and D (grade 5) trade skills but are two grades apart."""
    programme = make_programme(world, mode=mode, status=status)
    enrol_peers(world, programme, ("A", "B"))
    for name, grade in (("C", 3), ("D", 5)):
        skills, goals = PEERS[name]
        person = make_person(world.org, name, grade, skills=skills, goals=goals, name=f"{name}ee")
        save_enrolment(programme=programme, person=person)
    return programme


def _finish(run):
    assert execute_match_run(run_id=run.pk) == RunStatus.DONE
    run.refresh_from_db()
    return run


def _proposed(programme):
    return {
        frozenset(m.enrolment.person.hris_id for m in p.members.all())
        for p in partnerships_of(programme=programme, statuses=[PartnershipStatus.PROPOSED])
    }


def test_a_what_if_run_changes_neither_the_programme_nor_its_proposals(
    world, django_capture_on_commit_callbacks
):
    programme = _two_grades_apart(world)
    with django_capture_on_commit_callbacks(execute=True):
        what_if = start_what_if_run(actor=world.manager, programme=programme, changes={"band": 2})
    what_if = _finish(what_if)
    programme.refresh_from_db()
    assert programme.status == Status.ENROLLING  # enrolment stays open
    assert programme.band == 1
    assert what_if.what_if
    assert what_if.parameters["band"] == 2
    assert what_if.people_placed == 4
    assert _proposed(programme) == set()  # nothing on the board
    assert latest_finished_run(programme=programme) is None
    assert len(what_if.groups) == 2


def test_compare_names_people_whose_outcome_differs(world, django_capture_on_commit_callbacks):
    programme = _two_grades_apart(world)
    with django_capture_on_commit_callbacks(execute=True):
        real = start_match_run(actor=world.manager, programme=programme)
    real = _finish(real)
    with django_capture_on_commit_callbacks(execute=True):
        trial = start_what_if_run(actor=world.manager, programme=programme, changes={"band": 2})
    trial = _finish(trial)
    comparison = compare_runs(before=real, after=trial)
    assert comparison.parameters_changed == ["band"]
    assert comparison.placed == (2, 4)
    assert comparison.newly_placed == ["Cee", "Dee"]
    assert [o.name for o in comparison.differences] == ["Cee", "Dee"]
    cee = comparison.differences[0]
    assert cee.before.startswith("Unmatched: ")
    assert cee.after == "With Dee"
    assert comparison.same == 2  # A and B paired in both
    assert comparison.sides[1].groups == [["A (peer)", "B (peer)"], ["Cee (peer)", "Dee (peer)"]]
    assert comparison.sides[0].cross_function == 0.0


def test_adopting_moves_its_matches_to_the_board_and_its_settings_to_the_programme(
    world, django_capture_on_commit_callbacks
):
    programme = _two_grades_apart(world)
    with django_capture_on_commit_callbacks(execute=True):
        real = start_match_run(actor=world.manager, programme=programme)
    real = _finish(real)
    with django_capture_on_commit_callbacks(execute=True):
        trial = start_what_if_run(actor=world.manager, programme=programme, changes={"band": 2})
    trial = _finish(trial)
    assert _proposed(programme) == {frozenset("AB")}
    created = adopt_run(actor=world.manager, run=trial)
    programme.refresh_from_db()
    assert programme.band == 2
    assert len(created) == 2
    assert _proposed(programme) == {frozenset("AB"), frozenset("CD")}
    assert latest_finished_run(programme=programme) == trial
    assert mapper.parameters_for(programme)["band"] == 2  # later runs use the adopted settings


def test_adopting_closes_enrolment_and_keeps_people_matched_meanwhile(
    world, django_capture_on_commit_callbacks
):
    programme = _two_grades_apart(world)
    with django_capture_on_commit_callbacks(execute=True):
        trial = start_what_if_run(actor=world.manager, programme=programme, changes={"band": 2})
    trial = _finish(trial)
    with django_capture_on_commit_callbacks(execute=True):
        real = start_match_run(actor=world.manager, programme=programme)
    _finish(real)
    approve_proposals(actor=world.manager, programme=programme)  # A↔B approved: locked
    adopt_run(actor=world.manager, run=trial)
    programme.refresh_from_db()
    assert programme.status == Status.MATCHING
    assert _proposed(programme) == {frozenset("CD")}  # A↔B stays approved, not proposed twice


def test_only_the_modes_parameters_can_change_and_values_are_checked(world):
    programme = _two_grades_apart(world)
    with pytest.raises(DomainError, match="spread cannot change in a what-if run of a reciprocal peer"):
        start_what_if_run(actor=world.manager, programme=programme, changes={"spread": 1.0})
    with pytest.raises(DomainError, match="mode cannot change"):
        start_what_if_run(actor=world.manager, programme=programme, changes={"mode": "traditional"})
    circles = make_programme(world, mode="circles")
    enrol_peers(world, circles, ("A", "B", "C"))
    with pytest.raises(DomainError, match="circle_size"):
        start_what_if_run(actor=world.manager, programme=circles, changes={"circle_size": 7})


def test_a_run_still_working_or_failed_cannot_be_adopted(world, django_capture_on_commit_callbacks):
    programme = _two_grades_apart(world)
    trial = start_what_if_run(actor=world.manager, programme=programme, changes={"band": 2})
    with pytest.raises(DomainError, match="Only a finished run can be adopted; this one is queued"):
        adopt_run(actor=world.manager, run=trial)
    with pytest.raises(DomainError, match="already in progress"):
        start_what_if_run(actor=world.manager, programme=programme, changes={"band": 0})


def test_runs_made_before_runs_kept_their_groups_compare_through_their_proposals(
    world, django_capture_on_commit_callbacks
):
    programme = _two_grades_apart(world)
    with django_capture_on_commit_callbacks(execute=True):
        old = start_match_run(actor=world.manager, programme=programme)
    old = _finish(old)
    MatchRun.objects.filter(pk=old.pk).update(groups=[])  # as stored before `groups` existed
    old.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        trial = start_what_if_run(actor=world.manager, programme=programme, changes={"band": 2})
    trial = _finish(trial)
    comparison = compare_runs(before=old, after=trial)
    assert comparison.sides[0].groups == [["A (peer)", "B (peer)"]]
    assert [o.name for o in comparison.differences] == ["Cee", "Dee"]
    with pytest.raises(DomainError, match="did not keep its matches"):
        adopt_run(actor=world.manager, run=old)
