"""When to try a failed delivery again: exponential backoff, then give up.

Pure: the caller passes how many attempts were made; no clock here.
"""

from __future__ import annotations

from datetime import timedelta

# After the 1st, 2nd, 3rd and 4th failed attempt; the 5th failure is final.
RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1


def retry_delay(attempts_made: int) -> timedelta | None:
    """How long to wait before the next attempt, or None when no attempt is left."""
    if attempts_made < 1:
        raise ValueError("retry_delay is asked after at least one attempt")
    if attempts_made >= MAX_ATTEMPTS:
        return None
    return RETRY_DELAYS[attempts_made - 1]
