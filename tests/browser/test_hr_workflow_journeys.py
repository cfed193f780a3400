"""Issue 11 journeys in a real browser, axe on every page: HR reopens enrolment for a late joiner
and confirms before running matching again; a participant picks skills and levels from the
organisation's list on a phone-sized screen. Screenshots of the changed pages go to
test-artifacts/hrflow/ (laptop and phone sizes) for people to look at."""

from __future__ import annotations

import pytest

from stepahead.matchruns.services import execute_match_run, start_match_run
from stepahead.partnerships.models import Partnership, PartnershipStatus
from stepahead.partnerships.services import approve_proposals
from stepahead.people.models import Skill
from stepahead.people.services import add_skill_alias
from stepahead.programmes.models import Enrolment, Programme, Status
from stepahead.programmes.services import assign_programme_manager, create_programme, save_enrolment
from tests.browser import test_journeys
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_journeys import _i, click, sign_in
from tests.integration.factories import make_person

pytestmark = pytest.mark.browser
acme = test_journeys.acme  # the fixture: an organisation with an admin, HR and a participant
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}


def shoot(page, name: str) -> None:
    """Full-page screenshots at laptop and phone sizes (the page stays at its current size)."""
    folder = ARTIFACTS / "hrflow"
    folder.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    for label, viewport in (("laptop", LAPTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        page.screenshot(path=str(folder / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size(size)


def _programme(acme, name="Peer pairs"):
    programme = create_programme(actor=acme["admin"], organisation=acme["org"], name=name, mode="peer")
    assign_programme_manager(actor=acme["admin"], programme=programme, user=acme["hr"])
    Programme.objects.filter(pk=programme.pk).update(status=Status.ENROLLING)
    programme.refresh_from_db()
    return programme


def test_hr_reopens_enrolment_for_a_late_joiner_and_confirms_the_run(page, axe, acme):
    org, hr = acme["org"], acme["hr"]
    programme = _programme(acme)
    people = {
        "A": make_person(
            org, "A1", 3, skills={"excel": 3, "sql": 1}, goals=["sql"], name="Ada", user=acme["pat"]
        ),
        "B": make_person(org, "B1", 3, skills={"sql": 3, "excel": 1}, goals=["excel"], name="Bo"),
        "C": make_person(
            org, "C1", 3, skills={"negotiation": 3, "pitching": 1}, goals=["pitching"], name="Cy"
        ),
    }
    for person in people.values():
        save_enrolment(programme=programme, person=person)
    run = start_match_run(actor=hr, programme=programme)
    execute_match_run(run_id=run.pk)
    approve_proposals(actor=hr, programme=programme)
    late = make_person(
        org, "D1", 3, skills={"pitching": 3, "negotiation": 1}, goals=["negotiation"], name="Di"
    )

    sign_in(page, axe, "hr@acme.test")
    page.goto(f"/programmes/{programme.pk}/")
    axe(page)
    click(page, axe, "reopen enrolment for late joiners")
    page.get_by_text(_i("enrolment is open for late joiners")).first.wait_for()
    shoot(page, "programme-late-enrolment")
    page.locator("form[action$='/invite/'] [name=people]").fill("D1")
    click(page, axe, "send invitations")
    page.get_by_text(_i("not reached by email")).first.wait_for()  # Di has no email address
    assert page.locator("input[data-copy-source]").count() == 1
    shoot(page, "invitations-not-reached")
    save_enrolment(programme=programme, person=late)  # Di enrols through her personal link

    page.goto(f"/programmes/{programme.pk}/")
    click(page, axe, "run matching")
    page.get_by_text(_i("what will happen")).first.wait_for()
    shoot(page, "confirm-run")
    assert not Partnership.objects.filter(programme=programme, status=PartnershipStatus.PROPOSED).exists()
    click(page, axe, "^run matching")
    page.get_by_text(_i("matching finished")).first.wait_for()
    shoot(page, "run-finished")
    proposed = Partnership.objects.get(programme=programme, status=PartnershipStatus.PROPOSED)
    assert {m.enrolment.person.name for m in proposed.members.all()} == {"Cy", "Di"}
    assert Partnership.objects.filter(programme=programme, status=PartnershipStatus.APPROVED).count() == 1

    page.goto(f"/programmes/{programme.pk}/proposals/")
    axe(page)
    shoot(page, "proposals")
    assert page.js_errors == []


def test_participant_picks_skills_and_levels_from_the_list_on_a_phone(page, axe, acme):
    org = acme["org"]
    programme = _programme(acme, "Phone programme")
    make_person(org, "X1", 3, skills={"excel": 1, "sql": 1, "negotiation": 1}, languages=["en", "de"])
    add_skill_alias(
        actor=acme["admin"], skill=Skill.objects.get(organisation=org, key="excel"), alias="spreadsheets"
    )
    pat = make_person(org, "P1", 3, name="Pat", user=acme["pat"], languages=["en"])
    Enrolment.objects.create(programme=programme, person=pat)
    sign_in(page, axe, "pat@acme.test")
    page.set_viewport_size(PHONE)
    page.goto(f"/my/programmes/{programme.pk}/")
    axe(page)
    page.get_by_label("Skill 1", exact=True).fill("Spreadsheets")
    # the alias is resolved as Pat types
    page.locator(".skill-hint").get_by_text(_i("means excel")).wait_for()
    page.get_by_label("Level in skill 1").select_option(label="4 · Can teach")
    page.get_by_label("Skill 2", exact=True).fill("sql")
    page.get_by_label("Level in skill 2").select_option(label="1 · Learning")
    page.get_by_label("Goal 1 (most important)").fill("negotiation")
    page.get_by_label("German (de)").check()
    axe(page)
    shoot(page, "enrolment-form")
    click(page, axe, "save")
    enrolment = Enrolment.objects.get(programme=programme, person=pat)
    assert enrolment.skills == {"excel": 4, "sql": 1}
    assert enrolment.goals == ["negotiation"]
    assert sorted(enrolment.languages) == ["de", "en"]
    assert page.js_errors == []
