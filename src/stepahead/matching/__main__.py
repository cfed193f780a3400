"""`python -m stepahead.matching`: compile the engine's numba kernels into their on-disk cache.

Set-up runs it once per install, so no one's first match pays the compilation (~30 s)."""

from __future__ import annotations

from .mentoring import circulate, scan
from .peer import solve

# A package's __main__ runs only as `python -m` (nothing imports it), so it needs no
# `if __name__ == "__main__"` fence (the Python docs' idiom for __main__.py).
solve.compile_kernels()
scan.compile_kernels()
circulate.compile_kernels()
