"""Phone-width layout of the run pages: a stacked table's label that wraps ("Average strength")
makes its row taller instead of running into the next row's label, and the evidence report's
table scrolls on its own rather than widening the page. Screenshots go to test-artifacts/tidy/."""

from __future__ import annotations

import pytest

from stepahead.matchruns.services import execute_match_run, start_match_run
from stepahead.programmes.services import save_enrolment
from tests.browser import test_journeys
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_hr_workflow_journeys import PHONE, _programme
from tests.browser.test_journeys import sign_in
from tests.integration.factories import PEERS, make_person

pytestmark = pytest.mark.browser
acme = test_journeys.acme

# Each stacked cell whose label is drawn lower than the cell ends: it overlaps the next row.
OVERFLOWING_LABELS = """() => [...document.querySelectorAll('.table-stack td[data-label]')].filter(td => {
  const label = getComputedStyle(td, '::before');
  const cell = td.getBoundingClientRect();
  const top = cell.top + parseFloat(getComputedStyle(td).paddingTop);
  return label.display !== 'none' && top + parseFloat(label.height) > cell.bottom + 0.5;
}).map(td => td.dataset.label)"""
WIDER_THAN_THE_SCREEN = "() => document.documentElement.scrollWidth > window.innerWidth"


def test_run_history_and_evidence_fit_a_phone(page, axe, acme):
    programme = _programme(acme)
    for hris_id, (skills, goals) in PEERS.items():
        person = make_person(acme["org"], hris_id, 3, skills=skills, goals=goals)
        save_enrolment(programme=programme, person=person)
    execute_match_run(run_id=start_match_run(actor=acme["hr"], programme=programme).pk)
    page.set_viewport_size(PHONE)
    sign_in(page, axe, "hr@acme.test")
    folder = ARTIFACTS / "tidy"
    folder.mkdir(parents=True, exist_ok=True)

    page.goto(f"/programmes/{programme.pk}/runs/")
    axe(page)
    page.screenshot(path=str(folder / "run-history-phone.png"), full_page=True)
    label = page.locator("td[data-label='Average strength']")
    assert label.bounding_box()["height"] > 40  # the label wraps onto two lines at this width
    assert page.evaluate(OVERFLOWING_LABELS) == []
    assert not page.evaluate(WIDER_THAN_THE_SCREEN)

    page.goto(f"/programmes/{programme.pk}/evidence/")
    page.screenshot(path=str(folder / "evidence-phone.png"), full_page=True)
    assert not page.evaluate(WIDER_THAN_THE_SCREEN)
