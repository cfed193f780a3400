"""Issue 10 fault 1: a run whose worker dies is given up, and managers can cancel a run.

The first test kills a real `manage.py db_worker` process with SIGKILL mid-run."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from stepahead.errors import DomainError, PermissionDenied
from stepahead.matchruns.lease import RunLease
from stepahead.matchruns.models import MatchRun, RunStatus
from stepahead.matchruns.services import (
    cancel_match_run,
    execute_match_run,
    give_up_stalled_runs,
    start_match_run,
)
from stepahead.partnerships.models import Partnership
from tests.integration.factories import enrol_peers, make_programme
from tests.integration.web.conftest import Browser

ROOT = Path(django_settings.BASE_DIR)
LEASE = 8  # seconds: longer than a child process takes to start, so "still running" is seen


def _child_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        STEPAHEAD_VAR_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="stepahead.config.settings",
        MATCH_RUN_LEASE_SECONDS=str(LEASE),
        LOG_LEVEL="WARNING",
    )
    return env


def _helper(env: dict[str, str], *args: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-m", "tests.support.stalled_run", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _row(db: Path, sql: str, *params: object) -> tuple[object, ...]:
    with sqlite3.connect(db, timeout=10) as connection:
        return connection.execute(sql, params).fetchone()


def _wait_for(check, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


@pytest.mark.slow
@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="uses a SQLite file of its own; the SQLite run covers it",
)
def test_a_killed_worker_s_run_is_given_up_and_the_programme_runs_again(tmp_path):
    env = _child_env(tmp_path)
    db = tmp_path / "db.sqlite3"
    run_id = _helper(env, "setup", "2000")["run"]
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        status = "SELECT status, started_at, heartbeat_at FROM matchruns_matchrun WHERE id = ?"
        # Running, and its worker has renewed the lease at least once: the heartbeat works.
        _wait_for(lambda: (row := _row(db, status, run_id))[0] == "running" and row[2] > row[1])
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
        killed_at = time.monotonic()
    finally:
        if worker.poll() is None:
            worker.kill()
    assert _row(db, status, run_id)[0] == "running"  # nobody is left to finish it
    assert _helper(env, "restart") == {"refused": "A match run for this programme is already in progress."}
    time.sleep(max(0.0, LEASE + 0.5 - (time.monotonic() - killed_at)))  # the lease runs out
    restarted = _helper(env, "restart")
    assert "run" in restarted, restarted
    failed, error = _row(db, "SELECT status, error FROM matchruns_matchrun WHERE id = ?", run_id)
    assert failed == "failed"
    assert "worker running this match stopped responding" in error
    task = _row(
        db,
        "SELECT status FROM django_tasks_database_dbtaskresult WHERE args_kwargs LIKE ?",
        f'%"run_id": {run_id}}}%',
    )
    assert task == ("FAILED",)
    # A fresh worker completes the new run.
    subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=300,
        check=True,
    )
    assert _row(db, "SELECT status FROM matchruns_matchrun WHERE id = ?", restarted["run"]) == ("done",)


def _running(world, *, heartbeat_age: timedelta) -> MatchRun:
    programme = make_programme(world)
    enrol_peers(world, programme)
    run = start_match_run(actor=world.manager, programme=programme)
    then = timezone.now() - heartbeat_age
    MatchRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, started_at=then, heartbeat_at=then)
    return run


def test_a_stalled_run_is_given_up_by_the_periodic_command(world, capsys, settings):
    settings.MATCH_RUN_LEASE_SECONDS = 60
    stalled = _running(world, heartbeat_age=timedelta(minutes=5))
    call_command("give_up_stalled_runs")
    assert "1 stalled run(s) given up" in capsys.readouterr().out
    stalled.refresh_from_db()
    assert stalled.status == RunStatus.FAILED
    assert "start the run again" in stalled.error


def test_a_live_run_is_left_alone(world, settings):
    settings.MATCH_RUN_LEASE_SECONDS = 60
    live = _running(world, heartbeat_age=timedelta(seconds=10))
    assert give_up_stalled_runs() == []
    with pytest.raises(DomainError, match="already in progress"):
        start_match_run(actor=world.manager, programme=live.programme)


def test_the_run_page_notices_a_stalled_run(world, settings):
    settings.MATCH_RUN_LEASE_SECONDS = 60
    stalled = _running(world, heartbeat_age=timedelta(minutes=5))
    page = Browser(world.manager).get(reverse("web:run_detail", args=[stalled.programme_id, stalled.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Matching failed" in text
    assert "stopped responding" in text


def test_a_manager_cancels_a_queued_run_and_can_start_again(world):
    programme = make_programme(world)
    enrol_peers(world, programme)
    run = start_match_run(actor=world.manager, programme=programme)
    with pytest.raises(PermissionDenied):
        cancel_match_run(actor=world.participant, run=run)
    cancel_match_run(actor=world.manager, run=run)
    run.refresh_from_db()
    assert (run.status, run.cancelled_by) == (RunStatus.CANCELLED, world.manager)
    assert execute_match_run(run_id=run.pk) == RunStatus.CANCELLED  # the worker leaves it alone
    with pytest.raises(DomainError, match="already cancelled"):
        cancel_match_run(actor=world.manager, run=run)
    assert start_match_run(actor=world.manager, programme=programme).status == RunStatus.QUEUED


def test_cancel_through_the_page_asks_first(world):
    programme = make_programme(world)
    enrol_peers(world, programme)
    run = start_match_run(actor=world.manager, programme=programme)
    hr = Browser(world.manager)
    detail = hr.get(reverse("web:run_detail", args=[programme.pk, run.pk])).content.decode()
    url = reverse("web:run_cancel", args=[programme.pk, run.pk])
    assert url in detail
    confirm = hr.get(url).content.decode()
    assert "Yes, cancel the run" in confirm
    assert MatchRun.objects.get(pk=run.pk).status == RunStatus.QUEUED  # asking changes nothing
    assert Browser(world.other_admin).post(url).status_code == 404
    assert hr.post(url).status_code == 302
    assert MatchRun.objects.get(pk=run.pk).status == RunStatus.CANCELLED
    assert (
        "Matching cancelled"
        in hr.get(reverse("web:run_detail", args=[programme.pk, run.pk])).content.decode()
    )
    assert hr.post(url).status_code == 409


@pytest.mark.django_db(transaction=True)
def test_cancelling_mid_run_stops_the_engine_and_keeps_no_proposals(world, monkeypatch, settings):
    """The worker sees the cancel (the engine's next progress report) and records nothing."""
    from stepahead import matching

    settings.MATCH_RUN_LEASE_SECONDS = 0.12  # the lease thread beats every 0.02 s
    programme = make_programme(world)
    enrol_peers(world, programme)
    run = start_match_run(actor=world.manager, programme=programme)
    real_match = matching.match

    def cancelled_midway(people, params, *, progress, stop):
        result = real_match(people, params, progress=progress, stop=stop)
        cancel_match_run(actor=world.manager, run=MatchRun.objects.get(pk=run.pk))
        lease_thread_sees_it = time.monotonic() + 5
        while not stop() and time.monotonic() < lease_thread_sees_it:
            time.sleep(0.01)
        assert stop()
        return result

    monkeypatch.setattr(matching, "match", cancelled_midway)
    assert execute_match_run(run_id=run.pk) == RunStatus.CANCELLED
    assert not Partnership.objects.filter(match_run=run).exists()


@pytest.mark.django_db(transaction=True)
def test_the_lease_thread_renews_the_heartbeat(world):
    run = _running(world, heartbeat_age=timedelta(minutes=1))
    before = MatchRun.objects.get(pk=run.pk).heartbeat_at
    with RunLease(run.pk, interval=0.02) as lease:
        _wait_for(lambda: MatchRun.objects.get(pk=run.pk).heartbeat_at > before, timeout=10)
        assert not lease.stop()
        MatchRun.objects.filter(pk=run.pk).update(status=RunStatus.FAILED)  # given up elsewhere
        _wait_for(lease.stop, timeout=10)


def test_a_lease_is_kept_while_its_run_is_not_yet_visible_to_the_heartbeat(world):
    """The run's own transaction has not committed (tests, or a worker inside one): the
    heartbeat thread cannot see it, which must not read as "cancelled"."""
    run = _running(world, heartbeat_age=timedelta(0))
    with RunLease(run.pk, interval=0.01) as lease:
        time.sleep(0.2)
        assert not lease.stop()
