"""The people directory: skills with aliases, levels by source, goals, self-service limits."""

import pytest

from stepahead.errors import DomainError, PermissionDenied
from stepahead.people.models import LevelSource, Skill
from stepahead.people.selectors import effective_levels, goal_keys, skill_for_key
from stepahead.people.services import (
    add_skill_alias,
    resolve_skill,
    save_person,
    set_development_goals,
    set_skill_levels,
)
from tests.integration.factories import make_person


def test_aliases_make_two_wordings_one_skill(world):
    skill = resolve_skill(organisation=world.org, label="Public  Speaking")
    add_skill_alias(actor=world.admin, skill=skill, alias="presenting")
    assert resolve_skill(organisation=world.org, label=" Presenting ") == skill
    assert Skill.objects.filter(organisation=world.org).count() == 1
    assert skill_for_key(organisation=world.other_org, key="presenting") is None  # per organisation


def test_an_alias_cannot_take_another_skills_name(world):
    skill = resolve_skill(organisation=world.org, label="sql")
    resolve_skill(organisation=world.org, label="excel")
    with pytest.raises(DomainError, match="already means"):
        add_skill_alias(actor=world.admin, skill=skill, alias="Excel")


def test_most_trusted_level_source_wins(world):
    person = make_person(world.org, "E1", 3, skills={"sql": 2})
    set_skill_levels(actor=world.admin, person=person, levels={"sql": 4}, source=LevelSource.VALIDATED)
    assert effective_levels(person) == {"sql": 4}


def test_participants_edit_only_their_own_self_assessment(world):
    me = make_person(world.org, "ME", 2, user=world.participant)
    other = make_person(world.org, "OTHER", 2)
    set_skill_levels(actor=world.participant, person=me, levels={"sql": 3})
    set_development_goals(actor=world.participant, person=me, goals=["excel", "sql", "Excel"])
    assert goal_keys(me) == ["excel", "sql"]
    with pytest.raises(PermissionDenied):
        set_skill_levels(actor=world.participant, person=me, levels={"sql": 5}, source=LevelSource.VALIDATED)
    with pytest.raises(PermissionDenied):
        set_skill_levels(actor=world.participant, person=other, levels={"sql": 1})


def test_limits_on_levels_and_goals(world):
    person = make_person(world.org, "E1", 3)
    with pytest.raises(DomainError, match="outside 0–5"):
        set_skill_levels(actor=world.admin, person=person, levels={"sql": 6})
    with pytest.raises(DomainError, match="At most 3"):
        set_development_goals(actor=world.admin, person=person, goals=["a", "b", "c", "d"])


def test_save_person_upserts_by_hris_id(world):
    save_person(actor=world.manager, organisation=world.org, hris_id="E1", grade=2, name="Ann")
    person = save_person(actor=world.manager, organisation=world.org, hris_id=" E1 ", grade=3)
    assert (person.name, person.grade) == ("Ann", 3)
    with pytest.raises(PermissionDenied):
        save_person(actor=world.other_admin, organisation=world.org, hris_id="E2", grade=1)
