"""Mentor training and accreditation records through forms: HR on a person's page, each person
for themselves; validation names the field; the evidence report lists the courses."""

from __future__ import annotations

import datetime as dt

import pytest

from stepahead.errors import PermissionDenied
from stepahead.people.models import MentorTraining
from stepahead.people.services import update_mentor_training
from tests.integration.factories import make_person

EQA = {
    "course": "Foundation Certificate in Mentoring",
    "provider": "Northern Coaching Academy",
    "level": "Foundation",
    "accreditation": "EMCC EQA",
    "completed_on": "2026-03-12",
}


def test_hr_adds_edits_and_removes_a_persons_record(world, browser_for):
    person = make_person(world.org, "M1", 4, name="Mina Shah")
    hr = browser_for(world.manager)
    page = f"/people/{person.pk}/"
    assert "No mentor training or accreditation recorded." in hr.get(page).content.decode()
    assert hr.get(f"{page}training/add/").status_code == 200
    response = hr.post(f"{page}training/add/", EQA, page=page)
    assert response.status_code == 302
    assert response["Location"] == f"{page}#training-h"
    record = MentorTraining.objects.get(person=person)
    assert (record.accreditation, record.completed_on) == ("EMCC EQA", dt.date(2026, 3, 12))
    html = hr.get(page).content.decode()
    assert "Foundation Certificate in Mentoring" in html
    assert "EMCC EQA" in html
    edit = f"{page}training/{record.pk}/"
    assert "Northern Coaching Academy" in hr.get(edit).content.decode()  # the form holds the record
    assert hr.post(edit, {**EQA, "level": "Practitioner"}, page=page).status_code == 302
    record.refresh_from_db()
    assert record.level == "Practitioner"
    assert hr.post(f"{edit}remove/", page=page).status_code == 302
    assert not MentorTraining.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"course": "  "}, "This field is required."),
        ({"completed_on": "2999-01-01"}, "is in the future"),
        ({"completed_on": "12/13/2026"}, "Enter a valid date."),
        ({"provider": "x" * 201}, "at most 200 characters"),
    ],
)
def test_bad_records_are_refused_with_the_field_named(world, browser_for, change, message):
    person = make_person(world.org, "M1", 4)
    hr = browser_for(world.manager)
    response = hr.post(f"/people/{person.pk}/training/add/", {**EQA, **change}, page="/people/")
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not MentorTraining.objects.exists()


def test_people_keep_their_own_records_and_no_one_elses(world, browser_for):
    me = make_person(world.org, "P", 3, user=world.participant, name="Pat")
    other = make_person(world.org, "O", 3)
    theirs = MentorTraining.objects.create(
        person=other, course="Theirs", provider="X", completed_on=dt.date(2025, 1, 1)
    )
    mine = browser_for(world.participant)
    assert "My training" in mine.get("/me/training/").content.decode()
    assert mine.post("/me/training/add/", EQA, page="/me/training/").status_code == 302
    record = MentorTraining.objects.get(person=me)
    assert (
        mine.post(f"/me/training/{record.pk}/", {**EQA, "level": "Senior"}, page="/me/training/").status_code
        == 302
    )
    assert "Senior" in mine.get("/me/training/").content.decode()
    assert mine.get(f"/me/training/{theirs.pk}/").status_code == 404
    assert mine.post(f"/me/training/{theirs.pk}/remove/", page="/me/training/").status_code == 404
    assert mine.get(f"/people/{other.pk}/training/add/").status_code == 403  # HR's pages
    assert browser_for(world.other_admin).get(f"/people/{me.pk}/training/add/").status_code in (403, 404)
    with pytest.raises(PermissionDenied):
        update_mentor_training(
            actor=world.participant,
            record=theirs,
            course="Mine now",
            provider="X",
            completed_on=dt.date(2025, 1, 1),
        )
