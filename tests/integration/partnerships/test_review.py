"""Manager review of proposals: swap, replace, pin, discard — checked by the engine's rules."""

import pytest

from stepahead.errors import DomainError, PermissionDenied
from stepahead.matchruns.mapper import Draft, IneligibleGroupError
from stepahead.partnerships.models import PartnershipStatus
from stepahead.partnerships.review import replace_member, swap_members
from stepahead.partnerships.selectors import matching_pool, partnerships_of
from stepahead.partnerships.services import (
    approve_proposals,
    discard_proposal,
    pin_partnership,
    record_proposals,
)
from stepahead.programmes.models import Status
from tests.integration.factories import PEERS, enrol_peers, make_person, make_programme


def _proposals(world, pairs, *, names=("A", "B", "C", "D"), **programme_settings):
    """A matching programme with hand-made proposals (no solver needed)."""
    programme = make_programme(world, **programme_settings)
    enrolments = enrol_peers(world, programme, names)
    programme.status = Status.MATCHING
    programme.save()
    drafts = [
        Draft("pair", tuple((enrolments[n], "peer") for n in pair), 1.0, ("engine reason",)) for pair in pairs
    ]
    created = record_proposals(programme=programme, match_run=None, drafts=drafts)
    return programme, enrolments, created


def test_swap_into_ineligible_pairs_is_rejected_with_the_reason(world):
    _programme, e, (ab, cd) = _proposals(world, ["AB", "CD"])
    with pytest.raises(IneligibleGroupError, match="reciprocal"):
        swap_members(
            actor=world.manager, first=ab, first_enrolment=e["A"], second=cd, second_enrolment=e["C"]
        )
    assert {m.enrolment_id for m in ab.members.all()} == {e["A"].pk, e["B"].pk}  # nothing changed


def test_swap_into_eligible_pairs_returns_new_scores(world):
    _programme, e, (ac, bd) = _proposals(world, ["AC", "BD"])
    first, second = swap_members(
        actor=world.manager, first=ac, first_enrolment=e["C"], second=bd, second_enrolment=e["B"]
    )
    assert first > 0
    assert second > 0
    ac.refresh_from_db()
    assert ac.score == first
    assert ac.adjusted
    assert {m.enrolment.person.hris_id for m in ac.members.all()} == {"A", "B"}


def test_line_manager_pairs_are_refused(world):
    programme, e, (ab,) = _proposals(world, ["AB"], names=("A", "B", "C"))
    skills, goals = PEERS["B"]
    boss = make_person(world.org, "BOSS", 3, skills=skills, goals=goals)
    e["A"].person.manager_hris_id = "BOSS"
    e["A"].person.save()
    from stepahead.programmes.services import save_enrolment

    programme.status = Status.ENROLLING
    programme.save()
    boss_enrolment = save_enrolment(programme=programme, person=boss)
    with pytest.raises(IneligibleGroupError, match="line manager"):
        replace_member(actor=world.manager, partnership=ab, leaving=e["B"], joining=boss_enrolment)


def test_replace_from_pool_and_people_already_placed_are_refused(world):
    programme, e, (ac,) = _proposals(world, ["AC"])
    score = replace_member(actor=world.manager, partnership=ac, leaving=e["C"], joining=e["B"])
    assert score > 0
    assert {x.enrolment.person.hris_id for x in matching_pool(programme=programme)} >= {"C", "D"}
    pin_partnership(actor=world.manager, partnership=ac)
    (cd,) = record_proposals(
        programme=programme,
        match_run=None,
        drafts=[Draft("pair", ((e["C"], "peer"), (e["D"], "peer")), 1.0, ())],
    )
    with pytest.raises(DomainError, match="already placed"):
        replace_member(actor=world.manager, partnership=cd, leaving=e["D"], joining=e["A"])


def test_pinned_proposals_survive_new_proposals_and_lock_their_people(world):
    programme, _e, (ab, cd) = _proposals(world, ["AB", "CD"])
    pin_partnership(actor=world.manager, partnership=ab)
    assert {x.enrolment.person.hris_id for x in matching_pool(programme=programme)} == {"C", "D"}
    record_proposals(programme=programme, match_run=None, drafts=[])
    ab.refresh_from_db()
    cd.refresh_from_db()
    assert ab.status == PartnershipStatus.PROPOSED
    assert cd.status == PartnershipStatus.WITHDRAWN


def test_drafts_naming_locked_people_are_dropped(world):
    programme, e, (_ab,) = _proposals(world, ["AB"])
    approve_proposals(actor=world.manager, programme=programme)
    created = record_proposals(
        programme=programme,
        match_run=None,
        drafts=[Draft("pair", ((e["A"], "peer"), (e["C"], "peer")), 1.0, ())],
    )
    assert created == []


def test_discard_returns_people_to_the_pool_and_participants_cannot_review(world):
    programme, _e, (ab,) = _proposals(world, ["AB"])
    with pytest.raises(PermissionDenied):
        discard_proposal(actor=world.participant, partnership=ab)
    with pytest.raises(PermissionDenied):
        pin_partnership(actor=world.other_admin, partnership=ab)
    discard_proposal(actor=world.manager, partnership=ab)
    assert partnerships_of(programme=programme, statuses=["proposed"]).count() == 0
    assert len(matching_pool(programme=programme)) == 4


def test_approved_partnerships_cannot_be_edited(world):
    programme, e, (ab, cd) = _proposals(world, ["AB", "CD"])
    approve_proposals(actor=world.manager, programme=programme, partnerships=[ab])
    with pytest.raises(DomainError, match="Only proposals"):
        swap_members(
            actor=world.manager, first=ab, first_enrolment=e["A"], second=cd, second_enrolment=e["C"]
        )


def test_manual_changes_keep_the_engines_reasons_for_the_new_members(world):
    """Issue 11 bug 9: a swap rewords both groups as the engine would; no "Adjusted by ..." stub."""
    _programme, e, (ac, bd) = _proposals(world, ["AC", "BD"])
    swap_members(actor=world.manager, first=ac, first_enrolment=e["C"], second=bd, second_enrolment=e["B"])
    ac.refresh_from_db()
    bd.refresh_from_db()
    assert sorted(ac.reasons) == ["A is ahead of B in excel (3 vs 1)", "B is ahead of A in sql (3 vs 1)"]
    assert sorted(bd.reasons) == [
        "C is ahead of D in negotiation (3 vs 1)",
        "D is ahead of C in pitching (3 vs 1)",
    ]
