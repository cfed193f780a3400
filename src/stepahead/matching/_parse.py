"""Participants files (CSV or JSON) read into `Participant`s, every problem reported at once.

The row check (`participant_from_row`) takes one mapping {column: raw text} so the web app's
import, which maps its own column names first, validates exactly like the CLI does.

Decisions where the spec is silent (documented here because analysts will ask):
- "at most 3 goals" counts goals after normalisation and de-duplication: `python; Python` is one.
- List cells are separated by `;`. A `,` inside a list cell is reported rather than guessed at,
  because "en, de" silently read as one language would mis-match people.
- `exclude`/`prefer` may name people who are not in the file (like `manager_id`); naming oneself
  is an error. A `manager_id` equal to one's own id is accepted (many HR exports do that for the
  head of the organisation) and has no effect on matching.
- A `role` cell is checked whenever it is filled in, also in peer and circles modes.
- A file with a header but no participants is an error: there is nobody to match.
- Header names are compared trimmed and lower-cased. The CSV delimiter is `,`, or `;` / tab when
  the header line uses those instead (European spreadsheet exports).
- A row with more cells than the header is an error when the extra cells hold anything (usually an
  unquoted comma); fewer cells read as empty ones.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from ._model import (
    MAX_CAPACITY,
    MAX_GOALS,
    MAX_GRADE,
    MAX_LEVEL,
    Mode,
    Participant,
    Role,
    as_written,
    normalise_label,
)

if TYPE_CHECKING:
    from _csv import Reader

FileFormat = Literal["csv", "json"]
Unit = Literal["line", "item"]
Row = Mapping[str, str | None]
# A numbered row, or a problem already found while reading it (e.g. a misaligned CSV line).
NumberedRow = tuple[int, "Row | list[FileProblem]"]

# The spec's columns, in the spec's order.
PARTICIPANT_COLUMNS: tuple[str, ...] = (
    "id",
    "name",
    "email",
    "function",
    "grade",
    "manager_id",
    "skills",
    "goals",
    "languages",
    "exclude",
    "prefer",
    "role",
    "capacity",
)
_COLUMN_ORDER = {column: at for at, column in enumerate(PARTICIPANT_COLUMNS)}
_ROLES = ", ".join(r.value for r in Role)
# Pragmatic: one @, no spaces, a dotted domain. Deliverability is the mail server's business.
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+")


@dataclass(frozen=True, slots=True)
class FileProblem:
    """One thing wrong with a participants file. `line` is the CSV line a spreadsheet shows
    (header = 1) or the JSON item number (1-based); 0 means the file as a whole."""

    line: int
    participant_id: str
    column: str
    message: str
    unit: Unit = "line"

    def __str__(self) -> str:
        place = []
        if self.line:
            who = f" (id {self.participant_id})" if self.participant_id else ""
            place.append(f"{self.unit} {self.line}{who}")
        if self.column:
            place.append(f"{'column' if self.unit == 'line' else 'key'} {self.column}")
        return f"{', '.join(place)}: {self.message}" if place else self.message


class ParticipantFileError(ValueError):
    """The file cannot be used; `problems` lists everything wrong with it, in file order."""

    def __init__(self, problems: list[FileProblem]) -> None:
        self.problems = problems
        if len(problems) == 1:
            text = str(problems[0])
        else:
            text = f"{len(problems)} problems in the participants file:\n" + "\n".join(map(str, problems))
        super().__init__(text)


def parse_participants(
    data: bytes | str, *, file_format: FileFormat, mode: Mode | None = None
) -> list[Participant]:
    """Read a whole participants file; raise `ParticipantFileError` listing every problem."""
    text = _decode(data)
    if not text.strip():
        raise ParticipantFileError([FileProblem(0, "", "", "the file is empty")])
    if file_format == "csv":
        return participants_from_rows(_csv_rows(text, mode), mode=mode, unit="line")
    if file_format == "json":
        return participants_from_rows(_json_rows(text, mode), mode=mode, unit="item")
    raise ValueError(f"unknown file format {file_format!r}: use csv or json")


def participants_from_rows(
    rows: Iterable[NumberedRow], *, mode: Mode | None = None, unit: Unit = "line"
) -> list[Participant]:
    """Validate numbered rows (row checks plus unique ids); raise with every problem found."""
    people: list[Participant] = []
    problems: list[FileProblem] = []
    first_seen: dict[str, int] = {}
    memo = CellMemo()
    for line, row in rows:
        if isinstance(row, list):
            problems.extend(row)
            continue
        checked = participant_from_row(row, line=line, mode=mode, unit=unit, memo=memo)
        if isinstance(checked, list):
            problems.extend(checked)
        else:
            people.append(checked)
        # Every row's id counts, valid or not: a repeated id is reported with the rest at once.
        pid = (row.get("id") or "").strip()
        earlier = first_seen.setdefault(pid, line) if pid else line
        if earlier != line:
            message = f"id {pid} is used again (first on {unit} {earlier})"
            problems.append(FileProblem(line, pid, "id", message, unit))
    if problems:
        raise ParticipantFileError(problems)
    if not people:
        raise ParticipantFileError([FileProblem(0, "", "", "the file lists no participants")])
    return people


def participant_from_row(
    row: Row, *, line: int, mode: Mode | None = None, unit: Unit = "line", memo: CellMemo | None = None
) -> Participant | list[FileProblem]:
    """Check one row {column: raw text}; unknown columns are ignored, missing ones read as empty.
    Pass one `CellMemo` to all rows of a file to reuse the parsing of repeated cells."""
    return _RowReader(row, line, unit, memo or CellMemo()).participant(mode)


# --- one row -------------------------------------------------------------------------------------


class CellMemo:
    """What repeated cell texts were read as, for one file. The same skill entries, goal lists and
    languages recur on most rows, and reading each text once is what makes 100k rows fast."""

    __slots__ = ("functions", "labels", "skill_entries", "spelled")

    def __init__(self) -> None:
        self.functions: dict[str, str] = {}
        self.skill_entries: dict[str, tuple[str, int] | str] = {}
        self.labels: dict[str, tuple[str, ...]] = {}
        # The whole file's spellings, shared by every participant read from it (spec 1.1).
        self.spelled: dict[str, str] = {}

    def function(self, text: str) -> str:
        """A function is one label (not a `;` list), read once per distinct cell text."""
        found = self.functions.get(text)
        if found is None:
            found = self.functions[text] = normalise_label(text)
            for label, spelling in as_written([text]).items():
                self.spelled.setdefault(label, spelling)
        return found

    def written(self, text: str) -> None:
        """Note how a cell spelled its labels (each distinct cell text once)."""
        for label, spelling in as_written(text.split(";")).items():
            self.spelled.setdefault(label, spelling)

    def skill_entry(self, part: str) -> tuple[str, int] | str:
        """(skill, level) for one `skill:level` entry, or what is wrong with it."""
        found = self.skill_entries.get(part)
        if found is None:
            found = self.skill_entries[part] = _skill_entry(part.strip())
            self.written(part.rpartition(":")[0])
        return found

    def label_list(self, text: str) -> tuple[str, ...]:
        """A `;`-separated list of labels, normalised, de-duplicated, in first-seen order."""
        found = self.labels.get(text)
        if found is None:
            self.written(text)
            labels = (normalise_label(part) for part in text.split(";"))
            found = self.labels[text] = tuple(dict.fromkeys(label for label in labels if label))
        return found


_NO_ENTRY = ("", -1)
_NO_IDS: frozenset[str] = frozenset()


def _skill_entry(entry: str) -> tuple[str, int] | str:
    if not entry:
        return _NO_ENTRY
    name, colon, level_text = entry.rpartition(":")
    skill = normalise_label(name)
    level = whole_number(level_text)
    if not colon or not skill:
        return f"'{shown(entry)}' is not in the form skill:level (e.g. negotiation:3)"
    if level is None:
        return f"level '{shown(level_text.strip())}' for {shown(skill)} is not a whole number 0–5"
    if not 0 <= level <= MAX_LEVEL:
        return f"level {shown(level_text.strip())} for {shown(skill)} is outside 0–5"
    return skill, level


class _RowReader:
    """Reads the cells of one row, collecting a problem per bad cell instead of stopping."""

    __slots__ = ("line", "memo", "pid", "problems", "row", "unit")

    def __init__(self, row: Row, line: int, unit: Unit, memo: CellMemo) -> None:
        self.row, self.line, self.unit, self.memo = row, line, unit, memo
        self.pid = self.cell("id")
        self.problems: list[FileProblem] = []

    def cell(self, column: str) -> str:
        return (self.row.get(column) or "").strip()

    def problem(self, column: str, message: str) -> None:
        self.problems.append(FileProblem(self.line, self.pid, column, message, self.unit))

    def participant(self, mode: Mode | None) -> Participant | list[FileProblem]:
        if not self.pid:
            self.problem("id", "id is missing")
        grade, email, skills, goals = self.grade(), self.email(), self.skills(), self.goals()
        languages, exclude, prefer = self.labels("languages"), self.ids("exclude"), self.ids("prefer")
        role, capacity = self.role(mode), self.capacity()
        if self.problems or grade is None:
            return self.problems
        # Cells are normalised here already, so the plain constructor (not `build`) is enough.
        return Participant(
            id=self.pid,
            grade=grade,
            name=self.cell("name"),
            email=email,
            function=self.memo.function(self.cell("function")),
            manager_id=self.cell("manager_id"),
            skills=skills,
            goals=goals,
            languages=languages,
            exclude=exclude,
            prefer=prefer,
            role=role,
            capacity=capacity,
            spelled=self.memo.spelled,
        )

    def grade(self) -> int | None:
        text = self.cell("grade")
        if not text:
            self.problem("grade", "grade is missing")
            return None
        grade = whole_number(text)
        if grade is None:
            self.problem("grade", f"'{shown(text)}' is not a whole number")
        elif not -MAX_GRADE <= grade <= MAX_GRADE:
            self.problem("grade", f"grade {shown(text)} is outside -{MAX_GRADE} to {MAX_GRADE}")
            return None
        return grade

    def skills(self) -> dict[str, int]:
        skills: dict[str, int] = {}
        known = self.memo.skill_entries
        for part in self.list_cell("skills").split(";"):
            entry = known.get(part) or self.memo.skill_entry(part)
            if isinstance(entry, str):
                self.problem("skills", entry)
            elif entry is not _NO_ENTRY and skills.setdefault(*entry) != entry[1]:
                twice = f"{entry[0]} is listed twice with different levels ({skills[entry[0]]}, {entry[1]})"
                self.problem("skills", twice)
        return skills

    def goals(self) -> tuple[str, ...]:
        goals = self.memo.label_list(self.list_cell("goals"))
        if len(goals) > MAX_GOALS:
            self.problem("goals", f"{len(goals)} goals listed ({', '.join(goals)}); at most 3 are allowed")
        return goals

    def labels(self, column: str) -> frozenset[str]:
        return frozenset(self.memo.label_list(self.list_cell(column)))

    def ids(self, column: str) -> frozenset[str]:
        text = self.list_cell(column)
        if not text:
            return _NO_IDS
        ids = frozenset(part.strip() for part in text.split(";")) - {""}
        if self.pid in ids:
            self.problem(column, f"{column} names the participant themself ({self.pid})")
        return ids

    def list_cell(self, column: str) -> str:
        """A `;`-separated list cell; a ',' is reported rather than guessed at (module docstring)."""
        text = self.cell(column)
        if "," in text:
            self.problem(column, f"separate entries with ';', not ',' (found '{shown(text)}')")
        return text

    def role(self, mode: Mode | None) -> Role | None:
        text = self.cell("role")
        if not text:
            if mode is not None and mode.is_mentoring:
                self.problem("role", f"role is missing: {mode.value} mode needs mentor, mentee or both")
            return None
        try:
            return Role(text.lower())
        except ValueError:
            self.problem("role", f"'{shown(text)}' is not a role (use one of {_ROLES})")
            return None

    def capacity(self) -> int:
        text = self.cell("capacity")
        if not text:
            return 1
        capacity = whole_number(text)
        if capacity is None or not 0 <= capacity <= MAX_CAPACITY:
            self.problem("capacity", f"'{shown(text)}' is not a whole number from 0 to {MAX_CAPACITY}")
            return 1
        return capacity

    def email(self) -> str:
        text = self.cell("email")
        if text and not _EMAIL.fullmatch(text):
            self.problem("email", f"'{shown(text)}' is not a valid email address")
        return text


def whole_number(text: str) -> int | None:
    """An integer written in ASCII digits with an optional sign, else None (no '1_000', no '3.0').
    Digits past the 18th are not read (Python refuses to convert more than 4,300): such a number
    reads as ±10^18, which every range check in a participants file refuses."""
    text = text.strip()
    digits = text[1:] if text[:1] in ("-", "+") else text
    if not (digits.isascii() and digits.isdigit()):
        return None
    if len(digits.lstrip("0")) > 18:
        return -(10**18) if text[:1] == "-" else 10**18
    return int(text)


def shown(text: str, limit: int = 40) -> str:
    """A cell's text as quoted in a message: long cells are cut, so one bad cell cannot make a
    problem list megabytes long."""
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


# --- whole files ---------------------------------------------------------------------------------


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        message = f"the file is not UTF-8 text (first unreadable byte on line {line}); save it as UTF-8"
        raise ParticipantFileError([FileProblem(0, "", "", message)]) from None


def _missing_columns(present: Iterable[str], mode: Mode | None, unit: Unit) -> list[FileProblem]:
    required = ("id", "grade", "role") if mode is not None and mode.is_mentoring else ("id", "grade")
    have = set(present)
    where = "column '{}' is missing" if unit == "line" else "key '{}' is missing from every item"
    # CSV: the header is line 1. JSON: no one item is to blame, so no item number.
    line = 1 if unit == "line" else 0
    return [FileProblem(line, "", c, f"required {where.format(c)}", unit) for c in required if c not in have]


def _csv_rows(text: str, mode: Mode | None) -> Iterator[NumberedRow]:
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
    header = _csv_header(reader)
    problems = _missing_columns(header, mode, "line") + _repeated_columns(header)
    if problems:
        raise ParticipantFileError(problems)
    return _csv_records(reader, header)


def _delimiter(first_line: str) -> str:
    """',' unless the header only makes sense split on ';' or a tab."""
    for delimiter in (",", ";", "\t"):
        names = {name.strip().lower() for name in first_line.split(delimiter)}
        if {"id", "grade"} <= names:
            return delimiter
    return ","


def _csv_header(reader: Reader) -> list[str]:
    for cells in reader:
        if any(cell.strip() for cell in cells):
            return [cell.strip().lower() for cell in cells]
    raise ParticipantFileError([FileProblem(0, "", "", "the file is empty")])


def _repeated_columns(header: list[str]) -> list[FileProblem]:
    seen = [c for c in PARTICIPANT_COLUMNS if header.count(c) > 1]
    return [FileProblem(1, "", c, f"column '{c}' appears more than once in the header") for c in seen]


def _csv_records(reader: Reader, header: list[str]) -> Iterator[NumberedRow]:
    """Rows as {column: text}, numbered by the physical line they start on (quoted cells may
    span lines, so the reader's count after a row is where the next one starts)."""
    known = [(column, at) for at, column in enumerate(header) if column in PARTICIPANT_COLUMNS]
    width, line = len(header), reader.line_num
    try:
        for cells in reader:
            start, line = line + 1, reader.line_num
            if len(cells) > width and any(cell.strip() for cell in cells[width:]):
                yield start, [_extra_cells(start, cells, width, header)]
            elif "".join(cells).strip():  # blank lines are not participants
                yield start, {column: cells[at] for column, at in known if at < len(cells)}
    except csv.Error as error:
        yield line + 1, [FileProblem(line + 1, "", "", f"the CSV cannot be read from here on: {error}")]


def _extra_cells(line: int, cells: list[str], width: int, header: list[str]) -> FileProblem:
    pid = cells[header.index("id")].strip() if "id" in header else ""
    message = f"the row has {len(cells)} cells but the header has {width} (is a comma not quoted?)"
    return FileProblem(line, pid, "", message)


# --- JSON ----------------------------------------------------------------------------------------


def _json_rows(text: str, mode: Mode | None) -> Iterator[NumberedRow]:
    try:
        items = json.loads(text)
    except json.JSONDecodeError as error:
        message = f"the file is not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})"
        raise ParticipantFileError([FileProblem(0, "", "", message)]) from None
    if not isinstance(items, list):
        message = f"the file must hold a JSON list of participant objects, not {_json_kind(items)}"
        raise ParticipantFileError([FileProblem(0, "", "", message)])
    objects = [item for item in items if isinstance(item, dict)]
    keys = {str(key).strip().lower() for key in set().union(*objects)}
    if objects and (problems := _missing_columns(keys, mode, "item")):
        raise ParticipantFileError(problems)
    return ((number, _json_row(number, item, mode)) for number, item in enumerate(items, start=1))


def _json_kind(value: object) -> str:
    return {dict: "an object", str: "a string", type(None): "null"}.get(type(value), "a single value")


def _json_row(number: int, item: object, mode: Mode | None) -> Row | list[FileProblem]:
    """One JSON item as text cells; unsupported values are reported and the rest still checked."""
    if not isinstance(item, dict):
        return [FileProblem(number, "", "", f"expected an object, found {_json_kind(item)}", "item")]
    row: dict[str, str] = {}
    bad: list[str] = []
    for key, value in item.items():
        column = key if key in _COLUMN_ORDER else str(key).strip().lower()
        if column in _COLUMN_ORDER:
            cell = value if type(value) is str else _json_cell(column, value)
            if cell is None:
                bad.append(column)
            else:
                row[column] = cell
    if not bad:
        return row
    checked = participant_from_row(row, line=number, mode=mode, unit="item")
    found = [p for p in checked if p.column not in bad] if isinstance(checked, list) else []
    pid = (row.get("id") or "").strip()
    wrong = [FileProblem(number, pid, column, _JSON_TYPE_HELP[column == "skills"], "item") for column in bad]
    return sorted(wrong + found, key=lambda p: _COLUMN_ORDER.get(p.column, -1))


_JSON_TYPE_HELP = {
    False: "must be text, a number, or a list of those",
    True: 'must be text like "negotiation:3; python:2", a list of those, or an object {"negotiation": 3}',
}


def _json_cell(column: str, value: object) -> str | None:
    """A JSON value as the text a CSV cell would hold, or None when it cannot be one."""
    if isinstance(value, dict) and column == "skills":
        parts = [_json_scalar(level) for level in value.values()]
        if any(part is None for part in parts):
            return None
        return "; ".join(f"{skill}:{level}" for skill, level in zip(value, parts, strict=True))
    if isinstance(value, list):
        parts = [_json_scalar(part) for part in value]
        return None if any(part is None for part in parts) else "; ".join(map(str, parts))
    return _json_scalar(value)


def _json_scalar(value: object) -> str | None:
    if value is None:
        return ""
    if isinstance(value, bool):  # before int: JSON true is not the number 1
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # exports from tools that write every number as 3.0
    if isinstance(value, str | int | float):
        return str(value)
    return None
