"""Error pages keep the navigation and the programme context (issue 11): 400, 403, 404 and 500
render in the site's layout, with a way back to the programme the address was under when the
user may see it; a bad Host header still gets its (anonymous) 400 page."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from stepahead.web.views.errors import server_error
from tests.integration.factories import enrol_peers, make_programme

NAV_HR = 'href="/programmes/"'
NAV_PARTICIPANT = 'href="/my/programmes/"'


def _client(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def _back_link(html: str) -> str | None:
    marker = 'data-testid="back-to-programme"'
    if marker not in html:
        return None
    start = html.rindex("<a ", 0, html.index(marker))
    return html[start : html.index("</a>", start)]


def test_a_404_under_a_programme_keeps_the_navigation_and_links_back(world):
    programme = make_programme(world)
    response = _client(world.manager).get(f"/programmes/{programme.pk}/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in html
    assert NAV_HR in html
    assert "Sign out" in html
    link = _back_link(html)
    assert link is not None
    assert f'href="{reverse("web:programme_detail", args=[programme.pk])}"' in link
    assert f"Back to {programme.name}" in link


def test_a_404_never_names_a_programme_of_another_organisation(world):
    programme = make_programme(world)
    response = _client(world.other_admin).get(f"/programmes/{programme.pk}/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert _back_link(html) is None
    assert programme.name not in html
    assert "Sign out" in html  # still the signed-in layout


def test_a_403_keeps_the_navigation_and_sends_a_participant_to_their_view(world):
    programme = make_programme(world)
    enrol_peers(world, programme)  # A is the participant
    response = _client(world.participant).get(reverse("web:proposals", args=[programme.pk]))
    html = response.content.decode()
    assert response.status_code == 403
    assert "This page is for HR staff running programmes." in html
    assert NAV_PARTICIPANT in html
    assert NAV_HR not in html
    link = _back_link(html)
    assert link is not None
    assert f'href="{reverse("web:my_programme", args=[programme.pk])}"' in link


@pytest.mark.urls("tests.integration.web.faulty_urls")
def test_a_500_keeps_the_navigation_and_the_programme(world):
    programme = make_programme(world)
    response = _client(world.manager).get(f"/programmes/{programme.pk}/crashes/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong" in html
    assert NAV_HR in html
    assert f"Back to {programme.name}" in (_back_link(html) or "")


def test_a_500_that_cannot_be_drawn_in_the_layout_falls_back_to_the_plain_page(world):
    request = RequestFactory().get("/programmes/1/")
    request.user = world.manager  # no session: the navigation cannot be worked out
    response = server_error(request)
    assert response.status_code == 500
    assert b"Something went wrong" in response.content
    assert b"Sign out" not in response.content


@pytest.mark.urls("tests.integration.web.faulty_urls")
def test_a_400_keeps_the_navigation_and_the_programme(world):
    programme = make_programme(world)
    response = _client(world.manager).get(f"/programmes/{programme.pk}/refused/")
    html = response.content.decode()
    assert response.status_code == 400
    assert "Bad request" in html
    assert NAV_HR in html
    assert f"Back to {programme.name}" in (_back_link(html) or "")


def test_a_bad_host_gets_an_anonymous_400_page_in_the_layout(world, settings):
    """Refused before the authentication middleware ran: no request.user, yet a full page."""
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["stepahead.example"]
    programme = make_programme(world)
    client = Client(raise_request_exception=False)
    client.force_login(world.manager)
    response = client.get(f"/programmes/{programme.pk}/", HTTP_HOST="evil.example")
    html = response.content.decode()
    assert response.status_code == 400
    assert "Bad request" in html
    assert 'class="site-header"' in html
    assert "Sign out" not in html
    assert _back_link(html) is None
