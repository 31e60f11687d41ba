"""Trend charts as Vega-Lite specs rendered to SVG on the server, so pages need no
JavaScript; every chart is shown with a table of the same numbers beside it."""

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal

import vl_convert
from django.core.cache import cache
from django.utils.html import escape

from socialvalue.domain.numbers import format_number
from socialvalue.domain.shapes import Shape
from socialvalue.domain.status import Observation, combine
from socialvalue.domain.targets import Target, shape_of


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


def trend_svg(rows: list[ChartRow], *, title: str, y_title: str) -> str:
    if not rows:
        return ""
    several = len({r.series for r in rows}) > 1
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": 260,
        "height": 220,
        "title": title,
        "data": {
            "values": [
                {"period": r.period, "series": r.series, "value": float(r.value)} for r in rows
            ]
        },
        "mark": {"type": "bar", "tooltip": False},
        "encoding": {
            "x": {"field": "period", "type": "ordinal", "sort": None, "title": None},
            "y": {"field": "value", "type": "quantitative", "title": y_title},
            **(
                {
                    "xOffset": {"field": "series"},
                    "color": {"field": "series", "type": "nominal", "title": None},
                }
                if several
                else {"color": {"value": "#005eb8"}}
            ),
        },
        "config": PHONE_CONFIG,
    }
    return _render(spec, title=title)


# Drawn at most PHONE_WIDTH pixels wide, legend below the plot, so that on a phone the SVG is
# not scaled down and its words stay at their size (issue 13: chart legends stay readable).
PHONE_WIDTH = 343  # a 375 px screen less the page's margins
PHONE_CONFIG = {
    "font": "Arial",
    "view": {"stroke": None},
    "title": {"fontSize": 14, "anchor": "start", "limit": PHONE_WIDTH - 10},
    "axis": {"labelFontSize": 12, "titleFontSize": 12},
    "legend": {
        "orient": "bottom",
        "direction": "vertical",
        "labelFontSize": 12,
        "titleFontSize": 12,
        "labelLimit": 140,
    },
}

# NHS tag colours per status, so the chart matches the tags (and the legend names them).
STATUS_COLOURS = {
    "Achieved": "#007f3b",
    "On track": "#78be20",
    "At risk": "#ffb81c",
    "Done late": "#ffeb3b",
    "Off track": "#d5281b",
    "Missed": "#8a1538",
    "Not yet due": "#aeb7bd",
    "No data": "#425563",
}


def status_by_theme_svg(counts: list[tuple[str, str, int]], *, title: str) -> str:
    """A stacked bar per theme of how many indicators have each status.

    `counts` holds (theme, status label, number) rows; the page shows the same numbers in
    the "By theme" table.
    """
    if not counts:
        return ""
    order = list(STATUS_COLOURS)
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": 190,
        "title": title,
        "data": {
            "values": [
                {"theme": t, "status": s, "count": n, "rank": order.index(s)} for t, s, n in counts
            ]
        },
        "mark": "bar",
        "encoding": {
            # Long theme names are cut short with an ellipsis: the table beside has them whole.
            "y": {
                "field": "theme",
                "type": "nominal",
                "sort": None,
                "title": None,
                "axis": {"labelLimit": 110},
            },
            "x": {"field": "count", "type": "quantitative", "title": "Indicators"},
            "color": {
                "field": "status",
                "type": "nominal",
                "title": "Status",
                "scale": {"domain": order, "range": list(STATUS_COLOURS.values())},
            },
            "order": {"field": "rank"},
        },
        "config": PHONE_CONFIG,
    }
    return _render(spec, title=title)


# Rendering takes about 40 ms a chart; the same spec always gives the same SVG, so it is kept
# in Django's cache under a digest of the spec and the renderer's version.
CHART_CACHE_SECONDS = 24 * 60 * 60


def _render(spec: dict, *, title: str) -> str:
    text = json.dumps(spec, sort_keys=True)
    digest = hashlib.sha256(f"{vl_convert.__version__}\n{text}".encode()).hexdigest()
    svg = cache.get_or_set(
        f"chart-svg:{digest}",
        lambda: vl_convert.vegalite_to_svg(vl_spec=text),
        CHART_CACHE_SECONDS,
    )
    # The table beside the chart carries the numbers for screen readers; the SVG is an image.
    return svg.replace("<svg ", f'<svg role="img" aria-label="{escape(title)}" ', 1)
