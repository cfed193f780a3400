"""Organisation shapes for the circles benchmark: the synthetic organisation, reshaped.

- `pyramid`: a steep grade pyramid (half the staff in the lowest grade, a handful at the top);
- `even`: grades spread evenly over 1–9;
- `few-skills`: only the four most common skills exist (levels and goals in others dropped);
- `one-function`: everybody in one function (no cross-function bonus anywhere).
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable

import numpy as np

from stepahead.matching import Participant
from stepahead.synthetic import generate_organisation

STEEP = (0.5, 0.25, 0.12, 0.07, 0.04, 0.02)


def _regrade(people: list[Participant], shares: tuple[float, ...], seed: int) -> list[Participant]:
    """New grades drawn in proportion to `shares`, keeping the seniority order of the old ones."""
    rng = np.random.default_rng(seed)
    order = sorted(range(len(people)), key=lambda i: (people[i].grade, rng.random()))
    cuts = np.cumsum(np.asarray(shares) / sum(shares)) * len(people)
    grades = {i: 1 + int(np.searchsorted(cuts, rank, side="right")) for rank, i in enumerate(order)}
    return [dataclasses.replace(p, grade=min(grades[i], len(shares))) for i, p in enumerate(people)]


def pyramid(people: list[Participant], seed: int) -> list[Participant]:
    return _regrade(people, STEEP, seed)


def even(people: list[Participant], seed: int) -> list[Participant]:
    return _regrade(people, (1.0,) * 9, seed)


def few_skills(people: list[Participant], seed: int) -> list[Participant]:
    common = {s for s, _ in Counter(g for p in people for g in p.goals).most_common(4)}
    return [
        dataclasses.replace(
            p,
            skills={s: v for s, v in p.skills.items() if s in common},
            goals=tuple(g for g in p.goals if g in common),
        )
        for p in people
    ]


def one_function(people: list[Participant], seed: int) -> list[Participant]:
    return [dataclasses.replace(p, function="operations") for p in people]


SHAPES: dict[str, Callable[[list[Participant], int], list[Participant]]] = {
    "pyramid": pyramid,
    "even": even,
    "few-skills": few_skills,
    "one-function": one_function,
}


def organisation(shape: str, size: int, seed: int) -> list[Participant]:
    return SHAPES[shape](generate_organisation(size, seed=seed), seed)
