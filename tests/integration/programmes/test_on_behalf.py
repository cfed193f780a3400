"""HR acts on enrolments: enrol someone on their behalf, change their answers, withdraw them —
through the participant's own services, recorded with who did it, and nothing deleted."""

import pytest
from django.core import mail

from stepahead.errors import DomainError, PermissionDenied
from stepahead.lifecycle.models import Closure
from stepahead.mail.services import deliver_due
from stepahead.matchruns.mapper import Draft
from stepahead.organisations.models import Membership, Role
from stepahead.partnerships.models import PartnershipStatus
from stepahead.partnerships.selectors import placement_of
from stepahead.partnerships.services import approve_proposals, record_proposals
from stepahead.partnerships.withdrawal import withdraw_from_programme, withdrawal_effects
from stepahead.programmes.models import EnrolmentAction, EnrolmentEvent, EnrolmentStatus, Status
from stepahead.programmes.selectors import latest_events, people_to_enrol
from stepahead.programmes.services import enrol_participant, reopen_enrolment
from tests.integration.factories import enrol_peers, make_person, make_programme, make_user
from tests.integration.partnering import active


def _events(enrolment):
    return list(
        EnrolmentEvent.objects.filter(enrolment=enrolment).values_list("action", "actor", "on_behalf")
    )


def test_a_manager_enrols_someone_on_their_behalf_and_it_is_recorded(world):
    programme = make_programme(world)
    person = make_person(world.org, "P1", 3, name="Pia", skills={"excel": 2}, user=world.participant)
    assert person in people_to_enrol(programme=programme, query="pia")
    enrolment = enrol_participant(
        actor=world.manager, programme=programme, person=person, skills={"excel": 4}, goals=["excel"]
    )
    assert (enrolment.status, enrolment.skills, enrolment.goals) == ("active", {"excel": 4}, ["excel"])
    assert _events(enrolment) == [(EnrolmentAction.ENROLLED, world.manager.pk, True)]
    assert person not in people_to_enrol(programme=programme)
    # Pia changes her own answers: recorded as hers
    enrol_participant(actor=world.participant, programme=programme, person=person, skills={"excel": 3})
    assert latest_events(enrolments=[enrolment])[enrolment.pk].on_behalf is False
    assert _events(enrolment)[0][:2] == (EnrolmentAction.EDITED, world.participant.pk)


def test_only_this_programmes_managers_enrol_and_only_while_enrolment_is_open(world):
    programme = make_programme(world)
    person = make_person(world.org, "P1", 3, name="Pia")
    stranger = make_user("other-manager@acme.test")
    Membership.objects.create(organisation=world.org, user=stranger, role=Role.PROGRAMME_MANAGER)
    for outsider in (stranger, world.participant, world.other_admin):
        with pytest.raises(PermissionDenied):
            enrol_participant(actor=outsider, programme=programme, person=person)
    programme.status = Status.MATCHING
    programme.save()
    with pytest.raises(DomainError, match="Enrolment is closed"):
        enrol_participant(actor=world.manager, programme=programme, person=person)
    reopen_enrolment(actor=world.manager, programme=programme)  # a late joiner
    programme.refresh_from_db()
    assert enrol_participant(actor=world.manager, programme=programme, person=person).status == "active"


def test_withdrawing_says_first_then_settles_proposals_and_sent_matches(
    world, django_capture_on_commit_callbacks
):
    programme = make_programme(world)
    e = enrol_peers(world, programme)
    programme.status = Status.MATCHING
    programme.save()
    ab, cd = record_proposals(
        programme=programme,
        match_run=None,
        drafts=[
            Draft("pair", ((e["A"], "peer"), (e["B"], "peer")), 1.0, ()),
            Draft("pair", ((e["C"], "peer"), (e["D"], "peer")), 1.0, ()),
        ],
    )
    with django_capture_on_commit_callbacks(execute=True):
        approve_proposals(actor=world.manager, programme=programme, partnerships=[cd])
    deliver_due()
    mail.outbox.clear()

    effects = withdrawal_effects(enrolment=e["A"])
    assert [(x.partnership.pk, x.others) for x in effects.proposals] == [(ab.pk, ["B"])]
    assert not effects.awaiting
    assert not effects.ongoing
    withdraw_from_programme(actor=world.manager, enrolment=e["A"])
    ab.refresh_from_db()
    e["A"].refresh_from_db()
    assert (ab.status, e["A"].status) == (PartnershipStatus.WITHDRAWN, EnrolmentStatus.WITHDRAWN)
    assert _events(e["A"]) == [(EnrolmentAction.WITHDRAWN, world.manager.pk, True)]
    standing = placement_of(programme=programme)
    assert e["B"].pk in standing.unmatched
    assert e["A"].pk not in standing.unmatched

    with django_capture_on_commit_callbacks(execute=True):
        done = withdraw_from_programme(actor=world.manager, enrolment=e["C"])
    assert [x.others for x in done.awaiting] == [["D"]]
    cd.refresh_from_db()
    assert cd.status == PartnershipStatus.WITHDRAWN
    deliver_due()
    assert [m.to for m in mail.outbox] == [["D@acme.test"]]  # D is told it will not go ahead
    assert "will not go ahead" in mail.outbox[0].body


def test_withdrawing_someone_in_an_active_partnership_ends_it_early_without_deleting_anything(world):
    built = active(world)
    enrolment = built.partnership.members.get(enrolment__person__hris_id="A").enrolment
    assert [x.others for x in withdrawal_effects(enrolment=enrolment).ongoing] == [["B"]]
    withdraw_from_programme(actor=world.manager, enrolment=enrolment)
    built.partnership.refresh_from_db()
    assert built.partnership.status == PartnershipStatus.ENDED_EARLY
    closure = Closure.objects.get(partnership=built.partnership)
    assert (closure.reason, closure.note) == ("left", "A withdrew from the programme.")
    assert built.partnership.members.count() == 2  # history kept


def test_participants_withdraw_only_themselves_and_only_while_enrolment_is_open(world):
    programme = make_programme(world)
    e = enrol_peers(world, programme, ("A", "B"))  # A is the participant's own entry
    with pytest.raises(PermissionDenied):
        withdraw_from_programme(actor=world.participant, enrolment=e["B"])
    programme.status = Status.MATCHING
    programme.save()
    with pytest.raises(PermissionDenied):
        withdraw_from_programme(actor=world.participant, enrolment=e["A"])
    withdraw_from_programme(actor=world.manager, enrolment=e["A"])  # managers can, until it closes
    assert _events(e["A"]) == [(EnrolmentAction.WITHDRAWN, world.manager.pk, True)]
    programme.status = Status.CLOSED
    programme.save()
    with pytest.raises(PermissionDenied):
        withdraw_from_programme(actor=world.manager, enrolment=e["B"])


def test_a_withdrawn_person_can_be_enrolled_again(world):
    programme = make_programme(world)
    e = enrol_peers(world, programme, ("A", "B"))
    withdraw_from_programme(actor=world.manager, enrolment=e["B"])
    assert e["B"].person in people_to_enrol(programme=programme)
    again = enrol_participant(actor=world.manager, programme=programme, person=e["B"].person)
    assert (again.pk, again.status) == (e["B"].pk, "active")
    assert [a for a, _, _ in _events(again)] == [EnrolmentAction.ENROLLED, EnrolmentAction.WITHDRAWN]
    with pytest.raises(DomainError):
        enrol_participant(actor=world.manager, programme=programme, person=e["B"].person, role="boss")
