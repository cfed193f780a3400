"""Late joiners (issue 11 bug 3): HR reopens enrolment after matching started, invites more
people, and the next run matches them without disturbing accepted partnerships."""

import pytest
from django.urls import reverse

from stepahead.errors import DomainError
from stepahead.matchruns.services import execute_match_run, start_match_run
from stepahead.partnerships.models import PartnershipStatus
from stepahead.partnerships.selectors import partnerships_of
from stepahead.partnerships.services import accept_partnership, approve_proposals
from stepahead.programmes.invitations import invite_people
from stepahead.programmes.models import Enrolment, Status
from stepahead.programmes.services import reopen_enrolment
from tests.integration.factories import PEERS, enrol_peers, make_person, make_programme, make_user


def _run(world, programme, capture):
    with capture(execute=True):
        run = start_match_run(actor=world.manager, programme=programme)
    execute_match_run(run_id=run.pk)


def _groups(programme, status):
    return {
        frozenset(m.enrolment.person.hris_id for m in p.members.all())
        for p in partnerships_of(programme=programme, statuses=[status])
    }


@pytest.fixture
def accepted_ab(world, django_capture_on_commit_callbacks):
    """A–B matched and accepted; C waits alone (nobody to trade with)."""
    programme = make_programme(world)
    enrolments = enrol_peers(world, programme, ("A", "B", "C"))
    _run(world, programme, django_capture_on_commit_callbacks)
    approve_proposals(actor=world.manager, programme=programme)
    b_user = make_user("b@acme.test")
    enrolments["B"].person.user = b_user
    enrolments["B"].person.save()
    (ab,) = partnerships_of(programme=programme, statuses=[PartnershipStatus.APPROVED])
    accept_partnership(user=world.participant, partnership=ab)
    accept_partnership(user=b_user, partnership=ab)
    programme.refresh_from_db()
    return programme


def test_a_late_joiner_is_matched_next_run_and_accepted_matches_stay(
    world, browser_for, accepted_ab, django_capture_on_commit_callbacks
):
    programme = accepted_ab
    skills, goals = PEERS["D"]
    late = make_person(world.org, "D", 3, skills=skills, goals=goals, email="d@acme.test")
    hr = browser_for(world.manager)
    detail = reverse("web:programme_detail", args=[programme.pk])
    assert "Reopen enrolment for late joiners" in hr.get(detail).content.decode()
    response = hr.post(reverse("web:programme_late_enrolment", args=[programme.pk]), {"reopen": "1"})
    assert response.status_code == 302
    programme.refresh_from_db()
    (invitation,) = invite_people(actor=world.manager, programme=programme, people=[late])
    joiner = browser_for(make_user("d@acme.test"))
    url = reverse("web:invitation", args=[invitation.token])
    page = joiner.get(url)
    assert page.status_code == 200
    assert "has closed" not in page.content.decode()
    assert (
        joiner.post(
            url,
            {
                "skill_1": "pitching",
                "level_1": "3",
                "skill_2": "negotiation",
                "level_2": "1",
                "goal_1": "negotiation",
            },
            page=url,
        ).status_code
        == 302
    )
    assert Enrolment.objects.filter(programme=programme, person=late).exists()
    _run(world, programme, django_capture_on_commit_callbacks)
    assert _groups(programme, PartnershipStatus.ACCEPTED) == {frozenset("AB")}
    assert _groups(programme, PartnershipStatus.PROPOSED) == {frozenset("CD")}
    programme.refresh_from_db()
    assert not programme.late_enrolment  # the run closed the late window again


def test_without_reopening_the_invitation_page_says_enrolment_closed(world, browser_for, accepted_ab):
    with pytest.raises(DomainError, match="reopen it for late joiners"):
        invite_people(actor=world.manager, programme=accepted_ab, people=[make_person(world.org, "D", 3)])


def test_settings_stay_frozen_while_late_enrolment_is_open(world, accepted_ab):
    from stepahead.programmes.services import update_programme_settings

    reopen_enrolment(actor=world.manager, programme=accepted_ab)
    with pytest.raises(DomainError, match="cannot change"):
        update_programme_settings(actor=world.manager, programme=accepted_ab, band=3)


def test_only_started_programmes_reopen_and_only_managers(world):
    programme = make_programme(world, status=Status.ENROLLING)
    with pytest.raises(DomainError, match="already started"):
        reopen_enrolment(actor=world.manager, programme=programme)
    programme.status = Status.MATCHING
    programme.save()
    from stepahead.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        reopen_enrolment(actor=world.participant, programme=programme)
