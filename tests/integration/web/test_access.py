"""Layout, sign-in and the permission rules every page follows."""

import pytest
from django.urls import reverse

from tests.integration.factories import make_programme

HR_PAGES = [
    ("web:dashboard", ()),
    ("web:programme_list", ()),
    ("web:programme_create", ()),
    ("web:people", ()),
    ("web:import_upload", ()),
]
PROGRAMME_PAGES = [
    "web:programme_detail",
    "web:programme_edit",
    "web:enrolments",
    "web:run_history",
    "web:proposals",
]


def test_login_page_is_styled_and_labelled(db, browser_for):
    response = browser_for().get("/accounts/login/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="#main"' in html  # skip link
    assert "web/css/app.css" in html
    assert '<label for="id_login">' in html
    assert "Sign In" in html


def test_sign_in_with_email_and_password_lands_on_the_dashboard(world, browser_for):
    browser = browser_for()
    browser.get("/accounts/login/")
    response = browser.post(
        "/accounts/login/", {"login": "manager@acme.test", "password": "x-password-123"}, page=""
    )
    assert response.status_code == 302
    assert browser.get(response.url, follow=True).status_code == 200


def test_bad_sign_in_shows_the_error_next_to_the_form(world, browser_for):
    browser = browser_for()
    browser.get("/accounts/login/")
    response = browser.post("/accounts/login/", {"login": "manager@acme.test", "password": "wrong"}, page="")
    assert response.status_code == 200  # allauth re-renders the form
    assert b'role="alert"' in response.content


@pytest.mark.parametrize(("name", "args"), HR_PAGES)
def test_anonymous_users_are_sent_to_sign_in(db, browser_for, name, args):
    response = browser_for().get(reverse(name, args=args))
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


@pytest.mark.parametrize(("name", "args"), HR_PAGES)
def test_participants_cannot_reach_hr_pages(world, browser_for, name, args):
    response = browser_for(world.participant).get(reverse(name, args=args))
    assert response.status_code == 403
    assert b"HR staff" in response.content


@pytest.mark.parametrize("name", PROGRAMME_PAGES)
def test_programmes_of_another_organisation_are_404(world, browser_for, name):
    programme = make_programme(world)
    assert browser_for(world.other_admin).get(reverse(name, args=[programme.pk])).status_code == 404
    assert browser_for(world.manager).get(reverse(name, args=[programme.pk])).status_code == 200
    assert browser_for(world.participant).get(reverse(name, args=[programme.pk])).status_code == 403


def test_nav_shows_what_the_role_can_do(world, browser_for):
    hr = browser_for(world.manager).get("/").content.decode()
    assert ">People</a>" in hr
    assert ">Programmes</a>" in hr
    participant = browser_for(world.participant).get("/", follow=True).content.decode()
    assert ">People</a>" not in participant
    assert ">My programmes</a>" in participant


def test_pages_carry_the_csp_nonce_and_no_inline_styles(world, browser_for):
    response = browser_for(world.manager).get("/")
    html = response.content.decode()
    assert "Content-Security-Policy" in response.headers
    assert 'style="' not in html
    assert "<script src=" in html
    assert "nonce=" in html


def test_switching_organisation(world, browser_for):
    from stepahead.organisations.models import Membership, Role

    Membership.objects.create(organisation=world.other_org, user=world.manager, role=Role.PROGRAMME_MANAGER)
    browser = browser_for(world.manager)
    response = browser.post(reverse("web:switch_org"), {"organisation": world.other_org.pk})
    assert response.status_code == 302
    assert b"Globex" in browser.get("/").content
    bad = browser.post(reverse("web:switch_org"), {"organisation": "x"})
    assert bad.status_code == 400


def test_posts_without_csrf_token_are_refused(world, browser_for):
    programme = make_programme(world, status="draft")
    browser = browser_for(world.manager)
    response = browser.client.post(reverse("web:programme_status", args=[programme.pk]), {"to": "enrolling"})
    assert response.status_code == 403
