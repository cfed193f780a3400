"""`manage.py deliver_mail`: send every message that is due now, once (cron, tests, recovery)."""

from typing import Any

from django.core.management.base import BaseCommand

from stepahead.mail.services import deliver_due


class Command(BaseCommand):
    help = "Deliver queued and due-for-retry emails from the outbox, once."

    def handle(self, *args: Any, **options: Any) -> None:
        outcome = deliver_due()
        summary = ", ".join(f"{count} {status}" for status, count in sorted(outcome.items()))
        self.stdout.write(summary or "nothing due")
