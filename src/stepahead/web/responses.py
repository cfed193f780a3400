"""Turning refusals into pages: domain errors become 400/409 with the service's own message."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def error_response(
    request: HttpRequest,
    message: str,
    *,
    status: int = 400,
    back_url: str | None = None,
    title: str | None = None,
) -> HttpResponse:
    """A clear message with the right status; htmx requests get just the inline fragment."""
    context = {"message": message, "status": status, "back_url": back_url, "title": title}
    if getattr(request, "htmx", False):
        return render(request, "web/partials/error.html", context, status=status)
    return render(request, "web/error.html", context, status=status)
