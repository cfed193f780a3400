"""Participant pages: my programmes, enrolment, invitations, my matches, accept / decline."""

from django.urls import reverse

from stepahead.organisations.models import Membership
from stepahead.partnerships.models import PartnershipStatus, Response
from stepahead.partnerships.services import approve_proposals
from stepahead.programmes.invitations import invite_people
from stepahead.programmes.models import Enrolment, Invitation, Status
from tests.integration.factories import make_person, make_programme, make_user


def test_my_programmes_lists_enrolments_and_invitations(world, browser_for, reviewable):
    programme, _e, _p = reviewable  # pat is A, enrolled
    invited = make_programme(world, mode="traditional")
    pat = world.participant.people.get()
    invite_people(actor=world.manager, programme=invited, people=[pat])
    response = browser_for(world.participant).get(reverse("web:my_programmes"))
    html = response.content.decode()
    assert response.status_code == 200
    assert programme.name in html
    assert "Respond to the invitation" in html


def test_participant_edits_enrolment_until_matching(world, browser_for):
    programme = make_programme(world)
    person = make_person(world.org, "PAT", 3, skills={"excel": 2}, goals=["sql"], user=world.participant)
    buddy = make_person(world.org, "BUD", 3, skills={"pitching": 3, "negotiation": 3}, languages=["en", "de"])
    foe = make_person(world.org, "FOE", 3)
    Enrolment.objects.create(programme=programme, person=person)
    Enrolment.objects.create(programme=programme, person=buddy)
    Enrolment.objects.create(programme=programme, person=foe)
    browser = browser_for(world.participant)
    page = browser.get(reverse("web:my_programme", args=[programme.pk])).content.decode()
    assert 'value="excel"' in page  # prefilled from the directory
    response = browser.post(
        reverse("web:my_programme", args=[programme.pk]),
        {
            "skill_1": "excel",
            "level_1": "4",
            "skill_2": "pitching",
            "level_2": "2",
            "goal_1": "sql",
            "goal_2": "negotiation",
            "languages": ["en", "de"],
            "prefer": [buddy.pk],
            "avoid": [foe.pk],
        },
    )
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(programme=programme, person=person)
    assert enrolment.skills == {"excel": 4, "pitching": 2}
    assert enrolment.goals == ["sql", "negotiation"]
    assert list(enrolment.prefer.all()) == [buddy]
    assert list(enrolment.avoid.all()) == [foe]

    bad = browser.post(reverse("web:my_programme", args=[programme.pk]), {"skill_1": "excel", "level_1": "9"})
    assert bad.status_code == 400
    unknown = browser.post(
        reverse("web:my_programme", args=[programme.pk]),
        {"skill_1": "excel", "level_1": "4", "skill_2": "klingon", "level_2": "2"},
        follow=True,
    )
    assert unknown.status_code == 200  # saved; the new name waits for HR (programmes.suggestions)
    assert "“klingon” is not in Acme&#x27;s skill list yet" in unknown.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.skills == {"excel": 4}  # the known skill is saved, the new one is not used
    enrolment.skills = {"excel": 4, "pitching": 2}
    enrolment.save()

    programme.status = Status.MATCHING
    programme.save()
    closed = browser.post(
        reverse("web:my_programme", args=[programme.pk]), {"skill_1": "excel", "level_1": "1"}
    )
    assert closed.status_code == 409
    enrolment.refresh_from_db()
    assert enrolment.skills == {"excel": 4, "pitching": 2}


def test_mentoring_enrolment_requires_a_role(world, browser_for):
    programme = make_programme(world, mode="traditional")
    person = make_person(world.org, "PAT", 3, user=world.participant)
    Enrolment.objects.create(programme=programme, person=person, role="mentee")
    response = browser_for(world.participant).post(
        reverse("web:my_programme", args=[programme.pk]), {"role": ""}
    )
    assert response.status_code == 400
    assert 'id="id_role_error"' in response.content.decode()


def test_programme_of_another_org_or_not_joined_is_404(world, browser_for):
    make_person(world.org, "PAT", 3, user=world.participant)
    programme = make_programme(world)
    assert (
        browser_for(world.participant).get(reverse("web:my_programme", args=[programme.pk])).status_code
        == 404
    )


def test_invitation_link_enrols_a_new_user_and_makes_them_a_member(
    world, browser_for, django_capture_on_commit_callbacks
):
    programme = make_programme(world)
    make_person(world.org, "OLD", 3, skills={"excel": 1, "sql": 1})  # the organisation's skill list
    person = make_person(world.org, "NEW", 3, email="newbie@acme.test")
    (invitation,) = invite_people(actor=world.manager, programme=programme, people=[person])
    newbie = make_user("newbie@acme.test")
    url = reverse("web:invitation", args=[invitation.token])
    anonymous = browser_for().get(url)
    assert anonymous.status_code == 302
    assert anonymous.url.startswith("/accounts/login/")
    browser = browser_for(newbie)
    assert browser.get(url).status_code == 200
    response = browser.post(url, {"skill_1": "excel", "level_1": "3", "goal_1": "sql"}, page=url)
    assert response.status_code == 302
    assert Enrolment.objects.get(programme=programme, person=person).goals == ["sql"]
    assert Membership.objects.filter(organisation=world.org, user=newbie).exists()
    invitation.refresh_from_db()
    assert invitation.status == "accepted"
    # the link again: already answered, back to my programmes
    assert browser.get(url).status_code == 302


def test_invitation_for_someone_else_is_403_and_unknown_token_404(world, browser_for):
    programme = make_programme(world)
    make_person(world.org, "OLD", 3, skills={"excel": 1, "sql": 1})  # the organisation's skill list
    person = make_person(world.org, "NEW", 3, email="newbie@acme.test")
    (invitation,) = invite_people(actor=world.manager, programme=programme, people=[person])
    intruder = browser_for(world.participant)
    assert intruder.get(reverse("web:invitation", args=[invitation.token])).status_code == 403
    assert intruder.get(reverse("web:invitation", args=["nope"])).status_code == 404
    assert Invitation.objects.get(pk=invitation.pk).status == "pending"


def test_my_match_shows_partner_and_reasons_then_accept(world, browser_for, reviewable):
    programme, _e, (ab, _cd) = reviewable
    approve_proposals(actor=world.manager, programme=programme, partnerships=[ab])
    browser = browser_for(world.participant)
    matches = browser.get(reverse("web:my_matches")).content.decode()
    assert "Your peer partner" in matches
    assert "You are ahead of B in excel" in matches  # addressed to the reader, A
    assert "A is ahead of B" not in matches
    detail = browser.get(reverse("web:partnership", args=[ab.pk]))
    assert detail.status_code == 200
    assert b"Accept this match" in detail.content
    response = browser.post(
        reverse("web:partnership_accept", args=[ab.pk]), page=reverse("web:partnership", args=[ab.pk])
    )
    assert response.status_code == 302
    member = ab.members.get(enrolment__person__user=world.participant)
    assert member.response == Response.ACCEPTED
    again = browser.post(reverse("web:partnership_accept", args=[ab.pk]))
    assert again.status_code == 302 or again.status_code == 409


def test_decline_with_a_reason(world, browser_for, reviewable):
    programme, _e, (ab, _cd) = reviewable
    approve_proposals(actor=world.manager, programme=programme, partnerships=[ab])
    browser = browser_for(world.participant)
    too_long = browser.post(reverse("web:partnership_decline", args=[ab.pk]), {"reason": "x" * 1001})
    assert too_long.status_code == 400
    response = browser.post(
        reverse("web:partnership_decline", args=[ab.pk]), {"reason": "We already work together"}
    )
    assert response.status_code == 302
    ab.refresh_from_db()
    assert ab.status == PartnershipStatus.DECLINED
    assert (
        ab.members.get(enrolment__person__user=world.participant).decline_reason == "We already work together"
    )
    assert browser.post(reverse("web:partnership_accept", args=[ab.pk])).status_code == 409


def test_proposals_and_other_peoples_partnerships_are_404(world, browser_for, reviewable):
    programme, _e, (ab, cd) = reviewable
    browser = browser_for(world.participant)
    assert browser.get(reverse("web:partnership", args=[ab.pk])).status_code == 404  # not approved yet
    approve_proposals(actor=world.manager, programme=programme)
    assert browser.get(reverse("web:partnership", args=[ab.pk])).status_code == 200
    assert browser.get(reverse("web:partnership", args=[cd.pk])).status_code == 404  # not pat's
    assert browser.post(reverse("web:partnership_decline", args=[cd.pk])).status_code == 404
