"""Feedback arithmetic that protects the people who answer: aggregates, NPS, the anonymity floor.

HR never sees one person's answers. Every figure shown to HR comes from a group of at least
`ANONYMITY_THRESHOLD` distinct respondents; smaller groups give `None` (the caller says "fewer
than 5 answers — hidden to protect anonymity"). Free text is shown without names and in a fixed
order (sorted), so its order cannot point at who wrote what.

Pure: no Django, no I/O, no clock.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

ANONYMITY_THRESHOLD = 5
PULSE_SCALE = (1, 5)
LIKERT_SCALE = (1, 5)
NPS_SCALE = (0, 10)


def enough_respondents(respondents: Iterable[Hashable]) -> bool:
    """True when the distinct respondents reach the anonymity threshold."""
    return len(set(respondents)) >= ANONYMITY_THRESHOLD


@dataclass(frozen=True, slots=True)
class ScaleSummary:
    """A Likert (or pulse) question over a large enough group."""

    respondents: int
    answers: int
    mean: float
    distribution: tuple[tuple[int, int], ...]  # (value, count) for every value of the scale


@dataclass(frozen=True, slots=True)
class NpsSummary:
    respondents: int
    promoters: int  # 9–10
    passives: int  # 7–8
    detractors: int  # 0–6
    score: int  # % promoters − % detractors, rounded half away from zero, −100…100


type Answer[V] = tuple[Hashable, V]
"""(respondent, value): the respondent is any stable id, used only to count distinct people."""


def _check_scale(values: Sequence[int], scale: tuple[int, int], what: str) -> None:
    low, high = scale
    for value in values:
        if not low <= value <= high:
            raise ValueError(f"{what} answers run from {low} to {high}, not {value}.")


def scale_summary(
    answers: Sequence[Answer[int]], *, scale: tuple[int, int] = LIKERT_SCALE
) -> ScaleSummary | None:
    """Mean and distribution of scale answers, or None for fewer than 5 distinct respondents."""
    if not enough_respondents(who for who, _ in answers):
        return None
    values = [value for _, value in answers]
    _check_scale(values, scale, "Scale")
    counts = Counter(values)
    low, high = scale
    return ScaleSummary(
        respondents=len({who for who, _ in answers}),
        answers=len(values),
        mean=round(sum(values) / len(values), 2),
        distribution=tuple((value, counts.get(value, 0)) for value in range(low, high + 1)),
    )


def _round_half_away(value: float) -> int:
    return int(value + 0.5) if value >= 0 else -int(-value + 0.5)


def nps_summary(answers: Sequence[Answer[int]]) -> NpsSummary | None:
    """Net promoter score over 0–10 answers, or None for fewer than 5 distinct respondents."""
    if not enough_respondents(who for who, _ in answers):
        return None
    values = [value for _, value in answers]
    _check_scale(values, NPS_SCALE, "NPS")
    promoters = sum(1 for v in values if v >= 9)
    detractors = sum(1 for v in values if v <= 6)
    return NpsSummary(
        respondents=len({who for who, _ in answers}),
        promoters=promoters,
        passives=len(values) - promoters - detractors,
        detractors=detractors,
        score=_round_half_away(100 * (promoters - detractors) / len(values)),
    )


def unattributed_comments(answers: Sequence[Answer[str]]) -> tuple[str, ...] | None:
    """Non-blank comments, trimmed and sorted (no order that could point at a person), or None
    unless at least 5 distinct people wrote one (blank answers do not hide a lone writer)."""
    written = [(who, text.strip()) for who, text in answers if text.strip()]
    if not enough_respondents(who for who, _ in written):
        return None
    return tuple(sorted(text for _, text in written))
