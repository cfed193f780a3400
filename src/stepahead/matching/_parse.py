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

from collections.abc import Iterable

from ._model import Mode, Participant
from ._parse_files import csv_rows, decode, json_rows
from ._parse_row import CellMemo, participant_from_row, shown, whole_number
from ._problems import (
    PARTICIPANT_COLUMNS,
    FileFormat,
    FileProblem,
    NumberedRow,
    ParticipantFileError,
    Row,
    Unit,
)

__all__ = [
    "PARTICIPANT_COLUMNS",
    "CellMemo",
    "FileFormat",
    "FileProblem",
    "NumberedRow",
    "ParticipantFileError",
    "Row",
    "Unit",
    "parse_participants",
    "participant_from_row",
    "participants_from_rows",
    "shown",
    "whole_number",
]


def parse_participants(
    data: bytes | str, *, file_format: FileFormat, mode: Mode | None = None
) -> list[Participant]:
    """Read a whole participants file; raise `ParticipantFileError` listing every problem."""
    text = decode(data)
    if not text.strip():
        raise ParticipantFileError([FileProblem(0, "", "", "the file is empty")])
    if file_format == "csv":
        return participants_from_rows(csv_rows(text, mode), mode=mode, unit="line")
    if file_format == "json":
        return participants_from_rows(json_rows(text, mode), mode=mode, unit="item")
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
