"""Insights sections from the partnership lifecycle and feedback: engagement, outcomes and
feedback both ways (see `overview` for how a page is put together and cached)."""

from __future__ import annotations

import datetime as dt

from stepahead.core import insights as metrics
from stepahead.core.feedback import ANONYMITY_THRESHOLD
from stepahead.core.nudges import RISK_WORDS, RiskReason

from . import engagement as e
from . import feedback as f
from .charts import Chart, Column, bar, lines, series_lines, side_by_side
from .parts import Figure, Section, pct
from .selectors import Filters, Scope

RECIPROCITY_BANDS = ((0.0, "one-way (under 0.5)"), (0.5, "uneven (0.5–0.8)"), (0.8, "balanced (0.8 or more)"))


def feedback_section(scope: Scope, filters: Filters) -> tuple[Section, list[Figure]]:
    rates = f.response_rates(scope, filters)
    rate_rows = [
        {"what": what, "answered": done, "asked": asked, "rate": metrics.rate(done, asked)}
        for what, (done, asked) in rates.items()
    ]
    pulses = [
        {"quarter": metrics.quarter_of(q.year, q.month), "side": side, "mean": mean, "respondents": n}
        for q, side, mean, n in f.pulse_by_side(scope, filters)
    ]
    nps_rows = []
    for survey, people, promoters, passives, detractors in f.nps_answers(scope, filters):
        total = promoters + passives + detractors
        score = round(100 * (promoters - detractors) / total) if total else None
        nps_rows.append(
            {
                "survey": survey,
                "nps": score,
                "respondents": people,
                "promoters": promoters,
                "passives": passives,
                "detractors": detractors,
            }
        )
    balance = [
        metrics.reciprocity(gave, received) for gave, received in f.giving_and_receiving(scope, filters)
    ]
    bands = {label: 0 for _, label in RECIPROCITY_BANDS}
    for value in balance:
        if value is not None:
            bands[next(label for low, label in reversed(RECIPROCITY_BANDS) if value >= low)] += 1
    mean_balance = metrics.mean(balance)
    charts = [
        bar(
            "response-rates",
            "Feedback response rates",
            "A pulse per member per held session; fit checks and surveys per member once partners met.",
            [
                Column("what", "Feedback"),
                Column("rate", "Response rate", True),
                Column("answered", "Answered"),
                Column("asked", "Asked"),
            ],
            rate_rows,
        ),
        series_lines(
            "pulse-scores",
            "Session pulses from each side",
            "Mean session value (1–5) by side, per quarter; groups under 5 people are hidden.",
            [
                Column("quarter", "Quarter"),
                Column("side", "Side"),
                Column("mean", "Mean pulse"),
                Column("respondents", "Respondents"),
            ],
            pulses,
        ),
        bar(
            "nps",
            "Net Promoter Score by survey",
            "NPS (−100 to 100) per survey with 5 or more respondents.",
            [
                Column("survey", "Survey"),
                Column("nps", "NPS"),
                Column("respondents", "Respondents"),
                Column("promoters", "Promoters"),
                Column("passives", "Passives"),
                Column("detractors", "Detractors"),
            ],
            nps_rows,
        ),
        bar(
            "reciprocity",
            "Reciprocity in peer partnerships",
            f"How evenly giving and receiving balance per partnership (from peer surveys): mean "
            f"{'–' if mean_balance is None else f'{mean_balance:.2f}'} (1 = even).",
            [Column("band", "Balance"), Column("partnerships", "Partnerships")],
            [{"band": band, "partnerships": n} for band, n in bands.items()] if balance else [],
            sort=[label for _, label in RECIPROCITY_BANDS],
        ),
    ]
    section = Section(
        "feedback",
        "Feedback both ways",
        "Response rates, how each side rates its sessions, NPS and reciprocity.",
        charts,
    )
    done, asked = rates["Pulses"]
    return section, [Figure("Pulse response", pct(metrics.rate(done, asked)), "pulses answered of asked")]


def engagement_section(scope: Scope, filters: Filters, now: dt.datetime) -> tuple[Section, list[Figure]]:
    cadence = e.agreed_cadence_days(scope, filters)
    target = round(30.4 / cadence, 2) if cadence else None
    rows = []
    by_month = e.sessions_by_month(scope, filters)
    expected = e.running_in(scope, filters, [month for month, _, _ in by_month])
    for (month, held, _met), running in zip(by_month, expected, strict=True):
        rows.append(
            {
                "month": month.strftime("%Y-%m"),
                "held": held,
                "partnerships": running,
                "per_partnership": round(held / running, 2) if running else None,
                "agreed": target,
            }
        )
    active, risky, reasons = e.at_risk(scope, filters, now)
    sessions = lines(
        "sessions",
        "Sessions per partnership against the agreed cadence",
        f"Sessions held per running partnership each month; the agreed cadence asks for "
        f"{target if target is not None else '–'} a month.",
        [
            Column("month", "Month"),
            Column("per_partnership", "Sessions per partnership"),
            Column("agreed", "Agreed cadence"),
            Column("held", "Sessions held"),
            Column("partnerships", "Partnerships running"),
        ],
        rows,
        series=("per_partnership", "agreed"),
    )
    risk_rows = [
        {"reason": RISK_WORDS.get(RiskReason(k), k) if k in RiskReason else k, "partnerships": n}
        for k, n in sorted(reasons.items(), key=lambda kv: -kv[1])
    ]
    risk = bar(
        "at-risk",
        "Partnerships at risk",
        f"{risky} of {active} active partnerships are at risk.",
        [Column("reason", "Reason"), Column("partnerships", "Partnerships")],
        risk_rows,
        horizontal=True,
    )
    section = Section(
        "engagement",
        "Engagement",
        "Whether partnerships meet as often as they agreed, and which are at risk.",
        [sessions, risk],
    )
    return section, [Figure("At risk", f"{risky} of {active}", "active partnerships")]


def outcomes_section(scope: Scope, filters: Filters) -> Section:
    on_plan, early, reasons = e.early_endings(scope, filters)
    endings = bar(
        "early-endings",
        "Early endings and their reasons",
        f"{early} partnerships ended early (no fault) and {on_plan} on plan.",
        [Column("reason", "Reason"), Column("partnerships", "Partnerships")],
        [{"reason": r, "partnerships": n} for r, n in reasons],
        horizontal=True,
    )
    goal_rows = [
        {"goal": g, "achieved": a, "partly": p, "not_achieved": n, "open": o}
        for g, a, p, n, o in e.goal_outcomes(scope, filters)
    ]
    goals = side_by_side(
        "goal-attainment",
        "Goal attainment by goal",
        "How partnership goals ended: achieved, partly, not achieved, or still open.",
        [
            Column("goal", "Goal"),
            Column("achieved", "Achieved"),
            Column("partly", "Partly"),
            Column("not_achieved", "Not achieved"),
            Column("open", "Open"),
        ],
        goal_rows,
        values=["achieved", "partly", "not_achieved", "open"],
        y_title="Goals",
    )
    return Section(
        "outcomes",
        "Outcomes",
        "What partnerships achieved, how people's own levels moved, and why some ended early.",
        [goals, _levels_chart(scope, filters), endings],
    )


def _levels_chart(scope: Scope, filters: Filters) -> Chart:
    changes = metrics.level_changes(e.level_pairs(scope, filters), ANONYMITY_THRESHOLD)
    rising = sum(1 for c in changes if c.change > 0)
    return side_by_side(
        "level-change",
        "Self-rated level before and after, by goal skill",
        f"Mean self-rated level (0–5) when the goals were agreed and at the close; {rising} of "
        f"{len(changes)} skills rose. Skills rated by fewer than {ANONYMITY_THRESHOLD} people are hidden.",
        [
            Column("skill", "Goal skill"),
            Column("before", "Before"),
            Column("after", "After"),
            Column("change", "Change"),
            Column("rose", "Rose", True),
            Column("people", "People"),
        ],
        [
            {
                "skill": c.skill,
                "before": c.before,
                "after": c.after,
                "change": c.change,
                "rose": c.rose,
                "people": c.people,
            }
            for c in changes
        ],
        values=["before", "after"],
        y_title="Mean level (0–5)",
    )
