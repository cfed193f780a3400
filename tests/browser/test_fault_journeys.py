"""Issue 10 faults in the browser, axe on every page: HR cancels a match run (with a
confirmation), and resends an invitation whose email could not be delivered."""

from __future__ import annotations

import re
import socket

import pytest

from stepahead.matchruns.models import MatchRun, RunStatus
from stepahead.matchruns.services import start_match_run
from stepahead.programmes.invitations import invite_people
from stepahead.programmes.models import Status
from stepahead.programmes.services import (
    change_programme_status,
    create_programme,
    save_enrolment,
)
from tests.browser.test_journeys import acme as acme_organisation
from tests.browser.test_journeys import click, go, sign_in
from tests.integration.factories import make_person

pytestmark = pytest.mark.browser
acme = acme_organisation  # the journeys' organisation fixture: admin, HR manager, participant


def _i(text: str) -> re.Pattern[str]:
    return re.compile(text, re.IGNORECASE)


def _programme(acme):
    programme = create_programme(actor=acme["hr"], organisation=acme["org"], name="Pilot", mode="peer")
    return change_programme_status(actor=acme["hr"], programme=programme, to=Status.ENROLLING)


def test_hr_cancels_a_queued_match_run_after_confirming(page, axe, acme, settings):
    programme = _programme(acme)
    for hris_id, skills, goals in (("A1", {"excel": 3}, ["sql"]), ("B1", {"sql": 3}, ["excel"])):
        person = make_person(acme["org"], hris_id, 3, skills=skills, goals=goals)
        save_enrolment(programme=programme, person=person)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # no worker: it waits
    run = start_match_run(actor=acme["hr"], programme=programme)
    sign_in(page, axe, "hr@acme.test")
    page.goto(f"/programmes/{programme.pk}/runs/{run.pk}/")
    go(page, axe, "cancel this run")
    assert MatchRun.objects.get(pk=run.pk).status == RunStatus.QUEUED  # asking changed nothing
    click(page, axe, "yes, cancel the run")
    page.get_by_text(_i("matching cancelled")).wait_for()
    assert MatchRun.objects.get(pk=run.pk).status == RunStatus.CANCELLED


def test_hr_sees_an_undelivered_invitation_and_resends_it(page, axe, acme, settings, mailoutbox):
    with socket.socket() as sock:  # a local port nobody listens on: SMTP is down
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 2},
        }
    }
    programme = _programme(acme)
    person = make_person(acme["org"], "N1", 3, email="new@acme.test", name="Nia Long")
    invite_people(actor=acme["hr"], programme=programme, people=[person])  # delivery fails at once
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    sign_in(page, axe, "hr@acme.test")
    page.goto(f"/programmes/{programme.pk}/enrolments/")
    axe(page)
    page.get_by_text(_i("email retrying")).wait_for()
    click(page, axe, "resend")
    page.get_by_text(_i("email sent")).wait_for()
    assert [m.to for m in mailoutbox] == [["new@acme.test"]]
