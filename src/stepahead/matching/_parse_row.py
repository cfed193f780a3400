"""One row of a participants file read into a `Participant`, a problem per bad cell (see `_parse`
for the decisions where the spec is silent)."""

from __future__ import annotations

import re

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
from ._problems import FileProblem, Row, Unit

_ROLES = ", ".join(r.value for r in Role)
# Pragmatic: one @, no spaces, a dotted domain. Deliverability is the mail server's business.
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+")


def participant_from_row(
    row: Row, *, line: int, mode: Mode | None = None, unit: Unit = "line", memo: CellMemo | None = None
) -> Participant | list[FileProblem]:
    """Check one row {column: raw text}; unknown columns are ignored, missing ones read as empty.
    Pass one `CellMemo` to all rows of a file to reuse the parsing of repeated cells."""
    return _RowReader(row, line, unit, memo or CellMemo()).participant(mode)


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
        """(skill, level) for one `skill:level` entry, or what is wrong with it, read once per
        distinct entry text."""
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
        skill_entry = self.memo.skill_entry
        for part in self.list_cell("skills").split(";"):
            entry = skill_entry(part)
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
