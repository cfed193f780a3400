"""How mentoring is shared among mentors (spec 1.1): penalties, load figures, inequality."""

from __future__ import annotations

import math

import numpy as np

from .._model import MentorLoad
from .._population import IntArray


def load_penalty(loads: IntArray, spread: float) -> float:
    """A mentor with L mentees costs spread · L(L − 1)/2: the k-th mentee costs spread · (k − 1)."""
    return spread * float((loads * (loads - 1) // 2).sum())


def gini(values: IntArray) -> float:
    """The Gini coefficient of non-negative values: 0 when all are equal, (n − 1)/n when one
    holds everything; 0 for no values or an all-zero list."""
    x = np.sort(np.asarray(values, dtype=np.float64))
    n, total = len(x), float(x.sum())
    if n == 0 or total == 0:
        return 0.0
    rank = np.arange(1, n + 1)
    return float(2 * (rank * x).sum() / (n * total) - (n + 1) / n)


def top_share(values: IntArray, fraction: float = 0.1) -> float:
    """The share of the total held by the largest `fraction` of values (at least one value)."""
    x = np.sort(np.asarray(values, dtype=np.int64))[::-1]
    total = int(x.sum())
    if total == 0:
        return 0.0
    return int(x[: max(1, math.ceil(fraction * len(x)))].sum()) / total


def mentor_load(loads: IntArray) -> MentorLoad:
    """Load figures over every mentor in the pool (`loads` includes the idle ones as 0)."""
    return MentorLoad(
        mentors=len(loads),
        used=int((loads > 0).sum()),
        max=int(loads.max()) if len(loads) else 0,
        gini=round(gini(loads), 4),
        top10_share=round(top_share(loads), 4),
    )
