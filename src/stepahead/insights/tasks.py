"""Background tasks (Django's tasks framework; run by `manage.py db_worker`)."""

from django.tasks import task

from .services import compute_figures


@task()
def compute_insights(snapshot_id: int) -> str:
    """Compute one insights page's figures into its snapshot; returns the snapshot's state."""
    return compute_figures(snapshot_id=snapshot_id)
