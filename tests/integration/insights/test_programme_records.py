"""Purpose, briefing and training records, mentor training and attached evidence."""

from __future__ import annotations

import datetime as dt

import pytest

from stepahead.errors import DomainError, PermissionDenied
from stepahead.insights.services import attach_evidence, remove_evidence
from stepahead.people.services import record_mentor_training
from stepahead.programmes.briefing import add_briefing_item, applies_to, complete_briefing_item, meant_for
from stepahead.programmes.models import BriefingAudience, BriefingCompletion
from stepahead.programmes.services import save_enrolment, update_programme_settings
from tests.integration.factories import enrol_peers, make_person, make_programme

NOW = dt.datetime(2026, 5, 1, 9, 0, tzinfo=dt.UTC)


def test_purpose_and_objectives_stay_editable_after_matching_starts(world):
    programme = make_programme(world, status="running")
    update_programme_settings(
        actor=world.manager, programme=programme, purpose="Grow data skills.", objectives="a\n\n b \n"
    )
    programme.refresh_from_db()
    assert programme.purpose == "Grow data skills."
    assert programme.objective_list == ["a", "b"]


def test_a_participant_completes_their_briefing_once(world):
    programme = make_programme(world)
    enrolments = enrol_peers(world, programme)
    item = add_briefing_item(actor=world.manager, programme=programme, title="Ground rules")
    first = complete_briefing_item(actor=world.participant, item=item, enrolment=enrolments["A"], now=NOW)
    again = complete_briefing_item(
        actor=world.participant, item=item, enrolment=enrolments["A"], now=NOW + dt.timedelta(days=1)
    )
    assert first.pk == again.pk
    assert again.completed_at == NOW
    assert BriefingCompletion.objects.count() == 1


def test_nobody_completes_someone_elses_briefing(world):
    programme = make_programme(world)
    enrolments = enrol_peers(world, programme)
    item = add_briefing_item(actor=world.manager, programme=programme, title="Ground rules")
    with pytest.raises(PermissionDenied):
        complete_briefing_item(actor=world.participant, item=item, enrolment=enrolments["B"], now=NOW)
    with pytest.raises(PermissionDenied):
        add_briefing_item(actor=world.participant, programme=programme, title="Mine")


def test_mentor_training_is_only_for_those_who_mentor(world):
    programme = make_programme(world, mode="traditional")
    mentee = make_person(world.org, "M1", 2, goals=["sql"], user=world.participant)
    from stepahead.programmes.services import save_enrolment

    enrolment = save_enrolment(programme=programme, person=mentee, role="mentee")
    item = add_briefing_item(
        actor=world.manager, programme=programme, title="Mentor skills", audience=BriefingAudience.GIVERS
    )
    with pytest.raises(DomainError, match="not meant for your role"):
        complete_briefing_item(actor=world.participant, item=item, enrolment=enrolment, now=NOW)


def test_who_an_item_is_meant_for_reads_the_same_for_one_participant_and_for_the_evidence(world):
    # applies_to (completing an item) and meant_for (the evidence's counts) state one rule twice
    people = iter(make_person(world.org, f"R{n}", 3, goals=["sql"]) for n in range(10))
    for mode, roles in (("traditional", ("mentor", "mentee", "both")), ("peer", ("",)), ("circles", ("",))):
        programme = make_programme(world, mode=mode)
        enrolments = [save_enrolment(programme=programme, person=next(people), role=r) for r in roles]
        for audience in BriefingAudience:
            item = add_briefing_item(
                actor=world.manager, programme=programme, title=audience, audience=audience
            )
            covered = {e.role for e in programme.enrolments.filter(meant_for(audience, programme))}
            assert covered == {e.role for e in enrolments if applies_to(item, e)}, (mode, audience)
            if mode == "traditional" and audience == BriefingAudience.GIVERS:
                assert covered == {"mentor", "both"}


def test_training_records_by_hr_or_the_person(world):
    person = make_person(world.org, "P1", 4, user=world.participant)
    record = record_mentor_training(
        actor=world.participant,
        person=person,
        course="Mentoring foundations",
        provider="Coaching Academy",
        level="Foundation",
        accreditation="EMCC EQA",
        completed_on=dt.date(2025, 6, 1),
    )
    assert list(person.mentor_training.all()) == [record]
    other = make_person(world.org, "P2", 4)
    with pytest.raises(PermissionDenied):
        record_mentor_training(
            actor=world.participant, person=other, course="x", provider="y", completed_on=dt.date(2025, 1, 1)
        )


def test_evidence_needs_a_known_criterion_and_some_content(world):
    programme = make_programme(world)
    with pytest.raises(DomainError, match="no ISMCP criterion"):
        attach_evidence(actor=world.manager, programme=programme, criterion="9.9", title="x", statement="y")
    with pytest.raises(DomainError, match="document or write a statement"):
        attach_evidence(actor=world.manager, programme=programme, criterion="4.4", title="x")
    with pytest.raises(DomainError, match="larger than 5 MB"):
        attach_evidence(
            actor=world.manager,
            programme=programme,
            criterion="4.4",
            title="x",
            file_name="big.pdf",
            content=b"0" * (5 * 1024 * 1024 + 1),
        )
    document = attach_evidence(
        actor=world.manager, programme=programme, criterion="4.4", title="ROI", statement="Saved £40k."
    )
    with pytest.raises(PermissionDenied):
        remove_evidence(actor=world.participant, document=document)
    remove_evidence(actor=world.manager, document=document)
    assert not programme.evidence_documents.exists()
