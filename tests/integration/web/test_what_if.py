"""What-if runs from the web: the form, the run page, the comparison by name, adopting."""

import pytest
from django.urls import reverse

from stepahead.matchruns.models import MatchRun
from stepahead.matchruns.services import execute_match_run, start_match_run
from stepahead.matchruns.whatif import start_what_if_run
from stepahead.programmes.models import Status
from tests.integration.matchruns.test_what_if import _proposed, _two_grades_apart

CONFIRMED = {"confirmed": "yes"}


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def _field_values(band="2", time_limit=""):
    return {
        "band": band,
        "profile": "one-step",
        "cross_function_bonus": "0.25",
        "wish_bonus": "0.5",
        "time_limit": time_limit,
    }


def test_the_form_offers_the_modes_parameters_set_to_the_programmes(world, browser_for):
    programme = _two_grades_apart(world)
    page = browser_for(world.manager).get(reverse("web:what_if", args=[programme.pk])).content.decode()
    assert "Try other settings for" in page
    assert 'name="band" value="1"' in page
    assert 'name="spread"' not in page  # a mentoring parameter: not for peer pairs
    assert 'name="mode"' not in page
    programme_page = browser_for(world.manager).get(reverse("web:programme_detail", args=[programme.pk]))
    assert reverse("web:what_if", args=[programme.pk]) in programme_page.content.decode()


def test_starting_a_what_if_run_leaves_the_programme_alone(
    world, browser_for, immediate_tasks, django_capture_on_commit_callbacks
):
    programme = _two_grades_apart(world)
    browser = browser_for(world.manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(reverse("web:what_if", args=[programme.pk]), _field_values(time_limit="60"))
    run = MatchRun.objects.get(programme=programme)
    assert response.status_code == 302
    assert response.url == reverse("web:run_detail", args=[programme.pk, run.pk])
    assert run.parameters["band"] == 2
    assert run.parameters["time_limit"] == 60
    page = browser.get(response.url).content.decode()
    assert "what-if" in page
    assert "not proposed: a what-if run" in page
    assert "Adopt this run" in page
    assert "Review proposals" not in page
    programme.refresh_from_db()
    assert (programme.band, programme.status, programme.time_limit) == (1, Status.ENROLLING, None)


def test_bad_values_are_named_and_nothing_starts(world, browser_for):
    programme = _two_grades_apart(world)
    response = browser_for(world.manager).post(
        reverse("web:what_if", args=[programme.pk]), _field_values(band="-1")
    )
    assert response.status_code == 400
    assert "Ensure this value is greater than or equal to 0." in response.content.decode()
    assert not MatchRun.objects.exists()


def _two_runs(world, programme):
    real = start_match_run(actor=world.manager, programme=programme)
    execute_match_run(run_id=real.pk)
    trial = start_what_if_run(actor=world.manager, programme=programme, changes={"band": 2})
    execute_match_run(run_id=trial.pk)
    return real, trial


def test_compare_shows_settings_figures_and_people_by_name(world, browser_for):
    programme = _two_grades_apart(world)
    real, trial = _two_runs(world, programme)
    browser = browser_for(world.manager)
    page = browser.get(reverse("web:run_compare", args=[programme.pk]), {"run": [real.pk, trial.pk]})
    html = page.content.decode()
    assert page.status_code == 200
    assert "Peer band" in html
    assert "differs" in html
    assert "Time limit" in html
    assert "no limit" in html
    assert "Matches across functions" in html
    assert "2 people differ; 2 have the same outcome" in html
    assert "With Dee" in html
    assert "Cee (peer) · Dee (peer)" in html
    assert f"Adopt run #{trial.pk}" in html
    detail = browser.get(reverse("web:run_detail", args=[programme.pk, trial.pk])).content.decode()
    assert f"Compare with run #{real.pk}" in detail


def test_adopting_asks_first_then_moves_matches_and_settings(world, browser_for):
    programme = _two_grades_apart(world)
    _, trial = _two_runs(world, programme)
    browser = browser_for(world.manager)
    url = reverse("web:adopt_run", args=[programme.pk, trial.pk])
    ask = browser.post(url).content.decode()
    assert f"Adopt run #{trial.pk}?" in ask
    assert "Peer band: 1 → 2" in ask
    assert "Nobody is emailed" in ask
    programme.refresh_from_db()
    assert programme.band == 1
    done = browser.post(url, CONFIRMED)
    assert done.status_code == 302
    assert done.url == reverse("web:proposals", args=[programme.pk])
    programme.refresh_from_db()
    assert programme.band == 2
    assert _proposed(programme) == {frozenset("AB"), frozenset("CD")}
    board = browser.get(done.url).content.decode()
    assert "2 proposals to review" in board


def test_other_organisations_cannot_see_or_adopt(world, browser_for):
    programme = _two_grades_apart(world)
    _, trial = _two_runs(world, programme)
    outsider = browser_for(world.other_admin)
    assert outsider.get(reverse("web:what_if", args=[programme.pk])).status_code == 404
    adopt = outsider.post(reverse("web:adopt_run", args=[programme.pk, trial.pk]), CONFIRMED)
    assert adopt.status_code == 404
    programme.refresh_from_db()
    assert programme.band == 1
