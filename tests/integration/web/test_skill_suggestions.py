"""The skill suggestion queue from the web: HR adds, merges or rejects; participants are told."""

from django.urls import reverse

from stepahead.people.models import Skill
from stepahead.programmes.models import Enrolment, SkillSuggestion
from tests.integration.factories import make_person, make_programme


def _typed_kubernetes(world, browser_for):
    programme = make_programme(world)
    make_person(world.org, "OLD", 3, skills={"sql": 2, "docker": 1})
    person = make_person(world.org, "PAT", 3, name="Pat", user=world.participant)
    Enrolment.objects.create(programme=programme, person=person)
    browser = browser_for(world.participant)
    saved = browser.post(
        reverse("web:my_programme", args=[programme.pk]),
        {"skill_1": "sql", "level_1": "3", "skill_2": "Kubernetes", "level_2": "4"},
        follow=True,
    )
    return programme, browser, saved.content.decode()


def test_the_participant_is_told_the_name_went_to_hr(world, browser_for):
    _programme, _browser, page = _typed_kubernetes(world, browser_for)
    assert "Your enrolment has been saved." in page
    assert "“Kubernetes” is not in Acme&#x27;s skill list yet, so we sent them to HR as a suggestion" in page
    assert "waiting for HR to add it to the list" in page


def test_hr_sees_the_queue_and_adds_the_name(world, browser_for):
    programme, participant, _ = _typed_kubernetes(world, browser_for)
    hr = browser_for(world.manager)
    people = hr.get(reverse("web:people")).content.decode()
    assert "Skill suggestions (1)" in people
    queue = hr.get(reverse("web:skill_suggestions")).content.decode()
    assert "“Kubernetes”" in queue
    assert "Pat</a> in" in queue
    assert "level 4" in queue
    done = hr.post(reverse("web:decide_suggestion"), {"key": "kubernetes", "action": "approve"}, follow=True)
    assert "“Kubernetes” is now in the skill list" in done.content.decode()
    assert Enrolment.objects.get(programme=programme).skills == {"sql": 3, "kubernetes": 4}
    mine = participant.get(reverse("web:my_programme", args=[programme.pk])).content.decode()
    assert "added to the list and to your enrolment" in mine


def test_hr_merges_the_name_into_an_existing_skill(world, browser_for):
    programme, participant, _ = _typed_kubernetes(world, browser_for)
    docker = Skill.objects.get(organisation=world.org, key="docker")
    hr = browser_for(world.manager)
    missing = hr.post(reverse("web:decide_suggestion"), {"key": "kubernetes", "action": "merge", "into": ""})
    assert missing.status_code == 409
    assert "Choose the existing skill to merge the name into." in missing.content.decode()
    hr.post(reverse("web:decide_suggestion"), {"key": "kubernetes", "action": "merge", "into": docker.pk})
    assert Enrolment.objects.get(programme=programme).skills == {"sql": 3, "docker": 4}
    mine = participant.get(reverse("web:my_programme", args=[programme.pk])).content.decode()
    assert "HR added it to your enrolment as docker" in mine


def test_hr_rejects_and_participants_cannot_decide(world, browser_for):
    programme, participant, _ = _typed_kubernetes(world, browser_for)
    assert participant.get(reverse("web:skill_suggestions")).status_code == 403
    forbidden = participant.post(reverse("web:decide_suggestion"), {"key": "kubernetes", "action": "approve"})
    assert forbidden.status_code == 403
    hr = browser_for(world.manager)
    hr.post(reverse("web:decide_suggestion"), {"key": "kubernetes", "action": "reject"})
    assert Enrolment.objects.get(programme=programme).skills == {"sql": 3}
    assert (
        "not added to the list"
        in participant.get(reverse("web:my_programme", args=[programme.pk])).content.decode()
    )
    again = hr.post(reverse("web:decide_suggestion"), {"key": "kubernetes", "action": "reject"})
    assert again.status_code == 409
    assert "already been dealt with" in again.content.decode()


def test_saving_the_form_again_keeps_the_suggestion_waiting(world, browser_for):
    programme, participant, _ = _typed_kubernetes(world, browser_for)
    url = reverse("web:my_programme", args=[programme.pk])
    form = participant.get(url).content.decode()
    assert 'value="Kubernetes"' in form  # shown in a free row, with its level
    participant.post(
        url, {"skill_1": "sql", "level_1": "3", "skill_2": "Kubernetes", "level_2": "4", "languages": []}
    )
    assert SkillSuggestion.objects.filter(key="kubernetes", status="pending").count() == 1
