"""The nudge batch as a background task, for deployments that schedule through the worker."""

from __future__ import annotations

from django.tasks import task

from .batch import run_nudge_batch


@task()
def send_nudges() -> dict[str, int]:
    report = run_nudge_batch()
    return {"sent": report.sent, "already_sent": report.already_sent, "at_risk": report.at_risk}
