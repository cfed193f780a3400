"""The JSON API (django-ninja). Only the health check lives here for now."""

from django.db import connection
from django.http import HttpRequest
from ninja import NinjaAPI, Schema, Status

api = NinjaAPI(title="StepAhead API", version="1", urls_namespace="api")


class HealthOut(Schema):
    status: str
    database: str


@api.get("/health", response={200: HealthOut, 503: HealthOut}, auth=None)
def health(request: HttpRequest) -> Status[dict[str, str]]:
    """Liveness plus a database round trip, for load balancers and uptime checks."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # any database failure means "not healthy"; the detail goes to logs
        return Status(503, {"status": "unavailable", "database": "error"})
    return Status(200, {"status": "ok", "database": "ok"})
