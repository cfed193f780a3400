"""Mentoring (traditional, reverse, open): min-cost flow over scanned candidates, proven over all pairs.

Internal to `stepahead.matching`: the public API is the parent package's `__all__`."""
