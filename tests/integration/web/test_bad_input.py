"""Numbers and ids at the edge of the web UI: out-of-range values are form errors or clear 4xx
answers, never a 500 (issue 10 items 7 and 8)."""

import pytest
import time_machine
from django.urls import reverse

from stepahead.programmes.models import Programme, Status
from tests.integration.factories import make_programme
from tests.integration.partnering import active
from tests.integration.web.conftest import submitted_values


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("max_capacity", "1000000000000", "less than or equal to 100"),
        ("default_capacity", "101", "less than or equal to 100"),
        ("band", "9" * 30, "less than or equal to 2000"),
        ("circle_band", "9" * 5000, "whole number"),
        ("wish_bonus", "1e308", "less than or equal to 10"),
    ],
)
def test_programme_settings_bound_every_number(world, browser_for, field, value, error):
    programme = make_programme(world, status=Status.DRAFT)
    browser = browser_for(world.manager)
    url = reverse("web:programme_edit", args=[programme.pk])
    values = submitted_values(browser.get(url).content.decode())
    values[field] = value
    response = browser.post(url, values)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert Programme.objects.get(pk=programme.pk).max_capacity == programme.max_capacity


@pytest.mark.parametrize("selected", ["9" * 30, "9" * 5000, "-1", "1e3"])
def test_approving_an_id_beyond_any_row_is_a_clear_answer_not_a_500(reviewable, browser_for, world, selected):
    programme, _, _ = reviewable
    browser = browser_for(world.manager)
    page = reverse("web:proposals", args=[programme.pk])
    response = browser.post(reverse("web:approve", args=[programme.pk]), {"selected": selected}, page=page)
    assert response.status_code in (400, 409)


@pytest.mark.parametrize("pk", ["9" * 30, "9" * 25])
def test_urls_with_ids_beyond_any_row_are_404(world, browser_for, pk):
    browser = browser_for(world.manager)
    for url in (f"/programmes/{pk}/", f"/programmes/{pk}/runs/", f"/partnerships/{pk}/"):
        assert browser.get(url).status_code == 404, url


def test_comparing_runs_with_huge_ids_is_not_a_500(world, browser_for):
    programme = make_programme(world, status=Status.DRAFT)
    url = reverse("web:run_compare", args=[programme.pk])
    response = browser_for(world.manager).get(url, {"run": ["9" * 30, "1"]})
    assert response.status_code < 500


@pytest.mark.parametrize("huge", ["9" * 30, "9" * 5000])
def test_swapping_or_replacing_with_ids_beyond_any_row_is_not_a_500(reviewable, browser_for, world, huge):
    programme, _, _ = reviewable
    browser = browser_for(world.manager)
    page = reverse("web:proposals", args=[programme.pk])
    swap = {"first": f"{huge}:{huge}", "second": f"{huge}:1"}
    replace = {"leaving": f"{huge}:{huge}", "joining": huge}
    for name, data in (("web:swap", swap), ("web:replace", replace)):
        response = browser.post(reverse(name, args=[programme.pk]), data, page=page)
        assert response.status_code in (400, 404, 409), (name, response.status_code)


@time_machine.travel("2026-03-02 09:00 +00:00", tick=False)
@pytest.mark.parametrize("huge", ["9" * 30, "9" * 5000])
def test_agreement_ids_beyond_any_row_are_a_clear_answer_not_a_500(world, browser_for, huge):
    built = active(world)
    p = built.partnership
    browser = browser_for(built.users["A"])
    data = {
        "cadence_days": 7, "session_minutes": 45, "channel": "video", "starts_on": "2026-03-02",
        "ends_on": "2026-09-01", "confidentiality": "Between us", "ground_rules": "Be kind",
        "goal-0-id": huge, "goal-0-title": "Write better SQL", "goal-0-measure": "A query reviewed",
        "goal-0-owner": huge, "rotation-0": huge, "rotation-1": huge,
    }  # fmt: skip
    assert browser.post(reverse("web:agreement", args=[p.pk]), data).status_code < 500
    confirm = browser.post(reverse("web:agreement_confirm", args=[p.pk]), {"number": huge})
    assert confirm.status_code < 500
