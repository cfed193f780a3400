"""Programme set-up, the status workflow, managers, invitations and enrolments."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from stepahead.errors import DomainError, PermissionDenied, TransitionError
from stepahead.mail.services import deliver_due
from stepahead.programmes.invitations import accept_invitation, invite_people
from stepahead.programmes.models import EnrolmentStatus, Status
from stepahead.programmes.selectors import programmes_for
from stepahead.programmes.services import (
    change_programme_status,
    create_programme,
    enrol_participant,
    update_programme_settings,
    withdraw_enrolment,
)
from tests.integration.factories import make_person, make_programme, make_user


def test_new_programmes_start_in_draft_with_the_spec_defaults(world):
    programme = create_programme(actor=world.manager, organisation=world.org, name="Pilot")
    assert programme.status == Status.DRAFT
    assert (programme.mode, programme.band, programme.profile) == ("peer", 1, "one-step")
    assert (programme.circle_size, programme.circle_band, programme.cross_function_bonus) == (4, 2, 0.25)
    assert programme.managers.filter(user=world.manager).exists()


def test_status_moves_only_along_the_workflow(world):
    programme = create_programme(actor=world.admin, organisation=world.org, name="Pilot")
    with pytest.raises(TransitionError):
        change_programme_status(actor=world.admin, programme=programme, to=Status.RUNNING)
    change_programme_status(actor=world.admin, programme=programme, to=Status.ENROLLING)
    with pytest.raises(DomainError, match="Nobody is enrolled"):
        change_programme_status(actor=world.admin, programme=programme, to=Status.MATCHING)
    change_programme_status(actor=world.admin, programme=programme, to=Status.CLOSED)
    with pytest.raises(TransitionError):
        change_programme_status(actor=world.admin, programme=programme, to=Status.ENROLLING)


def test_unassigned_managers_and_participants_cannot_manage(world):
    programme = create_programme(actor=world.admin, organisation=world.org, name="Pilot")
    for actor in (world.manager, world.participant, world.other_admin):
        with pytest.raises(PermissionDenied):
            update_programme_settings(actor=actor, programme=programme, band=2)


def test_matching_settings_freeze_once_matching_starts(world):
    programme = make_programme(world, status=Status.MATCHING)
    with pytest.raises(DomainError, match="cannot change"):
        update_programme_settings(actor=world.manager, programme=programme, band=3)
    update_programme_settings(actor=world.manager, programme=programme, name="Renamed")


def test_invalid_parameters_are_refused(world):
    with pytest.raises(ValidationError, match="circle_size"):
        create_programme(actor=world.admin, organisation=world.org, name="X", circle_size=7)


def test_invitation_email_and_acceptance_creates_an_enrolment(world, django_capture_on_commit_callbacks):
    programme = make_programme(world, mode="traditional")
    invitee = make_user("new@acme.test")
    make_person(world.org, "OLD", 2, skills={"sql": 1})  # sql is in the organisation's list
    person = make_person(world.org, "N1", 2, email="new@acme.test")
    with django_capture_on_commit_callbacks(execute=True):
        (invitation,) = invite_people(actor=world.manager, programme=programme, people=[person])
    deliver_due()
    assert invitation.token in mail.outbox[0].body
    with pytest.raises(DomainError, match="mentor, mentee or both"):
        accept_invitation(user=invitee, token=invitation.token)
    with pytest.raises(PermissionDenied):
        accept_invitation(user=world.participant, token=invitation.token, role="mentee")
    enrolment = accept_invitation(user=invitee, token=invitation.token, role="mentee", goals=["SQL"])
    person.refresh_from_db()
    assert person.user == invitee
    assert enrolment.goals == ["sql"]
    with pytest.raises(DomainError, match="no longer valid"):
        accept_invitation(user=invitee, token=invitation.token, role="mentee")


def test_enrolments_are_editable_until_matching_starts(world):
    programme = make_programme(world)
    me = make_person(world.org, "ME", 2, user=world.participant)
    other = make_person(world.org, "O", 2)
    enrolment = enrol_participant(actor=world.manager, programme=programme, person=me)
    enrol_participant(
        actor=world.participant, programme=programme, person=me, avoid=[other], languages=["EN"]
    )
    enrolment.refresh_from_db()
    assert list(enrolment.avoid.all()) == [other]
    assert enrolment.languages == ["en"]
    with pytest.raises(DomainError, match="yourself"):
        enrol_participant(actor=world.participant, programme=programme, person=me, prefer=[me])
    change_programme_status(actor=world.manager, programme=programme, to=Status.MATCHING)
    programme.refresh_from_db()
    enrolment.refresh_from_db()
    with pytest.raises(PermissionDenied):
        enrol_participant(actor=world.participant, programme=programme, person=me, languages=["de"])
    with pytest.raises(PermissionDenied):
        withdraw_enrolment(actor=world.participant, enrolment=enrolment)


def test_withdrawal_while_enrolling(world):
    programme = make_programme(world)
    me = make_person(world.org, "ME", 2, user=world.participant)
    enrolment = enrol_participant(actor=world.manager, programme=programme, person=me)
    assert (
        withdraw_enrolment(actor=world.participant, enrolment=enrolment).status == EnrolmentStatus.WITHDRAWN
    )


def test_capacity_is_bounded_by_the_programme(world):
    programme = make_programme(world, mode="traditional", max_capacity=2)
    person = make_person(world.org, "M", 5)
    with pytest.raises(DomainError, match="Capacity"):
        enrol_participant(actor=world.manager, programme=programme, person=person, role="mentor", capacity=3)


def test_who_sees_which_programmes(world):
    visible = make_programme(world)
    hidden = create_programme(actor=world.admin, organisation=world.org, name="Admin only")
    me = make_person(world.org, "ME", 2, user=world.participant)
    enrol_participant(actor=world.manager, programme=visible, person=me)
    assert set(programmes_for(user=world.admin, organisation=world.org)) == {visible, hidden}
    assert list(programmes_for(user=world.manager, organisation=world.org)) == [visible]
    assert list(programmes_for(user=world.participant, organisation=world.org)) == [visible]
    assert not programmes_for(user=world.other_admin, organisation=world.org).exists()
