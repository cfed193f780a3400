"""Issue 11 "HR can act", in a real browser with axe on every page and state: HR reopens
enrolment for a late joiner and enrols her on her behalf, then withdraws someone after a
confirmation naming what happens to their proposal; on the review board HR undoes a discard and
a pin, pairs two people by hand after checking the strength and the engine's reasons, and
confirms before approving. Screenshots at laptop and phone sizes go to test-artifacts/hract/."""

from __future__ import annotations

import pytest

from stepahead.matchruns.mapper import Draft
from stepahead.partnerships.models import Partnership, PartnershipStatus
from stepahead.partnerships.services import record_proposals
from stepahead.programmes.models import Enrolment, EnrolmentEvent, Programme, Status
from stepahead.programmes.services import assign_programme_manager, create_programme, save_enrolment
from tests.browser import test_journeys
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_journeys import _i, click, go, sign_in
from tests.integration.factories import make_person

pytestmark = pytest.mark.browser
acme = test_journeys.acme  # the fixture: an organisation with an admin, HR and a participant
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}
PEOPLE = {  # A↔B and C↔D are reciprocal pairs
    "A1": ("Ada", "Finance", {"excel": 3, "sql": 1}, ["sql"]),
    "B1": ("Bo", "Data", {"sql": 3, "excel": 1}, ["excel"]),
    "C1": ("Cy", "Sales", {"negotiation": 3, "pitching": 1}, ["pitching"]),
    "D1": ("Di", "Sales", {"pitching": 3, "negotiation": 1}, ["negotiation"]),
}


def shoot(page, name: str) -> None:
    folder = ARTIFACTS / "hract"
    folder.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    for label, viewport in (("laptop", LAPTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        page.screenshot(path=str(folder / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size(size)


def _programme(acme, enrolled=("A1", "B1", "C1")):
    programme = create_programme(
        actor=acme["admin"], organisation=acme["org"], name="Peer pairs", mode="peer"
    )
    assign_programme_manager(actor=acme["admin"], programme=programme, user=acme["hr"])
    Programme.objects.filter(pk=programme.pk).update(status=Status.ENROLLING)
    programme.refresh_from_db()
    enrolments = {}
    for hris_id, (name, function, skills, goals) in PEOPLE.items():
        person = make_person(
            acme["org"],
            hris_id,
            3,
            name=name,
            function=function,
            skills=skills,
            goals=goals,
            languages=["en"],
        )
        if hris_id in enrolled:
            enrolments[hris_id] = save_enrolment(programme=programme, person=person)
    Programme.objects.filter(pk=programme.pk).update(status=Status.MATCHING)
    programme.refresh_from_db()
    return programme, enrolments


def test_hr_reopens_enrolment_enrols_a_late_joiner_on_her_behalf_and_withdraws_someone(page, axe, acme):
    programme, e = _programme(acme)
    (ab,) = record_proposals(
        programme=programme,
        match_run=None,
        drafts=[Draft("pair", ((e["A1"], "peer"), (e["B1"], "peer")), 1.5, ())],
    )
    sign_in(page, axe, "hr@acme.test")
    page.goto(f"/programmes/{programme.pk}/")
    click(page, axe, "reopen enrolment for late joiners")
    page.get_by_text(_i("enrolment is open for late joiners")).first.wait_for()
    go(page, axe, "enrol someone on their behalf")

    search = page.get_by_label("Find a person")
    # Wait for the narrowed list itself: "Di" is in the full list too, and a click while the
    # search is in flight would race it (the live server's threads share one SQLite connection).
    with page.expect_response(lambda r: "partial=candidates" in r.url):
        search.fill("sales")  # by function; the list narrows as HR types
    page.locator("#candidates").get_by_text("Di").wait_for()
    assert page.locator("#candidates").get_by_text("Ada").count() == 0  # enrolled already
    axe(page)
    shoot(page, "enrol-picker")
    page.locator("#candidates").get_by_role("link", name=_i("^Di")).click()
    page.wait_for_load_state()
    page.get_by_role("group", name="What Di knows").wait_for()
    page.get_by_label("Skill 1", exact=True).fill("pitching")
    page.get_by_label("Level in skill 1").select_option(label="4 · Can teach")
    page.get_by_label("Goal 1 (most important)").fill("negotiation")
    axe(page)
    shoot(page, "enrol-answers")
    click(page, axe, "^enrol di")
    page.get_by_text(_i("enrolled di in peer pairs, on their behalf")).wait_for()
    di = Enrolment.objects.get(programme=programme, person__hris_id="D1")
    # her directory levels were prefilled; HR raised pitching to "can teach"
    assert (di.status, di.skills, di.goals) == ("active", {"pitching": 4, "negotiation": 1}, ["negotiation"])
    assert EnrolmentEvent.objects.get(enrolment=di).on_behalf
    page.get_by_text(_i("enrolled by hr@acme.test")).wait_for()
    shoot(page, "enrolments")

    page.get_by_role("button", name=_i("withdraw ada")).click()
    page.wait_for_load_state()
    page.get_by_text(_i(f"proposal #{ab.pk} with bo is discarded")).wait_for()
    axe(page)
    shoot(page, "withdraw-confirm")
    click(page, axe, "^withdraw ada")
    page.get_by_text(_i("ada is withdrawn from peer pairs. 1 proposal discarded")).wait_for()
    assert Enrolment.objects.get(pk=e["A1"].pk).status == "withdrawn"
    assert Partnership.objects.get(pk=ab.pk).status == PartnershipStatus.WITHDRAWN
    assert page.js_errors == []


def _wait_for_feedback(page, text: str) -> None:
    page.locator("#review-feedback").get_by_text(_i(text)).wait_for()


def test_hr_undoes_pairs_by_hand_and_confirms_before_approving(page, axe, acme):
    programme, e = _programme(acme, enrolled=("A1", "B1", "C1", "D1"))
    ab, cd = record_proposals(
        programme=programme,
        match_run=None,
        drafts=[
            Draft(
                "pair", ((e["A1"], "peer"), (e["B1"], "peer")), 1.5, ("Ada is ahead of Bo in excel (3 vs 1)",)
            ),
            Draft("pair", ((e["C1"], "peer"), (e["D1"], "peer")), 1.2, ("Cy is ahead of Di in negotiation",)),
        ],
    )
    sign_in(page, axe, "hr@acme.test")
    page.goto(f"/programmes/{programme.pk}/proposals/")
    axe(page)

    # Discard, then Undo: the proposal comes back with its reasons, and the counts with it.
    page.get_by_role("button", name=f"Discard proposal #{ab.pk}").click()
    _wait_for_feedback(page, "discarded")
    page.locator("#review-figures").get_by_text(_i("2 placed · 0 declined · 2 unmatched")).wait_for()
    page.get_by_role("button", name="Approve the proposal").wait_for()  # the approve card follows too
    axe(page)
    shoot(page, "discarded")
    page.get_by_role("button", name=f"Undo discarding proposal #{ab.pk}").click()
    _wait_for_feedback(page, "is back, as it was")
    page.locator("#review-figures").get_by_text(_i("4 placed · 0 declined · 0 unmatched")).wait_for()
    page.get_by_text("Ada is ahead of Bo in excel (3 vs 1)").wait_for()
    assert Partnership.objects.get(pk=ab.pk).status == PartnershipStatus.PROPOSED

    # Pin, then Undo: unpinned again.
    page.get_by_role("button", name=f"Pin proposal #{cd.pk}").click()
    _wait_for_feedback(page, "pinned: matching again keeps it")
    page.get_by_role("button", name=f"Unpin proposal #{cd.pk}").wait_for()
    page.get_by_role("button", name=f"Undo pinning proposal #{cd.pk}").click()
    _wait_for_feedback(page, "unpinned")
    page.get_by_role("button", name=f"Pin proposal #{cd.pk}").wait_for()
    assert not Partnership.objects.get(pk=cd.pk).pinned
    axe(page)

    # Pair by hand: first a pair the rules refuse (the rule is named), then one they allow.
    page.get_by_role("button", name=f"Discard proposal #{cd.pk}").click()
    _wait_for_feedback(page, "discarded")
    form = page.get_by_test_id("pair-form")
    form.get_by_label("First person").select_option(label="Cy (Sales · grade 3)")
    form.get_by_label("Second person").select_option(label="Cy (Sales · grade 3)")
    form.get_by_role("button", name=_i("check this pair")).click()
    page.get_by_test_id("group-refused").get_by_text(_i("cannot appear twice")).wait_for()
    form.get_by_label("Second person").select_option(label="Di (Sales · grade 3)")
    form.get_by_role("button", name=_i("check this pair")).click()
    preview = page.get_by_test_id("group-preview")
    preview.get_by_text(_i("cy is ahead of di in negotiation")).wait_for()
    assert "/100" in preview.inner_text()
    assert preview.locator("[title^='Score ']").count() == 1  # the raw score in a tooltip
    axe(page)
    shoot(page, "pair-preview")
    preview.get_by_role("button", name="Pair Cy and Di").click()
    _wait_for_feedback(page, "made by hand: cy and di")
    page.locator("#review-figures").get_by_text(_i("4 placed · 0 declined · 0 unmatched")).wait_for()
    made = Partnership.objects.get(programme=programme, status=PartnershipStatus.PROPOSED, adjusted=True)
    assert made.pinned
    assert any("Cy" in reason and "Di" in reason for reason in made.reasons)
    axe(page)

    # Approving asks first, naming who will be emailed.
    click(page, axe, "^approve all 2 proposals")
    page.get_by_text(_i("what will happen")).wait_for()
    assert not Partnership.objects.filter(programme=programme, status=PartnershipStatus.APPROVED).exists()
    shoot(page, "approve-confirm")
    click(page, axe, "^approve and email 4 people")
    assert Partnership.objects.filter(programme=programme, status=PartnershipStatus.APPROVED).count() == 2
    assert page.js_errors == []
