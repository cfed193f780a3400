"""The delivery task (run by `manage.py db_worker`)."""

from django.tasks import task

from .services import deliver


@task()
def deliver_email(email_id: int) -> str:
    """Send one queued message; a failure is recorded and retried later, never raised."""
    return deliver(email_id=email_id)
