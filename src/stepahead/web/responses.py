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


def confirmed(request: HttpRequest) -> bool:
    """Whether the POST comes from a confirmation page (see `confirmation_page`)."""
    return request.POST.get("confirmed") == "yes"


def confirmation_page(
    request: HttpRequest,
    *,
    title: str,
    consequences: list[str],
    action: str,
    confirm_label: str,
    back_url: str,
    fields: dict[str, str] | None = None,
    people: list[str] | None = None,
    danger: bool = False,
) -> HttpResponse:
    """Before an irreversible step: what will happen and to whom, then confirm or go back. The
    form posts the same fields again with confirmed=yes (works without JavaScript)."""
    context = {
        "title": title,
        "consequences": consequences,
        "action": action,
        "confirm_label": confirm_label,
        "back_url": back_url,
        "fields": sorted((fields or {}).items()),
        "people": people or [],
        "danger": danger,
    }
    return render(request, "web/confirm.html", context)
