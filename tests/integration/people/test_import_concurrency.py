"""Issue 10 fault 2: logins during a big import on SQLite. One transaction for the whole file
held the write lock past the busy timeout and logins answered 500 "database is locked"; batches
in short transactions leave turns for other writers.

Real processes on one SQLite file; the busy timeout is cut to 3 s so a modest file shows it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.integration.matchruns.test_worker_loss import ROOT, _child_env

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="SQLite's write lock; uses a SQLite file of its own",
    ),
]
ROWS = 40_000


def test_logins_during_a_big_import_do_not_fail(tmp_path):
    env = _child_env(tmp_path) | {"SQLITE_BUSY_TIMEOUT": "3", "DEBUG": "0", "SECRET_KEY": "t" * 50}
    stop_file = tmp_path / "import-done"
    command = [sys.executable, "-m", "tests.support.import_load"]
    importer = subprocess.Popen(
        [*command, "import", str(ROWS)], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        assert importer.stdout.readline().strip() == "importing"
        logins = subprocess.Popen(
            [*command, "logins", str(stop_file)], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
        )
        imported = json.loads(importer.communicate(timeout=600)[0].strip().splitlines()[-1])
        assert importer.returncode == 0
        stop_file.touch()
        statuses = json.loads(logins.communicate(timeout=300)[0].strip().splitlines()[-1])["statuses"]
    finally:
        for child in (importer, locals().get("logins")):
            if child is not None and child.poll() is None:
                child.kill()
                child.communicate()
    assert imported["created"] == ROWS
    assert statuses, "no login was attempted"
    print(f"import of {ROWS} rows: {imported['seconds']} s; logins meanwhile: {statuses}")
    assert set(statuses) == {302}, statuses  # every login signed in; none answered 500
