"""The matching workflow: queue a run, execute it in the worker, store proposals.

`start_match_run` (web request) records a queued MatchRun and enqueues `tasks.run_match` once the
transaction commits; the worker calls `execute_match_run`, which maps the pool to Participants,
runs the pure engine with a throttled progress callback and replaces unpinned proposals.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from stepahead.accounts import User
from stepahead.core.lease import lease_expired, worker_lost_reason
from stepahead.core.placement import unmatched_after_decline
from stepahead.errors import DomainError
from stepahead.partnerships.selectors import decline_reasons, declines_of, matching_pool
from stepahead.partnerships.services import record_proposals
from stepahead.programmes.models import Enrolment, EnrolmentStatus, Programme, Status
from stepahead.programmes.services import require_manager, transition_programme

from . import mapper
from .lease import RunLease, RunStopped, lease_length
from .models import ACTIVE_STATUSES, MatchRun, RunStatus
from .selectors import active_run

logger = logging.getLogger(__name__)
RUNNABLE = (Status.MATCHING, Status.RUNNING)  # RUNNING: late joiners can still be matched


class RunInProgressError(DomainError):
    """Matching is already running (a double click, or a colleague's run): `run` is that run."""

    def __init__(self, run: MatchRun) -> None:
        super().__init__("A match run for this programme is already in progress.")
        self.run = run


@transaction.atomic
def start_match_run(*, actor: User, programme: Programme, seed: int = 0) -> MatchRun:
    """Queue a run for the programme's current pool (closing enrolment first if still open).
    People in approved, accepted or pinned partnerships are left out and keep their matches."""
    require_manager(actor, programme)
    programme = Programme.objects.select_for_update().get(pk=programme.pk)  # the caller's copy may be stale
    give_up_stalled_runs(programme=programme)  # a killed worker's run must not block the programme
    if programme.status == Status.ENROLLING:
        programme = transition_programme(programme=programme, to=Status.MATCHING)
    if programme.late_enrolment:  # the run takes the late joiners; enrolment closes again
        programme.late_enrolment = False
        programme.save(update_fields=["late_enrolment", "updated_at"])
    if programme.status not in RUNNABLE:
        raise DomainError(f"A {programme.get_status_display().lower()} programme cannot be matched.")
    return queue_run(actor=actor, programme=programme, parameters=mapper.parameters_for(programme, seed=seed))


def queue_run(
    *, actor: User, programme: Programme, parameters: dict[str, object], what_if: bool = False
) -> MatchRun:
    """Record a queued run of the current pool with these parameters and enqueue it after
    commit (callers hold a transaction and the programme's row lock)."""
    running = active_run(programme=programme)
    if running is not None:
        raise RunInProgressError(running)
    pool = matching_pool(programme=programme)
    if len(pool) < 2:
        raise DomainError("At least two people must be waiting for a match.")
    enrolled = programme.enrolments.filter(status=EnrolmentStatus.ACTIVE).count()
    try:
        with transaction.atomic():
            run = MatchRun.objects.create(
                organisation=programme.organisation,
                programme=programme,
                requested_by=actor,
                parameters=parameters,
                what_if=what_if,
                pool_size=len(pool),
                locked_people=enrolled - len(pool),
                stage="Waiting for a worker",
            )
    except IntegrityError as error:
        running = active_run(programme=programme)
        if running is None:
            raise
        raise RunInProgressError(running) from error
    transaction.on_commit(lambda: _enqueue(run))
    return run


def _enqueue(run: MatchRun) -> None:
    from .tasks import run_match  # the task module imports this one

    result = run_match.enqueue(run_id=run.pk)
    MatchRun.objects.filter(pk=run.pk, task_id="").update(task_id=str(result.id)[:64])


def execute_match_run(*, run_id: int) -> str:
    """Worker side of a run. Safe to call twice: only a queued run is picked up. While the engine
    works, a lease thread renews `heartbeat_at`; a cancel or a given-up lease stops the run."""
    now = timezone.now()
    claimed = MatchRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING, started_at=now, heartbeat_at=now, stage="Loading participants"
    )
    run = MatchRun.objects.select_related("programme__organisation").get(pk=run_id)
    if not claimed:
        return run.status
    try:
        with RunLease(run_id) as lease:
            _match_and_record(run, lease)
    except RunStopped:
        logger.info("match run %s stopped: no longer running (cancelled or given up)", run_id)
        return MatchRun.objects.get(pk=run_id).status
    except Exception as error:  # record every failure on the run, where managers can see it
        logger.exception("match run %s failed", run_id)
        MatchRun.objects.filter(pk=run_id, status=RunStatus.RUNNING).update(
            status=RunStatus.FAILED,
            error=f"{type(error).__name__}: {error}"[:2000],
            finished_at=timezone.now(),
        )
        return RunStatus.FAILED
    return RunStatus.DONE


def _budget(lease: RunLease, time_limit: int | None) -> Callable[[], bool]:
    """The engine's stop(): the run is no longer ours, or the programme's time limit has passed
    (the engine then returns its best result with its bound, which is recorded)."""
    deadline = None if time_limit is None else time.monotonic() + time_limit
    return lambda: lease.stop() or (deadline is not None and time.monotonic() > deadline)


def _match_and_record(run: MatchRun, lease: RunLease) -> None:
    programme = run.programme
    pool = matching_pool(programme=programme)
    enrolments = mapper.load_enrolments([entry.enrolment.pk for entry in pool])
    participants = [
        mapper.participant_for(enrolments[e.enrolment.pk], role=e.role, capacity=e.capacity) for e in pool
    ]
    by_hris_id = {enrolments[e.enrolment.pk].person.hris_id: e.enrolment for e in pool}
    lease.check()
    time_limit = run.parameters.get("time_limit", programme.time_limit)  # older runs kept none
    result = mapper.run_engine(
        participants,
        mapper.params_from(run.parameters),
        ProgressWriter(run.pk, lease=lease),
        stop=_budget(lease, time_limit),
    )
    lease.check()  # a stopped engine returns early: its result is not this run's to keep
    with transaction.atomic():
        if not MatchRun.objects.select_for_update().filter(pk=run.pk, status=RunStatus.RUNNING).exists():
            raise RunStopped
        drafts = mapper.drafts_from(result, by_hris_id)
        # A what-if run leaves the proposals alone until HR adopts it (matchruns.whatif).
        created = [] if run.what_if else record_proposals(programme=programme, match_run=run, drafts=drafts)
        summary = {**mapper.summary_of(result), "proposals": len(created)}
        summary["unmatched"] = _declines_named(programme, summary["unmatched"], by_hris_id)
        MatchRun.objects.filter(pk=run.pk).update(
            status=RunStatus.DONE,
            progress=1.0,
            stage="Done",
            summary=summary,
            groups=mapper.groups_of(drafts),
            placed=result.placed,
            total_score=round(result.total_score, 4),
            finished_at=timezone.now(),
        )


@transaction.atomic
def cancel_match_run(*, actor: User, run: MatchRun) -> MatchRun:
    """A programme manager stops a queued or running run; proposals stay as they were and the
    programme can be matched again at once. The worker notices at its next heartbeat."""
    require_manager(actor, run.programme)
    now = timezone.now()
    cancelled = MatchRun.objects.filter(pk=run.pk, status__in=ACTIVE_STATUSES).update(
        status=RunStatus.CANCELLED,
        cancelled_by=actor,
        stage="Cancelled",
        error=f"Cancelled by {actor.email or actor.get_username()}; no proposals were changed.",
        finished_at=now,
    )
    run.refresh_from_db()
    if not cancelled:
        raise DomainError(f"This run is already {run.get_status_display().lower()}; nothing to cancel.")
    _close_task_row(run, reason=run.error, now=now)
    return run


def give_up_stalled_runs(
    *, programme: Programme | None = None, now: datetime | None = None
) -> list[MatchRun]:
    """Mark failed every running run whose worker stopped renewing its lease (killed, crashed),
    with a plain reason, so its programme can be matched again. Called before a new start, on
    the run page and by `manage.py give_up_stalled_runs` (periodically)."""
    now = now or timezone.now()
    running = MatchRun.objects.filter(status=RunStatus.RUNNING)
    if programme is not None:
        running = running.filter(programme=programme)
    given_up = []
    for run in running:
        last = run.heartbeat_at or run.started_at
        if not lease_expired(last_renewed=last, now=now, lease=lease_length()):
            continue
        reason = worker_lost_reason(timezone.localtime(last) if last else None)
        stale = Q(heartbeat_at__isnull=True) | Q(heartbeat_at=run.heartbeat_at)  # not renewed meanwhile
        if MatchRun.objects.filter(stale, pk=run.pk, status=RunStatus.RUNNING).update(
            status=RunStatus.FAILED, error=reason, stage="Worker stopped", finished_at=now
        ):
            logger.warning("match run %s given up: no heartbeat since %s", run.pk, last)
            _close_task_row(run, reason=reason, now=now)
            given_up.append(run)
    return given_up


def _close_task_row(run: MatchRun, *, reason: str, now: datetime) -> None:
    """The worker's own task row stays RUNNING after a kill; close it so it is not mistaken for
    work in progress (django_tasks_db only; other backends keep no row)."""
    try:
        task_id = uuid.UUID(run.task_id)
    except ValueError:
        return
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(id=task_id, status__in=["READY", "RUNNING"]).update(
        status="FAILED",
        finished_at=now,
        exception_class_path="stepahead.matchruns.lease.RunStopped",
        traceback=reason,
    )


def _declines_named(
    programme: Programme, unmatched: object, by_hris_id: dict[str, Enrolment]
) -> list[dict[str, str]]:
    """Unmatched reasons that say "declined" for people whose last match was declined (bug 5)."""
    declined = decline_reasons(declines_of(programme=programme))
    entries = [dict(entry) for entry in unmatched] if isinstance(unmatched, list) else []
    for entry in entries:
        enrolment = by_hris_id.get(entry["id"])
        if enrolment is not None and enrolment.pk in declined:
            entry["reason"] = unmatched_after_decline(entry["reason"], declined[enrolment.pk])
    return entries


class ProgressWriter:
    """The engine's progress callback: writes (stage, fraction) to the run row, at most every
    `interval` seconds unless the stage changes, so a hot solver loop costs no DB traffic."""

    def __init__(self, run_id: int, *, interval: float = 0.5, lease: RunLease | None = None) -> None:
        self.run_id, self.interval, self.lease = run_id, interval, lease
        self.last_write, self.last_stage = float("-inf"), ""

    def __call__(self, stage: str, fraction: float) -> None:
        if self.lease is not None:
            self.lease.check()  # cancelled or given up: stop the engine at its next stage
        now = time.monotonic()
        if stage == self.last_stage and now - self.last_write < self.interval:
            return
        self.last_write, self.last_stage = now, stage
        MatchRun.objects.filter(pk=self.run_id, status__in=ACTIVE_STATUSES).update(
            progress=min(max(fraction, 0.0), 1.0), stage=stage[:120], heartbeat_at=timezone.now()
        )
