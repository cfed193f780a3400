"""Privacy: HR staff, organisation admins and Django superusers never read one person's answers
(survey, pulse or fit check comments, concerns) on any page, export, admin screen or API, and every
aggregate waits for 5 respondents.

The crawl visits every GET route of the site with the ids of the records under test, so a page
added later is checked too.
"""

from __future__ import annotations

import itertools
import re
from datetime import timedelta

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from stepahead.concerns.services import raise_concern, set_support_contact
from stepahead.feedback.models import FitCheck, Pulse, QuestionKind, SurveyAnswer, SurveyResponse
from stepahead.feedback.pulses import answer_pulse, pulse_summary
from stepahead.feedback.selectors import fit_check_summary, survey_results
from stepahead.feedback.services import answer_fit_check, create_survey, submit_survey
from stepahead.organisations.models import Membership, Role
from tests.integration.factories import make_programme, make_user

from .factories import accepted_partnership, agree, session

SECRET = "SECRET-{}"
PARAMS = {"token": ["x"]}


def _routes(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def _paths(ids: dict[str, list[int]]):
    for route in _routes(get_resolver().url_patterns):
        if route.startswith(("admin/", "accounts/")) or "(?P" in route or "^" in route:
            continue
        names = re.findall(r"<(?:\w+:)?(\w+)>", route)
        choices = [ids.get(name, PARAMS.get(name, [])) for name in names]
        for values in itertools.product(*choices):
            path = route
            for value in values:
                path = re.sub(r"<(?:\w+:)?\w+>", str(value), path, count=1)
            yield "/" + path


@pytest.fixture
def answered(world):
    """Four people of one programme answered everything with secrets, as did a fifth in a second
    programme; nobody's group reaches 5."""
    programme = make_programme(world)
    survey = create_survey(
        actor=world.manager,
        programme=programme,
        stage="midpoint",
        opens_at=timezone.now() - timedelta(hours=1),
    )
    n = itertools.count()
    pairs = [accepted_partnership(world, programme, f"x{k}") for k in range(2)]
    held = {}
    for pair in pairs:
        agree(pair)
        held[pair.partnership.pk] = session(pair, timezone.now() - timedelta(hours=3), held=True)
        for user in pair.users:
            answers = {
                q.pk: SECRET.format(next(n))
                if q.kind == QuestionKind.TEXT
                else ("9" if q.kind == "nps" else "4")
                for q in survey.questions.all()
            }
            submit_survey(user=user, survey=survey, partnership=pair.partnership, answers=answers)
            answer_pulse(
                user=user, session=held[pair.partnership.pk], value=3, comment=SECRET.format(next(n))
            )
            answer_fit_check(
                user=user, partnership=pair.partnership, good_fit=True, comment=SECRET.format(next(n))
            )
    care = make_user("care@acme.test")
    Membership.objects.create(organisation=world.org, user=care, role=Role.PARTICIPANT)
    set_support_contact(actor=world.manager, programme=programme, user=care)
    raise_concern(
        user=pairs[0].users[0],
        partnership=pairs[0].partnership,
        category="behaviour",
        description=SECRET.format(99),
    )
    ids = {
        "pk": [programme.pk, pairs[0].partnership.pk, 1],
        "survey_pk": [survey.pk],
        "session_pk": [held[pairs[0].partnership.pk].pk],
        "spk": [held[pairs[0].partnership.pk].pk],
        "number": [1],
        "ppk": [pairs[0].partnership.pk],
        "run_pk": [1],
    }
    return programme, survey, pairs, ids


def test_no_hr_page_or_api_shows_an_answer(world, answered):
    _programme, _survey, _pairs, ids = answered
    superuser = make_user("root@acme.test")
    superuser.is_staff = superuser.is_superuser = True
    superuser.save()
    paths = list(_paths(ids))
    assert any("/surveys/" in p for p in paths)
    assert any("at-risk" in p for p in paths)
    for user in (world.manager, world.admin, superuser):
        client = Client()
        client.force_login(user)
        for path in paths:
            response = client.get(path)
            if response.status_code == 200 and not response.get("Content-Type", "").startswith("image"):
                assert b"SECRET-" not in response.content, f"{user.email} read an answer on {path}"


def test_the_admin_site_has_no_answers(world, answered):
    hidden = {FitCheck, Pulse, SurveyResponse, SurveyAnswer}
    assert not hidden & set(admin.site._registry), "answers must never be registered in the admin"
    superuser = make_user("root@acme.test")
    superuser.is_staff = superuser.is_superuser = True
    superuser.save()
    client = Client()
    client.force_login(superuser)
    for model in admin.site._registry:
        meta = model._meta
        listing = client.get(f"/admin/{meta.app_label}/{meta.model_name}/")
        assert b"SECRET-" not in listing.content, meta.label
        for pk in model.objects.values_list("pk", flat=True)[:20]:
            page = client.get(f"/admin/{meta.app_label}/{meta.model_name}/{pk}/change/")
            assert b"SECRET-" not in page.content, f"{meta.label} #{pk}"


def test_every_aggregate_waits_for_five_people(world, answered):
    programme, survey, _pairs, _ = answered
    results = survey_results(survey=survey)
    assert results.respondents is None
    assert all(r.hidden for r in results.questions)
    assert fit_check_summary(programme=programme) is None
    assert pulse_summary(programme=programme).scale is None
    fifth = accepted_partnership(world, programme, "x9", size=2)
    agree(fifth)
    held = session(fifth, timezone.now() - timedelta(hours=3), held=True)
    user = fifth.users[0]
    answers = {q.pk: "" if q.kind == QuestionKind.TEXT else "5" for q in survey.questions.all()}
    submit_survey(user=user, survey=survey, partnership=fifth.partnership, answers=answers)
    answer_pulse(user=user, session=held, value=5)
    answer_fit_check(user=user, partnership=fifth.partnership, good_fit=True)
    results = survey_results(survey=survey)
    assert results.respondents == 5
    texts = [r for r in results.questions if r.question.kind == QuestionKind.TEXT]
    assert all(r.comments is None for r in texts)  # only 4 people wrote: still hidden
    assert all(r.scale or r.nps for r in results.questions if r.question.kind != QuestionKind.TEXT)
    assert fit_check_summary(programme=programme).respondents == 5
    assert pulse_summary(programme=programme).scale.respondents == 5


def test_members_read_only_their_own_answers(world, answered):
    _, _, pairs, ids = answered
    other = Client()
    other.force_login(pairs[0].users[1])
    page = other.get(f"/partnerships/{pairs[0].partnership.pk}/feedback/")
    assert page.status_code == 200
    mine = FitCheck.objects.get(member=pairs[0].members[1]).comment
    theirs = FitCheck.objects.get(member=pairs[0].members[0]).comment
    assert theirs.encode() not in page.content
    for path in _paths(ids):
        response = other.get(path)
        if response.status_code == 200:
            assert SECRET.format(99).encode() not in response.content, path
    assert mine  # the member's own comment exists; it is theirs to keep
