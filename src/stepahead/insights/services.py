"""Writes for insights: the stored snapshots of the insights pages' figures (requested by a
page, computed by a task), and the documents and statements attached to the evidence report."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q, Subquery
from django.utils import timezone

from stepahead.accounts import User
from stepahead.core.ismcp import CRITERIA
from stepahead.errors import DomainError
from stepahead.programmes.models import Programme
from stepahead.programmes.services import require_manager

from . import stored
from .choices import filters_at, filters_key
from .models import MAX_DOCUMENT_BYTES, EvidenceDocument, InsightSnapshot, SnapshotState
from .overview import build_overview
from .selectors import Scope

logger = logging.getLogger(__name__)
IN_FLIGHT = (SnapshotState.QUEUED, SnapshotState.RUNNING)


def figures_for(*, scope: Scope, chosen: Mapping[str, str]) -> InsightSnapshot:
    """The snapshot of a page's figures, a refresh asked for when they are missing or due.

    Never computes in the request: the worker does (with an immediate task backend, as in
    tests, the refresh has run by the time this returns)."""
    snapshot = snapshot_for(scope=scope, chosen=chosen)
    if _due(snapshot, timezone.now()) and refresh_figures(snapshot=snapshot):
        snapshot.refresh_from_db()
    return snapshot


def snapshot_for(*, scope: Scope, chosen: Mapping[str, str]) -> InsightSnapshot:
    """The snapshot of a page's figures as stored (made, empty, on a page's first visit)."""
    programme = scope.programme
    key = f"{scope.organisation.pk}:{programme.pk if programme else '*'}:{filters_key(chosen)}"
    snapshot, _ = InsightSnapshot.objects.get_or_create(
        key=key,
        defaults={"organisation": scope.organisation, "programme": programme, "filters": dict(chosen)},
    )
    return snapshot


def _due(snapshot: InsightSnapshot, now: dt.datetime) -> bool:
    if snapshot.state in IN_FLIGHT or snapshot.state == SnapshotState.FAILED:
        return _lost(snapshot, now)  # a failure is retried by hand (Refresh) or once it is old
    if snapshot.computed_at is None or stored.load(snapshot.figures) is None:
        return True
    age = (now - snapshot.computed_at).total_seconds()
    return age > settings.INSIGHTS_MAX_AGE_SECONDS or (
        snapshot.stale and age > settings.INSIGHTS_MIN_REFRESH_SECONDS
    )


def _lost(snapshot: InsightSnapshot, now: dt.datetime) -> bool:
    asked = snapshot.requested_at
    return asked is None or (now - asked).total_seconds() > settings.INSIGHTS_COMPUTE_TIMEOUT_SECONDS


def refresh_figures(*, snapshot: InsightSnapshot) -> bool:
    """Queue a computation of the snapshot's figures unless one is already under way (a lost one,
    silent for longer than the timeout, is replaced). True when this call queued it."""
    now = timezone.now()
    lost = now - dt.timedelta(seconds=settings.INSIGHTS_COMPUTE_TIMEOUT_SECONDS)
    with transaction.atomic():
        claimed = (
            InsightSnapshot.objects.filter(pk=snapshot.pk)
            .filter(~Q(state__in=IN_FLIGHT) | Q(requested_at__lt=lost) | Q(requested_at__isnull=True))
            .update(
                state=SnapshotState.QUEUED,
                requested_at=now,
                stage="Waiting for the worker",
                progress=0,
                error="",
            )
        )
        if claimed:
            transaction.on_commit(lambda: _enqueue(snapshot.pk))
    return bool(claimed)


def _enqueue(snapshot_id: int) -> None:
    from .tasks import compute_insights  # the task module imports this one

    try:
        compute_insights.enqueue(snapshot_id=snapshot_id)
    except Exception:  # the page asks again once the request is older than the timeout
        logger.exception("could not enqueue the insights snapshot %s", snapshot_id)


def compute_figures(*, snapshot_id: int) -> str:
    """Worker side: compute a queued snapshot's figures, telling its progress as it goes. The
    previous figures stay served until the new ones are stored in one write."""
    started = timezone.now()
    # Clearing `stale` when starting keeps a change made during the computation for the next one.
    claimed = InsightSnapshot.objects.filter(pk=snapshot_id, state=SnapshotState.QUEUED).update(
        state=SnapshotState.RUNNING, stale=False, stage="Starting", progress=0
    )
    if not claimed:
        return "not queued"
    snapshot = InsightSnapshot.objects.select_related("organisation", "programme").get(pk=snapshot_id)
    clock = time.perf_counter()

    def step(stage: str, done: int) -> None:
        InsightSnapshot.objects.filter(pk=snapshot_id).update(stage=stage, progress=done)

    try:
        scope = Scope(snapshot.organisation, snapshot.programme)
        with _no_jit():
            built = build_overview(scope, filters_at(snapshot.filters, started), started, step)
    except Exception as error:  # recorded on the snapshot, where the page shows it
        logger.exception("insights snapshot %s failed", snapshot_id)
        InsightSnapshot.objects.filter(pk=snapshot_id).update(
            state=SnapshotState.FAILED, error=f"{type(error).__name__}: {error}"[:2000], stage=""
        )
        return SnapshotState.FAILED
    InsightSnapshot.objects.filter(pk=snapshot_id).update(
        figures=stored.dump(built),
        computed_at=started,
        compute_seconds=round(time.perf_counter() - clock, 3),
        state=SnapshotState.IDLE,
        stage="",
        progress=100,
    )
    return SnapshotState.IDLE


@contextmanager
def _no_jit() -> Iterator[None]:
    """PostgreSQL's JIT compiles each of these large aggregates afresh: at 100k people it spent
    more time compiling (2.7 s of 4.3 s for one query) than running. Off for this session only."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET jit = off")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET jit")


def mark_stale(*, organisation_id: int | Subquery) -> None:
    """Lifecycle records of the organisation changed: its figures are due for a recomputation."""
    InsightSnapshot.objects.filter(organisation_id=organisation_id, stale=False).update(stale=True)


@transaction.atomic
def attach_evidence(
    *,
    actor: User,
    programme: Programme,
    criterion: str,
    title: str,
    statement: str = "",
    file_name: str = "",
    content_type: str = "",
    content: bytes = b"",
) -> EvidenceDocument:
    """A statement, a document or both, for one ISMCP criterion."""
    require_manager(actor, programme)
    if criterion not in CRITERIA:
        raise DomainError(f"There is no ISMCP criterion “{criterion}”.")
    if not title.strip():
        raise DomainError("Give the evidence a title.")
    if not statement.strip() and not content:
        raise DomainError("Attach a document or write a statement.")
    if len(content) > MAX_DOCUMENT_BYTES:
        raise DomainError(
            f"“{file_name}” is larger than 5 MB; attach a smaller file or a link in a statement."
        )
    return EvidenceDocument.objects.create(
        programme=programme,
        criterion=criterion,
        title=title.strip(),
        statement=statement.strip(),
        file_name=file_name,
        content_type=content_type or "application/octet-stream",
        content=content,
        added_by=actor,
    )


@transaction.atomic
def remove_evidence(*, actor: User, document: EvidenceDocument) -> None:
    require_manager(actor, document.programme)
    document.delete()
