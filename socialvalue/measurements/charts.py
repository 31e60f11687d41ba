"""The page charts: what each shows, described as plain data and drawn as SVG on the server
(`svgcharts`, ADR 028), so pages need no JavaScript; every chart is shown with a table of the
same numbers beside it."""

from dataclasses import dataclass
from decimal import Decimal

from socialvalue.domain.numbers import format_number
from socialvalue.domain.shapes import Shape
from socialvalue.domain.status import Observation, combine
from socialvalue.domain.targets import Target, shape_of
from socialvalue.measurements.svgcharts import (
    PHONE_WIDTH,
    BarChart,
    StackedBarChart,
    bar_chart,
    draw_bar_chart,
    draw_stacked_bar_chart,
    stacked_bar_chart,
)

__all__ = [
    "PHONE_WIDTH",
    "STATUS_COLOURS",
    "ChartRow",
    "status_by_theme_chart",
    "status_by_theme_svg",
    "trend_chart",
    "trend_rows",
    "trend_svg",
]


@dataclass(frozen=True)
class ChartRow:
    period: str
    series: str
    value: Decimal

    @property
    def text(self) -> str:
        return format_number(self.value)


def trend_rows(target: Target, observations: list[Observation]) -> list[ChartRow]:
    """One row per period (and per part, for several counts or ratios), each combined from
    that period's observations the same way the status engine combines a year."""
    by_period: dict = {}
    for observation in observations:
        by_period.setdefault(observation.period, []).append(observation)
    rows: list[ChartRow] = []
    shape = shape_of(target)
    for period in sorted(by_period):
        actual = combine(target, by_period[period])
        label = period.short_label
        if shape in (Shape.PARTS, Shape.SHARE_PARTS):
            rows += [ChartRow(label, p.key, p.value) for p in actual.parts if p.value is not None]
        elif shape is Shape.DISPARITY:
            rows += [ChartRow(label, p.key, p.ratio) for p in actual.parts if p.ratio is not None]
        elif actual.value is not None:
            rows.append(ChartRow(label, "value", actual.value))
    return rows


def trend_chart(rows: list[ChartRow], *, title: str, y_title: str) -> BarChart:
    """Bars per period; for several parts (or ratios), a bar for each, named in a legend."""
    return bar_chart(((r.period, r.series, r.value) for r in rows), title=title, y_title=y_title)


def trend_svg(rows: list[ChartRow], *, title: str, y_title: str) -> str:
    return draw_bar_chart(trend_chart(rows, title=title, y_title=y_title))


# NHS tag colours per status, so the chart matches the tags (and the legend names them).
STATUS_COLOURS = {
    "Achieved": "#007f3b",
    "On track": "#78be20",
    "At risk": "#ffb81c",
    "Done late": "#ffeb3b",
    "Off track": "#d5281b",
    "Missed": "#8a1538",
    "Not yet due": "#aeb7bd",
    "Not started": "#768692",
    "No data": "#425563",
}


def status_by_theme_chart(counts: list[tuple[str, str, int]], *, title: str) -> StackedBarChart:
    """A stacked bar per theme of how many indicators have each status.

    `counts` holds (theme, status label, number) rows; the page shows the same numbers in
    the "By theme" table.
    """
    return stacked_bar_chart(
        counts, colours=STATUS_COLOURS, title=title, x_title="Indicators", legend_title="Status"
    )


def status_by_theme_svg(counts: list[tuple[str, str, int]], *, title: str) -> str:
    return draw_stacked_bar_chart(status_by_theme_chart(counts, title=title))
