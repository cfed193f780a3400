"""The engine's numba kernels in tests: `make test` also runs the kernel tests with
NUMBA_DISABLE_JIT=1, as plain Python, so that coverage sees inside them."""

from __future__ import annotations

import numba
import pytest

compiled_only = pytest.mark.skipif(
    bool(numba.config.DISABLE_JIT), reason="checks numba's compiled signatures; the kernels run as Python"
)

# Cases that take minutes as plain Python: under NUMBA_DISABLE_JIT the other cases of their test
# module cover the same kernel code, so only the compiled run keeps these.
slow_as_python = pytest.mark.skipif(
    bool(numba.config.DISABLE_JIT), reason="minutes as plain Python; the module's other cases cover the code"
)
