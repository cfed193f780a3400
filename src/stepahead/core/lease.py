"""Leases for background work: a worker holding a job renews its lease; a lease not renewed in
time means the worker is gone (killed, crashed, machine lost) and the job can be given up.

Pure: callers pass the clock reading (`now`) and the lease length.
"""

from __future__ import annotations

from datetime import datetime, timedelta

BEATS_PER_LEASE = 6  # a worker renews six times per lease, so one slow beat never expires it


def heartbeat_interval(lease: timedelta) -> float:
    """Seconds between renewals for a lease of this length."""
    return max(lease.total_seconds() / BEATS_PER_LEASE, 0.01)


def lease_expired(*, last_renewed: datetime | None, now: datetime, lease: timedelta) -> bool:
    """True when the holder has not renewed for longer than the lease (never renewed: expired)."""
    return last_renewed is None or now - last_renewed > lease


def worker_lost_reason(last_renewed: datetime | None) -> str:
    """What a programme manager reads on a run whose worker stopped."""
    when = f" (last heard from at {last_renewed:%H:%M:%S})" if last_renewed else ""
    return (
        f"The worker running this match stopped responding{when}, so the run was stopped. "
        "No proposals were changed; start the run again."
    )
