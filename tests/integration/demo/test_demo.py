"""The demo organisation: loaded through the services, once; and `stepahead demo` end to end."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.contrib.auth import get_user_model
from django.utils import timezone

from stepahead.core.feedback import ANONYMITY_THRESHOLD
from stepahead.core.insights import level_changes
from stepahead.core.partnering import HrStatus
from stepahead.demo import DEMO_SLUG, HR_EMAIL, PARTICIPANT_EMAIL, load_demo
from stepahead.insights.engagement import level_pairs
from stepahead.insights.selectors import Filters, Scope
from stepahead.lifecycle.models import Closure, Goal, Session
from stepahead.lifecycle.oversight import status_counts
from stepahead.lifecycle.selectors import session_invite
from stepahead.mail.models import EmailStatus, OutboundEmail
from stepahead.matchruns.models import MatchRun, RunStatus
from stepahead.organisations.models import Membership, Organisation, Role
from stepahead.partnerships.models import Partnership, PartnershipStatus
from stepahead.partnerships.selectors import partnerships_for_person
from stepahead.people.models import Person
from stepahead.programmes.models import Invitation, Programme, Status


def test_loader_builds_the_demo_once(db):
    first = load_demo(headcount=120)
    counts = first.counts
    assert first.created
    assert counts["people"] == 120
    assert counts["aliases"] >= 2
    assert counts["programmes"] == 5  # three in the tour's states, two winter cohorts (lifecycle)
    assert counts["runs"] == 2
    assert counts["partnerships_accepted"] > 5
    assert counts["partnerships_proposed"] > 5
    # The demo's invitations and approvals were "sent" nowhere while loading: nothing is left
    # for the worker to print to the demo's console later.
    assert OutboundEmail.objects.exists()
    assert not OutboundEmail.objects.exclude(status=EmailStatus.SENT).exists()

    functions = set(Person.objects.values_list("function", flat=True))
    assert {"Engineering", "Sales"} <= functions  # spelled as the imported file writes them
    assert all(f[0].isupper() for f in functions)

    second = load_demo(headcount=120)
    assert not second.created
    assert second.counts == counts
    assert Organisation.objects.filter(slug=DEMO_SLUG).count() == 1
    assert Person.objects.count() == 120
    assert get_user_model().objects.filter(email=HR_EMAIL).count() == 1


def test_demo_programmes_are_in_the_states_the_tour_needs(db):
    organisation = load_demo(headcount=120).organisation
    modes = {
        p.mode: p
        for p in Programme.objects.filter(organisation=organisation).exclude(name__contains="winter")
    }
    assert {mode: p.status for mode, p in modes.items()} == {
        "peer": Status.RUNNING,
        "traditional": Status.MATCHING,
        "circles": Status.ENROLLING,
    }
    runs = MatchRun.objects.filter(organisation=organisation)
    assert {r.status for r in runs} == {RunStatus.DONE}
    roles = dict(Membership.objects.filter(organisation=organisation).values_list("user__email", "role"))
    assert roles[HR_EMAIL] == Role.PROGRAMME_MANAGER
    assert roles[PARTICIPANT_EMAIL] == Role.PARTICIPANT
    # The participant's spring pair waits for their answer; their winter pair is active, with
    # an upcoming session.
    you = Person.objects.get(organisation=organisation, user__email=PARTICIPANT_EMAIL)
    running, waiting = sorted(partnerships_for_person(person=you), key=lambda p: p.status)
    assert waiting.status == PartnershipStatus.APPROVED
    assert waiting.reasons
    assert running.status == PartnershipStatus.ACTIVE
    assert running.sessions.filter(status="scheduled", starts_at__gt=timezone.now()).exists()
    assert running.sessions.filter(status="held").exists()
    assert Invitation.objects.filter(person=you, programme=modes["circles"], status="pending").exists()
    _winter_cohorts_show_every_state(organisation)


def _winter_cohorts_show_every_state(organisation):
    now = timezone.now()
    for mode in ("peer", "circles"):
        programme = Programme.objects.get(organisation=organisation, name__contains="winter", mode=mode)
        assert programme.status == Status.RUNNING
        counts = status_counts(programme=programme, now=now)
        expected = set(HrStatus) - (
            {HrStatus.AWAITING_ANSWERS, HrStatus.AT_RISK} if mode == "circles" else set()
        )
        assert {s for s, n in counts.items() if n} == expected, mode
    ended = Partnership.objects.filter(organisation=organisation, programme__name__contains="winter")
    assert {p.status for p in ended} >= {
        "completed",
        "ended_early",
        "declined",
        "active",
        "accepted",
        "approved",
    }
    assert Goal.objects.filter(partnership__organisation=organisation, progress__gt=0).exists()
    assert Goal.objects.filter(partnership__organisation=organisation, outcome="achieved").exists()
    assert Closure.objects.filter(partnership__organisation=organisation, kind="early").exists()
    session = Session.objects.filter(partnership__organisation=organisation).first()
    assert "BEGIN:VEVENT" in session_invite(session)


def test_demo_closers_level_changes_clear_the_anonymity_threshold(db):
    organisation = load_demo(headcount=120).organisation
    pairs = Programme.objects.get(organisation=organisation, name="Peer pairs: winter cohort")
    for scope in (Scope(organisation, pairs), Scope(organisation)):
        changes = level_changes(level_pairs(scope, Filters()), ANONYMITY_THRESHOLD)
        assert len(changes) >= 3, scope.key()
        assert all(c.people >= ANONYMITY_THRESHOLD for c in changes)
        # Most rose a step; some stayed level (never every rating in every skill).
        assert all(c.change > 0 for c in changes)
        assert any(c.rose < 1 for c in changes)


# --- the command, as a user runs it --------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _stepahead() -> list[str]:
    script = Path(sys.executable).with_name("stepahead")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "import sys; from stepahead.cli import main; sys.exit(main())"]


def _status(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def test_stepahead_demo_serves_the_login_page_and_stops_on_ctrl_c(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "STEPAHEAD_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "stepahead.config.settings",
    }
    prepared = subprocess.run(
        [*_stepahead(), "demo", "--no-serve"], env=env, capture_output=True, text=True, timeout=300
    )
    assert prepared.returncode == 0, prepared.stderr
    assert "Demo organisation loaded" in prepared.stdout

    port = _free_port()
    server = subprocess.Popen(
        [*_stepahead(), "demo", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    # Read the output as it comes: the banner is printed once the server accepts connections, so
    # waiting for it (not just for a 200) means Ctrl-C cannot arrive before it is printed.
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(server.stdout), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and server.poll() is None:
            if any(PARTICIPANT_EMAIL in line for line in lines):
                break
            time.sleep(0.2)
        assert _status(f"http://127.0.0.1:{port}/accounts/login/") == 200, "".join(lines)
        # Issue 10 fault 2: a killed worker is started again; the web server stays up.
        first = _worker_pids(lines)[0]
        os.kill(first, signal.SIGKILL)
        restarted_by = time.monotonic() + 60
        while time.monotonic() < restarted_by and len(_worker_pids(lines)) < 2:
            time.sleep(0.2)
        assert _worker_pids(lines)[1] != first, "".join(lines)
        assert _status(f"http://127.0.0.1:{port}/accounts/login/") == 200, "".join(lines)
        server.send_signal(signal.SIGINT)
        server.wait(timeout=60)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    reader.join(timeout=10)
    server.stdout.close()
    output = "".join(lines)
    assert server.returncode == 0, output
    assert "already loaded" in output  # the second start found the demo and loaded nothing
    assert HR_EMAIL in output
    assert PARTICIPANT_EMAIL in output
    assert "Stopped the web server and the task worker." in output
    assert "the task worker stopped (exit status -9); restarting it" in output
    assert _status(f"http://127.0.0.1:{port}/accounts/login/") is None


def _worker_pids(lines: list[str]) -> list[int]:
    """The task workers the demo started, in order ("Started the task worker (pid N).")."""
    found = (re.search(r"Started the task worker \(pid (\d+)\)", line) for line in list(lines))
    return [int(match.group(1)) for match in found if match]
