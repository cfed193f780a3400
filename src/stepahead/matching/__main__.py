"""`python -m stepahead.matching`: compile the engine's numba kernels into their on-disk cache.

Set-up runs it once per install, so no one's first match pays the compilation (~30 s)."""

from __future__ import annotations

from . import _mentoring_scan, _peer

if __name__ == "__main__":
    _peer.compile_kernels()
    _mentoring_scan.compile_kernels()
