"""Benchmarks for the matching engine: scripts, not tests (see bench/README.md)."""
