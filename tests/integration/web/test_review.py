"""Proposal review: figures, sorting, swap / replace / pin / discard (htmx), approval, query counts."""

from django.core import mail
from django.urls import reverse

from stepahead.mail.services import deliver_due
from stepahead.matchruns.mapper import Draft
from stepahead.partnerships.models import Partnership, PartnershipStatus
from stepahead.partnerships.review import replace_member
from stepahead.partnerships.services import record_proposals
from stepahead.programmes.models import Enrolment, Status
from stepahead.programmes.services import save_enrolment
from tests.integration.factories import PEERS, make_person, make_programme


def test_proposals_page_shows_scores_reasons_and_figures(world, browser_for, reviewable):
    programme, _e, _proposals = reviewable
    response = browser_for(world.manager).get(reverse("web:proposals", args=[programme.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "A is ahead of B in excel" in html
    assert "1.50" in html
    assert "Approve all 2 proposals" in html
    assert html.index("1.50") < html.index("1.20")  # highest score first
    ascending = browser_for(world.manager).get(
        reverse("web:proposals", args=[programme.pk]), {"sort": "score"}
    )
    low_first = ascending.content.decode()
    assert low_first.index("C is ahead of D") < low_first.index("A is ahead of B")


def test_swap_via_htmx_shows_the_hard_rule_error_inline(world, browser_for, reviewable):
    programme, e, (ab, cd) = reviewable
    response = browser_for(world.manager).post(
        reverse("web:swap", args=[programme.pk]),
        {"first": f"{ab.pk}:{e['A'].pk}", "second": f"{cd.pk}:{e['C'].pk}"},
        htmx=True,
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "<html" not in html
    assert "reciprocal" in html
    assert 'role="alert"' in html
    assert {m.enrolment_id for m in ab.members.all()} == {e["A"].pk, e["B"].pk}


def test_swap_via_htmx_returns_new_scores_and_refreshes_the_board(world, browser_for):
    programme = make_programme(world)
    enrolments = {}
    from tests.integration.factories import PEERS

    for name in ("A", "B", "C"):
        skills, goals = PEERS[name]
        enrolments[name] = save_enrolment(
            programme=programme, person=make_person(world.org, name, 3, skills=skills, goals=goals)
        )
    # E is a second "A": same skills and goals, so B can pair with either.
    skills, goals = PEERS["A"]
    enrolments["E"] = save_enrolment(
        programme=programme, person=make_person(world.org, "E", 3, skills=skills, goals=goals)
    )
    skills, goals = PEERS["B"]
    enrolments["F"] = save_enrolment(
        programme=programme, person=make_person(world.org, "F", 3, skills=skills, goals=goals)
    )
    programme.status = Status.MATCHING
    programme.save()
    ab, ef = record_proposals(
        programme=programme,
        match_run=None,
        drafts=[
            Draft("pair", ((enrolments["A"], "peer"), (enrolments["B"], "peer")), 1.0, ()),
            Draft("pair", ((enrolments["E"], "peer"), (enrolments["F"], "peer")), 1.0, ()),
        ],
    )
    response = browser_for(world.manager).post(
        reverse("web:swap", args=[programme.pk]),
        {"first": f"{ab.pk}:{enrolments['A'].pk}", "second": f"{ef.pk}:{enrolments['E'].pk}"},
        htmx=True,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "New scores" in html
    assert 'hx-swap-oob="true"' in html
    ab.refresh_from_db()
    assert ab.adjusted


def test_swap_without_htmx_redirects_and_bad_choices_are_400(world, browser_for, reviewable):
    programme, _e, (_ab, _cd) = reviewable
    browser = browser_for(world.manager)
    bad = browser.post(reverse("web:swap", args=[programme.pk]), {"first": "x", "second": ""})
    assert bad.status_code == 400
    assert b"Choose a person" in bad.content


def test_replace_and_pin_and_discard(world, browser_for, reviewable):
    programme, e, (ab, cd) = reviewable
    from tests.integration.factories import PEERS

    skills, goals = PEERS["A"]
    from stepahead.programmes.models import Enrolment

    extra = Enrolment.objects.create(
        programme=programme, person=make_person(world.org, "X", 3, skills=skills, goals=goals)
    )
    browser = browser_for(world.manager)
    page = browser.get(reverse("web:proposals", args=[programme.pk])).content.decode()
    assert f'<option value="{extra.pk}">X (X)</option>' in page  # the unplaced can step in
    replaced = browser.post(
        reverse("web:replace", args=[programme.pk]),
        {"leaving": f"{ab.pk}:{e['A'].pk}", "joining": extra.pk},
        htmx=True,
    )
    assert replaced.status_code == 200
    assert "New score" in replaced.content.decode()
    assert set(ab.members.values_list("enrolment_id", flat=True)) == {extra.pk, e["B"].pk}

    pinned = browser.post(reverse("web:pin", args=[programme.pk, cd.pk]), {"pinned": "1"}, htmx=True)
    assert pinned.status_code == 200
    assert (
        f'<template>\n<tr id="proposal-{cd.pk}" class="pinned-row" hx-swap-oob="true">'
        in pinned.content.decode()
    )
    assert "Unpin" in pinned.content.decode()
    cd.refresh_from_db()
    assert cd.pinned

    discarded = browser.post(reverse("web:discard", args=[programme.pk, ab.pk]))
    assert discarded.status_code == 302
    ab.refresh_from_db()
    assert ab.status == PartnershipStatus.WITHDRAWN
    again = browser.post(reverse("web:pin", args=[programme.pk, ab.pk]))
    assert again.status_code == 409


def test_approve_selected_then_all_notifies_members(
    world, browser_for, reviewable, django_capture_on_commit_callbacks
):
    programme, _e, (ab, cd) = reviewable
    browser = browser_for(world.manager)
    assert browser.post(reverse("web:approve", args=[programme.pk]), {"scope": "selected"}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(
            reverse("web:approve", args=[programme.pk]), {"scope": "selected", "selected": [ab.pk]}
        )
    assert response.status_code == 302
    ab.refresh_from_db()
    cd.refresh_from_db()
    assert (ab.status, cd.status) == (PartnershipStatus.APPROVED, PartnershipStatus.PROPOSED)
    deliver_due()
    assert len(mail.outbox) == 2
    assert f"/partnerships/{ab.pk}/" in mail.outbox[0].body
    stale = browser.post(
        reverse("web:approve", args=[programme.pk]), {"scope": "selected", "selected": [ab.pk]}
    )
    assert stale.status_code == 409
    browser.post(reverse("web:approve", args=[programme.pk]), {"scope": "all", "confirmed": "yes"})
    cd.refresh_from_db()
    assert cd.status == PartnershipStatus.APPROVED
    assert (
        browser.post(
            reverse("web:approve", args=[programme.pk]), {"scope": "all", "confirmed": "yes"}
        ).status_code
        == 409
    )


def test_review_actions_are_refused_to_participants_and_other_orgs(world, browser_for, reviewable):
    programme, _e, (ab, _cd) = reviewable
    url = reverse("web:approve", args=[programme.pk])
    assert browser_for(world.participant).post(url, {"scope": "all", "confirmed": "yes"}).status_code == 403
    assert browser_for(world.other_admin).post(url, {"scope": "all", "confirmed": "yes"}).status_code == 404
    other = make_programme(world)
    # a proposal id of another programme is a 404 in this one
    assert browser_for(world.manager).post(reverse("web:pin", args=[other.pk, ab.pk])).status_code == 404
    assert not Partnership.objects.filter(status=PartnershipStatus.APPROVED).exists()


# The proposals page's queries, whatever the programme's size: session, user, memberships,
# programme and access (7); placement (3); board (page count, page, members, the unplaced: 4);
# the last run (1); declines (1, and 1 more for their members when there are any); figures (2);
# the signed-in person for the navigation (1).
PROPOSALS_PAGE_QUERIES = 14


def _programme_with_proposals(world, people: int, *, unplaced: int = 0):
    programme = make_programme(world)
    enrolments = [
        save_enrolment(
            programme=programme, person=make_person(world.org, f"P{i:03d}", 3, function=f"F{i % 3}")
        )
        for i in range(people + unplaced)
    ]
    programme.status = Status.MATCHING
    programme.save()
    drafts = [
        Draft("pair", ((enrolments[i], "peer"), (enrolments[i + 1], "peer")), float(i), ("reason",))
        for i in range(0, people, 2)
    ]
    record_proposals(programme=programme, match_run=None, drafts=drafts)
    return programme


def test_proposals_page_query_count_is_pinned_and_does_not_grow_with_proposals(
    world, browser_for, django_assert_num_queries
):
    """A 10,000-person programme pays the same queries as a small one (bench_proposals times it)."""
    small = _programme_with_proposals(world, 4, unplaced=1)
    large = _programme_with_proposals(world, 120, unplaced=7)
    browser = browser_for(world.manager)
    browser.get(reverse("web:proposals", args=[small.pk]))  # the session is read once, warm
    for programme in (small, large):
        with django_assert_num_queries(PROPOSALS_PAGE_QUERIES):
            response = browser.get(reverse("web:proposals", args=[programme.pk]))
        assert response.status_code == 200
    html = response.content.decode()
    assert "Page 1 of 2" in html
    assert "Approve all 60 proposals" in html
    assert "120 placed · 0 declined · 7 unmatched" in html
    assert "100%" in html  # every pair spans two functions (stored with the proposal)


def test_the_board_alone_for_htmx_lists_who_can_step_in(world, browser_for):
    """Sorting or paging swaps in the board only: the same proposals and not-placed people,
    found by the database without the figures."""
    programme = _programme_with_proposals(world, 4, unplaced=1)
    browser = browser_for(world.manager)
    response = browser.get(
        reverse("web:proposals", args=[programme.pk]), {"partial": "board"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="review-board"' in html
    assert "<html" not in html
    assert '<option value="' in html
    assert "P004 (P004)" in html  # the one not placed, offered as a replacement
    assert "P000" in html


def test_a_mentoring_proposal_names_who_mentors_whom_on_the_board(world, browser_for):
    programme = make_programme(world, mode="traditional")
    mentor = save_enrolment(
        programme=programme,
        person=make_person(world.org, "M1", 6, name="Maria", function="Sales"),
        role="mentor",
    )
    mentee = save_enrolment(programme=programme, person=make_person(world.org, "T1", 2), role="mentee")
    programme.status = Status.MATCHING
    programme.save()
    draft = Draft("mentoring", ((mentor, "mentor"), (mentee, "mentee")), 1.0, ("reason",))
    record_proposals(programme=programme, match_run=None, drafts=[draft])
    html = browser_for(world.manager).get(reverse("web:proposals", args=[programme.pk])).content.decode()
    assert '<li>Maria <span class="muted small">Mentor · Sales · grade 6</span></li>' in html
    assert '<li>T1 <span class="muted small">Mentee · — · grade 2</span></li>' in html


def test_cross_function_follows_the_members_through_a_replacement(world, reviewable):
    programme, e, (ab, _cd) = reviewable
    assert not ab.cross_function  # A and B have no function on file
    skills, goals = PEERS["A"]
    sales = Enrolment.objects.create(  # a late joiner (enrolment is closed once matching starts)
        programme=programme,
        person=make_person(world.org, "S", 3, skills=skills, goals=goals, function="Sales"),
    )
    b = e["B"].person
    b.function = "Finance"
    b.save()
    replace_member(actor=world.manager, partnership=ab, leaving=e["A"], joining=sales)
    ab.refresh_from_db()
    assert ab.cross_function


def test_hr_pages_speak_plainly_strength_out_of_100_with_the_raw_score_in_a_tooltip(
    world, browser_for, reviewable
):
    programme, _e, _proposals = reviewable
    html = browser_for(world.manager).get(reverse("web:proposals", args=[programme.pk])).content.decode()
    assert 'title="Score 1.50' in html
    assert "71<span" in html  # 1.5 of the best exchange 2.1 → 71/100
    for jargon in ("Gap ≤", "Proven optimal", "relaxation", "dual certificate", "Mean score"):
        assert jargon not in html


def test_approve_all_asks_first_naming_who_will_be_emailed(world, browser_for, reviewable):
    programme, _e, _proposals = reviewable
    response = browser_for(world.manager).post(reverse("web:approve", args=[programme.pk]), {"scope": "all"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Approve and email 4 people" in page
    assert all(name in page for name in ("<li>A</li>", "<li>B</li>", "<li>C</li>", "<li>D</li>"))
    assert not Partnership.objects.filter(programme=programme, status=PartnershipStatus.APPROVED).exists()
