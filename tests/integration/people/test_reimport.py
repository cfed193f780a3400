"""Re-importing people: only what the file changes is written; levels, goals and people that
already match keep their rows, other sources and absent columns are left alone."""

import pytest

from stepahead.people import _import_writes
from stepahead.people.importing import import_people, preview_people_import, read_table
from stepahead.people.models import DevelopmentGoal, LevelSource, Person, Skill, SkillLevel
from stepahead.people.selectors import effective_levels, goal_keys, with_skills_and_goals
from stepahead.people.services import add_skill_alias, resolve_skill

HEADER = "id,name,email,function,grade,manager_id,skills,goals,languages\n"
ADA = "E1,Ada,ada@acme.test,Finance,3,E9,excel:4; public speaking:2,sql; excel,en; de\n"
BO = "E2,Bo,bo@acme.test,Sales,2,,sql:3,excel,en\n"
CY = "E3,Cy,cy@acme.test,IT,1,E1,python:5,sql,fr\n"


def _import(world, text, source=LevelSource.SELF):
    table = read_table(text.encode(), filename="people.csv")
    preview = preview_people_import(organisation=world.org, table=table)
    assert preview.is_clean, preview.problems
    return import_people(actor=world.admin, organisation=world.org, preview=preview, level_source=source)


def _snapshot(hris_id):
    """What identifies the stored rows of a person: unchanged rows keep pk and timestamps."""
    person = Person.objects.get(hris_id=hris_id)
    levels = set(SkillLevel.objects.filter(person=person).values_list("pk", "updated_at"))
    goals = set(DevelopmentGoal.objects.filter(person=person).values_list("pk", "skill_id", "priority"))
    return person.updated_at, levels, goals


def _person(hris_id):
    return with_skills_and_goals(Person.objects.filter(hris_id=hris_id)).get()


def test_reimport_changing_one_persons_skills_rewrites_exactly_that(world):
    _import(world, HEADER + ADA + BO + CY)
    before = {i: _snapshot(i) for i in ("E1", "E2", "E3")}
    changed_ada = ADA.replace("excel:4; public speaking:2", "excel:5; negotiation:1")
    outcome = _import(world, HEADER + changed_ada + BO + CY)
    assert (outcome.created, outcome.updated) == (0, 3)
    assert effective_levels(_person("E1")) == {"excel": 5, "negotiation": 1}
    assert goal_keys(_person("E1")) == ["sql", "excel"]
    assert _snapshot("E2") == before["E2"]
    assert _snapshot("E3") == before["E3"]
    # Ada's person row and goals did not change either; only her levels were replaced.
    assert _snapshot("E1")[0] == before["E1"][0]
    assert _snapshot("E1")[2] == before["E1"][2]
    assert Person.objects.filter(organisation=world.org).count() == 3


def test_reimport_reorders_goals_and_updates_changed_fields_only(world):
    _import(world, HEADER + ADA + BO)
    bo_before = _snapshot("E2")
    _import(world, HEADER + ADA.replace("sql; excel", "excel; python; sql").replace(",3,", ",4,") + BO)
    ada = _person("E1")
    assert goal_keys(ada) == ["excel", "python", "sql"]
    assert ada.grade == 4
    assert _snapshot("E2") == bo_before
    assert DevelopmentGoal.objects.filter(person__hris_id="E1").count() == 3


def test_reimport_with_emptied_cells_clears_levels_and_goals(world):
    _import(world, HEADER + ADA + BO)
    _import(world, HEADER + "E1,Ada,ada@acme.test,Finance,3,E9,,,\n" + BO)
    ada = _person("E1")
    assert (effective_levels(ada), goal_keys(ada), ada.languages) == ({}, [], [])
    assert effective_levels(_person("E2")) == {"sql": 3}


def test_reimport_keeps_other_sources_and_columns_the_file_lacks(world):
    _import(world, HEADER + ADA)
    _import(world, "id,grade,skills\nE1,3,excel:1\n", source=LevelSource.MANAGER)
    _import(world, "id,grade,name\nE1,5,Ada Lovelace\n")
    ada = _person("E1")
    assert (ada.name, ada.grade, ada.function, ada.languages) == ("Ada Lovelace", 5, "Finance", ["de", "en"])
    by_source = set(SkillLevel.objects.filter(person=ada).values_list("skill__key", "source", "level"))
    assert by_source == {("excel", "self", 4), ("public speaking", "self", 2), ("excel", "manager", 1)}
    assert goal_keys(ada) == ["sql", "excel"]


def test_reimport_reactivates_an_unchanged_inactive_person(world):
    _import(world, HEADER + ADA)
    Person.objects.filter(hris_id="E1").update(is_active=False)
    _import(world, HEADER + ADA)
    assert Person.objects.get(hris_id="E1").is_active


def test_aliases_resolve_once_and_new_skills_are_created_once(world):
    add_skill_alias(
        actor=world.admin,
        skill=resolve_skill(organisation=world.org, label="Public speaking"),
        alias="presenting",
    )
    _import(world, HEADER + ADA.replace("excel:4", "presenting:4") + BO.replace("sql:3", "rust:3") + CY)
    assert effective_levels(_person("E1")) == {"public speaking": 4}  # two wordings: the higher level
    assert Skill.objects.filter(organisation=world.org, key="rust").count() == 1
    assert not Skill.objects.filter(organisation=world.org, key="presenting").exists()


@pytest.mark.parametrize(("batch", "rows"), [(1, 1), (2, 3)])
def test_small_batches_give_the_same_result(world, monkeypatch, batch, rows):
    """Many write batches and multi-statement inserts, as a 100k-row file gets."""
    monkeypatch.setattr(_import_writes, "WRITE_BATCH", batch)
    monkeypatch.setattr(_import_writes, "INSERT_ROWS", rows)
    _import(world, HEADER + ADA + BO + CY)
    _import(world, HEADER + ADA + BO.replace("sql:3", "sql:4") + CY)
    assert Person.objects.filter(organisation=world.org).count() == 3
    assert effective_levels(_person("E2")) == {"sql": 4}
    assert goal_keys(_person("E3")) == ["sql"]
    assert SkillLevel.objects.filter(person__organisation=world.org).count() == 4
