"""The page charts: what they describe, and the SVG the indicator page and dashboard show."""

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

from socialvalue.measurements import charts
from socialvalue.measurements.charts import (
    ChartRow,
    status_by_theme_chart,
    status_by_theme_svg,
    trend_chart,
    trend_svg,
)
from socialvalue.measurements.svgcharts import SERIES_COLOURS
from tests.helpers import record_approved, table_rows

NS = {"svg": "http://www.w3.org/2000/svg"}


def page_chart(html: str) -> ET.Element:
    (svg,) = re.findall(r"<svg role=\"img\" .*?</svg>", html, flags=re.DOTALL)
    return ET.fromstring(svg)


def bars(root: ET.Element) -> list[ET.Element]:
    return root.findall("svg:rect[@class='bar']", NS)


def texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.findall("svg:text", NS)]


def test_a_trend_is_described_as_plain_data_then_drawn():
    rows = [ChartRow("Q1", "value", Decimal(40)), ChartRow("Q2", "value", Decimal("12.5"))]
    chart = trend_chart(rows, title="Placements by quarter", y_title="people")
    assert chart.categories == ("Q1", "Q2")
    assert chart.values == ((40,), (Decimal("12.5"),))
    assert [s.colour for s in chart.series] == [SERIES_COLOURS[0]]
    svg = trend_svg(rows, title="Placements by quarter", y_title="people")
    assert svg.startswith('<svg role="img" aria-label="Placements by quarter" ')
    assert len(bars(ET.fromstring(svg))) == 2
    # Drawn afresh each time, the same figures give the same chart.
    assert svg == trend_svg(rows, title="Placements by quarter", y_title="people")


def test_statuses_keep_the_tag_colours_in_the_legend_order():
    chart = status_by_theme_chart(
        [("Education", "No data", 1), ("Education", "Not started", 2), ("Climate", "Achieved", 3)],
        title="Status <by> theme",
    )
    assert [(k.name, k.colour) for k in chart.keys] == [
        ("Achieved", charts.STATUS_COLOURS["Achieved"]),
        ("Not started", charts.STATUS_COLOURS["Not started"]),
        ("No data", charts.STATUS_COLOURS["No data"]),
    ]
    svg = status_by_theme_svg([("Education", "Achieved", 2)], title="Status <by> theme")
    assert svg.startswith('<svg role="img" aria-label="Status &lt;by&gt; theme" ')


def test_every_status_the_engine_gives_has_its_own_colour():
    from socialvalue.domain.status import Status

    assert {s.label for s in Status} == set(charts.STATUS_COLOURS)
    assert len(set(charts.STATUS_COLOURS.values())) == len(charts.STATUS_COLOURS)


def test_no_rows_no_chart():
    assert trend_svg([], title="t", y_title="y") == ""
    assert status_by_theme_svg([], title="t") == ""


def test_the_indicator_page_draws_a_bar_per_figure_of_its_table(
    seeded, cast, orgs, sign_in, client
):
    soc02 = seeded["RXN-SV"].indicators.get(code="SOC-02")  # research and innovation projects
    for key, research, innovation in (("2023/24-Q1", 1, 2), ("2023/24-Q2", 0, 1)):
        record_approved(
            lead=cast["rxn_admin"],
            recorder=cast["rxn_lead"],
            indicator=soc02,
            organisation=orgs["RXN"],
            key=key,
            parts={"research": Decimal(research), "innovation": Decimal(innovation)},
        )
    html = (
        sign_in(cast["rxn_lead"])
        .get("/charters/RXN-SV/indicators/SOC-02/?year=2023/24")
        .content.decode()
    )
    root = page_chart(html)
    assert root.get("role") == "img"
    assert root.get("aria-label") == "SOC-02 by period, 2023/24"
    assert len(table_rows(html, "trend")) == len(bars(root)) == 4
    # 0 to 2 (whole ticks): research 1 then 0, innovation 2 then 1.
    assert [float(b.get("height")) for b in bars(root)] == [100, 200, 0, 100]
    assert texts(root)[-2:] == ["research", "innovation"]  # the legend


def test_the_dashboard_draws_a_segment_per_status_of_each_theme(
    seeded, cast, orgs, sign_in, client
):
    edu03 = seeded["RXN-SV"].indicators.get(code="EDU-03")
    record_approved(
        lead=cast["rxn_admin"],
        recorder=cast["rxn_lead"],
        indicator=edu03,
        organisation=orgs["RXN"],
        key="2023/24-Q1",
        value=Decimal(30),
    )
    html = sign_in(cast["rxn_lead"]).get("/charters/RXN-SV/progress/?year=2023/24").content.decode()
    root = page_chart(html)
    assert root.get("role") == "img"
    assert root.get("aria-label") == "Indicators by status and theme, 2023/24"
    themes = table_rows(html, "theme-summary")
    # One segment per status named in each theme's row of the table ("No data: 3 …").
    statuses = [re.findall(r"([A-Z][a-z ]+): (\d+)", row[2]) for row in themes]
    assert len(bars(root)) == sum(len(s) for s in statuses) > len(themes)
    widths = [float(b.get("width")) for b in bars(root)]
    counts = [int(n) for row in statuses for _, n in row]
    per_count = widths[0] / counts[0]
    assert all(abs(w - n * per_count) < 0.02 for w, n in zip(widths, counts, strict=True))
