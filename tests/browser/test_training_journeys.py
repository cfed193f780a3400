"""Mentor training records and the close form's levels, in Chromium: forms work, errors name the
field, axe-core clean, no console or CSP errors."""

from __future__ import annotations

import pytest

from tests.browser.test_insights import _sign_in, _watch_console
from tests.integration.factories import build_world, make_person
from tests.integration.partnering import active

pytestmark = pytest.mark.browser


def test_hr_records_a_persons_training_and_the_person_sees_it(page, axe):
    world = build_world()
    person = make_person(world.org, "P", 3, name="Pat Lee", user=world.participant)
    problems = _watch_console(page)
    _sign_in(page, "manager@acme.test")
    page.goto(f"/people/{person.pk}/")
    page.get_by_role("link", name="Add a training record").click()
    axe(page, context="add training")
    page.get_by_label("Course").fill("Foundation Certificate in Mentoring")
    page.get_by_label("Provider").fill("Northern Coaching Academy")
    page.get_by_label("Accreditation").fill("EMCC EQA")
    page.get_by_label("Completed on").fill("2999-01-01")
    page.get_by_role("button", name="Save the record").click()
    page.get_by_text("is in the future").wait_for()
    page.get_by_label("Completed on").fill("2026-03-12")
    page.get_by_role("button", name="Save the record").click()
    page.wait_for_url(f"**/people/{person.pk}/#training-h")
    row = page.locator("#training-h + div tbody tr")
    assert "EMCC EQA" in row.inner_text()
    axe(page, context="person page with training")
    page.context.clear_cookies()
    _sign_in(page, "pat@acme.test")
    page.get_by_role("link", name="My training").click()
    assert "Foundation Certificate in Mentoring" in page.locator("tbody").inner_text()
    axe(page, context="my training")
    assert page.js_errors == []
    # The refused date answers 400 (the form with its error), as it should; nothing else failed.
    assert [p.split(" ")[0] for p in problems] == ["400"]
    assert problems[0].endswith(f"/people/{person.pk}/training/add/")


def test_closing_asks_each_member_their_level_now(page, axe):
    world = build_world()
    built = active(world)
    problems = _watch_console(page)
    _sign_in(page, "a@acme.test")
    page.goto(f"/partnerships/{built.partnership.pk}/close/")
    field = page.get_by_label("Your level now in sql")
    assert field.count() == 1
    axe(page, context="close form")
    assert page.js_errors == []
    assert problems == []
