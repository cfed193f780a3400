"""The worker's hold on a running match run: a heartbeat thread renews the run's lease while the
engine works (numba kernels release the GIL, so it beats during long solves too), and notices
when the run is no longer ours — cancelled by a manager, or given up as stalled — so the engine
can stop and its result is thrown away."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta
from types import TracebackType

from django.conf import settings
from django.db import DatabaseError, connections
from django.utils import timezone

from stepahead.core.lease import heartbeat_interval

from .models import MatchRun, RunStatus

logger = logging.getLogger(__name__)


class RunStopped(Exception):  # noqa: N818 — it is an outcome, not an error
    """The run stopped being ours mid-way (cancelled, or its lease was given up)."""


def lease_length() -> timedelta:
    return timedelta(seconds=settings.MATCH_RUN_LEASE_SECONDS)


def renew(run_id: int) -> bool:
    """Renew the lease; False once the run is no longer running (cancelled or given up). A run
    this connection cannot see (the caller's transaction has not committed it) is still ours."""
    if MatchRun.objects.filter(pk=run_id, status=RunStatus.RUNNING).update(heartbeat_at=timezone.now()):
        return True
    return not MatchRun.objects.filter(pk=run_id).exclude(status=RunStatus.RUNNING).exists()


class RunLease:
    """`with RunLease(run_id) as lease:` beats in a thread; `lease.stop` is the engine's stop()."""

    def __init__(self, run_id: int, *, interval: float | None = None) -> None:
        self.run_id = run_id
        self.interval = interval if interval is not None else heartbeat_interval(lease_length())
        self.lost = threading.Event()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"match-run-{run_id}-lease", daemon=True)

    def __enter__(self) -> RunLease:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._done.set()
        self._thread.join()

    def stop(self) -> bool:
        """The engine asks between steps: True once the run is no longer ours."""
        return self.lost.is_set()

    def check(self) -> None:
        if self.lost.is_set():
            raise RunStopped

    def _beat(self) -> None:
        try:
            while not self._done.wait(self.interval):
                try:
                    still_ours = renew(self.run_id)
                except DatabaseError as error:  # e.g. a locked SQLite file: beat again next time
                    logger.warning("match run %s: heartbeat failed: %s", self.run_id, error)
                    continue
                if not still_ours:
                    self.lost.set()
                    return
        finally:
            connections.close_all()  # this thread's own connections
