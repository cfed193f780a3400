"""Checks of an import row beyond the engine's own: what the directory can store, and what must
be unique across the file and the organisation, and whom the importing manager may change.

The engine's row reader (`matching._parse`) knows what a participant is; these checks know the
database: field lengths (`Person`'s own `max_length`s, so a long name is reported at preview
rather than failing the commit), NUL characters (PostgreSQL refuses them in text), an id used on
two rows (also when one of those rows has other problems) and an email given to two people.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from stepahead.accounts import Actor
from stepahead.matching._parse import FileProblem, shown
from stepahead.organisations.models import Organisation

from .models import Person, Skill
from .policies import OUT_OF_REACH, people_out_of_reach

if TYPE_CHECKING:
    from .importing import ImportRow

_SINGLE_FIELDS = {
    "id": "hris_id",
    "name": "name",
    "email": "email",
    "function": "function",
    "manager_id": "manager_hris_id",
    "location": "location",
}
_LIST_COLUMNS = ("skills", "goals", "languages", "exclude", "prefer")


def _max_length(field: str, model: type[Person] | type[Skill] = Person) -> int:
    found = model._meta.get_field(field)
    length = getattr(found, "max_length", None)
    assert isinstance(length, int)  # every text field of Person and Skill has one
    return length


def _longest(column: str) -> int:
    if column in _SINGLE_FIELDS:
        return _max_length(_SINGLE_FIELDS[column])
    if column in ("exclude", "prefer"):
        return _max_length("hris_id")
    return _max_length("name", Skill)  # skills, goals and languages alike


def cell_problems(record: Mapping[str, str], line: int) -> list[FileProblem]:
    """NUL characters and text longer than the directory stores, cell by cell."""
    pid = (record.get("id") or "").strip()
    problems = []
    for column, text in record.items():
        if "\x00" in text:
            problems.append(FileProblem(line, pid, column, "contains a NUL character; remove it"))
        elif too_long := _too_long(column, text):
            problems.append(FileProblem(line, pid, column, too_long))
    return problems


def _too_long(column: str, text: str) -> str | None:
    if column not in _SINGLE_FIELDS and column not in _LIST_COLUMNS:
        return None
    limit = _longest(column)
    if column in _SINGLE_FIELDS:
        length = len(text.strip())
        return f"{length} characters long; at most {limit}" if length > limit else None
    for entry in text.split(";"):
        label = entry.rpartition(":")[0] if column == "skills" and ":" in entry else entry
        if len(label.strip()) > limit:
            return f"'{shown(label.strip())}' is {len(label.strip())} characters long; at most {limit}"
    return None


class SeenInFile:
    """Ids and emails met so far in a file: a second row with either is a problem, whatever else
    is wrong with it (the first row stays valid)."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.emails: dict[str, tuple[int, str]] = {}

    def repeats(self, record: Mapping[str, str], line: int) -> list[FileProblem]:
        pid = (record.get("id") or "").strip()
        email = (record.get("email") or "").strip().lower()
        problems = []
        if pid and (earlier := self.ids.setdefault(pid, line)) != line:
            problems.append(FileProblem(line, pid, "id", f"id {pid} is used again (line {earlier})"))
        if email and pid:
            first_line, first_id = self.emails.setdefault(email, (line, pid))
            if first_id != pid:
                message = f"{shown(email)} is also the email of id {first_id} (line {first_line})"
                problems.append(FileProblem(line, pid, "email", message))
        return problems


def emails_taken(organisation: Organisation, rows: Sequence[ImportRow]) -> list[FileProblem]:
    """Rows whose email already belongs to someone else in the organisation who is not in the
    file (people in the file may swap addresses). One query for the whole file."""
    wanted = {row.participant.email.lower(): row for row in rows if row.participant.email}
    if not wanted:
        return []
    in_file = {row.participant.id for row in rows}
    owners = Person.objects.filter(organisation=organisation).exclude(email="")
    problems = []
    for hris_id, email in owners.values_list("hris_id", "email").iterator(chunk_size=5000):
        row = wanted.get(email.lower())
        if row is not None and hris_id != row.participant.id and hris_id not in in_file:
            message = f"{shown(email)} is already the email of id {hris_id} in the directory"
            problems.append(FileProblem(row.line, row.participant.id, "email", message))
    return problems


def out_of_reach(actor: Actor, organisation: Organisation, rows: Sequence[ImportRow]) -> list[FileProblem]:
    """Rows that would change someone `actor` may not change (`policies.people_out_of_reach`)."""
    barred = set(people_out_of_reach(user=actor, organisation=organisation).values_list("hris_id", flat=True))
    return [
        FileProblem(row.line, row.participant.id, "id", OUT_OF_REACH.format(who=f"id {row.participant.id}"))
        for row in rows
        if row.participant.id in barred
    ]
