"""The engine's optimality report in a programme manager's words (no solver jargon)."""

from __future__ import annotations

from collections.abc import Mapping


def optimality_words(optimality: Mapping[str, object] | None) -> str:
    """ "Best possible result, proven", "Within 0.2 % of the best possible", or a plain fallback."""
    if not optimality:
        return "Not checked"
    if optimality.get("proven"):
        return "Best possible result, proven"
    gap = optimality.get("gap")
    if isinstance(gap, int | float):
        percent = max(gap, 0.0) * 100
        shown = f"{percent:.1f}" if percent >= 0.1 else "0.1"
        prefix = "Within" if percent >= 0.1 else "Within less than"
        return f"{prefix} {shown} % of the best possible"
    return "A good result; the best possible could not be confirmed"
