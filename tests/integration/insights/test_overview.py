"""The insights overview: every chart a valid Vega-Lite spec drawing exactly its table's rows."""

from __future__ import annotations

import csv
import io

import altair as alt
import pytest
from openpyxl import load_workbook

from stepahead.insights.charts import to_csv, to_xlsx
from stepahead.insights.overview import build_overview
from stepahead.insights.selectors import Filters, Scope
from tests.integration.insights.builders import mentoring_programme


@pytest.fixture
def built(world):
    programme, _ = mentoring_programme(world)
    return build_overview(Scope(world.org, programme), Filters())


def _data_values(spec):
    if "data" in spec:
        return spec["data"]["values"]
    return spec["layer"][0]["data"]["values"]


def test_every_chart_is_valid_vega_lite_and_draws_its_rows(built):
    charts = [chart for section in built.sections for chart in section.charts]
    assert {c.slug for c in charts} >= {
        "funnel",
        "load",
        "load-over-time",
        "model-mix",
        "non-senior",
        "demand-supply",
        "function-heatmap",
        "function-network",
    }
    for chart in charts:
        alt.Chart.from_dict(
            chart.spec, validate=True
        ) if "layer" not in chart.spec else alt.LayerChart.from_dict(chart.spec, validate=True)
        assert _data_values(chart.spec) == chart.rows, chart.slug
        assert chart.spec["description"] == chart.summary


def test_headline_figures_worked_by_hand(built):
    figures = {f.label: f.value for f in built.figures}
    assert figures["Participation"] == "100 %"  # 7 enrolled of 7 people
    assert figures["Load Gini"] == "0.25"
    assert figures["Top 10 % carry"] == "75 %"
    assert figures["Not senior"] == "25 %"  # 1 of 4 giving memberships
    assert figures["Cross-function"] == "50 %"


def test_downloads_hold_the_table(built):
    chart = built.chart("funnel")
    assert chart is not None
    rows = list(csv.reader(io.StringIO(to_csv(chart))))
    assert rows[0] == ["Stage", "People", "Of eligible", "Of the stage before"]
    assert rows[1][:2] == ["Eligible", "7"]
    sheet = load_workbook(io.BytesIO(to_xlsx(chart))).active
    assert [cell.value for cell in sheet[2]][:2] == ["Eligible", 7]
    assert sheet.max_row == len(chart.rows) + 1


def test_a_chart_whose_values_are_all_unknown_is_not_drawn():
    from stepahead.insights.charts import Column, bar

    columns = [Column("what", "Feedback"), Column("rate", "Response rate", True), Column("asked", "Asked")]
    unknown = bar(
        "rates", "Rates", "Nothing asked yet.", columns, [{"what": "Pulses", "rate": None, "asked": 0}]
    )
    assert not unknown.drawable
    assert unknown.cells() == [["Pulses", "–", "0"]]  # the table still shows the row
    assert bar("rates", "Rates", "", columns, [{"what": "Pulses", "rate": 0.5, "asked": 2}]).drawable
