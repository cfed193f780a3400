"""`python -m stepahead.matching`: compile the engine's numba kernels into their on-disk cache.

Set-up runs it once per install, so no one's first match pays the compilation (~25 s)."""

from __future__ import annotations

from ._peer import compile_kernels

if __name__ == "__main__":
    compile_kernels()
