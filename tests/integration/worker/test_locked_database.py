"""Issue 10 fault 2: the worker outlasts a locked SQLite database instead of dying.

A real `manage.py db_worker` process polls a SQLite file while the test holds its write lock
for longer than the busy timeout; the worker must still be alive afterwards and do new work."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from tests.integration.matchruns.test_worker_loss import ROOT, _child_env, _helper, _row, _wait_for

pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="SQLite's write lock; uses a SQLite file of its own",
)


def _sent(db, email_id) -> bool:
    return _row(db, "SELECT status FROM mail_outboundemail WHERE id = ?", email_id) == ("sent",)


def test_the_worker_waits_out_a_locked_database(tmp_path):
    env = _child_env(tmp_path) | {
        "SQLITE_BUSY_TIMEOUT": "0.3",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
    }
    db = tmp_path / "db.sqlite3"
    first = _helper(env, "mail", "first")["email"]
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _wait_for(lambda: _sent(db, first), timeout=60)  # the worker is in its loop
        holder = sqlite3.connect(db, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # a long writer: 3 s, ten times the busy timeout
        time.sleep(3)
        holder.execute("COMMIT")
        holder.close()
        assert worker.poll() is None, worker.communicate()[0]
        second = _helper(env, "mail", "second")["email"]
        _wait_for(lambda: _sent(db, second), timeout=60)
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            output = worker.communicate(timeout=20)[0]
        except subprocess.TimeoutExpired:
            worker.kill()
            output = worker.communicate()[0]
    assert "database is locked" in output  # it met the lock, and said it would try again
