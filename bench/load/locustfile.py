"""Locust users for the load benchmark (`python -m bench.load.run` starts everything).

Signed-in sessions are prepared by the runner (`LOAD_SESSIONS` names a JSON file): logging in 50
users at once would measure the sign-in rate limit, not the pages. HR managers walk the pages of
the 10k-person programme; participants look at their programmes and matches.
"""

from __future__ import annotations

import json
import os
import random
from pathlib import Path
from typing import Any

from locust import HttpUser, between, task

SETUP: dict[str, Any] = json.loads(Path(os.environ["LOAD_SESSIONS"]).read_text())
COOKIE = SETUP["cookie"]


class _Signed(HttpUser):
    abstract = True
    wait_time = between(0.5, 1.5)
    pool = "hr"

    def on_start(self) -> None:
        self.client.cookies.set(COOKIE, random.choice(SETUP["sessions"][self.pool]))

    def page(self, path: str, name: str) -> None:
        with self.client.get(path, name=name, allow_redirects=False, catch_response=True) as response:
            if response.status_code == 0:  # no answer: say why (refused, reset, timed out)
                response.failure(f"{name}: no answer ({type(response.error).__name__}: {response.error})")
            elif response.status_code != 200:
                response.failure(f"{name} answered {response.status_code}")


class HRManager(_Signed):
    weight = 1
    pool = "hr"

    @task(3)
    def proposals(self) -> None:
        self.page(f"/programmes/{SETUP['programme']}/proposals/", "HR proposals")

    @task(2)
    def programme(self) -> None:
        self.page(f"/programmes/{SETUP['programme']}/", "HR programme")

    @task(1)
    def dashboard(self) -> None:
        self.page("/dashboard/", "HR dashboard")

    @task(1)
    def runs(self) -> None:
        self.page(f"/programmes/{SETUP['programme']}/runs/", "HR run history")

    @task(1)
    def match_run(self) -> None:
        self.page(f"/programmes/{SETUP['programme']}/runs/{SETUP['run']}/", "HR run")


class Participant(_Signed):
    weight = 3
    pool = "participants"

    @task(2)
    def my_programmes(self) -> None:
        self.page("/my/programmes/", "Participant my programmes")

    @task(2)
    def my_programme(self) -> None:
        self.page(f"/my/programmes/{SETUP['programme']}/", "Participant programme")

    @task(2)
    def my_matches(self) -> None:
        self.page("/my/matches/", "Participant my matches")
