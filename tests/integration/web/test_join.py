"""The participant's side of self-enrolment: 'Open to join' on My programmes, and the join form."""

from __future__ import annotations

from django.urls import reverse

from stepahead.programmes.models import Enrolment, Status
from tests.integration.factories import make_person, make_programme


def test_open_programmes_are_offered_and_joined_through_the_form(world, browser_for):
    programme = make_programme(world, self_enrolment=True)
    make_programme(world, mode="traditional")  # invitation only: not offered
    pat = make_person(world.org, "PAT", 3, skills={"excel": 2}, goals=["sql"], user=world.participant)
    browser = browser_for(world.participant)

    listing = browser.get(reverse("web:my_programmes")).content.decode()
    assert "Open to join" in listing
    assert f"Join {programme.name}" in listing
    assert "Join traditional programme" not in listing

    form = browser.get(reverse("web:join", args=[programme.pk]))
    assert form.status_code == 200
    assert 'value="excel"' in form.content.decode()  # prefilled from the directory
    response = browser.post(
        reverse("web:join", args=[programme.pk]), {"skill_1": "excel", "level_1": "3", "goal_1": "sql"}
    )
    assert response.status_code == 302
    assert response.url == reverse("web:my_programme", args=[programme.pk])
    enrolment = Enrolment.objects.get(programme=programme, person=pat)
    assert enrolment.goals == ["sql"]
    # Joined: the form now leads to the enrolment itself, and the offer is gone.
    assert browser.get(reverse("web:join", args=[programme.pk])).status_code == 302
    assert "Open to join" not in browser.get(reverse("web:my_programmes")).content.decode()


def test_join_form_errors_write_nothing(world, browser_for):
    programme = make_programme(world, self_enrolment=True)
    make_person(world.org, "PAT", 3, user=world.participant)
    response = browser_for(world.participant).post(
        reverse("web:join", args=[programme.pk]), {"skill_1": "excel", "level_1": "9"}
    )
    assert response.status_code == 400
    assert not Enrolment.objects.exists()


def test_closed_or_invitation_only_programmes_cannot_be_joined(world, browser_for):
    make_person(world.org, "PAT", 3, user=world.participant)
    browser = browser_for(world.participant)
    invitation_only = make_programme(world)
    matching = make_programme(world, self_enrolment=True, status=Status.MATCHING)
    assert browser.get(reverse("web:join", args=[invitation_only.pk])).status_code == 404
    assert browser.post(reverse("web:join", args=[matching.pk]), {}).status_code == 409
    assert browser.get(reverse("web:join", args=[987654])).status_code == 404
    assert not Enrolment.objects.exists()


def test_a_member_without_a_directory_entry_is_told_why(world, browser_for):
    programme = make_programme(world, self_enrolment=True)
    response = browser_for(world.participant).get(reverse("web:join", args=[programme.pk]))
    assert response.status_code == 409
    assert "not linked to an entry in the people directory" in response.content.decode()


def test_programme_form_switches_open_enrolment_on(world, browser_for):
    programme = make_programme(world)
    browser = browser_for(world.manager)
    page = browser.get(reverse("web:programme_edit", args=[programme.pk])).content.decode()
    assert "Open enrolment" in page
    data = {
        "name": programme.name,
        "mode": programme.mode,
        "band": 1,
        "profile": "one-step",
        "circle_size": 4,
        "circle_band": 2,
        "cross_function_bonus": 0.25,
        "wish_bonus": 0.5,
        "default_capacity": 1,
        "max_capacity": 5,
        "self_enrolment": "on",
    }
    response = browser.post(reverse("web:programme_edit", args=[programme.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    programme.refresh_from_db()
    assert programme.self_enrolment
