"""What a solver hands back: groups of population indices, before any wording is added."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ._model import Optimality

# progress(stage, fraction): stage is a short human label, fraction in [0, 1].
Progress = Callable[[str, float], None]


# stop(): the caller's budget (a deadline, a cancelled run). The engine has no clock of its own:
# a solver asks between steps and, once told to stop, returns its best solution with its bound.
Stop = Callable[[], bool]


def silent(stage: str, fraction: float) -> None:
    """The default progress sink."""


def within(progress: Progress, start: float, end: float) -> Progress:
    """`progress` for one part of a run: its fractions 0..1 shown as start..end."""
    return lambda stage, fraction: progress(stage, start + (end - start) * fraction)


def never() -> bool:
    """The default budget: no limit."""
    return False


@dataclass(frozen=True, slots=True)
class Solution:
    """groups: peer pairs (i, j) with i < j; mentoring (mentor, mentee); circles sorted member tuples.
    scores: the spec weight (or circle score) of each group, unrounded."""

    groups: tuple[tuple[int, ...], ...]
    scores: tuple[float, ...]
    optimality: Optimality | None = None
