"""Whole participants files, CSV or JSON, read into numbered rows for the row reader."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from ._model import Mode
from ._parse_row import participant_from_row
from ._problems import (
    COLUMN_ORDER,
    PARTICIPANT_COLUMNS,
    FileProblem,
    NumberedRow,
    ParticipantFileError,
    Row,
    Unit,
)

if TYPE_CHECKING:
    from _csv import Reader


def decode(data: bytes | str) -> str:
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


def csv_rows(text: str, mode: Mode | None) -> Iterator[NumberedRow]:
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


def json_rows(text: str, mode: Mode | None) -> Iterator[NumberedRow]:
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
        column = key if key in COLUMN_ORDER else str(key).strip().lower()
        if column in COLUMN_ORDER:
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
    return sorted(wrong + found, key=lambda p: COLUMN_ORDER.get(p.column, -1))


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
