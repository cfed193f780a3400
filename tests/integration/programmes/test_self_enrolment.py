"""Self-enrolment: members join a programme opened to everyone, without an invitation."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from stepahead.errors import DomainError
from stepahead.organisations.models import Membership, Role
from stepahead.programmes.models import Enrolment, Status
from stepahead.programmes.selectors import open_to_join, programmes_for
from stepahead.programmes.services import enrol_self, update_programme_settings
from tests.integration.factories import make_person, make_programme, make_user


def test_a_linked_member_joins_an_open_programme(world):
    programme = make_programme(world, self_enrolment=True)
    pat = make_person(world.org, "PAT", 3, skills={"excel": 3}, goals=["sql"], user=world.participant)
    assert list(open_to_join(organisation=world.org, person=pat)) == [programme]
    assert programme in programmes_for(user=world.participant, organisation=world.org)

    enrolment = enrol_self(user=world.participant, programme=programme, goals=["sql"])

    assert enrolment.person == pat
    assert enrolment.status == "active"
    assert enrolment.goals == ["sql"]
    assert list(open_to_join(organisation=world.org, person=pat)) == []  # joined: no longer offered


def test_an_unlinked_person_with_the_members_email_is_linked_when_joining(world):
    programme = make_programme(world, self_enrolment=True)
    pat = make_person(world.org, "PAT", 3, email="PAT@acme.test")  # case differs from the login

    enrol_self(user=world.participant, programme=programme)

    pat.refresh_from_db()
    assert pat.user == world.participant
    assert Enrolment.objects.filter(programme=programme, person=pat).exists()


@pytest.mark.parametrize(
    ("self_enrolment", "status"),
    [(False, Status.ENROLLING), (True, Status.DRAFT), (True, Status.MATCHING), (True, Status.RUNNING)],
)
def test_only_an_open_programme_that_is_enrolling_can_be_joined(world, self_enrolment, status):
    programme = make_programme(world, self_enrolment=self_enrolment, status=status)
    make_person(world.org, "PAT", 3, user=world.participant)
    with pytest.raises(DomainError, match="not open"):
        enrol_self(user=world.participant, programme=programme)
    assert not Enrolment.objects.exists()
    assert programme not in programmes_for(user=world.participant, organisation=world.org)


def test_a_member_without_a_directory_entry_cannot_join(world):
    programme = make_programme(world, self_enrolment=True)
    make_person(world.org, "SOMEONE", 3, email="someone@acme.test")
    with pytest.raises(PermissionDenied, match="not linked"):
        enrol_self(user=world.participant, programme=programme)
    assert not Enrolment.objects.exists()


def test_people_of_another_organisation_cannot_join(world):
    programme = make_programme(world, self_enrolment=True)
    outsider = make_user("pat@globex.test")
    Membership.objects.create(organisation=world.other_org, user=outsider, role=Role.PARTICIPANT)
    make_person(world.other_org, "PAT", 3, user=outsider, email="pat@globex.test")
    # Same email in Acme's directory, but the login is not a member of Acme: no link is made.
    make_person(world.org, "PAT2", 3, email="pat@globex.test")
    with pytest.raises(PermissionDenied, match="not linked"):
        enrol_self(user=outsider, programme=programme)
    assert programme not in programmes_for(user=outsider, organisation=world.org)


def test_managers_switch_self_enrolment_on_in_the_settings(world):
    programme = make_programme(world)
    assert not programme.self_enrolment
    update_programme_settings(actor=world.manager, programme=programme, self_enrolment=True)
    programme.refresh_from_db()
    assert programme.open_to_join
