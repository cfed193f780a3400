"""The delivery task (run by `manage.py db_worker`)."""

from django.tasks import task

from .services import deliver


@task()
def deliver_email(email_id: int) -> str:
    """Send one queued message; a failure is recorded and retried later, never raised."""
    return deliver(email_id=email_id)


@task()
def deliver_emails(email_ids: list[int]) -> dict[str, int]:
    """Send several queued messages (a nudge batch's group), each as `deliver_email` would."""
    outcome: dict[str, int] = {}
    for email_id in email_ids:
        status = deliver(email_id=email_id)
        outcome[status] = outcome.get(status, 0) + 1
    return outcome
