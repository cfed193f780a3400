"""The enrolment form speaks HR's language (issue 11 bug 6 and "Speak HR's language"; issue 10
items 9 and 11): skills from the organisation's list with levels in words, aliases understood,
languages from a list, and a people picker limited to the programme, without HRIS ids."""

from django.urls import reverse

from stepahead.people.models import Skill
from stepahead.people.services import add_skill_alias
from stepahead.programmes.models import Enrolment
from tests.integration.factories import make_person, make_programme


def _enrolled(world, **person_fields):
    programme = make_programme(world)
    me = make_person(world.org, "PAT", 3, skills={"excel": 2}, user=world.participant, **person_fields)
    Enrolment.objects.create(programme=programme, person=me)
    return programme, me


def test_levels_are_in_words_and_skills_come_from_the_list(world, browser_for):
    programme, _ = _enrolled(world, languages=["en"])
    page = (
        browser_for(world.participant).get(reverse("web:my_programme", args=[programme.pk])).content.decode()
    )
    assert "4 · Can teach" in page
    assert '<datalist id="skill-options">' in page
    assert '<option value="excel">' in page


def test_free_text_languages_cannot_make_someone_unmatchable(world, browser_for):
    """Bug 6: "english, klingon" is refused; only languages from the list are accepted."""
    programme, me = _enrolled(world, languages=["en"])
    make_person(world.org, "DE", 3, languages=["de"])
    browser = browser_for(world.participant)
    page = browser.get(reverse("web:my_programme", args=[programme.pk])).content.decode()
    assert "English (en)" in page
    assert "German (de)" in page
    bad = browser.post(reverse("web:my_programme", args=[programme.pk]), {"languages": ["klingon"]})
    assert bad.status_code == 400
    good = browser.post(reverse("web:my_programme", args=[programme.pk]), {"languages": ["en", "de"]})
    assert good.status_code == 302
    assert Enrolment.objects.get(person=me).languages == ["de", "en"]


def test_the_people_picker_shows_only_the_programme_by_name_and_function(world, browser_for):
    programme, _ = _enrolled(world)
    mate = make_person(world.org, "MATE-77", 3, name="Mia Mate", function="Finance")
    Enrolment.objects.create(programme=programme, person=mate)
    stranger = make_person(world.org, "STRANGER-99", 3, name="Sid Stranger")
    page = (
        browser_for(world.participant).get(reverse("web:my_programme", args=[programme.pk])).content.decode()
    )
    assert "Mia Mate — Finance" in page
    assert "MATE-77" not in page
    assert "Sid Stranger" not in page
    forged = browser_for(world.participant).post(
        reverse("web:my_programme", args=[programme.pk]), {"avoid": [stranger.pk]}
    )
    assert forged.status_code == 400  # not a choice: nobody outside the programme can be named


def test_aliases_are_resolved_as_you_type(world, browser_for):
    _enrolled(world)
    add_skill_alias(
        actor=world.admin, skill=Skill.objects.get(organisation=world.org, key="excel"), alias="spreadsheets"
    )
    browser = browser_for(world.participant)
    hint = browser.get(
        reverse("web:skill_lookup"), {"skill_1": "Spreadsheets"}, headers={"HX-Request": "true"}
    )
    assert "means excel" in hint.content.decode()
    unknown = browser.get(reverse("web:skill_lookup"), {"skill_1": "klingon"}, headers={"HX-Request": "true"})
    assert "not in the list" in unknown.content.decode()
