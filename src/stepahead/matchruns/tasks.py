"""Background tasks (Django's tasks framework; run by `manage.py db_worker`)."""

from django.tasks import task

from .services import execute_match_run


@task()
def run_match(run_id: int) -> str:
    """Run one queued MatchRun; returns its final status."""
    return execute_match_run(run_id=run_id)
