from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from stepahead.core.lease import BEATS_PER_LEASE, heartbeat_interval, lease_expired, worker_lost_reason

NOW = datetime(2026, 12, 2, 14, 0, tzinfo=UTC)
LEASE = timedelta(minutes=2)


def test_a_lease_expires_only_after_its_length():
    assert not lease_expired(last_renewed=NOW - LEASE, now=NOW, lease=LEASE)
    assert lease_expired(last_renewed=NOW - LEASE - timedelta(seconds=1), now=NOW, lease=LEASE)
    assert lease_expired(last_renewed=None, now=NOW, lease=LEASE)


@given(st.floats(min_value=0.1, max_value=86_400))
def test_several_beats_fit_in_every_lease(seconds):
    lease = timedelta(seconds=seconds)
    assert heartbeat_interval(lease) * (BEATS_PER_LEASE - 1) < lease.total_seconds()


def test_the_reason_is_plain_and_says_what_to_do():
    reason = worker_lost_reason(NOW)
    assert "stopped responding (last heard from at 14:00:00)" in reason
    assert "start the run again" in reason
    assert "last heard" not in worker_lost_reason(None)
