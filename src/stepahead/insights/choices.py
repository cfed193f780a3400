"""The insights pages' filter set as the page chose it, and the `Filters` it means at a moment.

A snapshot is keyed by the chosen values (a period's key such as "90d", not a date), so that
"the last 90 days" recomputed tomorrow is the same page with newer figures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from .selectors import Filters

# The period filter: label, days back (None = all time).
PERIODS = {"all": ("All time", None), "90d": ("Last 90 days", 90), "12m": ("Last 12 months", 365)}
FIELDS = ("period", "function", "grade", "location")


def chosen_filters(query: Mapping[str, str]) -> dict[str, str]:
    """The filters from a query string; unknown or malformed values are ignored, never a 500."""
    period = query.get("period", "all")
    grade = query.get("grade", "").strip()
    return {
        "period": period if period in PERIODS else "all",
        "function": query.get("function", "").strip()[:120],
        "grade": grade if grade.lstrip("-").isdigit() and len(grade) < 6 else "",
        "location": query.get("location", "").strip()[:120],
    }


def filters_at(chosen: Mapping[str, str], now: dt.datetime) -> Filters:
    days = PERIODS.get(chosen.get("period", "all"), PERIODS["all"])[1]
    grade = chosen.get("grade", "")
    return Filters(
        since=now - dt.timedelta(days=days) if days else None,
        function=chosen.get("function", ""),
        grade=int(grade) if grade else None,
        location=chosen.get("location", ""),
    )


def filters_key(chosen: Mapping[str, str]) -> str:
    return "|".join(chosen.get(name, "") for name in FIELDS)
