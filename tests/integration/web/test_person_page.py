"""HR's person page and the directory's filters (issue 11: a person page, people list filters)."""

from django.urls import reverse

from stepahead.matchruns.mapper import Draft
from stepahead.partnerships.services import approve_proposals, record_proposals
from stepahead.people.models import LevelSource
from stepahead.people.services import write_skill_levels
from stepahead.programmes.models import Status
from stepahead.programmes.services import save_enrolment
from tests.integration.factories import enrol_peers, make_person, make_programme


def _paired(world):
    programme = make_programme(world)
    e = enrol_peers(world, programme, ("A", "B"))
    programme.status = Status.MATCHING
    programme.save()
    record_proposals(
        programme=programme,
        match_run=None,
        drafts=[Draft("pair", ((e["A"], "peer"), (e["B"], "peer")), 1.0, ())],
    )
    approve_proposals(actor=world.manager, programme=programme)
    return programme, e


def test_the_person_page_shows_skills_with_their_source_goals_programmes_and_partnerships(world, browser_for):
    programme, e = _paired(world)
    a = e["A"].person
    a.name, a.function, a.location = "Ada Lovelace", "Finance", "Leeds"
    a.save()
    write_skill_levels(person=a, levels={"excel": 4}, source=LevelSource.MANAGER)
    e["A"].skills = {"sql": 2}
    e["A"].save()
    html = browser_for(world.manager).get(reverse("web:person", args=[a.pk])).content.decode()
    assert "<h1>Ada Lovelace</h1>" in html
    assert "Finance · grade 3 · Leeds" in html
    assert "4 · Can teach" in html  # the manager's level, used for matching
    assert 'Manager-assessed <span class="tag done">used for matching</span>' in html
    assert "Self-assessed</td>" in html  # the self-assessed 3 is kept, not used
    assert "<li>sql</li>" in html  # the directory goal
    assert "sql: 2 · Getting there" in html  # from the enrolment form, this programme only
    assert programme.name in html
    assert "Approved" in html  # the partnership's status
    assert ">B</td>" in html  # the partner, by name


def test_the_person_page_is_for_hr_of_the_same_organisation_only(world, browser_for):
    person = make_person(world.org, "P1", 3)
    stranger = make_person(world.other_org, "X1", 3)
    assert browser_for(world.manager).get(reverse("web:person", args=[stranger.pk])).status_code == 404
    assert browser_for(world.other_admin).get(reverse("web:person", args=[person.pk])).status_code == 404
    assert browser_for(world.participant).get(reverse("web:person", args=[person.pk])).status_code == 403


def test_the_person_page_costs_the_same_queries_however_many_partnerships(
    world, browser_for, django_assert_max_num_queries
):
    _, e = _paired(world)
    browser = browser_for(world.manager)
    browser.get(reverse("web:person", args=[e["A"].person.pk]))  # warm session and caches
    with django_assert_max_num_queries(20):
        assert browser.get(reverse("web:person", args=[e["A"].person.pk])).status_code == 200


def _directory(world):
    programme = make_programme(world)
    for i in range(120):
        person = make_person(
            world.org,
            f"P{i:03d}",
            2 + i % 4,
            name=f"Person {i:03d}",
            function=("Finance", "Sales", "IT")[i % 3],
            location=("Leeds", "Paris")[i % 2],
        )
        if i % 10 == 0:
            save_enrolment(programme=programme, person=person)
    return programme


def test_filters_narrow_by_function_grade_location_and_programme(world, browser_for):
    programme = _directory(world)
    browser = browser_for(world.manager)
    url = reverse("web:people")
    finance = browser.get(url, {"function": "Finance"}).content.decode()
    assert "40 matches with these filters" in finance
    both = browser.get(url, {"function": "Finance", "location": "Leeds", "grade": "2"}).content.decode()
    # i % 3 == 0, i % 2 == 0, i % 4 == 0: every 12th person
    assert "10 matches with these filters" in both
    enrolled = browser.get(url, {"programme": programme.pk}).content.decode()
    assert "12 matches with these filters" in enrolled
    assert "Person 010" in enrolled
    assert "Person 011" not in enrolled
    searched = browser.get(url, {"q": "Person 00", "function": "IT"}).content.decode()
    assert "3 matches for “Person 00” with these filters" in searched  # 002, 005, 008
    assert 'option value="Paris"' in finance  # the menus list the directory's values
    assert reverse("web:person", args=[1]).rsplit("/", 2)[0] in finance


def test_a_filter_value_that_cannot_be_one_is_named_and_ignored(world, browser_for):
    _directory(world)
    other = make_programme(world)
    other.managers.all().delete()  # a programme this manager cannot see
    browser = browser_for(world.manager)
    bad = browser.get(reverse("web:people"), {"grade": "senior"}).content.decode()
    assert "Grade “senior” is not a whole number; grade is not filtered." in bad
    assert "120 people" in bad
    hidden = browser.get(reverse("web:people"), {"programme": other.pk}).content.decode()
    assert "That programme is not one you can see" in hidden


def test_a_filtered_page_costs_a_fixed_number_of_queries(world, browser_for, django_assert_max_num_queries):
    programme = _directory(world)
    browser = browser_for(world.manager)
    browser.get(reverse("web:people"))
    params = {
        "q": "Person",
        "function": "Sales",
        "grade": "3",
        "location": "Paris",
        "programme": programme.pk,
    }
    with django_assert_max_num_queries(12):
        assert browser.get(reverse("web:people"), params).status_code == 200
    with django_assert_max_num_queries(12):
        assert browser.get(reverse("web:people"), {"page": 2}).status_code == 200


def test_the_person_page_shows_names_waiting_for_hr(world, browser_for):
    programme = make_programme(world)
    make_person(world.org, "OLD", 3, skills={"sql": 1})
    pia = make_person(world.org, "P1", 3, name="Pia")
    save_enrolment(programme=programme, person=pia, skills={"sql": 2, "Kubernetes": 3})
    html = browser_for(world.manager).get(reverse("web:person", args=[pia.pk])).content.decode()
    assert "waiting for HR</a>: Kubernetes" in html


def test_someone_without_a_name_is_shown_by_their_hris_id(world, browser_for):
    boss = make_person(world.org, "M-17", 5, name="")
    person = make_person(world.org, "E-42", 3, name="", manager_hris_id="M-17")
    named = make_person(world.org, "E-43", 3, name="Grace Hopper")
    assert (boss.display_name, named.display_name) == ("M-17", "Grace Hopper")
    html = browser_for(world.manager).get(reverse("web:person", args=[person.pk])).content.decode()
    assert "<h1>E-42</h1>" in html
    assert f'<a href="{reverse("web:person", args=[boss.pk])}">M-17</a>' in html  # the line manager
