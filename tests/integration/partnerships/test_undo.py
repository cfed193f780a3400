"""Undo on the review board: a discarded proposal comes back exactly as it was, unless something
has taken its place (a run since, a member placed elsewhere or withdrawn)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from stepahead.errors import DomainError, PermissionDenied
from stepahead.matchruns.mapper import Draft
from stepahead.matchruns.models import MatchRun, RunStatus
from stepahead.partnerships.models import Partnership, PartnershipMember, PartnershipStatus
from stepahead.partnerships.selectors import placement_of
from stepahead.partnerships.services import (
    approve_proposals,
    discard_proposal,
    pin_partnership,
    record_proposals,
    restore_proposal,
)
from stepahead.programmes.models import EnrolmentStatus, Status
from tests.integration.factories import enrol_peers, make_programme


@pytest.fixture
def board(world):
    """A matching peer programme with proposals A–B (pinned, with reasons) and C–D."""
    programme = make_programme(world)
    e = enrol_peers(world, programme)
    programme.status = Status.MATCHING
    programme.save()
    ab, cd = record_proposals(
        programme=programme,
        match_run=None,
        drafts=[
            Draft("pair", ((e["A"], "peer"), (e["B"], "peer")), 1.5, ("A is ahead of B in excel",)),
            Draft("pair", ((e["C"], "peer"), (e["D"], "peer")), 1.2, ("C is ahead of D",)),
        ],
    )
    pin_partnership(actor=world.manager, partnership=ab)
    return programme, e, ab, cd


def _state(partnership: Partnership) -> tuple:
    p = Partnership.objects.get(pk=partnership.pk)
    members = sorted(p.members.values_list("enrolment_id", "role", "response"))
    return p.status, p.score, p.reasons, p.pinned, p.adjusted, p.decided_at, members


def test_undoing_a_discard_restores_the_proposal_and_the_counts_exactly(world, board):
    programme, _e, ab, _cd = board
    before, standing = _state(ab), placement_of(programme=programme)
    discard_proposal(actor=world.manager, partnership=ab)
    assert len(placement_of(programme=programme).unmatched) == 2
    restore_proposal(actor=world.manager, partnership=ab)
    assert _state(ab) == before
    assert placement_of(programme=programme) == standing


def test_undo_is_refused_once_a_member_is_placed_elsewhere(world, board):
    programme, e, ab, _cd = board
    discard_proposal(actor=world.manager, partnership=ab)
    other = Partnership.objects.create(organisation=world.org, programme=programme, kind="pair", score=1.0)
    PartnershipMember.objects.create(partnership=other, enrolment=e["B"], role="peer")
    with pytest.raises(DomainError, match="B is no longer free"):
        restore_proposal(actor=world.manager, partnership=ab)
    assert Partnership.objects.get(pk=ab.pk).status == PartnershipStatus.WITHDRAWN


def test_undo_is_refused_once_a_member_has_withdrawn(world, board):
    _programme, e, ab, _cd = board
    discard_proposal(actor=world.manager, partnership=ab)
    e["A"].status = EnrolmentStatus.WITHDRAWN
    e["A"].save()
    with pytest.raises(DomainError, match="A is no longer free"):
        restore_proposal(actor=world.manager, partnership=ab)


def test_undo_is_refused_after_a_matching_run_has_finished(world, board):
    programme, _e, ab, _cd = board
    discard_proposal(actor=world.manager, partnership=ab)
    MatchRun.objects.create(
        organisation=world.org,
        programme=programme,
        status=RunStatus.DONE,
        finished_at=timezone.now() + timedelta(seconds=1),
    )
    with pytest.raises(DomainError, match="Matching has run since"):
        restore_proposal(actor=world.manager, partnership=ab)


def test_only_discarded_proposals_come_back_and_only_for_managers(world, board):
    programme, _e, ab, cd = board
    with pytest.raises(DomainError, match="Only a discarded proposal"):
        restore_proposal(actor=world.manager, partnership=cd)  # still proposed
    approve_proposals(actor=world.manager, programme=programme, partnerships=[cd])
    Partnership.objects.filter(pk=cd.pk).update(status=PartnershipStatus.WITHDRAWN)
    with pytest.raises(DomainError, match="Only a discarded proposal"):
        restore_proposal(actor=world.manager, partnership=cd)  # withdrawn after approval
    discard_proposal(actor=world.manager, partnership=ab)
    for outsider in (world.participant, world.other_admin):
        with pytest.raises(PermissionDenied):
            restore_proposal(actor=outsider, partnership=ab)
    programme.status = Status.CLOSED
    programme.save()
    with pytest.raises(DomainError, match="matching or running"):
        restore_proposal(actor=world.manager, partnership=ab)


def test_unpinning_is_the_undo_of_pinning(world, board):
    _programme, _e, _ab, cd = board
    before = _state(cd)
    pin_partnership(actor=world.manager, partnership=cd)
    pin_partnership(actor=world.manager, partnership=cd, pinned=False)
    assert _state(cd) == before
