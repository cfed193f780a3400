"""Midpoint and end surveys: defaults by mode, editing by the manager, answers checked whole,
and results that appear only from 5 respondents, free text without names."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from stepahead.errors import DomainError, PermissionDenied
from stepahead.feedback.models import Aspect, QuestionKind, SurveyResponse
from stepahead.feedback.selectors import survey_results
from stepahead.feedback.services import create_survey, remove_question, save_question, submit_survey
from tests.integration.factories import make_programme

from .factories import accepted_partnership


def _survey(world, mode="peer", stage="midpoint"):
    programme = make_programme(world, mode=mode)
    return programme, create_survey(
        actor=world.manager, programme=programme, stage=stage, opens_at=timezone.now() - timedelta(hours=1)
    )


def _answers(survey, likert="4", nps="9", text=""):
    values = {QuestionKind.LIKERT: likert, QuestionKind.NPS: nps, QuestionKind.TEXT: text}
    return {q.pk: values[q.kind] for q in survey.questions.all()}


def test_peer_surveys_ask_what_each_person_gave_and_received(world):
    _, peer = _survey(world)
    aspects = set(peer.questions.values_list("aspect", flat=True))
    assert {Aspect.GAVE, Aspect.RECEIVED} <= aspects
    _, mentoring = _survey(world, mode="traditional", stage="end")
    assert not set(mentoring.questions.values_list("aspect", flat=True)) - {Aspect.NONE}
    kinds = set(mentoring.questions.values_list("kind", flat=True))
    assert kinds == {QuestionKind.LIKERT, QuestionKind.NPS, QuestionKind.TEXT}


def test_only_managers_edit_and_only_before_answers(world):
    programme, survey = _survey(world)
    with pytest.raises(PermissionDenied):
        save_question(actor=world.participant, survey=survey, text="Hm?", kind="likert", about="programme")
    added = save_question(
        actor=world.manager, survey=survey, text="Was it fun?", kind="likert", about="programme"
    )
    assert added.position == survey.questions.count()
    with pytest.raises(DomainError, match="1 to 300"):
        save_question(actor=world.manager, survey=survey, text=" ", kind="likert", about="programme")
    remove_question(actor=world.manager, question=added)
    pair = accepted_partnership(world, programme, "p")
    submit_survey(user=pair.users[0], survey=survey, partnership=pair.partnership, answers=_answers(survey))
    with pytest.raises(DomainError, match="already answered this survey"):
        submit_survey(
            user=pair.users[0], survey=survey, partnership=pair.partnership, answers=_answers(survey)
        )
    with pytest.raises(DomainError, match="can no longer change"):
        save_question(actor=world.manager, survey=survey, text="Late?", kind="text", about="programme")


def test_a_bad_answer_names_its_question_and_saves_nothing(world):
    programme, survey = _survey(world)
    pair = accepted_partnership(world, programme, "p")
    with pytest.raises(DomainError, match=r"Question \d+ .*from 0 to 10, not '11'"):
        submit_survey(
            user=pair.users[0],
            survey=survey,
            partnership=pair.partnership,
            answers=_answers(survey, nps="11"),
        )
    with pytest.raises(DomainError, match="needs an answer"):
        submit_survey(
            user=pair.users[0],
            survey=survey,
            partnership=pair.partnership,
            answers=_answers(survey, likert=""),
        )
    assert not SurveyResponse.objects.exists()


def test_a_survey_not_yet_open_refuses_answers(world):
    programme = make_programme(world)
    survey = create_survey(
        actor=world.manager, programme=programme, stage="end", opens_at=timezone.now() + timedelta(days=3)
    )
    pair = accepted_partnership(world, programme, "p")
    with pytest.raises(DomainError, match="not open yet"):
        submit_survey(
            user=pair.users[0], survey=survey, partnership=pair.partnership, answers=_answers(survey)
        )


def test_results_appear_from_five_people_with_comments_unattributed(world):
    programme, survey = _survey(world)
    pairs = [accepted_partnership(world, programme, f"r{n}") for n in range(3)]
    people = [(pair, user) for pair in pairs for user in pair.users]
    for n, (pair, user) in enumerate(people[:4]):
        submit_survey(
            user=user, survey=survey, partnership=pair.partnership, answers=_answers(survey, text=f"idea {n}")
        )
    results = survey_results(survey=survey)
    assert results.respondents is None
    assert all(result.hidden for result in results.questions)
    pair, user = people[4]
    submit_survey(
        user=user, survey=survey, partnership=pair.partnership, answers=_answers(survey, "2", "3", "idea 4")
    )
    results = survey_results(survey=survey)
    assert results.respondents == 5
    by_kind = {r.question.kind: r for r in results.questions}
    assert by_kind[QuestionKind.NPS].nps.score == 60  # 4 promoters, 1 detractor of 5
    assert by_kind[QuestionKind.TEXT].comments == tuple(f"idea {n}" for n in range(5))
    likert = next(r for r in results.questions if r.question.kind == QuestionKind.LIKERT)
    assert likert.scale.mean == 3.6
