from datetime import timedelta

import pytest

from stepahead.core.retry import MAX_ATTEMPTS, retry_delay


def test_backoff_grows_then_gives_up():
    delays = [retry_delay(n) for n in range(1, MAX_ATTEMPTS)]
    assert delays == sorted(delays)
    assert delays[0] == timedelta(minutes=1)
    assert delays[-1] == timedelta(hours=2)
    assert retry_delay(MAX_ATTEMPTS) is None


def test_asking_before_any_attempt_is_a_bug():
    with pytest.raises(ValueError, match="at least one attempt"):
        retry_delay(0)
