"""`manage.py db_worker`: django_tasks_db's worker, which retries when the database is locked.

On SQLite, a long write elsewhere (a big import, another process) can hold the write lock past
the busy timeout. django_tasks_db's worker then dies with "database is locked" from its own
claim transaction or while recording a result, leaving queued work undone. This worker waits and
tries again instead; other errors still stop it (the demo supervisor restarts it).
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.db import OperationalError, close_old_connections
from django_tasks_db.management.commands import db_worker
from django_tasks_db.utils import is_locked_database_exception

logger = logging.getLogger("stepahead.worker")

LOCKED_PAUSES = (0.5, 1.0, 2.0, 5.0)  # seconds before each retry; the last one repeats


class PatientWorker(db_worker.Worker):
    def run(self) -> None:
        attempt = 0
        while True:
            try:
                super().run()
            except OperationalError as error:
                if not is_locked_database_exception(error):
                    raise
                pause = LOCKED_PAUSES[min(attempt, len(LOCKED_PAUSES) - 1)]
                attempt += 1
                logger.warning("database is locked (%s); the worker tries again in %.1f s", error, pause)
                close_old_connections()
                time.sleep(pause)
                self.startup_delay = False
                continue
            return


class Command(db_worker.Command):
    help = "Run the task worker (match runs, mail); waits out a locked database instead of dying"

    def handle(self, *args: Any, **options: Any) -> None:
        original = db_worker.Worker
        db_worker.Worker = PatientWorker  # type: ignore[misc]  # the parent builds `Worker(...)`
        try:
            super().handle(*args, **options)
        finally:
            db_worker.Worker = original  # type: ignore[misc]
