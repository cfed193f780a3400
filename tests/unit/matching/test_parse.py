"""Participants files: every spec rule, every problem at once, CSV and JSON alike."""

from __future__ import annotations

import csv
import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stepahead.matching import (
    PARTICIPANT_COLUMNS,
    FileProblem,
    Mode,
    Participant,
    ParticipantFileError,
    Role,
    parse_participants,
    participant_from_row,
    participants_from_rows,
)

HEADER = "id,name,email,function,grade,manager_id,skills,goals,languages,exclude,prefer,role,capacity"


def csv_file(*rows: str, header: str = HEADER) -> str:
    return "\n".join((header, *rows)) + "\n"


def problems_of(
    text: str | bytes, *, file_format: str = "csv", mode: Mode | None = None
) -> list[FileProblem]:
    with pytest.raises(ParticipantFileError) as caught:
        parse_participants(text, file_format=file_format, mode=mode)  # type: ignore[arg-type]
    return caught.value.problems


def only_problem(text: str | bytes, **options: object) -> FileProblem:
    problems = problems_of(text, **options)  # type: ignore[arg-type]
    assert len(problems) == 1, problems
    return problems[0]


# --- valid files -----------------------------------------------------------------------------------


def test_a_full_row_is_read_and_normalised() -> None:
    text = csv_file(
        'E1,Ana Díaz,ana@example.com,  Sales  Ops ,3,M9,"Negotiation:3; data   analysis:2",'
        '"negotiation; Python ; python",EN; de,E7,E8; E9,Mentor,2'
    )
    [ana] = parse_participants(text, file_format="csv", mode=Mode.TRADITIONAL)
    assert ana == Participant(
        id="E1",
        grade=3,
        name="Ana Díaz",
        email="ana@example.com",
        function="sales ops",
        manager_id="M9",
        skills={"negotiation": 3, "data analysis": 2},
        goals=("negotiation", "python"),
        languages=frozenset({"en", "de"}),
        exclude=frozenset({"E7"}),
        prefer=frozenset({"E8", "E9"}),
        role=Role.MENTOR,
        capacity=2,
    )


def test_only_id_and_grade_are_needed_and_defaults_apply() -> None:
    [p] = parse_participants("id,grade\nE1,-2\n", file_format="csv")
    assert p == Participant(id="E1", grade=-2)
    assert p.capacity == 1
    assert p.role is None


def test_byte_order_mark_crlf_and_unknown_columns_are_fine() -> None:
    data = "\ufeffID , Grade,Favourite colour\r\nE1,2,blue\r\nE2,3,\r\n".encode()
    assert [p.id for p in parse_participants(data, file_format="csv")] == ["E1", "E2"]
    assert [p.id for p in parse_participants(data.decode(), file_format="csv")] == ["E1", "E2"]


@pytest.mark.parametrize(
    "text", ['id;grade;goals\nE1;2;"sql; python"\n', "id\tgrade\tgoals\nE1\t2\tsql; python\n"]
)
def test_spreadsheet_exports_with_other_delimiters(text: str) -> None:
    [p] = parse_participants(text, file_format="csv")
    assert p.goals == ("sql", "python")


def test_repeated_goals_keep_their_first_place_and_count_once() -> None:
    [p] = parse_participants(csv_file("E1,,,,1,,,a; b; A; c; b,,,,,"), file_format="csv")
    assert p.goals == ("a", "b", "c")


def test_blank_lines_are_skipped_and_line_numbers_stay_physical() -> None:
    text = 'id,grade,name\n\nE1,1,"two\nlines"\n,,\nE2,x,\n'
    problem = only_problem(text)
    assert (problem.line, problem.participant_id, problem.column) == (6, "E2", "grade")


def test_blank_lines_before_the_header_are_skipped_and_line_numbers_stay_physical() -> None:
    text = "\n,,\nid,grade\nE1,1\nE2,x\n"
    problem = only_problem(text)
    assert (problem.line, problem.participant_id, problem.column) == (5, "E2", "grade")


def test_people_sharing_a_skill_entry_each_get_its_level() -> None:
    """Each distinct `skill:level` text is read once per file; the second person gets that reading."""
    first, second = parse_participants(
        csv_file("E1,,,,1,,SQL:2,,,,,,", "E2,,,,1,,SQL:2,,,,,,"), file_format="csv"
    )
    assert first.skills == second.skills == {"sql": 2}


def test_participant_columns_are_the_spec_columns() -> None:
    assert tuple(HEADER.split(",")) == PARTICIPANT_COLUMNS


# --- one problem per bad cell ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "column", "words"),
    [
        (",,,,1,,,,,,,,", "id", "id is missing"),
        ("E1,,,,,,,,,,,,", "grade", "grade is missing"),
        ("E1,,,,senior,,,,,,,,", "grade", "'senior' is not a whole number"),
        ("E1,,,,2.0,,,,,,,,", "grade", "'2.0' is not a whole number"),
        ("E1,,,,1,,python:7,,,,,,", "skills", "level 7 for python is outside 0–5"),
        ("E1,,,,1,,python:-1,,,,,,", "skills", "level -1 for python is outside 0–5"),
        ("E1,,,,1,,python:high,,,,,,", "skills", "level 'high' for python is not a whole number 0–5"),
        ("E1,,,,1,,python,,,,,,", "skills", "'python' is not in the form skill:level"),
        ("E1,,,,1,,:3,,,,,,", "skills", "':3' is not in the form skill:level"),
        (
            "E1,,,,1,,python:3; Python:4,,,,,,",
            "skills",
            "python is listed twice with different levels (3, 4)",
        ),
        ("E1,,,,1,,,a; b; c; d,,,,,", "goals", "4 goals listed (a, b, c, d); at most 3 are allowed"),
        ('E1,,,,1,,,,"en, de",,,,', "languages", "separate entries with ';', not ','"),
        ("E1,,,,1,,,,,,,coach,", "role", "'coach' is not a role (use one of mentor, mentee, both)"),
        ("E1,,,,1,,,,,,,,-1", "capacity", "'-1' is not a whole number from 0 to 100"),
        ("E1,,,,1,,,,,,,,two", "capacity", "'two' is not a whole number from 0 to 100"),
        ("E1,,ana@,,1,,,,,,,,", "email", "'ana@' is not a valid email address"),
        ("E1,,a b@x.org,,1,,,,,,,,", "email", "'a b@x.org' is not a valid email address"),
        ("E1,,,,1,,,,,E1,,,", "exclude", "exclude names the participant themself (E1)"),
        ("E1,,,,1,,,,,,E2; E1,,", "prefer", "prefer names the participant themself (E1)"),
    ],
)
def test_each_bad_cell_names_line_id_and_column(row: str, column: str, words: str) -> None:
    problem = only_problem(csv_file(row))
    assert (problem.line, problem.column) == (2, column)
    assert problem.participant_id == ("" if column == "id" else "E1")
    assert words in problem.message


def test_same_skill_twice_at_the_same_level_is_harmless() -> None:
    [p] = parse_participants(csv_file("E1,,,,1,,sql:2; SQL:2,,,,,,"), file_format="csv")
    assert p.skills == {"sql": 2}


def test_duplicate_id_points_at_the_first_line() -> None:
    problem = only_problem(csv_file("E1,,,,1,,,,,,,,", "E2,,,,1,,,,,,,,", " E1 ,,,,2,,,,,,,,"))
    assert (problem.line, problem.participant_id, problem.column) == (4, "E1", "id")
    assert problem.message == "id E1 is used again (first on line 2)"


def test_duplicate_id_is_reported_even_when_a_row_has_another_error() -> None:
    with pytest.raises(ParticipantFileError) as caught:
        parse_participants(csv_file("E1,,,,1,,,,,,,,", "E1,,,,x,,,,,,,,"), file_format="csv")
    found = {(p.line, p.column, p.message) for p in caught.value.problems}
    assert (3, "id", "id E1 is used again (first on line 2)") in found
    assert any(column == "grade" and line == 3 for line, column, _ in found)


def test_role_is_required_in_mentoring_modes_only() -> None:
    text = "id,grade,role\nE1,1,mentor\nE2,1,\n"
    assert len(parse_participants(text, file_format="csv", mode=Mode.PEER)) == 2
    problem = only_problem(text, mode=Mode.REVERSE)
    assert (problem.line, problem.participant_id, problem.column) == (3, "E2", "role")
    assert "reverse mode needs mentor, mentee or both" in problem.message


def test_a_misaligned_row_is_reported() -> None:
    problem = only_problem("id,grade,goals\nE1,1,sql,python\nE2,1,sql,\n")
    assert (problem.line, problem.participant_id, problem.column) == (2, "E1", "")
    assert problem.message == "the row has 4 cells but the header has 3 (is a comma not quoted?)"


def test_all_problems_of_a_file_come_at_once_in_file_order() -> None:
    text = csv_file(
        "E1,,,,x,,python:9,,,,,coach,",
        "E2,,,,1,,,,,,,,",
        ",,,,1,,,,,,,,",
        "E2,,bad,,1,,,a;b;c;d,,E2,,,",
    )
    problems = problems_of(text)
    assert [(p.line, p.participant_id, p.column) for p in problems] == [
        (2, "E1", "grade"),
        (2, "E1", "skills"),
        (2, "E1", "role"),
        (4, "", "id"),
        (5, "E2", "email"),
        (5, "E2", "goals"),
        (5, "E2", "exclude"),
        (5, "E2", "id"),  # a repeated id counts even on a row with other problems
    ]


def test_error_text_reads_well() -> None:
    problem = FileProblem(3, "E3", "grade", "'x' is not a whole number")
    assert str(problem) == "line 3 (id E3), column grade: 'x' is not a whole number"
    assert str(FileProblem(0, "", "", "the file is empty")) == "the file is empty"
    error = ParticipantFileError([problem, FileProblem(4, "", "id", "id is missing")])
    assert str(error).splitlines() == [
        "2 problems in the participants file:",
        "line 3 (id E3), column grade: 'x' is not a whole number",
        "line 4, column id: id is missing",
    ]
    assert isinstance(error, ValueError)


# --- whole-file problems ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "the file is empty"),
        (b" \n\r\n", "the file is empty"),
        (b"\xef\xbb\xbf", "the file is empty"),
        (b",,\n , \n", "the file is empty"),
        (b"id,grade\n", "the file lists no participants"),
        (b"id,grade\nE1,1\nE\xe9,2\n", "not UTF-8 text (first unreadable byte on line 3)"),
    ],
)
def test_file_level_problems_are_one_clear_message(data: bytes, words: str) -> None:
    problem = only_problem(data)
    assert words in str(problem)


@pytest.mark.parametrize(
    ("header", "mode", "missing"),
    [
        ("name,grade", None, ["id"]),
        ("id,name", Mode.PEER, ["grade"]),
        ("name", None, ["id", "grade"]),
        ("id,grade", Mode.TRADITIONAL, ["role"]),
        ("id,grade", Mode.OPEN, ["role"]),
    ],
)
def test_missing_required_columns(header: str, mode: Mode | None, missing: list[str]) -> None:
    problems = problems_of(f"{header}\nE1,1\n", mode=mode)
    assert [(p.line, p.column) for p in problems] == [(1, c) for c in missing]
    assert all("is missing" in p.message for p in problems)


def test_a_cell_too_large_for_the_csv_reader_stops_the_file_there() -> None:
    """The rows before it are still checked; nothing after it can be read."""
    huge = "x" * (csv.field_size_limit() + 1)
    problems = problems_of(f"id,grade\nE1,y\nE2,1,{huge}\nE3,1\n")
    assert [(p.line, p.column) for p in problems] == [(2, "grade"), (3, "")]
    assert "the CSV cannot be read from here on: field larger than field limit" in problems[1].message


def test_a_repeated_spec_column_is_refused() -> None:
    problem = only_problem("id,grade,skills,Skills\nE1,1,a:1,b:2\n")
    assert (problem.line, problem.column) == (1, "skills")


# --- JSON ------------------------------------------------------------------------------------------


def test_json_accepts_natural_types() -> None:
    items = [
        {
            "id": 7,
            "grade": 3.0,
            "skills": {"Negotiation": 3, "sql": "2"},
            "goals": ["python", "Python", "sql"],
            "languages": "en; de",
            "exclude": None,
            "role": "both",
            "capacity": 0,
            "extra": {"ignored": True},
        },
        {"id": "E2", "grade": "2", "skills": ["python:4", "sql:1"], "prefer": ["7"]},
    ]
    first, second = parse_participants(json.dumps(items), file_format="json")
    assert (first.id, first.grade, first.capacity, first.role) == ("7", 3, 0, Role.BOTH)
    assert first.skills == {"negotiation": 3, "sql": 2}
    assert first.goals == ("python", "sql")
    assert second.skills == {"python": 4, "sql": 1}
    assert second.prefer == frozenset({"7"})


def test_json_problems_use_item_numbers() -> None:
    items = [
        {"id": "E1", "grade": 1},
        {"id": "E2", "grade": True, "goals": [["nested"]], "skills": {"sql": 9}},
        "not an object",
        {"id": "E1", "grade": 2},
    ]
    problems = problems_of(json.dumps(items), file_format="json")
    assert [(p.unit, p.line, p.participant_id, p.column) for p in problems] == [
        ("item", 2, "E2", "grade"),
        ("item", 2, "E2", "skills"),
        ("item", 2, "E2", "goals"),
        ("item", 3, "", ""),
        ("item", 4, "E1", "id"),
    ]
    assert str(problems[0]) == "item 2 (id E2), key grade: 'true' is not a whole number"
    assert "must be text" in problems[2].message
    assert problems[4].message == "id E1 is used again (first on item 1)"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("[{", "the file is not valid JSON"),
        ('{"id": "E1"}', "must hold a JSON list of participant objects, not an object"),
        ('"E1"', "not a string"),
        ("[]", "the file lists no participants"),
        ('[{"id": "E1"}]', "required key 'grade' is missing from every item"),
    ],
)
def test_json_file_level_problems(text: str, words: str) -> None:
    assert words in str(only_problem(text, file_format="json"))


def test_json_skill_levels_must_be_plain_values() -> None:
    items = [{"id": "E1", "grade": 1, "skills": {"sql": [2]}}]
    problem = only_problem(json.dumps(items), file_format="json")
    assert (problem.line, problem.participant_id, problem.column) == (1, "E1", "skills")
    assert problem.message.startswith('must be text like "negotiation:3; python:2"')


def test_unknown_file_format_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown file format"):
        parse_participants("id,grade\nE1,1\n", file_format="xlsx")  # type: ignore[arg-type]


# --- the reusable row check (web import) -----------------------------------------------------------


def test_one_row_mapping_is_checked_alone() -> None:
    good = participant_from_row({"id": "E1", "grade": "2", "goals": "sql"}, line=5)
    assert good == Participant(id="E1", grade=2, goals=("sql",))
    bad = participant_from_row({"id": "E1", "grade": "x", "role": ""}, line=5, mode=Mode.TRADITIONAL)
    assert isinstance(bad, list)
    assert [(p.line, p.column) for p in bad] == [(5, "grade"), (5, "role")]


def test_numbered_rows_are_checked_together_for_duplicate_ids() -> None:
    rows = [(10, {"id": "A", "grade": "1"}), (11, {"id": "A", "grade": "1"})]
    with pytest.raises(ParticipantFileError) as caught:
        participants_from_rows(rows)
    assert caught.value.problems[0].line == 11


# --- round trip ------------------------------------------------------------------------------------

_LABEL = st.from_regex(r"[a-z]{1,6}( [a-z]{1,6})?", fullmatch=True)
_NAME_CHARACTERS = st.characters(blacklist_categories=["Cs", "Cc", "Zs", "Zl", "Zp"])
_ID = st.from_regex(r"[A-Za-z0-9_.\-]{1,8}", fullmatch=True)


@st.composite
def participants(draw: st.DrawFn) -> list[Participant]:
    ids = draw(st.lists(_ID, min_size=1, max_size=6, unique=True))
    people = []
    for pid in ids:
        others = [i for i in ids if i != pid]
        people.append(
            Participant(
                id=pid,
                grade=draw(st.integers(-3, 12)),
                name=draw(
                    st.text(st.characters(blacklist_categories=["Cs", "Cc", "Zs", "Zl", "Zp"]), max_size=8)
                ),
                email=draw(st.sampled_from(["", "a.b@example.org", "x@y.co"])),
                function=draw(st.one_of(st.just(""), _LABEL)),
                manager_id=draw(st.one_of(st.just(""), _ID)),
                skills=draw(st.dictionaries(_LABEL, st.integers(0, 5), max_size=4)),
                goals=tuple(draw(st.lists(_LABEL, max_size=3, unique=True))),
                languages=frozenset(draw(st.lists(_LABEL, max_size=2))),
                exclude=frozenset(draw(st.lists(st.sampled_from(others), max_size=2)) if others else []),
                prefer=frozenset(draw(st.lists(st.sampled_from(others), max_size=2)) if others else []),
                role=draw(st.sampled_from([None, *Role])),
                capacity=draw(st.integers(0, 4)),
            )
        )
    return people


def to_csv(people: list[Participant]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(PARTICIPANT_COLUMNS)
    for p in people:
        writer.writerow(
            [
                p.id,
                p.name,
                p.email,
                p.function,
                p.grade,
                p.manager_id,
                "; ".join(f"{s}:{level}" for s, level in p.skills.items()),
                "; ".join(p.goals),
                "; ".join(p.languages),
                "; ".join(p.exclude),
                "; ".join(p.prefer),
                p.role.value if p.role else "",
                p.capacity,
            ]
        )
    return out.getvalue()


@settings(max_examples=60, deadline=None)
@given(participants())
def test_any_valid_participant_round_trips_through_csv_and_json(people: list[Participant]) -> None:
    assert parse_participants(to_csv(people).encode(), file_format="csv") == people
    rows = list(csv.DictReader(io.StringIO(to_csv(people))))
    assert parse_participants(json.dumps(rows), file_format="json") == people
