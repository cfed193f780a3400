"""The site's URLs plus two views under a programme that fail (a bug, a refused request), for the
error page tests (`pytest.mark.urls`); the error handlers are the site's own."""

from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.urls import path

from stepahead.config.urls import handler400, handler403, handler404, handler500  # noqa: F401
from stepahead.config.urls import urlpatterns as site


def crashes(request: HttpRequest, pk: int) -> HttpResponse:
    raise RuntimeError("a bug")


def refused(request: HttpRequest, pk: int) -> HttpResponse:
    raise SuspiciousOperation("a tampered request")


urlpatterns = [
    path("programmes/<int:pk>/crashes/", crashes),
    path("programmes/<int:pk>/refused/", refused),
    *site,
]
