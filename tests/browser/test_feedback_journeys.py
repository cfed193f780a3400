"""Issue 13 journeys in a real browser, with axe on every page visited:

(a) two peers each answer the pulse and the fit check after their logged session;
(b) a programme manager sees an at-risk partnership, and why, after time passes;
(c) a member raises a concern and the support contact closes it; the member reads the outcome.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.utils import timezone

from stepahead.concerns.services import set_support_contact
from stepahead.feedback.models import FitCheck, Pulse
from stepahead.organisations.models import Membership, Role
from stepahead.organisations.services import create_organisation
from stepahead.programmes.models import ProgrammeManager
from stepahead.programmes.services import create_programme
from tests.integration.factories import World
from tests.integration.feedback.factories import accepted_partnership, agree, session

pytestmark = pytest.mark.browser
PASSWORD = "x-password-123"


def _i(text: str) -> re.Pattern[str]:
    return re.compile(text, re.IGNORECASE)


@pytest.fixture
def setting(django_user_model):
    def user(email):
        return django_user_model.objects.create_user(username=email, email=email, password=PASSWORD)

    admin, hr, care = user("admin@acme.test"), user("hr@acme.test"), user("care@acme.test")
    org = create_organisation(name="Acme", slug="acme", admin_user=admin)
    Membership.objects.create(organisation=org, user=hr, role=Role.PROGRAMME_MANAGER)
    Membership.objects.create(organisation=org, user=care, role=Role.PARTICIPANT)
    programme = create_programme(actor=admin, organisation=org, name="Peers 2026", mode="peer")
    ProgrammeManager.objects.create(programme=programme, user=hr)
    world = World(org, admin, hr, hr, org, admin)
    pair = accepted_partnership(world, programme, "peer")
    for member_user in pair.users:
        member_user.set_password(PASSWORD)
        member_user.save()
    agree(pair)
    for login in [admin, hr, care, *pair.users]:  # verified, as after sign-up (verification is mandatory)
        if not EmailAddress.objects.filter(user=login).update(verified=True):
            EmailAddress.objects.create(user=login, email=login.email, verified=True, primary=True)
    return {"programme": programme, "pair": pair, "hr": hr, "care": care, "admin": admin}


def sign_in(page, axe, email):
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label(_i("e-?mail")).fill(email)
    page.get_by_label(_i("^password")).fill(PASSWORD)
    page.get_by_role("button", name=_i("sign in|log in")).click()
    page.wait_for_load_state()


def test_each_peer_answers_the_pulse_and_the_fit_check(page, axe, setting):
    pair = setting["pair"]
    held = session(pair, timezone.now() - timedelta(hours=3), held=True)
    for n, user in enumerate(pair.users):
        sign_in(page, axe, user.email)
        page.goto(f"/partnerships/{pair.partnership.pk}/feedback/")
        axe(page, context="feedback page")
        page.get_by_role("group", name=_i("how valuable")).get_by_label(str(4 + n)).check()
        page.get_by_role("button", name=_i("^send$")).click()
        page.get_by_text(_i("noted")).wait_for()
        fit = page.get_by_role("group", name=_i("good fit"))
        fit.get_by_label("Yes" if n == 0 else "No", exact=True).check()
        page.get_by_role("button", name=_i("send my answer")).click()
        page.get_by_text(_i("your answer is private")).wait_for()
        axe(page, context="after answering")
    page.get_by_role("button", name=_i("new partner")).click()
    page.get_by_text(_i("nobody is at fault")).first.wait_for()
    assert sorted(Pulse.objects.filter(session=held).values_list("value", flat=True)) == [4, 5]
    assert sorted(FitCheck.objects.values_list("good_fit", "rematch_requested")) == [
        (False, True),
        (True, False),
    ]


def test_a_manager_sees_a_partnership_at_risk_after_time_passes(page, axe, setting):
    programme = setting["programme"]
    sign_in(page, axe, "hr@acme.test")
    page.goto(f"/programmes/{programme.pk}/at-risk/")
    axe(page, context="at risk, nothing yet")
    page.get_by_text(_i("no partnership is at risk")).wait_for()
    with time_machine.travel(timezone.now() + timedelta(days=20), tick=True):
        sign_in(page, axe, "hr@acme.test")  # the session from 20 days ago has expired
        page.goto(f"/programmes/{programme.pk}/at-risk/")
        row = page.get_by_role("row", name=_i("peer0"))
        row.get_by_text(_i("no session for longer than the agreed cadence")).wait_for()
        axe(page, context="at risk")


def test_a_member_raises_a_concern_and_the_support_contact_closes_it(page, axe, setting):
    pair, programme = setting["pair"], setting["programme"]
    set_support_contact(actor=setting["admin"], programme=programme, user=setting["care"])
    sign_in(page, axe, pair.users[0].email)
    page.goto(f"/partnerships/{pair.partnership.pk}/feedback/")
    page.get_by_role("link", name=_i("raise a concern")).click()
    axe(page, context="raise a concern")
    page.get_by_label(_i("what is it about")).select_option(label="Confidentiality breach")
    page.get_by_label(_i("what happened")).fill("Details of our talk reached my team.")
    page.get_by_role("button", name=_i("send privately")).click()
    page.get_by_text(_i("sent privately")).wait_for()
    concern_url = page.url

    sign_in(page, axe, pair.users[1].email)
    assert page.goto(concern_url).status == 404

    sign_in(page, axe, "care@acme.test")
    page.goto("/concerns/")
    axe(page, context="concern list")
    page.get_by_role("link", name=re.compile(r"\d")).first.click()
    page.get_by_text("Details of our talk reached my team.").wait_for()
    box = page.get_by_label(_i("step taken"))
    box.fill("Talked with both; agreed what stays in the room.")
    page.get_by_role("button", name=_i("record step")).click()
    page.get_by_label(_i("step taken")).fill("Resolved: ground rules restated and confirmed.")
    page.get_by_role("button", name=_i("close with this outcome")).click()
    page.get_by_text(_i("is closed and its author told")).wait_for()
    axe(page, context="closed concern")

    sign_in(page, axe, pair.users[0].email)
    page.goto(concern_url)
    page.get_by_text(_i("ground rules restated")).wait_for()
    assert page.get_by_role("button", name=_i("close")).count() == 0
