"""HR programme pages: create, edit, status workflow, invitations, enrolment list."""

from django.core import mail
from django.urls import reverse

from stepahead.mail.services import deliver_due
from stepahead.programmes.models import Invitation, Programme, Status
from tests.integration.factories import enrol_peers, make_person, make_programme
from tests.integration.web.conftest import submitted_values


def test_create_programme_with_spec_defaults(world, browser_for):
    browser = browser_for(world.manager)
    page = browser.get(reverse("web:programme_create"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="0.25"' in html  # cross-function bonus default
    assert "aria-describedby=" in html  # help texts linked to their inputs
    response = browser.post(
        reverse("web:programme_create"),
        {
            "name": "Spring pairs",
            "mode": "peer",
            "band": 1,
            "profile": "one-step",
            "circle_size": 4,
            "circle_band": 2,
            "cross_function_bonus": 0.25,
            "wish_bonus": 0.5,
            "default_capacity": 1,
            "max_capacity": 5,
        },
    )
    programme = Programme.objects.get(name="Spring pairs")
    assert response.status_code == 302
    assert response.url == reverse("web:programme_detail", args=[programme.pk])
    assert programme.status == Status.DRAFT
    assert programme.managers.filter(user=world.manager).exists()


def test_invalid_programme_is_400_with_field_errors_and_nothing_saved(world, browser_for):
    response = browser_for(world.manager).post(
        reverse("web:programme_create"),
        {
            "name": "",
            "mode": "peer",
            "band": 1,
            "profile": "one-step",
            "circle_size": 9,
            "circle_band": 2,
            "cross_function_bonus": 0.25,
            "wish_bonus": 0.5,
            "default_capacity": 1,
            "max_capacity": 5,
            "starts_on": "2026-05-01",
            "ends_on": "2026-04-01",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert 'aria-invalid="true"' in html
    assert 'id="id_name_error"' in html
    assert 'id="id_circle_size_error"' in html
    assert "end date" in html
    assert not Programme.objects.exists()


def test_edit_settings_and_parameters_freeze_once_matching(world, browser_for):
    programme = make_programme(world, status=Status.ENROLLING)
    browser = browser_for(world.manager)
    data = {
        "name": "Renamed",
        "mode": "peer",
        "band": 2,
        "profile": "one-step",
        "circle_size": 4,
        "circle_band": 2,
        "cross_function_bonus": 0.25,
        "wish_bonus": 0.5,
        "default_capacity": 1,
        "max_capacity": 5,
    }
    response = browser.post(reverse("web:programme_edit", args=[programme.pk]), data)
    assert response.status_code == 302
    programme.refresh_from_db()
    assert (programme.name, programme.band) == ("Renamed", 2)

    Programme.objects.filter(pk=programme.pk).update(status=Status.MATCHING)
    page = browser.get(reverse("web:programme_edit", args=[programme.pk])).content.decode()
    assert "Fixed: matching has started." in page
    response = browser.post(
        reverse("web:programme_edit", args=[programme.pk]),
        {**data, "band": 3, "name": "Again", "self_enrolment": "on"},
    )
    assert response.status_code == 302
    programme.refresh_from_db()
    # disabled fields keep their values: the form and the service fix the same settings
    assert (programme.name, programme.band, programme.self_enrolment) == ("Again", 2, False)


def test_status_buttons_explain_and_move_the_programme(world, browser_for):
    programme = make_programme(world, status=Status.DRAFT)
    browser = browser_for(world.manager)
    page = browser.get(reverse("web:programme_detail", args=[programme.pk])).content.decode()
    assert "Open enrolment" in page
    assert "Invitations can be sent" in page
    response = browser.post(reverse("web:programme_status", args=[programme.pk]), {"to": "enrolling"})
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.status == Status.ENROLLING


def test_a_transition_the_workflow_forbids_is_409(world, browser_for):
    programme = make_programme(world, status=Status.CLOSED)
    browser = browser_for(world.manager)
    response = browser.post(reverse("web:programme_status", args=[programme.pk]), {"to": "enrolling"})
    assert response.status_code == 409
    assert b"cannot become enrolling" in response.content
    assert browser.post(reverse("web:programme_status", args=[programme.pk]), {"to": "x"}).status_code == 400


def test_status_change_by_participant_is_403_and_other_org_is_404(world, browser_for):
    programme = make_programme(world, status=Status.DRAFT)
    url = reverse("web:programme_status", args=[programme.pk])
    assert browser_for(world.participant).post(url, {"to": "enrolling"}).status_code == 403
    assert browser_for(world.other_admin).post(url, {"to": "enrolling"}).status_code == 404
    programme.refresh_from_db()
    assert programme.status == Status.DRAFT


def test_invite_people_by_id_or_email(world, browser_for, django_capture_on_commit_callbacks):
    programme = make_programme(world)
    make_person(world.org, "E1", 3, email="e1@acme.test")
    make_person(world.org, "E2", 3, email="E2@acme.test")
    with django_capture_on_commit_callbacks(execute=True):
        response = browser_for(world.manager).post(
            reverse("web:programme_invite", args=[programme.pk]), {"people": "E1\ne2@acme.test"}
        )
    assert response.status_code == 302
    assert Invitation.objects.filter(programme=programme).count() == 2
    deliver_due()
    assert len(mail.outbox) == 2
    assert "/invitations/" in mail.outbox[0].body


def test_invite_unknown_people_is_400_and_invites_nobody(world, browser_for):
    programme = make_programme(world)
    make_person(world.org, "E1", 3)
    make_person(world.other_org, "G1", 3)
    response = browser_for(world.manager).post(
        reverse("web:programme_invite", args=[programme.pk]), {"people": "E1, G1, nobody@x.test"}
    )
    assert response.status_code == 400
    assert b"Not in your people directory: G1, nobody@x.test" in response.content
    assert not Invitation.objects.exists()


def test_invite_after_matching_started_is_409(world, browser_for):
    programme = make_programme(world, status=Status.MATCHING)
    make_person(world.org, "E1", 3)
    response = browser_for(world.manager).post(
        reverse("web:programme_invite", args=[programme.pk]), {"people": "E1"}
    )
    assert response.status_code == 409


def test_enrolment_list_is_paginated_and_searchable(world, browser_for, django_assert_max_num_queries):
    programme = make_programme(world)
    enrol_peers(world, programme)
    browser = browser_for(world.manager)
    with django_assert_max_num_queries(14):
        response = browser.get(reverse("web:enrolments", args=[programme.pk]))
    assert response.status_code == 200
    assert b"4 enrolments" in response.content
    found = browser.get(reverse("web:enrolments", args=[programme.pk]), {"q": "C"})
    assert b"1 enrolment." in found.content


def test_dashboard_lists_programmes_with_counts(world, browser_for, django_assert_max_num_queries):
    programme = make_programme(world)
    enrol_peers(world, programme)
    browser = browser_for(world.manager)
    with django_assert_max_num_queries(10):
        response = browser.get("/")
    assert response.status_code == 200
    assert programme.name.encode() in response.content
    assert b"Enrolling" in response.content


def test_saving_settings_as_the_browser_sends_them_keeps_the_dates(world, browser_for):
    """Issue 11 bug 1: the date inputs rendered "16/12/2026", which a date input cannot show, so
    the browser sent them empty and saving any change wiped the programme's dates."""
    programme = make_programme(world, status=Status.DRAFT)
    Programme.objects.filter(pk=programme.pk).update(starts_on="2026-12-16", ends_on="2027-06-30")
    browser = browser_for(world.manager)
    url = reverse("web:programme_edit", args=[programme.pk])
    html = browser.get(url).content.decode()
    assert 'value="2026-12-16"' in html
    values = submitted_values(html)
    values["name"] = "Renamed"
    response = browser.post(url, values)
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.name == "Renamed"
    assert (str(programme.starts_on), str(programme.ends_on)) == ("2026-12-16", "2027-06-30")


def test_invitations_say_who_was_not_reached_and_offer_their_link(world, browser_for):
    """Issue 11 bug 2: "3 sent" only when 3 were emailed; the others are named with the reason
    and a personal link HR can copy."""
    programme = make_programme(world)
    make_person(world.org, "E1", 3, email="e1@acme.test", name="Ema")
    make_person(world.org, "N1", 3, name="Ned")
    make_person(world.org, "N2", 3, name="Noa")
    browser = browser_for(world.manager)
    response = browser.post(reverse("web:programme_invite", args=[programme.pk]), {"people": "E1\nN1\nN2"})
    assert response.status_code == 302
    assert response.url.endswith("#invitations")
    page = browser.get(response.url).content.decode()
    assert "1 invitation emailed." in page
    assert "3 invitation" not in page
    assert "2 not reached by email (no email address in the people directory): Ned, Noa." in page
    for hris_id in ("N1", "N2"):
        token = Invitation.objects.get(programme=programme, person__hris_id=hris_id).token
        assert f"/invitations/{token}/" in page
    assert page.count("data-copy=") == 2  # Ema was emailed; her link stays private
    again = browser.post(reverse("web:programme_invite", args=[programme.pk]), {"people": "E1"})
    assert "1 already invited, so not emailed again." in browser.get(again.url).content.decode()


def test_closing_a_programme_asks_first(world, browser_for):
    programme = make_programme(world)
    browser = browser_for(world.manager)
    url = reverse("web:programme_status", args=[programme.pk])
    ask = browser.post(url, {"to": "closed"})
    assert ask.status_code == 200
    assert "cannot be undone" in ask.content.decode()
    programme.refresh_from_db()
    assert programme.status == Status.ENROLLING
    assert browser.post(url, {"to": "closed", "confirmed": "yes"}).status_code == 302
    programme.refresh_from_db()
    assert programme.status == Status.CLOSED
