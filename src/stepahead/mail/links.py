"""Absolute links for emails: every link in a message starts with settings.SITE_URL."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse


def absolute_url(path_or_url_name: str, *args: object) -> str:
    """`absolute_url("/invitations/abc/")` or `absolute_url("web:run", 3)` → SITE_URL + path."""
    if path_or_url_name.startswith(("http://", "https://")):
        return path_or_url_name
    path = path_or_url_name if path_or_url_name.startswith("/") else reverse(path_or_url_name, args=args)
    return f"{settings.SITE_URL.rstrip('/')}{path}"
