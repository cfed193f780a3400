"""The review board's Undo: discard and pin answer with a feedback line whose Undo button puts
things back, and the figures and not-placed list follow every edit."""

import re

from django.urls import reverse

from stepahead.matchruns.mapper import Draft
from stepahead.partnerships.models import Partnership, PartnershipStatus
from stepahead.partnerships.services import record_proposals


def _undo_form(html: str) -> tuple[str, dict[str, str]]:
    """The Undo button's form in a feedback line: its hx-post URL and hidden fields."""
    form = re.search(r'<form method="post" action="([^"]+)" hx-post="[^"]+"[^>]*>(.*?)</form>', html, re.S)
    assert form is not None, html
    fields = dict(re.findall(r'type="hidden" name="(\w+)" value="([^"]*)"', form.group(2)))
    fields.pop("csrfmiddlewaretoken", None)
    return form.group(1).replace("&amp;", "&"), fields


def _figure(html: str, label: str) -> str:
    found = re.search(rf"<dt>{label}</dt><dd>(\d+)", html)
    assert found is not None, label
    return found.group(1)


def test_discard_offers_an_undo_that_brings_the_proposal_and_the_counts_back(world, browser_for, reviewable):
    programme, _e, (ab, _cd) = reviewable
    browser = browser_for(world.manager)
    board = browser.get(reverse("web:proposals", args=[programme.pk])).content.decode()
    assert (_figure(board, "People placed"), _figure(board, "Unmatched")) == ("4", "0")

    discarded = browser.post(
        reverse("web:discard", args=[programme.pk, ab.pk]) + "?sort=score", htmx=True
    ).content.decode()
    assert "discarded; its members return to the pool" in discarded
    assert (_figure(discarded, "People placed"), _figure(discarded, "Unmatched")) == ("2", "2")
    assert 'id="review-figures" hx-swap-oob="true"' in discarded
    assert 'id="review-unplaced" hx-swap-oob="true"' in discarded
    assert "Not placed (2)" in discarded
    assert 'id="review-approve" hx-swap-oob="true"' in discarded
    assert "Approve the proposal" in discarded  # one left to approve, not "all 2"
    url, fields = _undo_form(discarded)
    assert url == reverse("web:restore", args=[programme.pk, ab.pk]) + "?sort=score"  # page and sort kept

    restored = browser.post(url, fields, htmx=True)
    html = restored.content.decode()
    assert restored.status_code == 200
    assert f"Proposal #{ab.pk} is back, as it was." in html
    assert (_figure(html, "People placed"), _figure(html, "Unmatched")) == ("4", "0")
    assert "A is ahead of B in excel" in html  # the engine's reasons came back with it
    ab.refresh_from_db()
    assert (ab.status, ab.score) == (PartnershipStatus.PROPOSED, 1.5)


def test_an_undo_that_comes_too_late_says_why_and_changes_nothing(world, browser_for, reviewable):
    programme, e, (ab, _cd) = reviewable
    browser = browser_for(world.manager)
    browser.post(reverse("web:discard", args=[programme.pk, ab.pk]), htmx=True)
    # meanwhile A is placed in a new proposal: A–B can no longer come back as it was
    record_proposals(
        programme=programme,
        match_run=None,
        drafts=[Draft("pair", ((e["A"], "peer"), (e["C"], "peer")), 1.0, ())],
    )
    late = browser.post(reverse("web:restore", args=[programme.pk, ab.pk]), htmx=True)
    assert late.status_code == 409
    assert "no longer free" in late.content.decode()
    assert 'role="alert"' in late.content.decode()
    assert Partnership.objects.get(pk=ab.pk).status == PartnershipStatus.WITHDRAWN


def test_pin_answers_with_an_undo_that_unpins_and_the_row_out_of_band(world, browser_for, reviewable):
    programme, _e, (_ab, cd) = reviewable
    browser = browser_for(world.manager)
    pinned = browser.post(reverse("web:pin", args=[programme.pk, cd.pk]), {"pinned": "1"}, htmx=True)
    html = pinned.content.decode()
    assert html.lstrip().startswith('<div class="notice success with-action" role="status"')
    assert "pinned: matching again keeps it" in html
    # a table row cannot stand alone in a response: it travels in a template, swapped out of band
    assert f'<template>\n<tr id="proposal-{cd.pk}" class="pinned-row" hx-swap-oob="true">' in html
    url, fields = _undo_form(html)
    assert fields == {"pinned": "0"}
    unpinned = browser.post(url, fields, htmx=True).content.decode()
    assert "unpinned" in unpinned
    assert f'<template>\n<tr id="proposal-{cd.pk}" hx-swap-oob="true">' in unpinned
    assert not Partnership.objects.get(pk=cd.pk).pinned


def test_restore_is_for_managers_only_and_works_without_htmx(world, browser_for, reviewable):
    programme, _e, (ab, _cd) = reviewable
    url = reverse("web:restore", args=[programme.pk, ab.pk])
    browser_for(world.manager).post(reverse("web:discard", args=[programme.pk, ab.pk]))
    assert browser_for(world.participant).post(url).status_code == 403
    assert browser_for(world.other_admin).post(url).status_code == 404
    assert Partnership.objects.get(pk=ab.pk).status == PartnershipStatus.WITHDRAWN
    back = browser_for(world.manager).post(url)
    assert back.status_code == 302
    assert Partnership.objects.get(pk=ab.pk).status == PartnershipStatus.PROPOSED
