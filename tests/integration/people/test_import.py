"""People import: mapping, preview of every bad row, all-or-nothing commit, idempotent re-import."""

import io

import pytest
from openpyxl import Workbook

from stepahead.errors import DomainError, PermissionDenied
from stepahead.people.importing import import_people, preview_people_import, read_table, suggest_mapping
from stepahead.people.models import Person, SkillLevel
from stepahead.people.selectors import effective_levels, goal_keys, with_skills_and_goals
from stepahead.people.services import add_skill_alias, resolve_skill

GOOD = (
    "id,name,email,function,grade,manager_id,skills,goals,languages\n"
    "E1,Ada,ada@acme.test,Finance,3,E9,excel:4; public speaking:2,sql; presenting,en; de\n"
    "E2,Bo,bo@acme.test,Sales,2,,sql:3,excel,en\n"
)


def _preview(world, text, filename="people.csv", mapping=None):
    table = read_table(text.encode() if isinstance(text, str) else text, filename=filename)
    return preview_people_import(organisation=world.org, table=table, mapping=mapping)


def test_clean_file_imports_people_skills_and_goals(world):
    add_skill_alias(
        actor=world.admin,
        skill=resolve_skill(organisation=world.org, label="Public speaking"),
        alias="Presenting",
    )
    preview = _preview(world, GOOD)
    assert preview.is_clean
    assert preview.new_ids == ("E1", "E2")
    outcome = import_people(actor=world.manager, organisation=world.org, preview=preview)
    assert (outcome.created, outcome.updated) == (2, 0)
    ada = with_skills_and_goals(Person.objects.filter(hris_id="E1")).get()
    assert (ada.function, ada.grade, ada.manager_hris_id, ada.languages) == ("Finance", 3, "E9", ["de", "en"])
    assert effective_levels(ada) == {"excel": 4, "public speaking": 2}
    assert goal_keys(ada) == ["sql", "public speaking"]  # "presenting" is an alias


def test_reimport_updates_by_hris_id_without_duplicates(world):
    import_people(actor=world.admin, organisation=world.org, preview=_preview(world, GOOD))
    changed = GOOD.replace("E2,Bo,bo@acme.test,Sales,2", "E2,Bo Smith,bo@acme.test,Sales,4")
    preview = _preview(world, changed)
    assert preview.updated_ids == ("E1", "E2")
    outcome = import_people(actor=world.admin, organisation=world.org, preview=preview)
    assert (outcome.created, outcome.updated) == (0, 2)
    assert Person.objects.filter(organisation=world.org).count() == 2
    assert Person.objects.get(hris_id="E2").grade == 4
    assert SkillLevel.objects.filter(person__hris_id="E1").count() == 2


def test_preview_lists_every_bad_row_and_nothing_is_written(world):
    bad = GOOD + "E3,Cy,not-an-email,,x,,excel:9,a;b;c;d,\nE1,Dup,,,2,,,,\n,NoId,,,2,,,,\n"
    preview = _preview(world, bad)
    found = {(p.line, p.column) for p in preview.problems}
    assert {(4, "email"), (4, "grade"), (4, "skills"), (4, "goals"), (5, "id"), (6, "id")} <= found
    assert all(str(p) for p in preview.problems)
    with pytest.raises(DomainError, match="problem"):
        import_people(actor=world.admin, organisation=world.org, preview=preview)
    assert not Person.objects.exists()


def test_partial_import_writes_only_valid_rows_and_reports_skipped_lines(world):
    preview = _preview(world, GOOD + "E3,Cy,,,x,,,,\n")
    outcome = import_people(actor=world.admin, organisation=world.org, preview=preview, allow_partial=True)
    assert outcome.created == 2
    assert outcome.skipped_lines == (4,)


def test_a_database_failure_rolls_back_every_row(world, monkeypatch):
    from stepahead.people import _import_writes

    def fail(*args, **kwargs):  # people are written by now: their skill levels fail
        assert Person.objects.exists()
        raise RuntimeError("disk full")

    monkeypatch.setattr(_import_writes, "_replace_levels", fail)
    with pytest.raises(RuntimeError):
        import_people(actor=world.admin, organisation=world.org, preview=_preview(world, GOOD))
    assert not Person.objects.exists()


def test_column_mapping_for_other_headers_and_xlsx(world):
    book = Workbook()
    sheet = book.active
    sheet.append(["Employee ID", "Full name", "Department", "Level", "Line manager", "Favourite colour"])
    sheet.append(["X1", "Xavier", "IT", 3.0, "X0", "blue"])
    buffer = io.BytesIO()
    book.save(buffer)
    table = read_table(buffer.getvalue(), filename="hris.xlsx")
    mapping = suggest_mapping(table.headers)
    assert mapping == {
        "Employee ID": "id",
        "Full name": "name",
        "Department": "function",
        "Level": "grade",
        "Line manager": "manager_id",
    }
    preview = preview_people_import(organisation=world.org, table=table, mapping=mapping)
    assert preview.is_clean
    assert preview.unmapped == ("Favourite colour",)
    import_people(actor=world.admin, organisation=world.org, preview=preview)
    assert Person.objects.get(hris_id="X1").grade == 3


def test_mapping_without_required_columns_is_a_problem(world):
    preview = _preview(world, "who,level\nE1,3\n", mapping={"who": "name"})
    assert any(p.column == "id" and p.line == 0 for p in preview.problems)


def test_semicolon_csv_with_bom(world):
    text = "\ufeffid;grade;skills\nE1;2;excel:3\n".encode()
    preview = _preview(world, text)
    assert preview.is_clean, preview.problems


def test_participants_and_other_organisations_cannot_import(world):
    preview = _preview(world, GOOD)
    for actor in (world.participant, world.other_admin):
        with pytest.raises(PermissionDenied):
            import_people(actor=actor, organisation=world.org, preview=preview)


def test_unsupported_file_type(world):
    with pytest.raises(DomainError, match=r"csv or \.xlsx"):
        read_table(b"x", filename="people.pdf")


def test_functions_keep_the_files_spelling_for_pages_and_reasons(world):
    """Stored normalised, "HR" read "hr" on every page and "Sales meets Hr" in the engine's reasons."""
    text = "id,name,function,grade\nE1,Ada,HR,3\nE2,Bo,Customer Service,3\n"
    import_people(actor=world.manager, organisation=world.org, preview=_preview(world, text))
    functions = dict(Person.objects.filter(organisation=world.org).values_list("hris_id", "function"))
    assert functions == {"E1": "HR", "E2": "Customer Service"}
