"""An insights overview as JSON, for the snapshot the page serves (`InsightSnapshot.figures`).

Rows and specs are JSON already (strings, numbers, None). The rows are stored beside the spec
that embeds them, as the chart was built, so the table view, the downloads and the drawing agree.
"""

from __future__ import annotations

from typing import Any

from .charts import Chart, Column
from .overview import Overview
from .parts import Figure, Section

FORMAT = 1  # bumped when the stored shape changes; older snapshots are then recomputed


def dump(overview: Overview) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "figures": [{"label": f.label, "value": f.value, "note": f.note} for f in overview.figures],
        "sections": [
            {
                "slug": s.slug,
                "title": s.title,
                "intro": s.intro,
                "notes": list(s.notes),
                "charts": [_chart(c) for c in s.charts],
            }
            for s in overview.sections
        ],
    }


def _chart(chart: Chart) -> dict[str, Any]:
    return {
        "slug": chart.slug,
        "title": chart.title,
        "summary": chart.summary,
        "columns": [[c.key, c.label, c.percent] for c in chart.columns],
        "rows": chart.rows,
        "spec": chart.spec,
    }


def load(data: dict[str, Any] | None) -> Overview | None:
    """The overview stored by `dump`, or None for none or an older format."""
    if not data or data.get("format") != FORMAT:
        return None
    return Overview(
        [Figure(f["label"], f["value"], f["note"]) for f in data["figures"]],
        [
            Section(s["slug"], s["title"], s["intro"], [_unchart(c) for c in s["charts"]], s["notes"])
            for s in data["sections"]
        ],
    )


def _unchart(data: dict[str, Any]) -> Chart:
    spec = data["spec"]
    columns = tuple(Column(key, label, percent) for key, label, percent in data["columns"])
    return Chart(data["slug"], data["title"], data["summary"], columns, data["rows"], spec)
