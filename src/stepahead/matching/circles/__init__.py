"""Peer circles: construction, local search and their checks.

Internal to `stepahead.matching`: the public API is the parent package's `__all__`."""
