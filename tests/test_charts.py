"""Charts: rendered once per spec, then served from the cache."""

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
