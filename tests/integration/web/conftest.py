"""Web UI tests: a CSRF-enforcing client per user, and a programme with proposals to review."""

from __future__ import annotations

from html.parser import HTMLParser

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


class _FormReader(HTMLParser):
    """Collects what a browser would submit from the forms of a page: inputs (checked boxes
    only), selected options and textareas, per form (by the form's `action`, "" for none)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: dict[str, list[tuple[str, str]]] = {}
        self._action: str | None = None
        self._select: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def _add(self, name: str | None, value: str) -> None:
        if name and self._action is not None:
            self.forms[self._action].append((name, value))

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._action = a.get("action", "")
            self.forms.setdefault(self._action, [])
        elif tag == "input" and "disabled" not in a:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button"):
                self._add(a.get("name"), a.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "select" and "disabled" not in a:
            self._select = a.get("name")
        elif tag == "option" and self._select and "selected" in a:
            self._add(self._select, a.get("value", ""))
        elif tag == "textarea" and "disabled" not in a:
            self._textarea, self._text = a.get("name"), []

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._action = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self._add(self._textarea, "".join(self._text).removeprefix("\n"))
            self._textarea = None


def submitted_values(html: str, action: str = "") -> dict[str, str | list[str]]:
    """What submitting the page's form with `action` unchanged would send (repeated names as lists)."""
    reader = _FormReader()
    reader.feed(html)
    values: dict[str, str | list[str]] = {}
    for name, value in reader.forms[action]:
        if name in values:
            previous = values[name]
            values[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            values[name] = value
    values.pop("csrfmiddlewaretoken", None)
    return values
