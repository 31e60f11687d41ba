"""Charts: rendered once per spec, then served from the cache."""

import re
from decimal import Decimal
from unittest.mock import patch

import pytest
from django.core.cache import cache

from socialvalue.measurements import charts
from socialvalue.measurements.charts import ChartRow, status_by_theme_svg, trend_svg


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_the_same_chart_is_rendered_once_and_labelled_each_time():
    rows = [ChartRow("Q1", "value", Decimal(40)), ChartRow("Q2", "value", Decimal("12.5"))]
    real = charts.vl_convert.vegalite_to_svg
    with patch.object(charts.vl_convert, "vegalite_to_svg", side_effect=real) as render:
        first = trend_svg(rows, title="Placements by quarter", y_title="people")
        second = trend_svg(rows, title="Placements by quarter", y_title="people")
        assert render.call_count == 1
        assert first == second
        assert first.startswith('<svg role="img" aria-label="Placements by quarter" ')

        # Another figure is another chart.
        changed = [rows[0], ChartRow("Q2", "value", Decimal(13))]
        trend_svg(changed, title="Placements by quarter", y_title="people")
        assert render.call_count == 2

        status_by_theme_svg([("Education", "Achieved", 2)], title="Status <by> theme")
        assert render.call_count == 3
    assert 'aria-label="Status &lt;by&gt; theme"' in status_by_theme_svg(
        [("Education", "Achieved", 2)], title="Status <by> theme"
    )


def test_no_rows_no_chart():
    with patch.object(charts.vl_convert, "vegalite_to_svg") as render:
        assert trend_svg([], title="t", y_title="y") == ""
        assert status_by_theme_svg([], title="t") == ""
    render.assert_not_called()


def _svg_width(svg: str) -> float:
    return float(re.search(r'<svg[^>]* width="([\d.]+)"', svg).group(1))


def test_charts_fit_a_phone_so_their_legends_are_not_scaled_down():
    # The longest names a charter has, every status in the legend, several series of a trend.
    statuses = list(charts.STATUS_COLOURS)
    counts = [
        (theme, status, 1 + n % 3)
        for theme in (
            "Economic inequality and anchor institution responsibilities",
            "Tackling climate change and reducing carbon emissions across the trust",
            "Equality of opportunity",
        )
        for n, status in enumerate(statuses)
    ]
    by_theme = status_by_theme_svg(counts, title="Indicators by status and theme, 2026/27")
    rows = [
        ChartRow(period, series, Decimal(value))
        for period in ("Q1", "Q2", "Q3", "Q4")
        for series, value in (("Ethnicity (WRES indicator 2)", 1.2), ("Disability (WDES 2)", 0.9))
    ]
    trend = trend_svg(rows, title="LEAD-03 by period, 2026/27", y_title="Ratio")
    for svg in (by_theme, trend):
        assert _svg_width(svg) <= charts.PHONE_WIDTH
    # Every status is named in the legend, at the size set for it.
    for status in statuses:
        assert f">{status}</text>" in by_theme
    assert 'font-size="12px"' in by_theme
