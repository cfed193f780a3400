"""What is wrong with a participants file: the problem records every reader fills, and the spec's
columns. Shared by the row reader (`_parse_row`), the file readers (`_parse_files`) and the
web import, which reports its own checks in the same form."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

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
COLUMN_ORDER = {column: at for at, column in enumerate(PARTICIPANT_COLUMNS)}


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
