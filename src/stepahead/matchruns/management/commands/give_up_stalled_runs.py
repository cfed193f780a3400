"""`manage.py give_up_stalled_runs`: fail running match runs whose worker stopped (run it from
cron every few minutes; starting a run and opening its page do the same for one programme)."""

from typing import Any

from django.core.management.base import BaseCommand

from stepahead.matchruns.services import give_up_stalled_runs


class Command(BaseCommand):
    help = "Mark failed the running match runs whose worker stopped renewing their lease."

    def handle(self, *args: Any, **options: Any) -> None:
        given_up = give_up_stalled_runs()
        for run in given_up:
            self.stdout.write(f"run #{run.pk} of {run.programme}: worker stopped; marked failed")
        self.stdout.write(f"{len(given_up)} stalled run(s) given up")
