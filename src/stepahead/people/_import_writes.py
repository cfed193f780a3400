"""Writing an import's valid rows fast: a fixed number of queries per batch of people.

Django's `bulk_create` costs ~50 µs per model instance, and a 100k-row file carries ~1.2M skill
levels, so rows go in as multi-row INSERTs (SQLite) or COPY (PostgreSQL, where long INSERTs are
re-parsed each time), built from the model's own field definitions.

Each batch is its own short transaction (issue 10 fault 2): one transaction for a 387k-row file
held SQLite's single write lock for a minute, so logins failed with "database is locked" and the
worker died. Every row is checked before the first batch is written, so only a database failure
can stop an import midway, and re-importing the same file then completes it (rows update by
HRIS id). Inside a caller's transaction the batches are savepoints of it.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from django.db import connections, models, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper
from django.utils import timezone

from stepahead.errors import DomainError
from stepahead.matching import normalise_label
from stepahead.organisations.models import Organisation

from .models import MAX_GOALS, MAX_LEVEL, DevelopmentGoal, LevelSource, Person, SkillLevel
from .services import resolve_skills

if TYPE_CHECKING:
    from .importing import ImportRow

# Person fields the spec's columns fill ("skills" and "goals" go to their own tables).
_FIELD_FOR_COLUMN = {
    "name": "name",
    "email": "email",
    "function": "function",
    "grade": "grade",
    "manager_id": "manager_hris_id",
    "location": "location",
    "languages": "languages",
}


# People per write batch: a few queries per table per batch. A batch's ids go into one `IN (...)`,
# so `_batch_size` keeps it under the backend's parameter limit (SQLite: 32,766 since 3.32, 999 before).
WRITE_BATCH = 2000
# Rows per multi-row INSERT statement (capped again by the backend's parameter limit).
INSERT_ROWS = 1000
# On SQLite, the pause between two batches' transactions: a writer waiting for the lock (a login,
# the worker) polls every 25-100 ms, and must find it free between batches, not only at the end.
SQLITE_TURN = 0.1


def write_rows(
    organisation: Organisation, rows: tuple[ImportRow, ...], columns: frozenset[str], source: LevelSource
) -> None:
    """Upsert people by HRIS id; replace their levels from `source` and their goals, for the
    columns the file has. Same result as `write_person` + `write_skill_levels` +
    `write_development_goals` row by row, in a fixed number of queries per batch, except that
    rows whose stored values already match the file are left untouched (so are their timestamps)."""
    fields = sorted({_FIELD_FOR_COLUMN[c] for c in columns if c in _FIELD_FOR_COLUMN})
    with transaction.atomic():
        skill_ids = _skill_ids(organisation, rows, columns)
    _check_rows(rows, columns, skill_ids)  # before any batch: a bad row never leaves half an import
    now = timezone.now()
    size = _batch_size()
    give_turns = _connection(Person).vendor == "sqlite" and not _connection(Person).in_atomic_block
    for start in range(0, len(rows), size):
        if give_turns and start:
            time.sleep(SQLITE_TURN)
        batch = rows[start : start + size]
        with transaction.atomic():
            person_ids = _upsert_people(organisation, batch, fields, now)
            if "skills" in columns:
                _replace_levels(batch, person_ids, source, skill_ids, now)
            if "goals" in columns:
                _replace_goals(batch, person_ids, skill_ids)


def _check_rows(rows: tuple[ImportRow, ...], columns: frozenset[str], skill_ids: dict[str, int]) -> None:
    """Raise the DomainError a row would raise while being written, before anything is."""
    for row in rows:
        if "skills" in columns:
            _levels_of(row, skill_ids)
        if "goals" in columns:
            _goals_of(row, skill_ids)


def _batch_size() -> int:
    limit = _connection(Person).features.max_query_params
    return max(1, min(WRITE_BATCH, limit - 10)) if limit else WRITE_BATCH  # 10: the query's other params


def _skill_ids(
    organisation: Organisation, rows: tuple[ImportRow, ...], columns: frozenset[str]
) -> dict[str, int]:
    """{label: skill id} for every skill and goal label in the file: the taxonomy is read once,
    not twice per label, and missing skills are created together."""
    labels: dict[str, None] = {}
    for row in rows:
        if "skills" in columns:
            labels.update(dict.fromkeys(row.participant.skills))
        if "goals" in columns:
            labels.update(dict.fromkeys(row.participant.goals))
    found = resolve_skills(organisation=organisation, labels=labels)
    return {label: skill.pk for label, skill in found.items()}


def _upsert_people(
    organisation: Organisation, batch: tuple[ImportRow, ...], fields: list[str], now: datetime
) -> list[int]:
    """The batch's person ids in row order, creating new people and updating changed ones."""
    ids = [row.participant.id.strip() for row in batch]
    stored = _stored_people(organisation, ids, fields)
    new: dict[str, dict[str, object]] = {}
    changed: list[tuple[int, dict[str, object]]] = []
    for hris_id, row in zip(ids, batch, strict=True):
        values = _person_values(row, fields)
        if hris_id not in stored:
            new[hris_id] = values
        elif stored[hris_id][1] != values:  # also when inactive: an import re-activates people
            changed.append((stored[hris_id][0], values))
    created = _insert_people(organisation, new)
    _update_people(changed, fields, now)
    return [stored[i][0] if i in stored else created[i] for i in ids]


def _insert_people(organisation: Organisation, new: dict[str, dict[str, object]]) -> dict[str, int]:
    """Insert {hris id: values} and return {hris id: pk}. Columns the file lacks take the
    prepared values of one template instance (defaults, auto_now), so no instance is built per
    person: `bulk_create` cost ~200 µs a person, half of a 100k import."""
    if not new:
        return {}
    connection = _connection(Person)
    template = Person(organisation=organisation, hris_id="", grade=0)
    columns = [f for f in Person._meta.concrete_fields if not f.primary_key]
    defaults = {f.name: f.get_db_prep_save(f.pre_save(template, add=True), connection) for f in columns}
    prepare = {f.name: f for f in columns}
    rows = []
    for hris_id, values in new.items():
        row = {**defaults, "hris_id": hris_id}
        row.update((name, prepare[name].get_db_prep_save(v, connection)) for name, v in values.items())
        rows.append(tuple(row.values()))  # `defaults` fixed the key order: `columns`
    _insert_many(Person, tuple(defaults), rows)
    found = Person.objects.filter(organisation=organisation, hris_id__in=list(new))
    return dict(found.values_list("hris_id", "pk"))


def _stored_people(
    organisation: Organisation, ids: list[str], fields: list[str]
) -> dict[str, tuple[int, dict[str, object] | None]]:
    """{hris id: (pk, stored values)} for the batch's known people; values are None for an
    inactive person so that they never compare equal to the file's."""
    found = Person.objects.filter(organisation=organisation, hris_id__in=ids)
    stored = {}
    for pk, hris_id, is_active, *values in found.values_list("pk", "hris_id", "is_active", *fields):
        stored[hris_id] = (pk, dict(zip(fields, values, strict=True)) if is_active else None)
    return stored


def _person_values(row: ImportRow, fields: list[str]) -> dict[str, object]:
    p = row.participant
    values: dict[str, object] = {
        "name": p.name,
        "email": p.email,
        # The directory keeps the file's spelling ("HR", not "hr"): people read it on every page
        # and in the engine's reasons; matching normalises it again where it compares.
        "function": p.spelled.get(p.function, p.function),
        "grade": p.grade,
        "manager_hris_id": p.manager_id,
        "location": row.location,
    }
    if "languages" in fields:
        values["languages"] = sorted({normalise_label(x) for x in p.languages if x.strip()})
    return {name: values[name] for name in fields}


def _update_people(changed: list[tuple[int, dict[str, object]]], fields: list[str], now: datetime) -> None:
    """One UPDATE per changed person, sent as one `executemany`: `bulk_update` builds a CASE
    expression per field and person, which costs more than the update itself."""
    if not changed:
        return
    connection = _connection(Person)
    targets = [_field(Person, name) for name in [*fields, "is_active", "updated_at"]]
    params = []
    for pk, values in changed:
        row = [*values.values(), True, now]  # `values` is in `fields` order
        params.append([f.get_db_prep_save(v, connection) for f, v in zip(targets, row, strict=True)] + [pk])
    qn = connection.ops.quote_name
    assignments = ", ".join(f"{qn(_column(f))} = %s" for f in targets)
    sql = (
        f"UPDATE {qn(Person._meta.db_table)} SET {assignments} WHERE {qn(_column(_field(Person, 'id')))} = %s"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _replace_levels(
    batch: tuple[ImportRow, ...],
    person_ids: list[int],
    source: LevelSource,
    skill_ids: dict[str, int],
    now: datetime,
) -> None:
    """Give each person exactly the file's levels from `source`; people whose stored levels
    already match keep their rows. Levels from other sources are never touched."""
    wanted = {pid: _levels_of(row, skill_ids) for row, pid in zip(batch, person_ids, strict=True)}
    stored: dict[int, dict[int, int]] = {}
    found = SkillLevel.objects.filter(person_id__in=person_ids, source=source)
    for pid, skill_id, level in found.values_list("person_id", "skill_id", "level"):
        stored.setdefault(pid, {})[skill_id] = level
    redo = [pid for pid, levels in wanted.items() if stored.get(pid, {}) != levels]
    if stored:
        SkillLevel.objects.filter(person_id__in=[p for p in redo if p in stored], source=source).delete()
    at = _field(SkillLevel, "updated_at").get_db_prep_save(now, _connection(SkillLevel))
    kind = LevelSource(source).value  # a plain str: drivers need no enum adapter
    rows = [(pid, s, n, kind, at) for pid in redo for s, n in wanted[pid].items()]
    _insert_many(SkillLevel, ("person", "skill", "level", "source", "updated_at"), rows)


def _levels_of(row: ImportRow, skill_ids: dict[str, int]) -> dict[int, int]:
    resolved: dict[int, int] = {}
    for label, level in row.participant.skills.items():
        if not 0 <= int(level) <= MAX_LEVEL:
            raise DomainError(f"Level {level} for {label} is outside 0–5.")
        key = skill_ids[label]
        resolved[key] = max(resolved.get(key, 0), int(level))  # two aliases: keep the higher
    return resolved


def _replace_goals(batch: tuple[ImportRow, ...], person_ids: list[int], skill_ids: dict[str, int]) -> None:
    """Give each person exactly the file's goals in order; people whose goals match keep them."""
    wanted = {pid: _goals_of(row, skill_ids) for row, pid in zip(batch, person_ids, strict=True)}
    stored: dict[int, list[int]] = {}
    found = DevelopmentGoal.objects.filter(person_id__in=person_ids).order_by("person_id", "priority")
    for pid, skill_id in found.values_list("person_id", "skill_id"):
        stored.setdefault(pid, []).append(skill_id)
    redo = [pid for pid, goals in wanted.items() if stored.get(pid, []) != goals]
    if stored:
        DevelopmentGoal.objects.filter(person_id__in=[p for p in redo if p in stored]).delete()
    rows = [(pid, s, i) for pid in redo for i, s in enumerate(wanted[pid], start=1)]
    _insert_many(DevelopmentGoal, ("person", "skill", "priority"), rows)


def _goals_of(row: ImportRow, skill_ids: dict[str, int]) -> list[int]:
    chosen = list(dict.fromkeys(skill_ids[label] for label in row.participant.goals))
    if len(chosen) > MAX_GOALS:
        raise DomainError(f"At most {MAX_GOALS} development goals are allowed ({len(chosen)} given).")
    return chosen


def _connection(model: type[models.Model]) -> BaseDatabaseWrapper:
    return connections[router.db_for_write(model)]


def _field(model: type[models.Model], name: str) -> models.Field[object, object]:
    """A concrete field (never a reverse relation) by name."""
    return cast("models.Field[object, object]", model._meta.get_field(name))


def _column(field: models.Field[object, object]) -> str:
    """The field's column name: concrete fields always have one (the stubs allow None)."""
    return str(field.column)


def _insert_many(
    model: type[models.Model], fields: tuple[str, ...], rows: Sequence[tuple[object, ...]]
) -> None:
    """Insert ready database values without model instances: `bulk_create` spends ~50 µs per
    object in the ORM, which at 1.2M skill levels of a 100k import was over a minute. Values must
    be what the driver takes as is (ints, strs, prepared timestamps and JSON)."""
    if not rows:
        return
    connection = _connection(model)
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    columns = ", ".join(qn(_column(_field(model, name))) for name in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _copy_rows(connection, cursor, f"COPY {table} ({columns}) FROM STDIN", rows)
        else:
            _insert_values(connection, cursor, f"INSERT INTO {table} ({columns}) VALUES ", rows)


def _copy_rows(
    connection: BaseDatabaseWrapper, cursor: CursorWrapper, sql: str, rows: Sequence[tuple[object, ...]]
) -> None:
    """PostgreSQL's COPY: 8x faster than multi-row INSERTs, whose long statements psycopg
    re-parses in Python on every execution (it caches only short ones)."""
    with connection.wrap_database_errors, cursor.copy(sql) as copy:  # Django's error classes
        for row in rows:
            copy.write_row(row)


def _insert_values(
    connection: BaseDatabaseWrapper, cursor: CursorWrapper, head: str, rows: Sequence[tuple[object, ...]]
) -> None:
    """Multi-row INSERTs, as many rows per statement as the parameter limit allows."""
    width = len(rows[0])
    one = "(" + ", ".join(["%s"] * width) + ")"
    limit = connection.features.max_query_params or INSERT_ROWS * width
    size = max(1, min(INSERT_ROWS, limit // width))
    for start in range(0, len(rows), size):
        chunk = rows[start : start + size]
        values: list[Any] = [v for row in chunk for v in row]
        cursor.execute(head + ", ".join([one] * len(chunk)), values)
