"""The pool a re-run sees in mentoring modes: locked mentors keep spare capacity."""

from stepahead.matchruns.mapper import Draft, participant_for
from stepahead.partnerships.selectors import matching_pool
from stepahead.partnerships.services import approve_proposals, record_proposals
from stepahead.programmes.models import Status
from stepahead.programmes.services import save_enrolment
from tests.integration.factories import make_person, make_programme


def test_locked_mentor_keeps_spare_capacity_and_mentee_leaves_the_pool(world):
    programme = make_programme(world, mode="traditional")
    mentor = save_enrolment(
        programme=programme,
        person=make_person(world.org, "M", 5, skills={"sql": 4}),
        role="mentor",
        capacity=2,
    )
    both = save_enrolment(
        programme=programme, person=make_person(world.org, "B", 3, goals=["sql"]), role="both"
    )
    programme.status = Status.MATCHING
    programme.save()
    record_proposals(
        programme=programme,
        match_run=None,
        drafts=[Draft("mentoring", ((mentor, "mentor"), (both, "mentee")), 1.0, ())],
    )
    approve_proposals(actor=world.manager, programme=programme)
    pool = {
        entry.enrolment.person.hris_id: (entry.role, entry.capacity)
        for entry in matching_pool(programme=programme)
    }
    assert pool == {"M": ("mentor", 1), "B": ("mentor", 1)}


def test_mapper_applies_enrolment_overrides(world):
    programme = make_programme(world)
    person = make_person(
        world.org, "P", 3, skills={"sql": 1}, goals=["excel"], languages=["en"], function="IT"
    )
    other = make_person(world.org, "Q", 3, skills={"python": 1})  # python is in the list
    enrolment = save_enrolment(
        programme=programme, person=person, skills={"SQL": 3}, goals=["Python"], avoid=[other]
    )
    participant = participant_for(enrolment)
    assert participant.skills == {"sql": 3}
    assert participant.goals == ("python",)
    assert participant.languages == frozenset({"en"})
    assert participant.exclude == frozenset({"Q"})
    assert participant.function == "it"
