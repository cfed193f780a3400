"""Compiled kernels, loaded only when a pool is worth compiling for.

Importing numba and loading the cached kernels costs more (about half a second here) than a
five-person pool takes to match as plain Python, so a tiny file through `stepahead match` would
spend most of its second waiting for a compiler it does not need. Kernel modules therefore do
`from .._kernels import numba`: until numba is needed, that name is a stand-in whose `njit`
records the function (as a `Kernel`) and whose `prange` is `range`.

- Inside `plain_kernels()`, a kernel runs as the Python it is written in. The test suite runs
  every kernel that way too (numba's JIT off), so both forms are checked to agree.
- Any other call loads numba once, compiles (or loads from the cache) each recorded function,
  and rebinds every `Kernel` and the `numba` name in the engine's modules to the real thing, so
  compiled kernels call compiled kernels and later calls pay no indirection.
"""

from __future__ import annotations

import importlib
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from types import ModuleType
from typing import Any, overload

_ENGINE = "stepahead.matching"
_plain: ContextVar[bool] = ContextVar("plain_kernels", default=False)
_lock = threading.Lock()
_recorded: list[Kernel] = []


class Kernel:
    """A function to be compiled by `numba.njit(**options)` on first compiled use."""

    def __init__(self, fn: Callable[..., Any], options: dict[str, Any]) -> None:
        self.py_func = fn
        self.options = options
        self.compiled: Any = None
        self.__name__ = fn.__name__
        self.__qualname__ = fn.__qualname__
        self.__module__ = fn.__module__
        self.__doc__ = fn.__doc__

    def __call__(self, *args: Any) -> Any:
        if _plain.get():
            return self.py_func(*args)
        return self._dispatcher()(*args)

    def __getattr__(self, name: str) -> Any:  # the dispatcher's own API (signatures, ...)
        if name.startswith("__"):  # copy and pickle probe these before __init__ has run
            raise AttributeError(name)
        return getattr(self._dispatcher(), name)

    def _dispatcher(self) -> Any:
        if self.compiled is None:
            load_numba()
        return self.compiled


class _Standin:
    """What `numba` means in a kernel module until numba is loaded."""

    prange = range

    @overload
    def njit[F: Callable[..., Any]](self, fn: F, **options: Any) -> F: ...
    @overload
    def njit[F: Callable[..., Any]](self, fn: None = None, **options: Any) -> Callable[[F], F]: ...
    def njit(self, fn: Callable[..., Any] | None = None, **options: Any) -> Any:
        # Only modules imported before the load hold the stand-in (later ones import the real
        # numba from here), and the load rebinds theirs: so numba is never loaded at this point.
        def record(f: Callable[..., Any]) -> Kernel:
            kernel = Kernel(f, options)
            _recorded.append(kernel)
            return kernel

        return record(fn) if fn is not None else record


# Typed as the stand-in: kernels keep their signatures for the type checker.
numba: _Standin = _Standin()


def _loaded() -> ModuleType | None:
    real: object = globals()["numba"]
    return real if isinstance(real, ModuleType) else None


def load_numba() -> ModuleType:
    """Import numba and make every recorded kernel a compiled one (once per process)."""
    with _lock:
        real = _loaded()
        if real is not None:
            return real
        real = importlib.import_module("numba")
        for kernel in _recorded:
            kernel.compiled = real.njit(**kernel.options)(kernel.py_func)
        for module in [m for name, m in list(sys.modules.items()) if name.startswith(_ENGINE)]:
            _rebind(module, real)
        globals()["numba"] = real
        return real


def _rebind(module: ModuleType, real: ModuleType) -> None:
    """Numba resolves a kernel's globals when it compiles it: they must be compiled kernels and
    the real numba (for `numba.prange`), not their stand-ins."""
    names = vars(module)
    for name, value in list(names.items()):
        if isinstance(value, Kernel):
            names[name] = value.compiled
        elif isinstance(value, _Standin):
            names[name] = real


@contextmanager
def plain_kernels(wanted: bool = True) -> Iterator[None]:
    """Run kernels as plain Python in this context (if `wanted` and numba is not loaded yet)."""
    token = _plain.set(wanted and _loaded() is None)
    try:
        yield
    finally:
        _plain.reset(token)
