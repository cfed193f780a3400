"""Hostile or broken import files: every one gets a clear message naming where, never a 500,
never a half write, and the server's memory stays bounded (issue 10 items 6–8, issue 11 bug 10)."""

import io
import tracemalloc

import pytest
from openpyxl import Workbook

from stepahead.errors import DomainError
from stepahead.people import _tables
from stepahead.people.importing import import_people, preview_people_import, read_table
from tests.integration.factories import make_person

HEADER = "id,name,email,function,grade,skills,goals\n"


def _preview(world, text, filename="people.csv"):
    table = read_table(text.encode() if isinstance(text, str) else text, filename=filename)
    return preview_people_import(organisation=world.org, table=table)


def _problems(preview):
    return {(p.line, p.column, p.message) for p in preview.problems}


def _xlsx(rows, extra=None):
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for row, column, value in extra or ():
        sheet.cell(row=row, column=column, value=value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_xlsx_with_a_cell_in_column_xfd_on_every_row_is_refused_in_bounded_memory():
    rows = [["id", "grade"]] + [[f"E{n}", 3] for n in range(2000)]
    data = _xlsx(rows, extra=[(r, 16384, "x") for r in range(1, 2002)])
    assert len(data) < 200_000  # a small upload
    tracemalloc.start()
    try:
        with pytest.raises(DomainError, match="Row 1 has a value in column XFD; a people file has at most"):
            read_table(data, filename="bomb.xlsx")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 30 * 1024 * 1024, f"reading used {peak / 2**20:.0f} MB"


def test_xlsx_with_more_rows_than_the_limit_is_refused(monkeypatch):
    monkeypatch.setattr(_tables, "MAX_ROWS", 3)
    data = _xlsx([["id", "grade"]] + [[f"E{n}", 3] for n in range(4)])
    with pytest.raises(DomainError, match="more than 3 rows"):
        read_table(data, filename="long.xlsx")
    assert len(read_table(_xlsx([["id", "grade"]] + [["E1", 3]] * 3), filename="ok.xlsx").rows) == 3


def test_xlsx_with_a_stated_size_far_beyond_its_cells_reads_only_its_cells():
    data = _xlsx([["id", "grade"], ["E1", 3]], extra=[(1_000_000, 1, None)])
    assert read_table(data, filename="sparse.xlsx").rows == ((2, ("E1", "3")),)


def test_csv_cell_longer_than_the_csv_limit_is_a_clear_error():
    text = HEADER + "E1,Ada,,," + "3,x:" + "9" * 140_000 + ",\n"
    with pytest.raises(DomainError, match="Line 2 has a cell longer than 131,072 characters"):
        read_table(text.encode(), filename="big.csv")


def test_unterminated_quote_does_not_swallow_the_following_rows():
    text = HEADER + 'E1,"Ada,,,3,,\nE2,Bo,,,3,,\nE3,Cy,,,3,,\n'
    with pytest.raises(DomainError, match=r"quote \(\"\) opened on line 2 or after is never closed"):
        read_table(text.encode(), filename="q.csv")


def test_a_quote_closed_lines_later_is_reported_not_read_as_one_person():
    text = HEADER + 'E1,"Ada,,,3,,\nE2,Bo",,,3,,\nE3,Cy,,,3,,\n'
    with pytest.raises(DomainError, match=r"Lines 2–3 read as one row: a quote .* on line 2"):
        read_table(text.encode(), filename="q.csv")


@pytest.mark.parametrize(
    ("header", "message"),
    [("id,grade,id\n", r"names 'id' twice \(columns A and C\)"), ("ID,grade, id \n", "names 'id' twice")],
)
def test_duplicate_headers_are_a_clear_error(header, message):
    with pytest.raises(DomainError, match=message):
        read_table((header + "E1,3,E2\n").encode(), filename="dup.csv")


def test_nul_characters_and_overlong_cells_are_problems_at_preview(world):
    text = HEADER + "E1,Ad\x00a,,,3,,\n" + f"E2,{'n' * 201},,,3,,\n" + f"E3,Cy,,,3,{'s' * 121}:2,\n"
    preview = _preview(world, text)
    assert _problems(preview) == {
        (2, "name", "contains a NUL character; remove it"),
        (3, "name", "201 characters long; at most 200"),
        (4, "skills", f"'{'s' * 39}…' is 121 characters long; at most 120"),
    }
    assert not preview.rows


def test_numbers_beyond_their_bounds_are_problems_not_500s(world):
    huge = "9" * 5000
    text = HEADER + f"E1,,,,{'9' * 30},,\nE2,,,,{huge},,\nE3,,,,3,excel:{huge},\nE4,,,,-1001,,\n"
    preview = _preview(world, text)
    messages = {(p.line, p.column): p.message for p in preview.problems}
    assert messages[(2, "grade")] == f"grade {'9' * 30} is outside -1000 to 1000"
    assert messages[(3, "grade")] == f"grade {'9' * 39}… is outside -1000 to 1000"
    assert messages[(4, "skills")] == f"level {'9' * 39}… for excel is outside 0–5"
    assert messages[(5, "grade")] == "grade -1001 is outside -1000 to 1000"
    assert all(len(p.message) < 200 for p in preview.problems)
    assert _preview(world, HEADER + "E5,,,,1000,,\nE6,,,,-1000,,\n").is_clean


def test_an_overlong_id_is_a_problem_not_a_database_error(world):
    preview = _preview(world, HEADER + f"{'X' * 5000},,,,3,,\n")
    assert [(p.line, p.column, p.message) for p in preview.problems] == [
        (2, "id", "5000 characters long; at most 64")
    ]


# --- issue 11 bug 10 ---------------------------------------------------------------------------


def test_the_same_email_on_two_ids_is_flagged(world):
    text = HEADER + "E1,Ada,ada@acme.test,,3,,\nE2,Bo,ADA@acme.test,,3,,\n"
    preview = _preview(world, text)
    assert _problems(preview) == {(3, "email", "ada@acme.test is also the email of id E1 (line 2)")}
    assert [row.participant.id for row in preview.rows] == ["E1"]


def test_an_email_already_held_by_someone_outside_the_file_is_flagged(world):
    make_person(world.org, "E7", 3, email="ada@acme.test")
    make_person(world.org, "E8", 3, email="bo@acme.test")
    # E8 is in the file and gives its address up: Bo may take it
    text = HEADER + "E1,Ada,ada@acme.test,,3,,\nE2,Bo,bo@acme.test,,3,,\nE8,Old Bo,,,3,,\n"
    preview = _preview(world, text)
    taken = "ada@acme.test is already the email of id E7 in the directory"
    assert _problems(preview) == {(2, "email", taken)}


def test_a_repeated_id_is_reported_even_when_the_row_has_another_problem(world):
    text = HEADER + "E1,Ada,,,3,,\nE1,Ada again,,,x,,\n"
    found = _problems(_preview(world, text))
    assert (3, "id", "id E1 is used again (line 2)") in found
    assert (3, "grade", "'x' is not a whole number") in found


def test_a_file_with_no_valid_rows_cannot_be_imported_partially(world, django_user_model):
    preview = _preview(world, HEADER + "E1,,,,x,,\n")
    with pytest.raises(DomainError, match="no valid rows"):
        import_people(actor=world.admin, organisation=world.org, preview=preview, allow_partial=True)
