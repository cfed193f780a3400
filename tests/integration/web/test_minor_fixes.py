"""Issue 11 bug 11: favicon, plurals, who mentors whom in the match email, one timing, demo 404s."""

from django.core import mail
from django.urls import reverse

from stepahead.cli.demo import _environment
from stepahead.mail.services import deliver_due
from stepahead.matchruns.mapper import Draft
from stepahead.matchruns.services import execute_match_run, start_match_run
from stepahead.partnerships.services import approve_proposals, record_proposals
from stepahead.programmes.models import Status
from stepahead.programmes.services import save_enrolment
from tests.integration.factories import enrol_peers, make_person, make_programme


def test_favicon_is_served_not_404(world, browser_for):
    response = browser_for().get("/favicon.ico")
    assert response.status_code == 301
    assert response.url.endswith("web/img/favicon.svg")
    page = browser_for(world.manager).get(reverse("web:dashboard")).content.decode()
    assert 'rel="icon"' in page


def test_one_proposal_is_not_approve_all_1_proposal(world, browser_for):
    programme = make_programme(world)
    e = enrol_peers(world, programme, ("A", "B"))
    programme.status = Status.MATCHING
    programme.save()
    record_proposals(
        programme=programme,
        match_run=None,
        drafts=[Draft("pair", ((e["A"], "peer"), (e["B"], "peer")), 1.0, ())],
    )
    html = browser_for(world.manager).get(reverse("web:proposals", args=[programme.pk])).content.decode()
    assert "Approve all 1" not in html
    assert "Approve the proposal" in html


def test_the_match_email_says_who_mentors_whom(world):
    programme = make_programme(world, mode="traditional", status=Status.ENROLLING)
    senior = make_person(world.org, "S", 5, skills={"python": 4}, name="Sam", email="s@acme.test")
    junior = make_person(
        world.org, "J", 2, skills={"python": 3}, goals=["python"], name="Jo", email="j@acme.test"
    )
    mentor = save_enrolment(programme=programme, person=senior, role="mentor", capacity=2)
    mentee = save_enrolment(programme=programme, person=junior, role="mentee")
    programme.status = Status.MATCHING
    programme.save()
    record_proposals(
        programme=programme,
        match_run=None,
        drafts=[Draft("mentoring", ((mentor, "mentor"), (mentee, "mentee")), 1.0, ())],
    )
    approve_proposals(actor=world.manager, programme=programme)
    deliver_due()
    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert "You are the mentor: you will mentor Jo." in bodies["s@acme.test"]
    assert "Sam will be your mentor." in bodies["j@acme.test"]


def test_the_run_page_and_the_history_show_the_same_time(
    world, browser_for, django_capture_on_commit_callbacks
):
    programme = make_programme(world)
    enrol_peers(world, programme)
    with django_capture_on_commit_callbacks(execute=True):
        run = start_match_run(actor=world.manager, programme=programme)
    execute_match_run(run_id=run.pk)
    run.refresh_from_db()
    shown = f"{run.seconds:.1f} s"
    browser = browser_for(world.manager)
    assert shown in browser.get(reverse("web:run_detail", args=[programme.pk, run.pk])).content.decode()
    assert shown in browser.get(reverse("web:run_history", args=[programme.pk])).content.decode()


def test_the_demo_runs_without_the_debug_page_and_links_to_its_own_port(monkeypatch):
    monkeypatch.delenv("DEBUG", raising=False)
    monkeypatch.delenv("SITE_URL", raising=False)
    environment = _environment("127.0.0.1", 8100)
    assert environment["DEBUG"] == "0"
    assert environment["SECRET_KEY"]
    assert environment["SITE_URL"] == "http://127.0.0.1:8100"
