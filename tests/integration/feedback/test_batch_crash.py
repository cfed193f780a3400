"""A nudge batch killed with SIGKILL half-way, then run again: nothing sent twice, nothing skipped.

The batch runs as a real `manage.py send_nudges` process against a database of its own (a SQLite
file, or a fresh PostgreSQL database when DATABASE_URL names PostgreSQL)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import dj_database_url
import pytest

ROOT = Path(__file__).resolve().parents[3]
PAIRS = 30  # 60 session reminders


@pytest.fixture
def database_url(tmp_path) -> Iterator[str]:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{tmp_path / 'crash.sqlite3'}"
        return
    import psycopg

    config = dj_database_url.parse(url)
    name = f"crash_{uuid.uuid4().hex[:10]}"
    admin = {
        "host": config["HOST"],
        "port": config["PORT"] or None,
        "user": config["USER"],
        "dbname": "postgres",
    }
    with psycopg.connect(**admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(**admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _env(database_url: str, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "stepahead.config.settings",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}",
        **extra,
    }


def _run(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _report(database_url: str) -> dict[str, int]:
    """What the batch recorded, read with plain SQL (the test's own database is another one)."""
    queries = {
        "nudges": "SELECT COUNT(*) FROM nudges_nudge",
        "distinct_nudges": "SELECT COUNT(DISTINCT key) FROM nudges_nudge",
        "emails": "SELECT COUNT(*) FROM mail_outboundemail WHERE key LIKE 'nudge:%'",
        "emails_without_nudge": "SELECT COUNT(*) FROM mail_outboundemail m WHERE m.key LIKE 'nudge:%' "
        "AND NOT EXISTS (SELECT 1 FROM nudges_nudge n WHERE n.key = m.key)",
        "doubled_emails": "SELECT COUNT(*) FROM (SELECT key FROM mail_outboundemail GROUP BY key "
        "HAVING COUNT(*) > 1) d",
    }
    if database_url.startswith("sqlite:///"):
        import sqlite3

        connection = sqlite3.connect(database_url.removeprefix("sqlite:///"))
    else:
        import psycopg

        connection = psycopg.connect(database_url)
    try:
        return {name: connection.execute(sql).fetchone()[0] for name, sql in queries.items()}
    finally:
        connection.close()


def test_a_killed_batch_rerun_sends_each_nudge_exactly_once(database_url):
    env = _env(database_url)
    _run(env, "-m", "tests.integration.feedback.nudge_scenario", str(PAIRS))
    slow = _env(database_url, NUDGE_SEND_INTERVAL="0.05", NUDGE_BATCH_SIZE="5")
    batch = subprocess.Popen(
        [sys.executable, "manage.py", "send_nudges", "--list"],
        cwd=ROOT,
        env=slow,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert batch.stdout is not None
    for _ in range(5):
        assert batch.stdout.readline().startswith("sent nudge:session_reminder:")
    os.kill(batch.pid, signal.SIGKILL)
    batch.wait(timeout=30)
    batch.stdout.close()
    assert batch.returncode == -signal.SIGKILL
    half = _report(database_url)
    assert 5 <= half["nudges"] < 2 * PAIRS, "the kill must land mid-batch"
    assert half["emails"] == half["nudges"]
    assert half["emails_without_nudge"] == 0

    rerun = _run(env, "manage.py", "send_nudges")
    assert f"sent {2 * PAIRS - half['nudges']}, already sent {half['nudges']}," in rerun
    final = _report(database_url)
    assert final == {
        "nudges": 2 * PAIRS,
        "distinct_nudges": 2 * PAIRS,
        "emails": 2 * PAIRS,
        "emails_without_nudge": 0,
        "doubled_emails": 0,
    }


def test_two_batches_at_once_send_each_nudge_once(database_url):
    """Cron and the worker overlapping: the later one finds keys the first just recorded and
    falls back to one by one, skipping them."""
    env = _env(database_url)
    _run(env, "-m", "tests.integration.feedback.nudge_scenario", str(PAIRS))
    slow = _env(database_url, NUDGE_SEND_INTERVAL="0.02", NUDGE_BATCH_SIZE="7")
    batches = [
        subprocess.Popen(
            [sys.executable, "manage.py", "send_nudges"],
            cwd=ROOT,
            env=slow,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [batch.communicate(timeout=300) for batch in batches]
    assert [batch.returncode for batch in batches] == [0, 0], [err[-2000:] for _, err in outputs]
    assert _report(database_url) == {
        "nudges": 2 * PAIRS,
        "distinct_nudges": 2 * PAIRS,
        "emails": 2 * PAIRS,
        "emails_without_nudge": 0,
        "doubled_emails": 0,
    }
