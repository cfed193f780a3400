"""`stepahead demo`: the platform with a demo organisation, on http://127.0.0.1:8000.

    stepahead demo [--port N] [--host 127.0.0.1] [--reset]

Migrates the database (a SQLite file, var/demo.sqlite3, unless DATABASE_URL is set), loads the
demo organisation once (`stepahead.demo`; a second start finds it and loads nothing), then runs
the web server and the background task worker (`db_worker`, which executes match runs and sends
mail) as child processes until Ctrl-C, which is passed on to both. A worker that dies is started
again (the web server stays up). `--reset` starts from an empty database.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType

from ._command import Subcommand, UserError

SETTINGS_MODULE = "stepahead.config.settings"
READY_TIMEOUT = 60.0  # seconds for the server to accept connections
STOP_TIMEOUT = 10.0  # seconds each child gets to exit after Ctrl-C before it is killed


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to serve on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port to serve on (default: 8000)")
    parser.add_argument(
        "--reset", action="store_true", help="delete the demo database first and load the demo afresh"
    )
    parser.add_argument(
        "--no-serve", action="store_true", help="prepare the database and the demo data, then exit"
    )


def run(args: argparse.Namespace) -> int:
    if not 0 < args.port < 65536:
        raise UserError(f"--port must be between 1 and 65535, not {args.port}")
    if not args.no_serve:
        _check_port_free(args.host, args.port)
    environment = _environment(args.host, args.port)
    os.environ.update(environment)
    if args.reset:
        _reset(environment["DATABASE_URL"])
    _prepare()
    if args.no_serve:
        return 0
    return _serve(args.host, args.port, environment)


def demo_database_url() -> str:
    """DATABASE_URL if set, else the SQLite file var/demo.sqlite3 (STEPAHEAD_VAR_DIR moves var/)."""
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    repository = Path(__file__).resolve().parents[3]  # src/stepahead/cli/demo.py → the repository
    var = Path(os.environ.get("STEPAHEAD_VAR_DIR", repository / "var"))
    var.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{var / 'demo.sqlite3'}"


def _environment(host: str, port: int) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE),
        "DATABASE_URL": demo_database_url(),
        "PYTHONUNBUFFERED": "1",  # the children's logs appear as they happen
        # A demo shows the product's own error pages, never Django's debug page (issue 11 bug 11);
        # DEBUG off needs a key, and a fresh one per start is fine for a local demo.
        "DEBUG": os.environ.get("DEBUG", "0"),
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "SITE_URL": os.environ.get("SITE_URL") or _url(host, port).rstrip("/"),  # links in emails
    }


def _check_port_free(host: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            raise UserError(f"cannot serve on {host}:{port} ({error.strerror}); try --port N") from error


def _reset(url: str) -> None:
    """Start from an empty database: delete the SQLite file, or flush any other database."""
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        if str(path) not in ("", ":memory:"):
            for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
                stale.unlink(missing_ok=True)
        print(f"Reset: removed {path}")
        return
    import django
    from django.core.management import call_command

    django.setup()
    call_command("flush", interactive=False, verbosity=0)
    print("Reset: emptied the database")


def _prepare() -> None:
    import django
    from django.core.management import call_command
    from django.db import connection

    django.setup()
    from stepahead.demo import load_demo

    where = connection.settings_dict["NAME"]
    print(f"Database: {where} ({connection.vendor})")
    call_command("migrate", interactive=False, verbosity=0)
    started = time.monotonic()
    outcome = load_demo()
    counts = outcome.counts
    summary = (
        f"{counts['people']} people, {counts['skills']} skills, {counts['programmes']} programmes, "
        f"{counts['enrolments']} enrolments, {counts['runs']} match runs"
    )
    if outcome.created:
        print(f"Demo organisation loaded in {time.monotonic() - started:.1f} s: {summary}")
    else:
        print(f"Demo organisation already loaded ({summary}); use --reset to start again")
    connection.close()  # the children open their own connections; SQLite must not be held open


WEB, WORKER = "web server", "task worker"
RESTART_PAUSES = (1.0, 2.0, 5.0, 15.0, 30.0)  # seconds before restarting a worker that keeps dying
STABLE_AFTER = 60.0  # a worker up this long has recovered: the next crash waits the first pause


def _serve(host: str, port: int, environment: dict[str, str]) -> int:
    env = {**os.environ, **environment}
    address = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    python = [sys.executable, "-m", "django"]
    commands = {
        WEB: [*python, "runserver", "--noreload", address],
        WORKER: [*python, "db_worker", "--no-reload", "--no-startup-delay"],
    }
    children: dict[str, subprocess.Popen[bytes]] = {}
    stop = _StopFlag()
    previous = {sig: signal.signal(sig, stop.set) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        for name, command in commands.items():
            children[name] = _start(name, command, env)
        if _wait_until_listening(host, port, children, stop):
            _banner(host, port)
        _supervise(children, commands[WORKER], env, stop)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        died = [name for name, child in children.items() if child.poll() is not None]
        _stop(children)
    if stop.signal is None:
        print(f"stepahead demo: the {' and the '.join(died)} stopped unexpectedly", file=sys.stderr)
        return 1
    print("Stopped the web server and the task worker.")
    return 0


def _start(name: str, command: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    # Own session: a Ctrl-C in the terminal reaches only this process, which passes it on once
    # to each child, so neither is interrupted twice or killed mid-task.
    child = subprocess.Popen(command, env=env, start_new_session=True)
    print(f"Started the {name} (pid {child.pid}).", flush=True)
    return child


def _supervise(
    children: dict[str, subprocess.Popen[bytes]], worker: list[str], env: dict[str, str], stop: _StopFlag
) -> None:
    """Until Ctrl-C or the web server exits: a worker that dies (a crash, a kill, the machine out
    of memory) is started again, after a pause that grows while it keeps dying; the web server
    stays up meanwhile, and queued work waits for the new worker."""
    crashes, started = 0, time.monotonic()
    while not stop.signal and children[WEB].poll() is None:
        code = children[WORKER].poll()
        if code is None:
            time.sleep(0.2)
            continue
        crashes = 0 if time.monotonic() - started > STABLE_AFTER else crashes
        pause = RESTART_PAUSES[min(crashes, len(RESTART_PAUSES) - 1)]
        print(
            f"stepahead demo: the task worker stopped (exit status {code}); restarting it in {pause:.0f} s",
            file=sys.stderr,
            flush=True,
        )
        if _pause(pause, stop):
            children[WORKER], crashes, started = _start(WORKER, worker, env), crashes + 1, time.monotonic()


def _pause(seconds: float, stop: _StopFlag) -> bool:
    """Sleep unless Ctrl-C comes first; True when the whole pause passed."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if stop.signal:
            return False
        time.sleep(0.1)
    return True


class _StopFlag:
    def __init__(self) -> None:
        self.signal: int | None = None

    def set(self, signum: int, frame: FrameType | None) -> None:
        self.signal = signum


def _wait_until_listening(
    host: str, port: int, children: dict[str, subprocess.Popen[bytes]], stop: _StopFlag
) -> bool:
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline and not stop.signal:
        if any(child.poll() is not None for child in children.values()):
            return False
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.2)
    return False


def _url(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    return f"http://[{shown}]:{port}/" if ":" in shown else f"http://{shown}:{port}/"


def _banner(host: str, port: int) -> None:
    from stepahead.demo import DEMO_PASSWORD, HR_EMAIL, PARTICIPANT_EMAIL

    url = _url(host, port)
    print(
        "\n"
        f"  StepAhead demo: {url}\n"
        f"    HR programme manager: {HR_EMAIL} / {DEMO_PASSWORD}\n"
        f"    participant:          {PARTICIPANT_EMAIL} / {DEMO_PASSWORD}\n"
        "  The task worker runs match runs in the background. Stop both with Ctrl-C.\n",
        flush=True,
    )


def _stop(children: dict[str, subprocess.Popen[bytes]]) -> None:
    """Ctrl-C to each running child, then wait; kill whatever has not exited in time."""
    for child in children.values():
        if child.poll() is None:
            child.send_signal(signal.SIGINT)
    deadline = time.monotonic() + STOP_TIMEOUT
    for child in children.values():
        try:
            child.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


SUBCOMMAND = Subcommand(
    name="demo",
    help="serve the platform with a demo organisation (web server + task worker)",
    description=__doc__.split("\n\n")[0] if __doc__ else "",
    configure=configure,
    run=run,
)
