"""HR's enrolments page: enrol someone on their behalf (a picker by name and function, then the
participant's own form, worded about them), change their answers, withdraw them after a
confirmation saying what happens to their proposals; managers only, recorded."""

from django.urls import reverse

from stepahead.matchruns.mapper import Draft
from stepahead.partnerships.models import Partnership, PartnershipStatus
from stepahead.partnerships.services import record_proposals
from stepahead.programmes.models import Enrolment, EnrolmentEvent, EnrolmentStatus, Programme, Status
from stepahead.programmes.services import save_enrolment
from tests.integration.factories import enrol_peers, make_person, make_programme


def test_hr_finds_someone_by_name_or_function_and_enrols_them_on_their_behalf(world, browser_for):
    programme = make_programme(world)
    pia = make_person(world.org, "HR-0042", 3, name="Pia Park", function="Finance", languages=["en"])
    make_person(world.org, "HR-0043", 4, name="Omar Oak", function="Sales", skills={"excel": 1, "sql": 2})
    save_enrolment(programme=programme, person=make_person(world.org, "HR-0044", 3, name="Enid Enrolled"))
    browser = browser_for(world.manager)
    page = browser.get(reverse("web:enrolments", args=[programme.pk])).content.decode()
    assert reverse("web:enrolment_new", args=[programme.pk]) in page

    picker = browser.get(reverse("web:enrolment_new", args=[programme.pk])).content.decode()
    assert "Pia Park" in picker
    assert "Omar Oak" in picker
    assert "Enid Enrolled" not in picker  # already enrolled
    assert "HR-0042" not in picker  # by name and function, not HRIS ids
    found = browser.get(
        reverse("web:enrolment_new", args=[programme.pk]),
        {"q": "finance", "partial": "candidates"},
        headers={"HX-Request": "true"},
    ).content.decode()
    assert "Pia Park" in found
    assert "Omar Oak" not in found
    assert "<html" not in found

    form = browser.get(reverse("web:enrolment_new", args=[programme.pk]), {"person": pia.pk}).content.decode()
    assert "What Pia Park knows" in form
    assert "Languages Pia Park can work in" in form
    assert "before you choose" not in form  # the participant's how-we-match nudge is for them
    saved = browser.post(
        reverse("web:enrolment_new", args=[programme.pk]),
        {"person": pia.pk, "skill_1": "excel", "level_1": "3", "goal_1": "sql", "languages": ["en"]},
    )
    assert saved.status_code == 302
    enrolment = Enrolment.objects.get(programme=programme, person=pia)
    assert (enrolment.skills, enrolment.goals, enrolment.languages) == ({"excel": 3}, ["sql"], ["en"])
    event = EnrolmentEvent.objects.get(enrolment=enrolment)
    assert (event.action, event.actor, event.on_behalf) == ("enrolled", world.manager, True)
    listed = browser.get(reverse("web:enrolments", args=[programme.pk])).content.decode()
    assert "Enrolled by manager@acme.test" in listed


def test_a_bad_answer_is_named_on_the_form_and_nothing_is_saved(world, browser_for):
    programme = make_programme(world)
    pia = make_person(world.org, "P1", 3, name="Pia Park")
    make_person(world.org, "P2", 3, skills={"excel": 1})  # excel is in the organisation's list
    response = browser_for(world.manager).post(
        reverse("web:enrolment_new", args=[programme.pk]),
        {"person": pia.pk, "skill_1": "excel", "level_1": "", "goal_1": "klingon opera"},
    )
    assert response.status_code == 400
    assert "Choose your level in excel." in response.content.decode()
    assert not Enrolment.objects.filter(person=pia).exists()
    # a name the list lacks is not an error: it waits for HR as a suggestion (programmes.suggestions)


def test_hr_changes_someones_answers(world, browser_for):
    programme = make_programme(world)
    e = enrol_peers(world, programme, ("A", "B"))
    browser = browser_for(world.manager)
    url = reverse("web:enrolment_edit", args=[programme.pk, e["B"].pk])
    page = browser.get(url).content.decode()
    assert "Change B’s answers" in page
    assert 'value="sql"' in page
    assert browser.post(url, {"skill_1": "sql", "level_1": "5", "goal_1": "excel"}).status_code == 302
    e["B"].refresh_from_db()
    assert e["B"].skills == {"sql": 5}
    assert EnrolmentEvent.objects.get(enrolment=e["B"]).action == "edited"
    # someone already enrolled, chosen in the picker, lands on their answers
    chosen = browser.get(reverse("web:enrolment_new", args=[programme.pk]), {"person": e["B"].person_id})
    assert chosen.status_code == 302
    assert chosen.url == url


def test_withdrawal_is_confirmed_first_saying_what_happens_to_their_proposals(world, browser_for):
    programme = make_programme(world)
    e = enrol_peers(world, programme)
    programme.status = Status.MATCHING
    programme.save()
    (ab,) = record_proposals(
        programme=programme,
        match_run=None,
        drafts=[Draft("pair", ((e["A"], "peer"), (e["B"], "peer")), 1.0, ())],
    )
    browser = browser_for(world.manager)
    url = reverse("web:enrolment_withdraw", args=[programme.pk, e["A"].pk])
    asked = browser.post(url).content.decode()
    assert "Withdraw A from peer programme?" in asked
    assert f"Proposal #{ab.pk} with B is discarded; B go back to the pool" in asked
    assert "Nothing is deleted" in asked
    assert Enrolment.objects.get(pk=e["A"].pk).status == EnrolmentStatus.ACTIVE  # not yet

    done = browser.post(url, {"confirmed": "yes"}, follow=True).content.decode()
    assert "A is withdrawn from peer programme. 1 proposal discarded." in done
    assert "Withdrawn by manager@acme.test" in done
    assert Enrolment.objects.get(pk=e["A"].pk).status == EnrolmentStatus.WITHDRAWN
    assert Partnership.objects.get(pk=ab.pk).status == PartnershipStatus.WITHDRAWN
    assert browser.post(url, {"confirmed": "yes"}).status_code == 409  # already withdrawn


def test_closed_enrolment_says_how_to_reopen_and_hides_what_cannot_be_done(world, browser_for):
    programme = make_programme(world)
    e = enrol_peers(world, programme, ("A", "B"))
    programme.status = Status.MATCHING
    programme.save()
    browser = browser_for(world.manager)
    page = browser.get(reverse("web:enrolments", args=[programme.pk])).content.decode()
    assert "reopen it for late joiners" in page
    assert reverse("web:enrolment_new", args=[programme.pk]) not in page
    assert reverse("web:enrolment_edit", args=[programme.pk, e["A"].pk]) not in page
    assert reverse("web:enrolment_withdraw", args=[programme.pk, e["A"].pk]) in page  # still possible
    refused = browser.get(reverse("web:enrolment_new", args=[programme.pk]))
    assert refused.status_code == 409
    assert "Reopen enrolment for late joiners" in refused.content.decode()


def test_only_managers_of_the_programme_act_on_enrolments(world, browser_for):
    programme = make_programme(world)
    e = enrol_peers(world, programme, ("A", "B"))
    pia = make_person(world.org, "P1", 3, name="Pia")
    new = reverse("web:enrolment_new", args=[programme.pk])
    withdraw = reverse("web:enrolment_withdraw", args=[programme.pk, e["B"].pk])
    assert browser_for(world.participant).get(new).status_code == 403
    assert browser_for(world.participant).post(withdraw, {"confirmed": "yes"}).status_code == 403
    assert browser_for(world.other_admin).post(new, {"person": pia.pk}).status_code == 404
    other = make_programme(world)  # an enrolment of another programme is not found in this one
    edit = reverse("web:enrolment_edit", args=[other.pk, e["B"].pk])
    assert browser_for(world.manager).get(edit).status_code == 404
    assert Enrolment.objects.get(pk=e["B"].pk).status == EnrolmentStatus.ACTIVE
    assert not Enrolment.objects.filter(person=pia).exists()


def test_a_participant_who_withdraws_is_asked_first_in_their_own_words(world, browser_for):
    """Never naming HR's draft proposals to a participant; recorded as their own withdrawal."""
    programme = make_programme(world)
    e = enrol_peers(world, programme, ("A", "B"))  # A is the participant's own entry
    Programme.objects.filter(pk=programme.pk).update(status=Status.MATCHING, late_enrolment=True)
    record_proposals(
        programme=programme,
        match_run=None,
        drafts=[Draft("pair", ((e["A"], "peer"), (e["B"], "peer")), 1.0, ())],
    )
    browser = browser_for(world.participant)
    url = reverse("web:withdraw", args=[programme.pk])
    asked = browser.post(url).content.decode()
    assert "Leave peer programme?" in asked
    assert "Any match being prepared for you is dropped." in asked
    assert "Proposal #" not in asked
    assert Enrolment.objects.get(pk=e["A"].pk).status == EnrolmentStatus.ACTIVE  # not yet
    assert browser.post(url, {"confirmed": "yes"}).status_code == 302
    assert Enrolment.objects.get(pk=e["A"].pk).status == EnrolmentStatus.WITHDRAWN
    event = EnrolmentEvent.objects.get(enrolment=e["A"])
    assert (event.action, event.on_behalf) == ("withdrawn", False)
    assert browser.post(url, {"confirmed": "yes"}).status_code == 302  # again: nothing new recorded
    assert EnrolmentEvent.objects.filter(enrolment=e["A"]).count() == 1
