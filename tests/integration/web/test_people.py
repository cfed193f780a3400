"""The people directory: paginated, searchable, scoped to the organisation."""

from django.urls import reverse

from tests.integration.factories import make_person


def test_people_list_paginates_and_searches(world, browser_for, django_assert_max_num_queries):
    for i in range(60):
        make_person(world.org, f"P{i:02d}", 3, function="Finance" if i % 2 else "Sales")
    make_person(world.other_org, "SECRET", 3)
    browser = browser_for(world.manager)
    with django_assert_max_num_queries(11):  # 8, plus the filter menus and the suggestions waiting
        page = browser.get(reverse("web:people"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "60 people" in html
    assert "Page 1 of 2" in html
    assert "SECRET" not in html
    found = browser.get(reverse("web:people"), {"q": "P07"})
    assert "1 match for" in found.content.decode()


def test_people_search_returns_a_partial_for_htmx(world, browser_for):
    make_person(world.org, "P1", 3, name="Ada")
    response = browser_for(world.manager).get(
        reverse("web:people"), {"q": "ada"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "Ada" in html


def test_pagination_links_lead_to_the_next_page(world, browser_for):
    for i in range(60):
        make_person(world.org, f"P{i:02d}", 3, function="Finance")
    browser = browser_for(world.manager)
    html = browser.get(reverse("web:people"), {"q": "finance"}).content.decode()
    assert 'href="?q=finance&amp;page=2"' in html  # {% querystring %} brings its own "?"
    second = browser.get(reverse("web:people"), {"q": "finance", "page": 2}).content.decode()
    assert "Page 2 of 2" in second
