"""What an insights page is made of: headline figures and sections of charts."""

from __future__ import annotations

from dataclasses import dataclass, field

from .charts import Chart


@dataclass(frozen=True, slots=True)
class Figure:
    label: str
    value: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class Section:
    slug: str
    title: str
    intro: str
    charts: list[Chart] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def pct(value: float | None) -> str:
    return "–" if value is None else f"{round(value * 100, 1):g} %"
