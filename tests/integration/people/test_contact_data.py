"""Who may change a person's contact data, and which logins may be linked to a person (issue 10
item 10): a programme manager cannot change people enrolled only in other managers' programmes
(not by form, not by import), and only a verified address links a login to a person."""

import pytest
from allauth.account.models import EmailAddress
from django.test import Client

from stepahead.errors import PermissionDenied
from stepahead.people.importing import import_people, preview_people_import, read_table
from stepahead.people.models import Person
from stepahead.people.services import link_person_to_user, save_person
from stepahead.programmes.models import Enrolment
from stepahead.programmes.services import create_programme, enrol_self, save_enrolment
from tests.integration.factories import make_person, make_programme

HEADER = "id,name,email,grade\n"


@pytest.fixture
def theirs(world):
    """E1 is enrolled only in a programme `world.manager` does not manage; E2 also in theirs;
    E3 in no programme."""
    mine = make_programme(world)
    other = create_programme(actor=world.admin, organisation=world.org, name="Finance circle", mode="peer")
    people = {
        hris_id: make_person(world.org, hris_id, 3, email=f"{hris_id.lower()}@acme.test")
        for hris_id in ("E1", "E2", "E3")
    }
    save_enrolment(programme=other, person=people["E1"])
    save_enrolment(programme=other, person=people["E2"])
    save_enrolment(programme=mine, person=people["E2"])
    return people


def _preview(world, text, actor):
    table = read_table(text.encode(), filename="people.csv")
    return preview_people_import(organisation=world.org, table=table, actor=actor)


def test_a_manager_cannot_change_someone_enrolled_only_in_other_programmes(world, theirs):
    with pytest.raises(PermissionDenied, match="enrolled only in programmes you do not manage"):
        save_person(actor=world.manager, organisation=world.org, hris_id="E1", email="mine@evil.test")
    with pytest.raises(PermissionDenied):
        link_person_to_user(actor=world.manager, person=theirs["E1"], user=world.manager)
    assert Person.objects.get(hris_id="E1").email == "e1@acme.test"
    # people in one of their programmes, or in none, they may change; an admin may change anyone
    save_person(actor=world.manager, organisation=world.org, hris_id="E2", name="Eve")
    save_person(actor=world.manager, organisation=world.org, hris_id="E3", name="Eli")
    save_person(actor=world.admin, organisation=world.org, hris_id="E1", name="Ed")


def test_an_import_cannot_change_them_either(world, theirs):
    text = HEADER + "E1,E1,mine@evil.test,3\nE2,Eve,e2@acme.test,3\nE4,New,e4@acme.test,2\n"
    preview = _preview(world, text, world.manager)
    assert [(p.line, p.column) for p in preview.problems] == [(2, "id")]
    assert "enrolled only in programmes you do not manage" in preview.problems[0].message
    import_people(actor=world.manager, organisation=world.org, preview=preview, allow_partial=True)
    assert Person.objects.get(hris_id="E1").email == "e1@acme.test"
    assert Person.objects.get(hris_id="E2").name == "Eve"
    # a preview made without the manager in mind is still refused at commit
    unchecked = preview_people_import(
        organisation=world.org, table=read_table(text.encode(), filename="p.csv")
    )
    with pytest.raises(PermissionDenied):
        import_people(actor=world.manager, organisation=world.org, preview=unchecked)
    assert _preview(world, text, world.admin).is_clean


def test_an_unverified_address_does_not_link_a_login_to_a_person(world):
    programme = make_programme(world, self_enrolment=True)
    pat = make_person(world.org, "PAT", 3, email="boss@acme.test")
    world.participant.email = "boss@acme.test"  # typed, never confirmed
    world.participant.save()
    EmailAddress.objects.create(user=world.participant, email="boss@acme.test", verified=False)
    with pytest.raises(Exception, match="directory"):
        enrol_self(user=world.participant, programme=programme)
    pat.refresh_from_db()
    assert pat.user is None
    EmailAddress.objects.filter(email="boss@acme.test").update(verified=True)
    enrol_self(user=world.participant, programme=programme)
    pat.refresh_from_db()
    assert pat.user == world.participant
    assert Enrolment.objects.filter(programme=programme, person=pat).exists()


def test_an_unverified_address_cannot_become_primary(world):
    client = Client()
    client.force_login(world.participant)
    client.post("/accounts/email/", {"action_add": "", "email": "other@acme.test"})
    client.post("/accounts/email/", {"action_primary": "", "email": "other@acme.test"})
    primary = EmailAddress.objects.get(user=world.participant, primary=True)
    assert primary.email == "pat@acme.test"
    world.participant.refresh_from_db()
    assert world.participant.email == "pat@acme.test"
