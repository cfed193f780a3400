"""Charts as Vega-Lite specs built with Altair, each with the rows it draws.

A `Chart` carries its data once: the spec embeds `rows`, the page's table view lists the same
`rows`, and the CSV and XLSX downloads write them. So the table, the download and the drawing
cannot disagree.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import altair as alt
from openpyxl import Workbook

type Row = dict[str, Any]

WIDTH = "container"
HEIGHT = 260
PALETTE = ["#1d4e89", "#d1495b", "#00798c", "#edae49", "#66a182", "#8d6a9f"]


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str
    percent: bool = False  # a 0–1 fraction shown as a percentage


@dataclass(frozen=True, slots=True)
class Chart:
    slug: str
    title: str
    summary: str  # the chart's message in words: its caption and its accessible description
    columns: tuple[Column, ...]
    rows: list[Row]
    spec: dict[str, Any] = field(default_factory=dict)

    @property
    def drawable(self) -> bool:
        """Rows with at least one value to draw (a chart whose values are all unknown, e.g.
        response rates before anyone was asked, would make Vega warn of an infinite extent)."""
        value = self.columns[1].key if len(self.columns) > 1 else ""
        return any(row.get(value) is not None for row in self.rows)

    def cells(self) -> list[list[str]]:
        """The table view's cells, formatted as the page shows them."""
        return [[_cell(row.get(c.key), c.percent) for c in self.columns] for row in self.rows]


def _cell(value: Any, percent: bool) -> str:
    if value is None:
        return "–"
    if percent:
        return f"{round(float(value) * 100, 1):g} %"
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 1 else f"{round(value, 2):g}"
    return str(value)


def _data(rows: list[Row]) -> Any:
    return alt.Data(values=rows)  # type: ignore[no-untyped-call]


def _base(rows: list[Row], summary: str) -> alt.Chart:
    return alt.Chart(_data(rows), description=summary).properties(width=WIDTH, height=HEIGHT)


def _spec(chart: alt.TopLevelMixin, summary: str) -> dict[str, Any]:
    """The Vega-Lite dict; the summary is its top-level description (the SVG's aria-label).
    Not validated here (tests validate every chart), to keep pages fast."""
    spec: dict[str, Any] = chart.configure_range(category=PALETTE).to_dict(validate=False)
    spec.setdefault("config", {})["font"] = "system-ui, sans-serif"
    spec["description"] = summary
    return spec


def _axis(column: Column, kind: str, **extra: Any) -> Any:
    shorthand = f"{column.key}:{kind}"
    if column.percent:
        return alt.Y(shorthand, title=column.label, axis=alt.Axis(format="%"), **extra)
    return alt.Y(shorthand, title=column.label, **extra)


def bar(
    slug: str,
    title: str,
    summary: str,
    columns: Sequence[Column],
    rows: list[Row],
    *,
    horizontal: bool = False,
    sort: list[str] | None = None,
) -> Chart:
    """One bar per category (first column) for a value (second column)."""
    category, value = columns[0], columns[1]
    cat = alt.X(f"{category.key}:N", title=category.label, sort=sort or None)
    val = _axis(value, "Q")
    if horizontal:
        encode = {
            "y": alt.Y(f"{category.key}:N", title=category.label, sort=sort or None),
            "x": alt.X(f"{value.key}:Q", title=value.label),
        }
    else:
        encode = {"x": cat, "y": val}
    spec = _base(rows, summary).mark_bar(color=PALETTE[0]).encode(**encode)
    return Chart(slug, title, summary, tuple(columns), rows, _spec(spec, summary))


def histogram(slug: str, title: str, summary: str, columns: Sequence[Column], rows: list[Row]) -> Chart:
    """Bars over an ordered numeric category (loads, days)."""
    category, value = columns[0], columns[1]
    spec = (
        _base(rows, summary)
        .mark_bar(color=PALETTE[0])
        .encode(x=alt.X(f"{category.key}:O", title=category.label), y=_axis(value, "Q"))
    )
    return Chart(slug, title, summary, tuple(columns), rows, _spec(spec, summary))


def lines(
    slug: str,
    title: str,
    summary: str,
    columns: Sequence[Column],
    rows: list[Row],
    *,
    series: Sequence[str] = (),
) -> Chart:
    """One line per value column (or per column named in `series`) over the first column (a
    period), points marked."""
    period = columns[0]
    drawn = [c for c in columns[1:] if not series or c.key in series]
    keys = [c.key for c in drawn]
    labels = {c.key: c.label for c in drawn}
    percent = all(c.percent for c in drawn)
    spec = (
        _base(rows, summary)
        .transform_fold(list[Any](keys), as_=["measure", "value"])
        .transform_calculate(series=_label_expression(labels))
        .mark_line(point=True)
        .encode(
            x=alt.X(f"{period.key}:O", title=period.label),
            y=alt.Y("value:Q", title=None, axis=alt.Axis(format="%") if percent else alt.Axis()),
            color=alt.Color("series:N", title=None, legend=alt.Legend(orient="bottom")),
        )
    )
    return Chart(slug, title, summary, tuple(columns), rows, _spec(spec, summary))


def series_lines(slug: str, title: str, summary: str, columns: Sequence[Column], rows: list[Row]) -> Chart:
    """Long rows (period, series, value): one line per series."""
    period, series, value = columns[0], columns[1], columns[2]
    spec = (
        _base(rows, summary)
        .mark_line(point=True)
        .encode(
            x=alt.X(f"{period.key}:O", title=period.label),
            y=alt.Y(f"{value.key}:Q", title=value.label),
            color=alt.Color(f"{series.key}:N", title=None, legend=alt.Legend(orient="bottom")),
        )
    )
    return Chart(slug, title, summary, tuple(columns), rows, _spec(spec, summary))


def stacked(slug: str, title: str, summary: str, columns: Sequence[Column], rows: list[Row]) -> Chart:
    """Bars per first column, stacked by the second."""
    outer, split, value = columns[0], columns[1], columns[2]
    encode: dict[str, Any] = {
        "x": alt.X(f"{outer.key}:N", title=outer.label, sort=None),
        "y": alt.Y(f"{value.key}:Q", title=value.label),
        "color": alt.Color(f"{split.key}:N", title=split.label, legend=alt.Legend(orient="bottom")),
    }
    spec = _base(rows, summary).mark_bar().encode(**encode)
    return Chart(slug, title, summary, tuple(columns), rows, _spec(spec, summary))


def side_by_side(
    slug: str,
    title: str,
    summary: str,
    columns: Sequence[Column],
    rows: list[Row],
    *,
    values: Sequence[str],
    y_title: str = "People",
) -> Chart:
    """Bars per first column, one beside the other for each column named in `values`."""
    category = columns[0]
    labels = {c.key: c.label for c in columns if c.key in values}
    spec = (
        _base(rows, summary)
        .transform_fold(list[Any](values), as_=["measure", "people"])
        .transform_calculate(series=_label_expression(labels))
        .mark_bar()
        .encode(
            x=alt.X(f"{category.key}:N", title=category.label, sort=None),
            xOffset=alt.XOffset("series:N"),
            y=alt.Y("people:Q", title=y_title),
            color=alt.Color("series:N", title=None, legend=alt.Legend(orient="bottom")),
        )
    )
    return Chart(slug, title, summary, tuple(columns), rows, _spec(spec, summary))


def heatmap(slug: str, title: str, summary: str, columns: Sequence[Column], rows: list[Row]) -> Chart:
    """A square grid: rows × columns coloured by the count, the count written in each cell."""
    left, right, value = columns[0], columns[1], columns[2]
    base = _base(rows, summary).encode(
        x=alt.X(f"{right.key}:N", title=right.label),
        y=alt.Y(f"{left.key}:N", title=left.label),
    )
    cells = base.mark_rect().encode(
        color=alt.Color(f"{value.key}:Q", title=value.label, scale=alt.Scale(scheme="blues"))
    )
    text = base.mark_text(baseline="middle").encode(
        text=alt.Text(f"{value.key}:Q"),
        color=alt.condition(
            alt.datum[value.key] > _midpoint(rows, value.key), alt.value("white"), alt.value("black")
        ),
    )
    return Chart(slug, title, summary, tuple(columns), rows, _spec(alt.layer(cells, text), summary))


def network(slug: str, title: str, summary: str, links: dict[tuple[str, str], int]) -> Chart:
    """Functions on a circle, joined by lines as thick as the partnerships between them."""
    names = sorted({name for pair in links for name in pair})
    place = {
        name: (
            round(math.cos(2 * math.pi * i / len(names)), 4),
            round(math.sin(2 * math.pi * i / len(names)), 4),
        )
        for i, name in enumerate(names)
    }
    rows: list[Row] = [
        {
            "from": a,
            "to": b,
            "links": n,
            "x": place[a][0],
            "y": place[a][1],
            "x2": place[b][0],
            "y2": place[b][1],
        }
        for (a, b), n in sorted(links.items())
        if a != b
    ]
    nodes = [
        {"function": name, "x": place[name][0], "y": place[name][1], "within": links.get((name, name), 0)}
        for name in names
    ]
    hidden = alt.Axis(title=None, labels=False, ticks=False, grid=False, domain=False)
    x = alt.X("x:Q", axis=hidden, scale=alt.Scale(domain=[-1.4, 1.4]))
    y = alt.Y("y:Q", axis=hidden, scale=alt.Scale(domain=[-1.3, 1.3]))
    edges = (
        alt.Chart(_data(rows))
        .mark_rule(color=PALETTE[0], opacity=0.6)
        .encode(x=x, y=y, x2="x2:Q", y2="y2:Q", strokeWidth=alt.StrokeWidth("links:Q", legend=None))
    )
    dots = alt.Chart(_data(nodes)).mark_circle(color=PALETTE[1], size=240).encode(x=x, y=y)
    labels = alt.Chart(_data(nodes)).mark_text(dy=-16, fontWeight="bold").encode(x=x, y=y, text="function:N")
    layered = alt.layer(edges, dots, labels).properties(width=WIDTH, height=320, description=summary)
    columns = (Column("from", "Function"), Column("to", "Function"), Column("links", "Partnership links"))
    return Chart(slug, title, summary, columns, rows, _spec(layered, summary))


def _label_expression(labels: dict[str, str]) -> str:
    """A Vega expression naming each folded measure by its label (vega-interpreter safe)."""
    expression = "datum.measure"
    for key, label in labels.items():
        safe = label.replace("'", "\\'")
        expression = f"datum.measure === '{key}' ? '{safe}' : ({expression})"
    return expression


def _midpoint(rows: list[Row], key: str) -> float:
    values = [float(row[key]) for row in rows if row.get(key) is not None]
    return (max(values) / 2) if values else 0.0


def to_csv(chart: Chart) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([c.label for c in chart.columns])
    for row in chart.rows:
        writer.writerow([_raw(row.get(c.key)) for c in chart.columns])
    return buffer.getvalue()


def to_xlsx(chart: Chart) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = chart.title[:31]
    sheet.append([c.label for c in chart.columns])
    for row in chart.rows:
        sheet.append([_raw(row.get(c.key)) for c in chart.columns])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _raw(value: Any) -> Any:
    """Values as data (fractions stay fractions), with formula-like text neutralised."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value
