"""Everything an insights page shows for one scope and filter set: headline figures and charts.

Built from `selectors` (database aggregates) and `stepahead.core.insights` (arithmetic) by a
background task into a stored snapshot (`services.compute_figures`), so a page never waits for
a large organisation's aggregates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from stepahead.core import insights as metrics
from stepahead.programmes.models import Mode

from . import selectors as s
from .charts import (
    Chart,
    Column,
    bar,
    heatmap,
    histogram,
    lines,
    network,
    side_by_side,
    stacked,
)
from .lifecycle_sections import engagement_section, feedback_section, outcomes_section
from .parts import Figure, Section
from .parts import pct as _pct
from .selectors import Filters, Scope

MODE_NAMES = dict(Mode.choices)
DAY_BUCKETS = (7, 14, 30, 60, 90)  # upper bounds, in days


@dataclass(frozen=True, slots=True)
class Overview:
    figures: list[Figure]
    sections: list[Section]

    def chart(self, slug: str) -> Chart | None:
        return next((c for sec in self.sections for c in sec.charts if c.slug == slug), None)


def build_overview(
    scope: Scope,
    filters: Filters,
    now: dt.datetime | None = None,
    on_step: Callable[[str, int], None] | None = None,
) -> Overview:
    """Every section's figures; `on_step(stage, percent done)` is told before each section."""
    now = now or timezone.now()
    step = on_step or (lambda stage, done: None)
    step("Participation", 0)
    participation, participation_figures = _participation(scope, filters)
    step("Engagement", 15)
    engagement, engagement_figures = engagement_section(scope, filters, now)
    step("Outcomes", 35)
    outcomes = outcomes_section(scope, filters)
    step("Feedback", 50)
    feedback, feedback_figures = feedback_section(scope, filters)
    step("Scaling health", 65)
    scaling, scaling_figures = _scaling(scope, filters)
    return Overview(
        participation_figures + engagement_figures + feedback_figures + scaling_figures,
        [participation, engagement, outcomes, feedback, *scaling],
    )


def _participation(scope: Scope, filters: Filters) -> tuple[Section, list[Figure]]:
    stages = metrics.funnel(s.funnel_counts(scope, filters))
    funnel_rows = [
        {"stage": st.name, "people": st.people, "of_eligible": st.of_first, "of_previous": st.of_previous}
        for st in stages
    ]
    funnel_chart = bar(
        "funnel",
        "Funnel",
        f"{stages[2].people} of {stages[0].people} eligible people enrolled "
        f"({_pct(stages[2].of_first)}); {stages[3].people} were matched.",
        [
            Column("stage", "Stage"),
            Column("people", "People"),
            Column("of_eligible", "Of eligible", True),
            Column("of_previous", "Of the stage before", True),
        ],
        funnel_rows,
        horizontal=True,
        sort=[st.name for st in stages],
    )
    days = s.days_to_match(scope, filters)
    waited = sum(n for _, n in days)
    median = _median_of_histogram(days)
    days_chart = bar(
        "days-to-match",
        "Days from enrolment to match",
        f"Median {median if median is not None else '–'} days from enrolling to being sent a match "
        f"({waited} people).",
        [Column("days", "Days"), Column("people", "People")],
        [{"days": label, "people": n} for label, n in metrics.bucket(days, DAY_BUCKETS)],
        sort=[label for label, _ in metrics.bucket([], DAY_BUCKETS)],
    )
    answers = s.responses(scope, filters)
    acceptance = metrics.rate(answers["accepted"], answers["accepted"] + answers["declined"])
    reasons = s.decline_reasons(scope, filters)
    section = Section(
        "participation",
        "Funnel and participation",
        "Who could take part, who did, and how quickly they were matched.",
        [funnel_chart, days_chart],
        [f"Declined: “{reason}”" for reason in reasons],
    )
    figures = [
        Figure("Participation", _pct(stages[2].of_first), "enrolled of the eligible population"),
        Figure(
            "Acceptance", _pct(acceptance), f"{answers['accepted']} accepted, {answers['declined']} declined"
        ),
        Figure("Days to match", "–" if median is None else str(median), "median"),
    ]
    return section, figures


def _median_of_histogram(histogram: list[tuple[int, int]]) -> int | None:
    total = sum(n for _, n in histogram)
    if total == 0:
        return None
    seen = 0
    for value, n in sorted(histogram):
        seen += n
        if seen * 2 >= total:
            return value
    return None  # pragma: no cover


def _scaling(scope: Scope, filters: Filters) -> tuple[list[Section], list[Figure]]:
    loads = s.load_histogram(scope, filters)
    starts = s.quarters(scope, filters)
    spreads = s.load_histograms(scope, filters, [(_aware(q), _next_quarter(q)) for q in starts])
    over_time = [
        {
            "quarter": metrics.quarter_of(start.year, start.month),
            "gini": round(metrics.gini(spread), 4),
            "top10": round(metrics.top_share(spread), 4),
        }
        for start, spread in zip(starts, spreads, strict=True)
    ]
    dependence = Section(
        "dependence",
        "Dependence on a few experts",
        "How many people each mentor or peer supports, and how unevenly that load is shared.",
        [
            histogram(
                "load",
                "Mentoring load now",
                f"Gini {metrics.gini(loads):.2f}; the top 10 % of givers carry "
                f"{_pct(metrics.top_share(loads))} of the load.",
                [Column("load", "People supported"), Column("givers", "Givers")],
                [{"load": k, "givers": v} for k, v in sorted(loads.items())],
            ),
            lines(
                "load-over-time",
                "Load spread over time",
                "Gini coefficient of mentoring load and the top 10 % share, quarter by quarter.",
                [
                    Column("quarter", "Quarter"),
                    Column("gini", "Gini coefficient", True),
                    Column("top10", "Top 10 % share", True),
                ],
                over_time,
            ),
        ],
    )
    mix_rows = [
        {"quarter": metrics.quarter_of(q.year, q.month), "model": MODE_NAMES.get(m, m), "partnerships": n}
        for q, m, n in s.model_mix(scope, filters)
    ]
    givers = s.non_senior_givers(scope, filters)
    senior_rows = [
        {
            "quarter": metrics.quarter_of(q.year, q.month),
            "givers": g,
            "non_senior": ns,
            "share": round(ns / g, 4) if g else None,
        }
        for q, g, ns in givers
    ]
    all_givers = sum(g for _, g, _ in givers)
    non_senior = metrics.rate(sum(ns for _, _, ns in givers), all_givers)
    mix = Section(
        "mix",
        "Beyond senior-to-junior",
        "The mix of models, and how many of the people who mentor are not senior to those they support.",
        [
            stacked(
                "model-mix",
                "Models in use",
                "Partnerships started each quarter, by model.",
                [
                    Column("quarter", "Quarter"),
                    Column("model", "Model"),
                    Column("partnerships", "Partnerships"),
                ],
                mix_rows,
            ),
            lines(
                "non-senior",
                "People mentoring who are not senior",
                f"{_pct(non_senior)} of givers support someone of their own grade or above.",
                [Column("quarter", "Quarter"), Column("share", "Not senior", True)],
                senior_rows,
            ),
        ],
    )
    demand, supply = s.skill_demand_and_supply(scope, filters)
    balance = metrics.skill_balance(demand, supply)[:15]
    gaps = sum(1 for b in balance if b.supply == 0 and b.demand > 0)
    balance_rows = [
        {"skill": b.skill, "demand": b.demand, "supply": b.supply, "model": b.model, "advice": b.advice}
        for b in balance
    ]
    demand_chart = side_by_side(
        "demand-supply",
        "Demand and supply per skill",
        f"{gaps} skills in demand have no one at level {s.GIVER_LEVEL}+ to learn from.",
        [
            Column("skill", "Skill"),
            Column("demand", "Want to learn"),
            Column("supply", "Could give"),
            Column("model", "Suggested model"),
            Column("advice", "Why"),
        ],
        balance_rows,
        values=["demand", "supply"],
    )
    growth = Section(
        "demand",
        "Growing demand",
        "Goals against people one step ahead, per skill, with the model that would absorb the gap.",
        [demand_chart],
    )
    links = s.function_links(scope, filters)
    cells = metrics.symmetric_cells(links)
    across = metrics.cross_function_share(links)
    networks = Section(
        "networks",
        "Networks across functions",
        "Which functions partnerships connect, and how many links cross a function boundary.",
        [
            heatmap(
                "function-heatmap",
                "Function × function",
                f"{_pct(across)} of partnership links join two different functions.",
                [
                    Column("function", "Function"),
                    Column("partner_function", "Partner's function"),
                    Column("links", "Links"),
                ],
                [{"function": a, "partner_function": b, "links": n} for (a, b), n in sorted(cells.items())],
            ),
            network(
                "function-network",
                "Network of functions",
                "Functions joined by partnerships; thicker lines carry more links.",
                links,
            ),
        ],
    )
    figures = [
        Figure("Load Gini", f"{metrics.gini(loads):.2f}", "0 = evenly shared"),
        Figure("Top 10 % carry", _pct(metrics.top_share(loads)), "of the mentoring load"),
        Figure("Not senior", _pct(non_senior), "of people mentoring"),
        Figure("Cross-function", _pct(across), "of partnership links"),
    ]
    return [dependence, mix, growth, networks], figures


def _aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day))


def _next_quarter(start: dt.date) -> dt.datetime:
    month = start.month + 3
    year = start.year + (month > 12)
    month = month - 12 if month > 12 else month
    return _aware(dt.date(year, month, 1))
