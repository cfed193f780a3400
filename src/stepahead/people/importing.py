"""People import from CSV or XLSX: map columns, preview every problem, then write every valid row.

Flow for the UI: `read_table` → `suggest_mapping` (the user may adjust it) → `preview_people_import`
(lists every bad row with line, column and reason) → `import_people` (every row checked first,
then written in short transactions of a batch of people each, so SQLite is never locked long).

Rows are checked by the engine's own row validator (`stepahead.matching._parse`) so a file that
imports here also matches in the CLI. Line numbers are what a spreadsheet shows (header = 1).
Re-importing a file updates people by HRIS id; columns absent from the file keep their values,
and people, levels and goals that already match the file are not rewritten.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from stepahead.accounts import Actor, User
from stepahead.errors import DomainError, PermissionDenied
from stepahead.matching import Mode, Participant
from stepahead.matching._parse import PARTICIPANT_COLUMNS, CellMemo, FileProblem, participant_from_row
from stepahead.organisations.models import Organisation

from ._import_checks import SeenInFile, cell_problems, emails_taken, out_of_reach
from ._import_writes import write_rows
from ._tables import Table, read_table

__all__ = [
    "PERSON_COLUMNS",
    "ImportOutcome",
    "ImportPreview",
    "ImportRow",
    "Table",
    "import_people",
    "preview_people_import",
    "read_table",
    "suggest_mapping",
]
from .models import LevelSource, Person
from .services import _require_hr

# Columns a people import understands: the spec's participant columns plus the directory's own.
PERSON_COLUMNS: tuple[str, ...] = (*PARTICIPANT_COLUMNS, "location")
# Common HRIS header wordings, so most exports map without manual work.
HEADER_SYNONYMS: dict[str, str] = {
    "employee id": "id",
    "employee_id": "id",
    "hris id": "id",
    "hris_id": "id",
    "person id": "id",
    "full name": "name",
    "e-mail": "email",
    "email address": "email",
    "work email": "email",
    "department": "function",
    "team": "function",
    "level": "grade",
    "band": "grade",
    "manager": "manager_id",
    "manager id": "manager_id",
    "line manager": "manager_id",
    "office": "location",
    "city": "location",
    "language": "languages",
}


@dataclass(frozen=True, slots=True)
class ImportRow:
    line: int
    participant: Participant
    location: str


@dataclass(frozen=True, slots=True)
class ImportPreview:
    """What an import would do. `problems` lists every bad row (line, participant id, column,
    message); `rows` are the valid ones; `columns` are the target columns the file fills."""

    mapping: dict[str, str]
    unmapped: tuple[str, ...]
    columns: frozenset[str]
    rows: tuple[ImportRow, ...]
    problems: tuple[FileProblem, ...]
    new_ids: tuple[str, ...] = ()
    updated_ids: tuple[str, ...] = ()

    @property
    def is_clean(self) -> bool:
        return not self.problems


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    created: int
    updated: int
    skipped_lines: tuple[int, ...] = field(default=())


def suggest_mapping(headers: tuple[str, ...] | list[str]) -> dict[str, str]:
    """{file header: target column} for headers that are, or commonly mean, a known column."""
    mapping: dict[str, str] = {}
    for header in headers:
        key = " ".join(header.split()).lower()
        target = key if key in PERSON_COLUMNS else HEADER_SYNONYMS.get(key)
        if target and target not in mapping.values():
            mapping[header] = target
    return mapping


def preview_people_import(
    *,
    organisation: Organisation,
    table: Table,
    mapping: Mapping[str, str] | None = None,
    mode: Mode | None = None,
    actor: Actor | None = None,
) -> ImportPreview:
    """Validate every row under `mapping` (default: `suggest_mapping`). Writes nothing. With
    `actor`, rows for people they may not change (`people.policies`) are problems too."""
    mapping = dict(mapping if mapping is not None else suggest_mapping(table.headers))
    problems = _mapping_problems(mapping, table.headers)
    rows: list[ImportRow] = []
    seen = SeenInFile()
    positions = _positions(table, mapping)
    memo = CellMemo()  # one per file: repeated skill and goal cells are read once, not per row
    for line, cells in table.rows:
        record = {target: cells[at] if at < len(cells) else "" for at, target in positions}
        found = cell_problems(record, line) + seen.repeats(record, line)
        checked = participant_from_row(record, line=line, mode=mode, memo=memo)
        if isinstance(checked, list):
            problems.extend(checked)
        if found:
            problems.extend(found)
        elif not isinstance(checked, list):
            rows.append(ImportRow(line, checked, (record.get("location") or "").strip()))
    refused = emails_taken(organisation, rows)
    if actor is not None:
        refused += out_of_reach(actor, organisation, rows)
    problems.extend(refused)
    rows = [row for row in rows if row.line not in {p.line for p in refused}]
    return _preview(organisation, mapping, table, rows, problems)


def import_people(
    *,
    actor: User,
    organisation: Organisation,
    preview: ImportPreview,
    allow_partial: bool = False,
    level_source: LevelSource = LevelSource.SELF,
) -> ImportOutcome:
    """Write the preview's valid rows, in short transactions of a batch of people each (see
    `_import_writes`). A preview with problems is refused unless `allow_partial` (then bad rows
    are skipped and reported in the outcome)."""
    _require_hr(actor, organisation)
    if preview.problems and not allow_partial:
        raise DomainError(
            f"The file has {len(preview.problems)} problem(s); fix them or import valid rows only."
        )
    if not preview.rows:
        raise DomainError("The file has no valid rows to import.")
    if refused := out_of_reach(actor, organisation, preview.rows):
        raise PermissionDenied(refused[0].message)
    existing = set(Person.objects.filter(organisation=organisation).values_list("hris_id", flat=True))
    write_rows(organisation, preview.rows, preview.columns, level_source)
    created = sum(1 for row in preview.rows if row.participant.id not in existing)
    skipped = tuple(sorted({p.line for p in preview.problems if p.line}))
    return ImportOutcome(created=created, updated=len(preview.rows) - created, skipped_lines=skipped)


def _preview(
    organisation: Organisation,
    mapping: dict[str, str],
    table: Table,
    rows: list[ImportRow],
    problems: list[FileProblem],
) -> ImportPreview:
    ids = [row.participant.id for row in rows]
    # All of the organisation's ids in one query: an `IN` list of every row's id can exceed
    # SQLite's variable limit on large files.
    known = set(Person.objects.filter(organisation=organisation).values_list("hris_id", flat=True))
    return ImportPreview(
        mapping=mapping,
        unmapped=tuple(h for h in table.headers if h not in mapping),
        columns=frozenset(mapping.values()),
        rows=tuple(rows),
        problems=tuple(sorted(problems, key=lambda p: (p.line, p.column))),
        new_ids=tuple(i for i in ids if i not in known),
        updated_ids=tuple(i for i in ids if i in known),
    )


def _mapping_problems(mapping: Mapping[str, str], headers: tuple[str, ...]) -> list[FileProblem]:
    problems = [
        FileProblem(0, "", t, f"'{t}' is not a column StepAhead knows")
        for t in mapping.values()
        if t not in PERSON_COLUMNS
    ]
    targets = list(mapping.values())
    problems += [
        FileProblem(0, "", t, f"two file columns are mapped to {t}")
        for t in set(targets)
        if targets.count(t) > 1
    ]
    problems += [FileProblem(0, "", h, f"the file has no column '{h}'") for h in mapping if h not in headers]
    problems += [
        FileProblem(0, "", c, f"no file column is mapped to the required column {c}")
        for c in ("id", "grade")
        if c not in targets
    ]
    return problems


def _positions(table: Table, mapping: Mapping[str, str]) -> list[tuple[int, str]]:
    return [(at, mapping[h]) for at, h in enumerate(table.headers) if mapping.get(h) in PERSON_COLUMNS]
