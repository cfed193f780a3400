"""Issue 11 journeys, axe on every page: HR compares two runs with different parameters (a
what-if run) and adopts one; a participant on a phone types a skill the list lacks and HR
decides on the suggestion; HR filters the directory and opens a person's page. Screenshots go to
test-artifacts/hrflow/ at laptop and phone sizes."""

from __future__ import annotations

import pytest

from stepahead.matchruns.services import execute_match_run, start_match_run
from stepahead.people.models import Skill
from stepahead.programmes.models import Enrolment
from stepahead.programmes.services import save_enrolment
from tests.browser import test_journeys
from tests.browser.test_hr_workflow_journeys import PHONE, _programme, shoot
from tests.browser.test_journeys import _i, click, sign_in
from tests.integration.factories import make_person

pytestmark = pytest.mark.browser
acme = test_journeys.acme


def test_hr_compares_a_what_if_run_with_other_settings_and_adopts_it(page, axe, acme):
    org, hr = acme["org"], acme["hr"]
    programme = _programme(acme, "Peer pairs")
    for hris, grade, skills, goals, name, function in (
        ("A1", 3, {"excel": 3, "sql": 1}, ["sql"], "Ada", "Finance"),
        ("B1", 3, {"sql": 3, "excel": 1}, ["excel"], "Bo", "Sales"),
        ("C1", 3, {"negotiation": 3, "pitching": 1}, ["pitching"], "Cy", "Finance"),
        ("D1", 5, {"pitching": 3, "negotiation": 1}, ["negotiation"], "Di", "IT"),
    ):
        person = make_person(org, hris, grade, skills=skills, goals=goals, name=name, function=function)
        save_enrolment(programme=programme, person=person)
    first = start_match_run(actor=hr, programme=programme)  # band 1: Cy and Di are two grades apart
    execute_match_run(run_id=first.pk)

    sign_in(page, axe, "hr@acme.test")
    page.goto(f"/programmes/{programme.pk}/")
    page.get_by_role("link", name=_i("try other settings")).first.click()
    page.wait_for_load_state()
    axe(page)
    page.get_by_label("Peer grade band").fill("2")
    shoot(page, "what-if-form")
    click(page, axe, "start the what-if run")
    page.get_by_text(_i("not proposed: a what-if run")).wait_for()
    shoot(page, "what-if-run")
    page.get_by_role("link", name=_i(f"compare with run #{first.pk}")).click()
    page.wait_for_load_state()
    axe(page)
    page.get_by_text(_i("2 people differ")).wait_for()
    table = page.locator("table", has=page.get_by_text("People whose outcome differs"))
    assert "With Di" in table.inner_text()
    assert "Unmatched:" in table.inner_text()
    assert "C1" not in page.locator("main").inner_text()  # names, not HRIS ids
    shoot(page, "compare-runs")
    page.get_by_role("button", name=_i("adopt run")).last.click()
    page.wait_for_load_state()
    axe(page)
    page.get_by_text(_i("peer band: 1 → 2")).wait_for()
    click(page, axe, "adopt this run")
    page.get_by_text(_i("adopted: 2 proposals to review")).wait_for()
    programme.refresh_from_db()
    assert programme.band == 2
    assert page.js_errors == []


def test_a_new_skill_typed_on_a_phone_is_a_suggestion_hr_adds(page, axe, acme):
    org = acme["org"]
    programme = _programme(acme, "Phone programme")
    make_person(org, "X1", 3, skills={"excel": 1, "docker": 1})  # the organisation's list
    pat = make_person(org, "P1", 3, name="Pat", user=acme["pat"], languages=["en"])
    Enrolment.objects.create(programme=programme, person=pat)
    sign_in(page, axe, "pat@acme.test")
    page.set_viewport_size(PHONE)
    page.goto(f"/my/programmes/{programme.pk}/")
    page.get_by_label("Skill 1", exact=True).fill("excel")
    page.get_by_label("Level in skill 1").select_option(label="3 · Comfortable")
    page.get_by_label("Skill 2", exact=True).fill("Kubernetes")
    page.locator(".skill-hint").get_by_text(_i("HR will be asked to add it")).wait_for()
    page.get_by_label("Level in skill 2").select_option(label="2 · Getting there")
    axe(page)
    click(page, axe, "save")
    page.get_by_text(_i("sent them to HR as a suggestion")).wait_for()
    shoot(page, "participant-suggestion")
    assert Enrolment.objects.get(programme=programme, person=pat).skills == {"excel": 3}

    page.context.clear_cookies()
    sign_in(page, axe, "hr@acme.test")
    page.goto("/people/")
    page.get_by_role("link", name=_i(r"skill suggestions \(1\)")).click()
    page.wait_for_load_state()
    axe(page)
    shoot(page, "skill-suggestions")
    click(page, axe, "add “kubernetes” as a new skill")
    page.get_by_text(_i("is now in the skill list")).wait_for()
    assert Skill.objects.filter(organisation=org, key="kubernetes").exists()
    assert Enrolment.objects.get(programme=programme, person=pat).skills == {"excel": 3, "kubernetes": 2}
    assert page.js_errors == []


def test_hr_filters_the_directory_and_opens_a_person(page, axe, acme):
    org = acme["org"]
    programme = _programme(acme, "Peer pairs")
    for i in range(12):
        person = make_person(
            org,
            f"E{i:02d}",
            2 + i % 3,
            skills={"excel": i % 5},
            goals=["sql"],
            name=f"Person {i:02d}",
            function=("Finance", "Sales")[i % 2],
            location=("Leeds", "Paris")[i % 2],
        )
        if i < 4:
            save_enrolment(programme=programme, person=person)
    sign_in(page, axe, "hr@acme.test")
    page.goto("/people/")
    axe(page)
    page.get_by_label("Function").select_option("Sales")
    page.get_by_text(_i("6 matches with these filters")).wait_for()
    page.get_by_label("Programme").select_option(label="Peer pairs")
    page.get_by_text(_i("2 matches with these filters")).wait_for()
    axe(page)
    shoot(page, "people-filtered")
    page.get_by_role("link", name="Person 01").click()
    page.wait_for_load_state()
    axe(page)
    page.get_by_role("heading", name="Person 01").wait_for()
    assert "Peer pairs" in page.locator("main").inner_text()
    shoot(page, "person-page")
    assert page.js_errors == []
