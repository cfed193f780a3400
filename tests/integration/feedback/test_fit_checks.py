"""Fit checks: each side answers once; a 'no' offers a no-fault re-pairing and tells the manager."""

from __future__ import annotations

import pytest
from django.core import mail

from stepahead.errors import DomainError, PermissionDenied
from stepahead.feedback.models import FitCheck
from stepahead.feedback.selectors import fit_check_summary
from stepahead.feedback.services import answer_fit_check, request_rematch
from stepahead.mail.services import deliver_due
from stepahead.partnerships.models import PartnershipStatus
from tests.integration.factories import make_programme

from .factories import accepted_partnership, started


def test_each_side_answers_once(world):
    pair = started(world, make_programme(world), "p")
    answer_fit_check(user=pair.users[0], partnership=pair.partnership, good_fit=True)
    answer_fit_check(user=pair.users[1], partnership=pair.partnership, good_fit=True, comment="  fine ")
    with pytest.raises(DomainError, match="already answered"):
        answer_fit_check(user=pair.users[0], partnership=pair.partnership, good_fit=False)
    assert FitCheck.objects.filter(partnership=pair.partnership).count() == 2


def test_the_fit_check_waits_for_the_first_logged_session(world):
    pair = accepted_partnership(world, make_programme(world), "w")
    with pytest.raises(DomainError, match="after your first session"):
        answer_fit_check(user=pair.users[0], partnership=pair.partnership, good_fit=True)


def test_outsiders_and_unstarted_partnerships_are_refused(world):
    pair = started(world, make_programme(world), "p")
    with pytest.raises(PermissionDenied):
        answer_fit_check(user=world.manager, partnership=pair.partnership, good_fit=True)
    pair.partnership.status = PartnershipStatus.APPROVED
    pair.partnership.save()
    with pytest.raises(DomainError, match="once everyone has accepted"):
        answer_fit_check(user=pair.users[0], partnership=pair.partnership, good_fit=True)


def test_a_no_tells_the_manager_without_saying_who_and_offers_a_rematch(world):
    pair = started(world, make_programme(world), "p")
    with pytest.raises(DomainError, match="after you answer 'no'"):
        request_rematch(user=pair.users[1], partnership=pair.partnership)
    answer_fit_check(
        user=pair.users[1], partnership=pair.partnership, good_fit=False, comment="We never agree on times"
    )
    check = request_rematch(user=pair.users[1], partnership=pair.partnership)
    assert check.rematch_requested
    deliver_due()
    to_manager = [m for m in mail.outbox if m.to == ["manager@acme.test"]]
    assert len(to_manager) == 2  # the 'no', then the re-pairing request
    for message in to_manager:
        assert "p1" not in message.body
        assert "never agree" not in message.body
        assert f"partnership #{pair.partnership.pk}" in message.body


def test_fit_summary_only_over_five_people(world):
    programme = make_programme(world)
    pairs = [started(world, programme, f"t{n}") for n in range(3)]
    answered = [(pair, user) for pair in pairs for user in pair.users][:4]
    for pair, user in answered:
        answer_fit_check(user=user, partnership=pair.partnership, good_fit=True)
    assert fit_check_summary(programme=programme) is None
    pair, user = pairs[2], pairs[2].users[0]
    answer_fit_check(user=user, partnership=pair.partnership, good_fit=False)
    summary = fit_check_summary(programme=programme)
    assert summary is not None
    assert (summary.respondents, summary.good_fit, summary.not_a_fit) == (5, 4, 1)
