"""Peer pairs: the spec's lexicographic optimum over every eligible pair, and its proof.

Internal to `stepahead.matching`: the public API is the parent package's `__all__`."""
