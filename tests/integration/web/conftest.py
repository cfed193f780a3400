"""Web UI tests: a CSRF-enforcing client per user, and a programme with proposals to review."""

from __future__ import annotations

import pytest
from django.test import Client

from stepahead.matchruns.mapper import Draft
from stepahead.partnerships.services import record_proposals
from stepahead.programmes.models import Status
from tests.integration.factories import enrol_peers, make_programme


class Browser:
    """A test client that enforces CSRF like a browser: it loads a page, then posts the token
    from the csrftoken cookie."""

    def __init__(self, user=None):
        self.client = Client(enforce_csrf_checks=True)
        if user is not None:
            self.client.force_login(user)

    def get(self, url, *args, **kwargs):
        return self.client.get(url, *args, **kwargs)

    def token(self, page: str = "/") -> str:
        if "csrftoken" not in self.client.cookies:
            self.client.get(page or "/accounts/login/", follow=True)
        if "csrftoken" not in self.client.cookies:
            self.client.get("/accounts/login/", follow=True)
        return self.client.cookies["csrftoken"].value

    def post(self, url, data=None, *, page: str = "/", htmx: bool = False, **kwargs):
        data = dict(data or {})
        data["csrfmiddlewaretoken"] = self.token(page)
        if htmx:
            kwargs["headers"] = {**kwargs.get("headers", {}), "HX-Request": "true"}
        return self.client.post(url, data, **kwargs)


@pytest.fixture
def browser_for():
    return Browser


@pytest.fixture
def reviewable(world):
    """A matching peer programme with two hand-made proposals A–B and C–D (no solver needed)."""
    programme = make_programme(world)
    enrolments = enrol_peers(world, programme)
    programme.status = Status.MATCHING
    programme.save()
    drafts = [
        Draft(
            "pair", ((enrolments["A"], "peer"), (enrolments["B"], "peer")), 1.5, ("A is ahead of B in excel",)
        ),
        Draft(
            "pair",
            ((enrolments["C"], "peer"), (enrolments["D"], "peer")),
            1.2,
            ("C is ahead of D in negotiation",),
        ),
    ]
    proposals = record_proposals(programme=programme, match_run=None, drafts=drafts)
    return programme, enrolments, proposals
