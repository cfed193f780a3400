"""Organisations are tenants: nothing reads or writes across them."""

import pytest

from stepahead.errors import DomainError, PermissionDenied
from stepahead.matchruns.models import MatchRun
from stepahead.matchruns.selectors import run_in
from stepahead.organisations.models import Role
from stepahead.organisations.selectors import organisations_for_user
from stepahead.organisations.services import add_member, remove_member
from stepahead.partnerships.models import Partnership
from stepahead.partnerships.selectors import partnership_in
from stepahead.people.selectors import people_in, person_by_hris_id
from stepahead.programmes.invitations import invite_people
from stepahead.programmes.models import Programme
from stepahead.programmes.selectors import programme_in
from stepahead.programmes.services import enrol_participant
from tests.integration.factories import make_person, make_programme, make_user


def test_same_hris_id_in_two_organisations_are_two_people(world):
    ours = make_person(world.org, "E1", 3)
    theirs = make_person(world.other_org, "E1", 5)
    assert ours != theirs
    assert list(people_in(organisation=world.org)) == [ours]
    assert person_by_hris_id(organisation=world.other_org, hris_id="E1") == theirs


def test_ids_from_another_organisation_behave_as_missing(world):
    programme = make_programme(world)
    with pytest.raises(Programme.DoesNotExist):
        programme_in(organisation=world.other_org, pk=programme.pk)
    other_programme = Programme.objects.create(organisation=world.other_org, name="Theirs")
    with pytest.raises(Partnership.DoesNotExist):
        partnership_in(programme=other_programme, pk=0)
    with pytest.raises(MatchRun.DoesNotExist):
        run_in(programme=other_programme, pk=0)


def test_people_of_another_organisation_cannot_be_enrolled_invited_or_avoided(world):
    programme = make_programme(world)
    stranger = make_person(world.other_org, "S1", 3)
    mine = make_person(world.org, "M1", 3)
    with pytest.raises(PermissionDenied):
        enrol_participant(actor=world.manager, programme=programme, person=stranger)
    with pytest.raises(PermissionDenied):
        invite_people(actor=world.manager, programme=programme, people=[stranger])
    with pytest.raises(PermissionDenied):
        enrol_participant(actor=world.manager, programme=programme, person=mine, avoid=[stranger])


def test_admins_manage_only_their_own_members(world):
    user = make_user("new@acme.test")
    add_member(actor=world.admin, organisation=world.org, user=user, role=Role.PROGRAMME_MANAGER)
    assert list(organisations_for_user(user=user)) == [world.org]
    with pytest.raises(PermissionDenied):
        add_member(actor=world.other_admin, organisation=world.org, user=user)
    with pytest.raises(PermissionDenied):
        add_member(actor=world.manager, organisation=world.org, user=user, role=Role.ORG_ADMIN)


def test_the_last_admin_cannot_be_removed(world):
    with pytest.raises(DomainError, match="at least one admin"):
        remove_member(actor=world.admin, organisation=world.org, user=world.admin)
