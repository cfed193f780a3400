"""Match runs from the web: start, progress polling (htmx), results, history, comparison."""

import pytest
from django.urls import reverse
from django.utils import timezone

from stepahead.matchruns.models import MatchRun, RunStatus
from stepahead.matchruns.services import execute_match_run, start_match_run
from stepahead.programmes.models import Status
from tests.integration.factories import enrol_peers, make_person, make_programme, save_enrolment

CONFIRMED = {"confirmed": "yes"}


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def test_start_run_executes_and_shows_results(
    world, browser_for, immediate_tasks, django_capture_on_commit_callbacks
):
    programme = make_programme(world)
    enrol_peers(world, programme)
    browser = browser_for(world.manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(reverse("web:run_start", args=[programme.pk]), CONFIRMED)
    run = MatchRun.objects.get(programme=programme)
    assert response.status_code == 302
    assert response.url == reverse("web:run_detail", args=[programme.pk, run.pk])
    page = browser.get(response.url).content.decode()
    assert "Matching finished" in page
    assert "2 proposals made" in page
    assert "Review proposals" in page
    assert "hx-trigger" not in page  # finished: no more polling
    programme.refresh_from_db()
    assert programme.status == Status.MATCHING


def test_progress_polls_while_running_and_returns_a_partial(world, browser_for):
    programme = make_programme(world)
    enrol_peers(world, programme)
    run = start_match_run(actor=world.manager, programme=programme)
    MatchRun.objects.filter(pk=run.pk).update(
        status=RunStatus.RUNNING,
        progress=0.42,
        stage="Pairing peers",
        started_at=timezone.now(),
        heartbeat_at=timezone.now(),  # a live worker's lease
    )
    browser = browser_for(world.manager)
    page = browser.get(reverse("web:run_detail", args=[programme.pk, run.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page
    assert "Pairing peers — 42%" in page
    partial = browser.get(
        reverse("web:run_detail", args=[programme.pk, run.pk]), headers={"HX-Request": "true"}
    )
    html = partial.content.decode()
    assert "<html" not in html
    assert 'id="run-progress"' in html
    assert "42%" in html


def test_failed_run_shows_the_error(world, browser_for):
    programme = make_programme(world)
    enrol_peers(world, programme)
    run = start_match_run(actor=world.manager, programme=programme)
    MatchRun.objects.filter(pk=run.pk).update(status=RunStatus.FAILED, error="ValueError: boom")
    html = (
        browser_for(world.manager)
        .get(reverse("web:run_detail", args=[programme.pk, run.pk]))
        .content.decode()
    )
    assert "Matching failed" in html
    assert "ValueError: boom" in html


def test_starting_a_run_in_the_wrong_state_is_409(world, browser_for):
    draft = make_programme(world, status=Status.DRAFT)
    enrol_peers(world, draft)
    response = browser_for(world.manager).post(reverse("web:run_start", args=[draft.pk]), CONFIRMED)
    assert response.status_code == 409
    assert b"cannot be matched" in response.content
    assert not MatchRun.objects.exists()


def test_runs_of_other_programmes_or_orgs_are_404(world, browser_for):
    programme = make_programme(world)
    enrol_peers(world, programme)
    run = start_match_run(actor=world.manager, programme=programme)
    other = make_programme(world)
    assert (
        browser_for(world.manager).get(reverse("web:run_detail", args=[other.pk, run.pk])).status_code == 404
    )
    assert (
        browser_for(world.other_admin).get(reverse("web:run_detail", args=[programme.pk, run.pk])).status_code
        == 404
    )
    assert (
        browser_for(world.participant)
        .post(reverse("web:run_start", args=[programme.pk]), CONFIRMED)
        .status_code
        == 403
    )


def test_history_and_comparison(world, browser_for):
    programme = make_programme(world)
    enrol_peers(world, programme)
    first = start_match_run(actor=world.manager, programme=programme)
    execute_match_run(run_id=first.pk)
    programme.refresh_from_db()
    second = start_match_run(actor=world.manager, programme=programme)
    execute_match_run(run_id=second.pk)
    browser = browser_for(world.manager)
    history = browser.get(reverse("web:run_history", args=[programme.pk])).content.decode()
    assert f"#{first.pk}" in history
    assert f"#{second.pk}" in history
    assert "manager@acme.test" in history
    assert "Peer band: 1" in history
    compare = browser.get(reverse("web:run_compare", args=[programme.pk]), {"run": [first.pk, second.pk]})
    assert compare.status_code == 200
    assert f"Run #{first.pk} compared with run #{second.pk}" in compare.content.decode()
    one = browser.get(reverse("web:run_compare", args=[programme.pk]), {"run": [first.pk]})
    assert one.status_code == 400


def test_a_second_click_on_run_matching_lands_on_the_running_run(world, browser_for):
    """Issue 11 bug 7: the double click shows the run in progress, not an error page."""
    programme = make_programme(world)
    enrol_peers(world, programme)
    browser = browser_for(world.manager)
    first = browser.post(reverse("web:run_start", args=[programme.pk]), CONFIRMED)
    second = browser.post(reverse("web:run_start", args=[programme.pk]), CONFIRMED)
    run = MatchRun.objects.get(programme=programme)
    assert first.status_code == second.status_code == 302
    assert second.url == reverse("web:run_detail", args=[programme.pk, run.pk])
    page = browser.get(second.url).content.decode()
    assert "already under way" in page
    assert MatchRun.objects.filter(programme=programme).count() == 1


def test_run_matching_asks_first_saying_what_will_happen(world, browser_for):
    programme = make_programme(world)
    enrol_peers(world, programme)
    response = browser_for(world.manager).post(reverse("web:run_start", args=[programme.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Enrolment closes" in page
    assert "for the 4 people not yet matched" in page
    assert 'name="confirmed" value="yes"' in page
    assert not MatchRun.objects.exists()
    programme.refresh_from_db()
    assert programme.status == Status.ENROLLING


def test_a_mentoring_run_page_shows_how_mentees_are_shared(world, browser_for):
    programme = make_programme(world)
    enrol_peers(world, programme)
    run = start_match_run(actor=world.manager, programme=programme)
    load = {"mentors": 10, "used": 7, "max": 2, "gini": 0.31, "top10_share": 0.2}
    summary = {
        "groups": 9,
        "mentor_load": load,
        "idle_mentors": [{"id": f"M{n}", "reason": "..."} for n in range(3)],
    }
    MatchRun.objects.filter(pk=run.pk).update(
        status=RunStatus.DONE, summary=summary, finished_at=timezone.now()
    )
    page = (
        browser_for(world.manager)
        .get(reverse("web:run_detail", args=[programme.pk, run.pk]))
        .content.decode()
    )
    assert "Mentors used: 7 of 10 (the busiest has 2 mentees)" in page
    assert "the busiest tenth of mentors hold 20% of mentees" in page
    assert "Load evenness (Gini): 0.31" in page
    assert "3 mentors without a mentee" in page


def test_a_run_leaving_many_unmatched_alerts_hr_with_reasons_and_fixes(world, browser_for):
    programme = make_programme(world)
    enrol_peers(world, programme)
    run = start_match_run(actor=world.manager, programme=programme)
    reason = "no one within 1 grade of {0} is ahead of {0} in any of {0}'s goals (sql)"
    unmatched = [{"id": name, "reason": reason.format(name)} for name in "ABC"]
    summary = {"groups": 0, "people_placed": 0, "unmatched": unmatched}
    MatchRun.objects.filter(pk=run.pk).update(
        status=RunStatus.DONE, summary=summary, finished_at=timezone.now()
    )
    page = (
        browser_for(world.manager)
        .get(reverse("web:run_detail", args=[programme.pk, run.pk]))
        .content.decode()
    )
    assert "3 of 4 people (75%) were left unmatched." in page
    assert "3 people want sql and nobody within 1 grade is ahead in it" in page
    assert "Consider traditional mentoring or a circle" in page


def _finished(run: MatchRun, summary: dict, pool: int) -> None:
    MatchRun.objects.filter(pk=run.pk).update(
        status=RunStatus.DONE, summary=summary, pool_size=pool, finished_at=timezone.now()
    )


def test_idle_mentors_are_counted_apart_and_every_page_counts_unmatched_alike(world, browser_for):
    """Issue 11: the run page said "Not placed 6" while its alert said "3 of 10 left unmatched"
    (idle mentors counted in one, not the other); history and compare followed the run page."""
    programme = make_programme(world)
    enrol_peers(world, programme)
    runs = []
    for _ in range(2):
        run = start_match_run(actor=world.manager, programme=programme)
        reason = "no one within 1 grade of {0} is ahead of {0} in any of {0}'s goals (sql)"
        summary = {
            "groups": 2,
            "people_placed": 4,
            "unmatched": [{"id": f"U{n}", "reason": reason.format(f"U{n}")} for n in range(3)],
            "idle_mentors": [{"id": f"M{n}", "reason": "nobody wants what they teach"} for n in range(3)],
        }
        _finished(run, summary, pool=10)
        runs.append(run)
    browser = browser_for(world.manager)
    page = browser.get(reverse("web:run_detail", args=[programme.pk, runs[0].pk])).content.decode()
    assert "<dt>Unmatched</dt><dd>3</dd>" in page
    assert "<dt>Mentors without a mentee</dt><dd>3</dd>" in page
    assert "3 of 10 people (30%) were left unmatched." in page
    assert "Of 10: 4 placed · 3 unmatched · 3 mentors without a mentee." in page
    assert "Not placed" not in page
    history = browser.get(reverse("web:run_history", args=[programme.pk])).content.decode()
    assert '>3 <span class="small muted">+ 3 mentors without a mentee</span>' in history
    compare = browser.get(
        reverse("web:run_compare", args=[programme.pk]), {"run": [r.pk for r in runs]}
    ).content.decode()
    assert '<th scope="row">Unmatched</th> <td class="num">3</td> <td class="num">3</td>' in compare
    assert '<th scope="row">Mentors without a mentee</th> <td class="num">3</td>' in compare


def test_the_settings_form_offers_sharing_mentees_across_mentors(world, browser_for):
    """The setting must be on the page HR edits, not only in the model (it was left off once)."""
    programme = make_programme(world, mode="traditional")
    page = browser_for(world.manager).get(reverse("web:programme_edit", args=[programme.pk]))
    html = page.content.decode()
    assert 'name="spread"' in html
    assert "Share mentees across mentors" in html


RUN_PAGE_QUERIES = 10


def test_run_page_query_count_is_pinned_and_never_reads_the_runs_groups(
    world, browser_for, django_assert_num_queries
):
    """The run page of a 10,000-person run stays cheap (bench_proposals times it): a pinned
    number of queries, and the groups the run found (megabytes at that size) are not loaded."""
    programme = make_programme(world)
    enrol_peers(world, programme)
    save_enrolment(programme=programme, person=make_person(world.org, "Z", 3))  # no goals: unmatched
    run = start_match_run(actor=world.manager, programme=programme)
    execute_match_run(run_id=run.pk)
    browser = browser_for(world.manager)
    path = reverse("web:run_detail", args=[programme.pk, run.pk])
    browser.get(path)  # the session is read once, warm
    with django_assert_num_queries(RUN_PAGE_QUERIES) as queries:
        response = browser.get(path)
    assert response.status_code == 200
    run_reads = [q["sql"] for q in queries.captured_queries if 'FROM "matchruns_matchrun"' in q["sql"]]
    assert run_reads
    assert not any('"matchruns_matchrun"."groups"' in sql for sql in run_reads)
    html = response.content.decode()
    assert "4 of 5 people placed" in html
    assert "4 placed · 1 unmatched" in html
    assert "Z has no goals listed" in html  # the run's reason, with the person looked up
