"""The review board's groups made by hand: check first (strength, raw score in a tooltip, the
engine's reasons, or the rule that blocks), then make it; the counts follow, and Undo discards."""

import re

from django.urls import reverse

from stepahead.matchruns.mapper import Draft
from stepahead.partnerships.models import Partnership, PartnershipStatus
from stepahead.partnerships.services import discard_proposal, record_proposals
from stepahead.programmes.models import Status
from stepahead.programmes.services import save_enrolment
from tests.integration.factories import make_person, make_programme


def _figure(html: str, label: str) -> str:
    found = re.search(rf"<dt>{label}</dt><dd>(\d+)", html)
    assert found is not None, label
    return found.group(1)


def test_hr_checks_then_makes_a_pair_of_unplaced_people(world, browser_for, reviewable):
    programme, e, (ab, _cd) = reviewable
    discard_proposal(actor=world.manager, partnership=ab)
    browser = browser_for(world.manager)
    board = browser.get(reverse("web:proposals", args=[programme.pk])).content.decode()
    assert "Pair two people by hand" in board
    assert f'<option value="{e["A"].pk}">A (no function · grade 3)</option>' in board

    pair = {"first": e["A"].pk, "second": e["B"].pk}
    checked = browser.post(reverse("web:pair_check", args=[programme.pk]), pair, htmx=True)
    html = checked.content.decode()
    assert checked.status_code == 200
    assert "<html" not in html
    assert re.search(r'title="Score \d+\.\d\d \(the engine\'s raw score\)">\d+<span', html)
    assert "A is ahead of B in excel (3 vs 1)" in html
    assert "Pair A and B" in html
    assert not Partnership.objects.filter(status=PartnershipStatus.PROPOSED, adjusted=True).exists()

    made = browser.post(reverse("web:pair", args=[programme.pk]), pair, htmx=True).content.decode()
    assert "made by hand: A and B" in made
    assert "pinned" in made
    assert (_figure(made, "People placed"), _figure(made, "Unmatched")) == ("4", "0")
    new = Partnership.objects.get(status=PartnershipStatus.PROPOSED, adjusted=True)
    assert reverse("web:discard", args=[programme.pk, new.pk]) in made  # Undo discards it
    undone = browser.post(reverse("web:discard", args=[programme.pk, new.pk]), htmx=True).content.decode()
    assert (_figure(undone, "People placed"), _figure(undone, "Unmatched")) == ("2", "2")


def test_the_rule_that_blocks_a_pair_is_named_and_nothing_is_made(world, browser_for, reviewable):
    programme, e, (ab, cd) = reviewable
    discard_proposal(actor=world.manager, partnership=ab)
    discard_proposal(actor=world.manager, partnership=cd)
    browser = browser_for(world.manager)
    pair = {"first": e["A"].pk, "second": e["C"].pk}
    refused = browser.post(reverse("web:pair_check", args=[programme.pk]), pair, htmx=True)
    assert refused.status_code == 400
    assert 'role="alert"' in refused.content.decode()
    assert "A and C are not a reciprocal pair" in refused.content.decode()
    forced = browser.post(reverse("web:pair", args=[programme.pk]), pair, htmx=True)
    assert forced.status_code == 400
    assert "not a reciprocal pair" in forced.content.decode()
    unchosen = browser.post(reverse("web:pair_check", args=[programme.pk]), {"first": ""}, htmx=True)
    assert unchosen.status_code == 400
    assert "Choose two different people." in unchosen.content.decode()
    assert not Partnership.objects.filter(status=PartnershipStatus.PROPOSED).exists()


def test_without_javascript_the_check_is_a_page_and_making_redirects(world, browser_for, reviewable):
    programme, e, (ab, _cd) = reviewable
    discard_proposal(actor=world.manager, partnership=ab)
    browser = browser_for(world.manager)
    pair = {"first": e["A"].pk, "second": e["B"].pk}
    page = browser.post(reverse("web:pair_check", args=[programme.pk]), pair).content.decode()
    assert "<h1>Check a group made by hand</h1>" in page
    assert browser.post(reverse("web:pair", args=[programme.pk]), pair).status_code == 302


def test_only_managers_make_groups_by_hand(world, browser_for, reviewable):
    programme, e, (ab, _cd) = reviewable
    discard_proposal(actor=world.manager, partnership=ab)
    pair = {"first": e["A"].pk, "second": e["B"].pk}
    url = reverse("web:pair", args=[programme.pk])
    assert browser_for(world.participant).post(url, pair).status_code == 403
    assert browser_for(world.other_admin).post(url, pair).status_code == 404
    other = make_programme(world)  # enrolments of another programme are not found in this one
    assert browser_for(world.manager).post(reverse("web:pair", args=[other.pk]), pair).status_code == 404
    assert not Partnership.objects.filter(status=PartnershipStatus.PROPOSED, adjusted=True).exists()


def test_someone_unplaced_is_added_to_a_circle_after_a_check(world, browser_for):
    programme = make_programme(world, mode="circles")
    cycle = {
        "X1": ({"excel": 3}, ["sql"]),
        "X2": ({"sql": 3}, ["negotiation"]),
        "X3": ({"negotiation": 3}, ["excel"]),
        "X4": ({"excel": 3, "sql": 2}, ["negotiation"]),
    }
    e = {
        n: save_enrolment(programme=programme, person=make_person(world.org, n, 3, skills=s, goals=g))
        for n, (s, g) in cycle.items()
    }
    programme.status = Status.MATCHING
    programme.save()
    (circle,) = record_proposals(
        programme=programme,
        match_run=None,
        drafts=[Draft("circle", tuple((e[n], "member") for n in ("X1", "X2", "X3")), 1.0, ())],
    )
    browser = browser_for(world.manager)
    board = browser.get(reverse("web:proposals", args=[programme.pk])).content.decode()
    assert "Add someone to a circle" in board
    choice = {"circle": circle.pk, "joining": e["X4"].pk}
    checked = browser.post(reverse("web:circle_check", args=[programme.pk]), choice, htmx=True)
    assert checked.status_code == 200
    assert f"Add X4 to circle #{circle.pk}" in checked.content.decode()
    assert circle.members.count() == 3
    added = browser.post(reverse("web:circle_add", args=[programme.pk]), choice, htmx=True).content.decode()
    assert f"X4 joined circle #{circle.pk}" in added
    assert _figure(added, "Unmatched") == "0"
    assert circle.members.count() == 4
