"""HR: the people import wizard — upload → (map columns) → preview every problem → commit.

The uploaded file is kept in a private temporary folder between steps (its name in the session),
so nothing is written to the directory until the manager presses Import; then every row is
checked and written in short batches (`people.importing.import_people`).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import time
from collections.abc import Mapping, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any, cast

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from stepahead.errors import DomainError
from stepahead.people.importing import (
    PERSON_COLUMNS,
    Table,
    import_people,
    preview_people_import,
    read_table,
    suggest_mapping,
)
from stepahead.people.models import LevelSource
from stepahead.web.access import OrgRequest, hr_required
from stepahead.web.forms import MappingForm, UploadForm
from stepahead.web.responses import error_response

SESSION_KEY = "web_import"
PREVIEW_ROWS = 20


# An upload waits here between the wizard's steps; one left longer was abandoned.
ABANDONED_AFTER = timedelta(hours=6)


def _upload_dir() -> Path:
    folder = Path(settings.VAR_DIR) / "uploads"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _keep(data: bytes) -> str:
    """Store an upload readable by this server's user only; sweep abandoned ones on the way."""
    folder = _upload_dir()
    oldest = time.time() - ABANDONED_AFTER.total_seconds()
    for path in folder.iterdir():
        with contextlib.suppress(FileNotFoundError):  # another request may sweep it first
            if path.stat().st_mtime < oldest:
                path.unlink()
    token = secrets.token_hex(16)
    descriptor = os.open(folder / token, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)
    return token


def _stored(request: OrgRequest) -> dict[str, Any] | None:
    """The pending upload of this session, if it belongs to the current organisation."""
    pending = request.session.get(SESSION_KEY)
    if not pending or pending.get("org") != request.org.pk:
        return None
    path = _upload_dir() / pending["token"]
    return cast(dict[str, Any], pending) if path.exists() else None


def _table(pending: dict[str, Any]) -> Table:
    data = (_upload_dir() / pending["token"]).read_bytes()
    return read_table(data, filename=pending["filename"])


def _forget(request: OrgRequest) -> None:
    pending = request.session.pop(SESSION_KEY, None)
    if pending:
        (_upload_dir() / pending["token"]).unlink(missing_ok=True)


def _needs_mapping(headers: Sequence[str], mapping: Mapping[str, str]) -> bool:
    """Ask the manager to map columns unless every header is understood and id/grade are there."""
    targets = set(mapping.values())
    return not {"id", "grade"} <= targets or any(h not in mapping for h in headers if h.strip())


@hr_required
@require_http_methods(["GET", "POST"])
def import_upload(request: OrgRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "GET":
        return render(request, "web/imports/upload.html", {"section": "people", "form": form})
    if not form.is_valid():
        return render(request, "web/imports/upload.html", {"section": "people", "form": form}, status=400)
    upload = form.cleaned_data["file"]
    data = upload.read()
    try:
        table = read_table(data, filename=upload.name)
    except DomainError as error:
        form.add_error("file", str(error))
        return render(request, "web/imports/upload.html", {"section": "people", "form": form}, status=400)
    _forget(request)
    token = _keep(data)
    mapping = suggest_mapping(table.headers)
    request.session[SESSION_KEY] = {
        "token": token,
        "filename": upload.name,
        "org": request.org.pk,
        "mapping": mapping,
        "level_source": form.cleaned_data["level_source"],
    }
    if _needs_mapping(table.headers, mapping):
        return redirect("web:import_mapping")
    return _render_preview(request, request.session[SESSION_KEY], table)


@hr_required
@require_http_methods(["GET", "POST"])
def import_mapping(request: OrgRequest) -> HttpResponse:
    pending = _stored(request)
    if pending is None:
        return error_response(
            request, "Upload a file first.", status=409, back_url=reverse("web:import_upload")
        )
    table = _table(pending)
    form = MappingForm(request.POST or None, headers=table.headers, initial_mapping=pending["mapping"])
    if request.method == "POST":
        if form.is_valid():
            pending["mapping"] = form.cleaned_data["mapping"]
            request.session[SESSION_KEY] = pending
            return _render_preview(request, pending, table)
        status = 400
    else:
        status = 200
    samples = {
        at: [cells[at] if at < len(cells) else "" for _, cells in table.rows[:3]]
        for at in range(len(table.headers))
    }
    rows = [(form[f"col_{at}"], header, samples[at]) for at, header in enumerate(table.headers)]
    return render(
        request,
        "web/imports/mapping.html",
        {
            "section": "people",
            "form": form,
            "rows": rows,
            "filename": pending["filename"],
            "columns": PERSON_COLUMNS,
        },
        status=status,
    )


def _render_preview(request: OrgRequest, pending: dict[str, Any], table: Table) -> HttpResponse:
    preview = preview_people_import(
        organisation=request.org, table=table, mapping=pending["mapping"], actor=request.user
    )
    context = {
        "section": "people",
        "preview": preview,
        "filename": pending["filename"],
        "sample": preview.rows[:PREVIEW_ROWS],
        "problem_lines": len({p.line for p in preview.problems if p.line}),
        "upload_form": UploadForm(initial={"level_source": pending.get("level_source", LevelSource.SELF)}),
        "level_source": LevelSource(pending.get("level_source", LevelSource.SELF)).label,
    }
    return render(request, "web/imports/preview.html", context, status=400 if preview.problems else 200)


@hr_required
@require_POST
def import_commit(request: OrgRequest) -> HttpResponse:
    pending = _stored(request)
    if pending is None:
        return error_response(
            request,
            "There is no upload waiting to be imported (it may have been imported already).",
            status=409,
            back_url=reverse("web:import_upload"),
        )
    try:
        table = _table(pending)
        preview = preview_people_import(
            organisation=request.org, table=table, mapping=pending["mapping"], actor=request.user
        )
        outcome = import_people(
            actor=request.user,
            organisation=request.org,
            preview=preview,
            allow_partial=request.POST.get("partial") == "1",
            level_source=LevelSource(pending.get("level_source", LevelSource.SELF)),
        )
    except DomainError as error:
        return error_response(request, str(error), status=400, back_url=reverse("web:import_upload"))
    _forget(request)
    summary = f"{outcome.created} created, {outcome.updated} updated."
    if outcome.skipped_lines:
        summary += f" {len(outcome.skipped_lines)} row(s) with problems skipped."
    request.session["web_import_outcome"] = {
        "created": outcome.created,
        "updated": outcome.updated,
        "skipped": list(outcome.skipped_lines),
        "filename": pending["filename"],
    }
    return redirect("web:import_done")


@hr_required
def import_done(request: OrgRequest) -> HttpResponse:
    outcome = request.session.get("web_import_outcome")
    if outcome is None:
        return redirect("web:import_upload")
    return render(request, "web/imports/done.html", {"section": "people", "outcome": outcome})
