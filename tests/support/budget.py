"""A caller's budget for the engine's `stop()`, counted in questions rather than seconds, so that
a stopped run is reproducible."""

from __future__ import annotations

import itertools


class Budget:
    """Runs out at its `calls`-th question (and stays out); remembers whether it said stop."""

    def __init__(self, calls: int) -> None:
        self.asked, self.calls, self.said_stop = itertools.count(1), calls, False

    def __call__(self) -> bool:
        self.said_stop = self.said_stop or next(self.asked) > self.calls
        return self.said_stop
