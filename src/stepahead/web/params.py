"""Reading ids from a request: a database row id is a positive 64-bit integer, and anything else
is the client's mistake (400), not a database overflow (500)."""

from __future__ import annotations

from collections.abc import Iterable

MAX_ROW_ID = 2**63 - 1  # the largest BigAutoField value on PostgreSQL and SQLite alike


def row_id(text: str) -> int:
    """The id written in `text`; `ValueError` unless it is a whole number 1 to `MAX_ROW_ID`."""
    text = text.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_ROW_ID)):
        raise ValueError(f"not a row id: {text[:20]!r}")
    value = int(text)
    if not 1 <= value <= MAX_ROW_ID:
        raise ValueError(f"not a row id: {value}")
    return value


def row_ids(texts: Iterable[str]) -> set[int]:
    """Every id in `texts` (e.g. `request.POST.getlist(...)`); `ValueError` if any is not one."""
    return {row_id(text) for text in texts}
