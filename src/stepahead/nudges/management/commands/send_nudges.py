"""`manage.py send_nudges`: one nudge batch, for cron (e.g. every 15 minutes)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from stepahead.nudges.batch import run_nudge_batch
from stepahead.nudges.models import Nudge


class Command(BaseCommand):
    help = "Send the reminders and nudges that are due (each at most once) and refresh at-risk reasons."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--list", action="store_true", help="Print each nudge's key as it is recorded.")

    def handle(self, *args: Any, **options: Any) -> None:
        def show(nudge: Nudge) -> None:
            self.stdout.write(f"{nudge.status} {nudge.key}")
            self.stdout.flush()

        report = run_nudge_batch(on_sent=show if options["list"] else None)
        self.stdout.write(
            f"sent {report.sent}, already sent {report.already_sent}, waiting for quiet hours to end "
            f"{report.quiet}, opted out {report.opted_out}, no email {report.no_email}; "
            f"{report.at_risk} partnership(s) at risk"
        )
