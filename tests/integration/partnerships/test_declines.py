"""Declines are visible (issue 11 bug 5) and counts add up after them (bug 4)."""

from django.core import mail
from django.urls import reverse

from stepahead.mail.services import deliver_due
from stepahead.matchruns.mapper import Draft
from stepahead.matchruns.services import execute_match_run, start_match_run
from stepahead.partnerships.models import PartnershipStatus
from stepahead.partnerships.selectors import decline_reasons, declines_of, partnerships_of, placement_of
from stepahead.partnerships.services import (
    approve_proposals,
    decline_partnership,
    discard_proposal,
    record_proposals,
)
from tests.integration.factories import enrol_peers, make_programme, make_user
from tests.integration.web.conftest import Browser


def _run(world, programme, capture):
    with capture(execute=True):
        run = start_match_run(actor=world.manager, programme=programme)
    execute_match_run(run_id=run.pk)
    run.refresh_from_db()
    return run


def _with(programme, name, status=PartnershipStatus.APPROVED):
    return next(
        p
        for p in partnerships_of(programme=programme, statuses=[status])
        if name in {m.enrolment.person.hris_id for m in p.members.all()}
    )


def _declined_by_c(world, capture):
    """A–B and C–D approved; C declines C–D with a reason."""
    programme = make_programme(world)
    enrolments = enrol_peers(world, programme)
    _run(world, programme, capture)
    with capture(execute=True):
        approve_proposals(actor=world.manager, programme=programme)
    c_user = make_user("c@acme.test")
    enrolments["C"].person.user = c_user
    enrolments["C"].person.save()
    mail.outbox.clear()
    with capture(execute=True):
        decline_partnership(user=c_user, partnership=_with(programme, "C"), reason="we sit together")
    return programme, enrolments


def test_the_partner_is_told_kindly_and_never_sees_the_reason(world, django_capture_on_commit_callbacks):
    _declined_by_c(world, django_capture_on_commit_callbacks)
    deliver_due()
    (message,) = [m for m in mail.outbox if m.subject.startswith("About your match")]
    assert message.to == ["D@acme.test"]
    assert "will not go ahead" in message.body
    assert "back in the pool" in message.body
    assert "we sit together" not in message.body


def test_the_next_runs_unmatched_reason_says_declined(world, django_capture_on_commit_callbacks):
    programme, _ = _declined_by_c(world, django_capture_on_commit_callbacks)
    second = _run(world, programme, django_capture_on_commit_callbacks)
    reasons = {u["id"]: u["reason"] for u in second.summary["unmatched"]}
    assert reasons["C"] == 'Declined the match with D: "we sit together".'
    assert reasons["D"] == "C declined their match; they are back in the pool."


def test_counts_add_up_after_a_decline_and_a_discard(world, django_capture_on_commit_callbacks):
    programme, e = _declined_by_c(world, django_capture_on_commit_callbacks)
    standing = placement_of(programme=programme)
    assert standing.placed == 2
    assert standing.declined == {e["C"].pk, e["D"].pk}
    assert standing.unmatched == frozenset()
    assert set(decline_reasons(declines_of(programme=programme))) == {e["C"].pk, e["D"].pk}


def test_a_new_live_partnership_wins_over_an_old_decline(world, django_capture_on_commit_callbacks):
    programme, e = _declined_by_c(world, django_capture_on_commit_callbacks)
    draft = Draft("pair", ((e["C"], "peer"), (e["D"], "peer")), 1.0, ())
    record_proposals(programme=programme, match_run=None, drafts=[draft])  # paired again, by hand
    standing = placement_of(programme=programme)
    assert standing.placed == 4
    assert standing.declined == frozenset()
    assert standing.standing(e["C"].pk) is None


def test_discarded_members_count_as_unmatched(world, django_capture_on_commit_callbacks):
    programme = make_programme(world)
    e = enrol_peers(world, programme)
    _run(world, programme, django_capture_on_commit_callbacks)
    discard_proposal(actor=world.manager, partnership=_with(programme, "A", PartnershipStatus.PROPOSED))
    standing = placement_of(programme=programme)
    assert standing.unmatched == {e["A"].pk, e["B"].pk}
    assert standing.placed == 2
    assert standing.enrolled == 4


def test_hr_sees_the_decline_and_counts_that_add_up(world, django_capture_on_commit_callbacks):
    programme, _ = _declined_by_c(world, django_capture_on_commit_callbacks)
    browser = Browser(world.manager)
    page = browser.get(reverse("web:proposals", args=[programme.pk])).content.decode()
    assert "we sit together" in page
    assert "2 placed" in page
    assert "2 declined" in page
    assert "0 unmatched" in page
    second = _run(world, programme, django_capture_on_commit_callbacks)
    run_page = browser.get(reverse("web:run_detail", args=[programme.pk, second.pk])).content.decode()
    assert "0 of 2 people placed" in run_page
    assert "Everyone was placed" not in run_page
    assert "Declined the match with D" in run_page
