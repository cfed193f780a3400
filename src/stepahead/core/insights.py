"""Programme insights as plain arithmetic: funnel rates, how evenly mentoring load is spread,
who gives, demand against supply per skill, reciprocity and the mix across functions.

The database aggregates (counts per stage, people per load, goals per skill); these functions
turn the small aggregates into the figures HR reads. No Django, no clock.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass


def rate(part: int | float, whole: int | float) -> float | None:
    """part / whole as a fraction, or None when there is nothing to divide by."""
    return None if not whole else part / whole


@dataclass(frozen=True, slots=True)
class FunnelStage:
    name: str
    people: int
    of_previous: float | None  # conversion from the stage before
    of_first: float | None  # share of the first stage (participation for "enrolled")


def funnel(stages: Sequence[tuple[str, int]]) -> list[FunnelStage]:
    """Each stage with its conversion from the one before and from the first."""
    first = stages[0][1] if stages else 0
    result: list[FunnelStage] = []
    previous: int | None = None
    for name, people in stages:
        of_previous = None if previous is None else rate(people, previous)
        result.append(FunnelStage(name, people, of_previous, rate(people, first)))
        previous = people
    return result


def gini(loads: Mapping[int, int]) -> float:
    """The Gini coefficient of mentoring load from a histogram {load: people with that load}.

    0 when everyone carries the same load, towards 1 when a few carry it all. Computed from
    the sorted distribution: G = (2 Σ i·x_i) / (n Σ x_i) − (n + 1) / n, with i the rank (1..n)
    of each person in ascending order of load; equal loads share a block of consecutive ranks.
    """
    people = sum(count for count in loads.values() if count > 0)
    total = sum(load * count for load, count in loads.items() if count > 0)
    if people == 0 or total == 0:
        return 0.0
    weighted = 0
    rank = 0
    for load in sorted(loads):
        count = loads[load]
        if count <= 0:
            continue
        # Σ of ranks rank+1 .. rank+count, times the load they all carry.
        weighted += load * (count * (2 * rank + count + 1) // 2)
        rank += count
    return (2 * weighted) / (people * total) - (people + 1) / people


def top_share(loads: Mapping[int, int], fraction: float = 0.1) -> float:
    """Share of all load carried by the most loaded `fraction` of people (at least one person)."""
    people = sum(count for count in loads.values() if count > 0)
    total = sum(load * count for load, count in loads.items() if count > 0)
    if people == 0 or total == 0:
        return 0.0
    remaining = max(1, math.ceil(people * fraction - 1e-9))
    carried = 0
    for load in sorted(loads, reverse=True):
        taken = min(remaining, max(loads[load], 0))
        carried += taken * load
        remaining -= taken
        if remaining == 0:
            break
    return carried / total


@dataclass(frozen=True, slots=True)
class SkillBalance:
    skill: str
    demand: int  # people with the skill as a goal
    supply: int  # people one step ahead or more who could give it
    model: str  # the programme model that would absorb the gap
    advice: str


def suggest_model(demand: int, supply: int) -> tuple[str, str]:
    """Which model would absorb a skill's demand, and why, in words."""
    if demand == 0 and supply == 0:
        return "none", "Nobody asks for or offers this skill."
    if supply == 0:
        return "circles", "No one to learn from: a peer circle can learn it together, or bring in an expert."
    if demand == 0:
        return "open", "Untapped givers: open mentoring lets them offer it to anyone."
    ratio = demand / supply
    if ratio > 3:
        return "circles", "Far more learners than givers: circles let one giver support several."
    if ratio > 1:
        return "traditional", "More learners than givers: mentors with a capacity above one absorb it."
    if ratio < 1 / 3:
        return "reverse", "Many more givers than learners: invite them to mentor upwards (reverse)."
    return "peer", "Givers and learners balance: reciprocal peer pairs exchange it both ways."


def skill_balance(demand: Mapping[str, int], supply: Mapping[str, int]) -> list[SkillBalance]:
    """Demand against supply for every skill named on either side, largest shortfall first."""
    skills = set(demand) | set(supply)
    rows = []
    for skill in skills:
        wanted, offered = demand.get(skill, 0), supply.get(skill, 0)
        model, advice = suggest_model(wanted, offered)
        rows.append(SkillBalance(skill, wanted, offered, model, advice))
    rows.sort(key=lambda row: (-(row.demand - row.supply), row.skill))
    return rows


def reciprocity(given: float, received: float) -> float | None:
    """How evenly one partnership's giving and receiving balance: 1 even, 0 one-way.

    The smaller direction over the larger; None when neither side gives anything."""
    if given < 0 or received < 0:
        raise ValueError("directional values cannot be negative")
    larger = max(given, received)
    return None if larger == 0 else min(given, received) / larger


def mean(values: Iterable[float | None]) -> float | None:
    known = [value for value in values if value is not None]
    return sum(known) / len(known) if known else None


def crosses_functions(functions: Iterable[str]) -> bool:
    """Does a group join people of more than one function? (Unknown, empty functions join nobody.)"""
    return len({function for function in functions if function}) > 1


def cross_function_share(cells: Mapping[tuple[str, str], int]) -> float | None:
    """Share of partnership links that join two different functions.

    `cells` counts links per (function, function) pair in either order; a link counts once."""
    total = sum(cells.values())
    across = sum(count for (left, right), count in cells.items() if left != right)
    return rate(across, total)


def symmetric_cells(links: Mapping[tuple[str, str], int]) -> dict[tuple[str, str], int]:
    """A heatmap's cells: each link between two functions shown in both (a, b) and (b, a)."""
    cells: dict[tuple[str, str], int] = {}
    for (left, right), count in links.items():
        cells[(left, right)] = cells.get((left, right), 0) + count
        if left != right:
            cells[(right, left)] = cells.get((right, left), 0) + count
    return cells


def quarter_of(year: int, month: int) -> str:
    """A period label that sorts: "2026 Q3"."""
    return f"{year} Q{(month - 1) // 3 + 1}"


def bucket(histogram: Iterable[tuple[int, int]], bounds: Sequence[int]) -> list[tuple[str, int]]:
    """A histogram {value: count} regrouped into ranges with inclusive upper `bounds`, plus the
    rest: bounds (7, 14) give "0–7", "8–14", "15+"."""
    labels, lower = [], 0
    for upper in bounds:
        labels.append((f"{lower}–{upper}", lower, upper))
        lower = upper + 1
    counts = dict.fromkeys([label for label, _, _ in labels] + [f"{lower}+"], 0)
    for value, count in histogram:
        label = next((name for name, low, high in labels if low <= value <= high), f"{lower}+")
        counts[label] += count
    return list(counts.items())


@dataclass(frozen=True, slots=True)
class LevelChange:
    """Self-rated levels in one goal skill when the goals were agreed and at the close."""

    skill: str
    people: int
    before: float  # mean level (0–5)
    after: float
    change: float  # after − before
    rose: float  # share of ratings whose level went up


def level_changes(rows: Iterable[tuple[str, int, int, int, int, int]], threshold: int) -> list[LevelChange]:
    """Per skill from (skill, people, pairs, Σ before, Σ after, pairs that rose), where a pair is a
    member's before and after rating: the means and the change, for skills rated by `threshold`
    or more people only (smaller groups are left out, never shown); most people first."""
    changes = [
        LevelChange(
            skill,
            people,
            round(before / pairs, 2),
            round(after / pairs, 2),
            round((after - before) / pairs, 2),
            round(rose / pairs, 4),
        )
        for skill, people, pairs, before, after, rose in rows
        if people >= threshold and pairs
    ]
    return sorted(changes, key=lambda c: (-c.people, c.skill))
