"""Concerns: raised privately, handled and closed by the support contact, read by nobody else."""

from __future__ import annotations

import pytest
from django.core import mail

from stepahead.concerns.models import ConcernStatus
from stepahead.concerns.selectors import concern_for, concerns_for
from stepahead.concerns.services import add_handling_note, close_concern, raise_concern, set_support_contact
from stepahead.errors import DomainError, PermissionDenied
from stepahead.mail.services import deliver_due
from stepahead.organisations.models import Membership, Role
from tests.integration.factories import make_programme, make_user

from .factories import accepted_partnership


@pytest.fixture
def setting(world):
    programme = make_programme(world)
    pair = accepted_partnership(world, programme, "c")
    contact = make_user("care@acme.test")
    Membership.objects.create(organisation=world.org, user=contact, role=Role.PARTICIPANT)
    set_support_contact(actor=world.manager, programme=programme, user=contact)
    return programme, pair, contact


def test_raise_handle_close(world, setting):
    _, pair, contact = setting
    concern = raise_concern(
        user=pair.users[0], partnership=pair.partnership, category="behaviour", description="Rude remarks"
    )
    add_handling_note(actor=contact, concern=concern, text="Spoke to both separately")
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.IN_HAND
    close_concern(actor=contact, concern=concern, outcome="Agreed new ground rules")
    concern.refresh_from_db()
    assert (concern.status, concern.closed_by) == (ConcernStatus.CLOSED, contact)
    with pytest.raises(DomainError, match="closed"):
        add_handling_note(actor=contact, concern=concern, text="more")
    deliver_due()
    assert [m.to for m in mail.outbox] == [["care@acme.test"], ["c0@acme.test"]]
    assert all("Rude" not in m.body for m in mail.outbox)


def test_nobody_else_reads_or_handles_it(world, setting):
    _, pair, contact = setting
    concern = raise_concern(
        user=pair.users[0],
        partnership=pair.partnership,
        category="confidentiality",
        description="Shared my notes",
    )
    assert list(concerns_for(user=pair.users[0], organisation=world.org)) == [concern]
    assert concern_for(user=contact, organisation=world.org, pk=concern.pk) == concern
    for outsider in (pair.users[1], world.manager, world.admin, world.participant):
        assert not concerns_for(user=outsider, organisation=world.org).exists()
        with pytest.raises(PermissionDenied):
            close_concern(actor=outsider, concern=concern, outcome="x")


def test_managers_stand_in_while_no_contact_is_named(world):
    programme = make_programme(world)
    pair = accepted_partnership(world, programme, "m")
    concern = raise_concern(
        user=pair.users[1], partnership=pair.partnership, category="not_working", description="Silent"
    )
    assert concern_for(user=world.manager, organisation=world.org, pk=concern.pk) == concern
    assert not concerns_for(user=world.admin, organisation=world.org).exists()


def test_bad_input_is_refused(world, setting):
    _, pair, _ = setting
    with pytest.raises(DomainError, match="describe the concern"):
        raise_concern(
            user=pair.users[0], partnership=pair.partnership, category="behaviour", description="  "
        )
    with pytest.raises(DomainError, match="Choose what the concern is about"):
        raise_concern(user=pair.users[0], partnership=pair.partnership, category="weather", description="x")
    with pytest.raises(PermissionDenied):
        raise_concern(user=world.participant, partnership=pair.partnership, category="other", description="x")
    with pytest.raises(DomainError, match="not a member of"):
        set_support_contact(actor=world.manager, programme=pair.partnership.programme, user=world.other_admin)
