"""Bar charts drawn as SVG in plain Python, with no JavaScript and no renderer (ADR 028).

A chart is first described as plain data (`BarChart`, `StackedBarChart`: its words, figures
and colours), then drawn by `draw_bar_chart` or `draw_stacked_bar_chart`. A page shows the
drawing inline; a PDF can draw the same description (WeasyPrint renders inline SVG), at
another width if it needs one. Every chart is an image labelled with its title: the table
beside it carries the numbers.

No Django here (import-linter): only words and numbers in, a string of SVG out.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from socialvalue.domain.numbers import format_number

__all__ = [
    "PHONE_WIDTH",
    "BarChart",
    "Series",
    "StackedBar",
    "StackedBarChart",
    "bar_chart",
    "draw_bar_chart",
    "draw_stacked_bar_chart",
    "fit_text",
    "nice_ticks",
    "stacked_bar_chart",
    "text_width",
    "tick_labels",
    "wrap_text",
]

# Drawn at most PHONE_WIDTH pixels wide, legends below the plot, so that on a phone the SVG
# is not scaled down and its words stay at their size (issue 13: legends stay readable).
PHONE_WIDTH = 343  # a 375 px screen less the page's margins
FONT_FAMILY = "Arial, 'Liberation Sans', Helvetica, sans-serif"
FONT_SIZE = 12
TITLE_SIZE = 14
LINE = 16  # the height of a line of 12 px text
TEXT = "#212b32"  # NHS text colour
SECONDARY = "#4c6272"  # NHS secondary text: axes
GRID = "#d8dde0"
# NHS colours for the parts of a trend, the first of them NHS blue (a single series).
SERIES_COLOURS = (
    "#005eb8",
    "#ed8b00",
    "#330072",
    "#009639",
    "#ae2573",
    "#00a499",
    "#7c2855",
    "#425563",
)
PAD = 4
PLOT_HEIGHT = 200
THEME_LABEL_LIMIT = 110  # theme names longer than this are cut short with an ellipsis


# --- The descriptions: plain data, drawn for a page now and for a PDF later ---------------


@dataclass(frozen=True)
class Series:
    name: str
    colour: str


@dataclass(frozen=True)
class BarChart:
    """Bars per category (a period), one bar for each series that has a value there."""

    title: str
    y_title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    values: tuple[tuple[Decimal | None, ...], ...]  # values[category][series]


@dataclass(frozen=True)
class StackedBar:
    label: str
    counts: tuple[int, ...]  # one per key of the chart, in the keys' order


@dataclass(frozen=True)
class StackedBarChart:
    """A horizontal bar per label, stacked from counts per key (statuses), keys in order."""

    title: str
    x_title: str
    legend_title: str
    keys: tuple[Series, ...]
    bars: tuple[StackedBar, ...]


def bar_chart(
    points: Iterable[tuple[str, str, Decimal]],
    *,
    title: str,
    y_title: str,
    colours: Sequence[str] = SERIES_COLOURS,
) -> BarChart:
    """A chart of (category, series, value) points; categories and series keep the order in
    which they first come. Values that are not finite numbers are left out."""
    found: dict[tuple[str, str], Decimal] = {}
    categories: dict[str, None] = {}
    names: dict[str, None] = {}
    for category, name, value in points:
        if not value.is_finite():
            continue
        categories.setdefault(category)
        names.setdefault(name)
        found[(category, name)] = value
    series = tuple(Series(name, colours[n % len(colours)]) for n, name in enumerate(names))
    return BarChart(
        title=title,
        y_title=y_title,
        categories=tuple(categories),
        series=series,
        values=tuple(tuple(found.get((c, s.name)) for s in series) for c in categories),
    )


def stacked_bar_chart(
    counts: Iterable[tuple[str, str, int]],
    *,
    colours: Mapping[str, str],
    title: str,
    x_title: str,
    legend_title: str,
    other_colour: str = "#768692",
) -> StackedBarChart:
    """A chart of (label, key, count) rows; keys are stacked and named in the order of
    `colours`, any other key after them in `other_colour`. Only keys that count are kept."""
    found: dict[tuple[str, str], int] = {}
    labels: dict[str, None] = {}
    for label, key, count in counts:
        labels.setdefault(label)
        found[(label, key)] = found.get((label, key), 0) + max(count, 0)
    present = {key for (_, key), count in found.items() if count}
    order = [k for k in colours if k in present]
    order += sorted(present - set(order))
    return StackedBarChart(
        title=title,
        x_title=x_title,
        legend_title=legend_title,
        keys=tuple(Series(k, colours.get(k, other_colour)) for k in order),
        bars=tuple(
            StackedBar(label, tuple(found.get((label, k), 0) for k in order)) for label in labels
        ),
    )


# --- Text: escaped, measured without a font, cut short or wrapped ------------------------

# Advance widths of Arial (the same as Helvetica's) for ASCII 32–126, in thousandths of an em.
_ASCII_WIDTHS = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
]  # fmt: skip
# Estimates err wide: a phone without Arial-metric fonts falls back to wider ones (DejaVu
# Sans is about a tenth wider), and bold is wider again.
_FALLBACK_MARGIN = 1.1
_BOLD = 1.1
_ELLIPSIS = "…"
# Characters XML 1.0 forbids (most control characters) would make the whole page's SVG
# unreadable to an XML parser; they carry nothing worth showing.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _char_width(char: str) -> int:
    code = ord(char)
    if 32 <= code <= 126:
        return _ASCII_WIDTHS[code - 32]
    if char in "£–":
        return 556
    base = unicodedata.normalize("NFD", char)[0]  # é is as wide as e
    if base != char and 32 <= ord(base) <= 126:
        return _ASCII_WIDTHS[ord(base) - 32]
    return 1000  # anything else: a whole em, wider than most


def text_width(text: str, size: float = FONT_SIZE, *, bold: bool = False) -> float:
    """A generous estimate of the width of `text` in pixels at `size` pixels."""
    width = sum(_char_width(c) for c in text) * size / 1000 * _FALLBACK_MARGIN
    return width * _BOLD if bold else width


def fit_text(text: str, limit: float, size: float = FONT_SIZE, *, bold: bool = False) -> str:
    """`text` if it fits in `limit` pixels, else as much of it as fits with an ellipsis."""
    if text_width(text, size, bold=bold) <= limit:
        return text
    room = limit - text_width(_ELLIPSIS, size, bold=bold)
    used, end = 0.0, 0
    for char in text:
        used += text_width(char, size, bold=bold)
        if used > room:
            break
        end += 1
    kept = text[:end].rstrip()
    return kept + _ELLIPSIS if kept else ""


def wrap_text(
    text: str, limit: float, size: float = FONT_SIZE, *, bold: bool = False, lines: int = 2
) -> list[str]:
    """Words on at most `lines` lines of at most `limit` pixels; a word too long for a line,
    or words beyond the last line, end in an ellipsis."""
    result: list[str] = []
    for word in text.split():
        joined = f"{result[-1]} {word}" if result else word
        if result and text_width(joined, size, bold=bold) <= limit:
            result[-1] = joined
        elif len(result) < lines:
            result.append(fit_text(word, limit, size, bold=bold))
        else:
            result[-1] = fit_text(result[-1] + " " + word, limit, size, bold=bold)
            break
    return result


def _escape(text: str) -> str:
    return html.escape(_NOT_XML.sub("", text), quote=True)


# --- Numbers on an axis ------------------------------------------------------------------

_ROOT_50, _ROOT_10, _ROOT_2 = Decimal(50).sqrt(), Decimal(10).sqrt(), Decimal(2).sqrt()


def nice_ticks(
    low: Decimal, high: Decimal, *, count: int = 5, whole: bool = False
) -> list[Decimal]:
    """Round values (a step of 1, 2 or 5 times a power of ten, about `count` steps) from a
    multiple of the step at or below min(low, 0) to one at or above max(high, 0); so zero is
    always a tick. All zeros give 0 to 1; `whole` keeps the step at 1 or more (counts)."""
    low, high = min(low, Decimal(0)), max(high, Decimal(0))
    if low == high:
        high = Decimal(1)
    raw = (high - low) / count
    power = Decimal(1).scaleb(raw.adjusted())
    error = raw / power
    step = power * (
        10 if error >= _ROOT_50 else 5 if error >= _ROOT_10 else 2 if error >= _ROOT_2 else 1
    )
    if whole:
        step = max(step, Decimal(1))
    first = int((low / step).to_integral_value(ROUND_FLOOR))
    last = int((high / step).to_integral_value(ROUND_CEILING))
    return [step * k for k in range(first, last + 1)]


def tick_labels(ticks: list[Decimal]) -> list[str]:
    """The ticks as the tables write numbers, with as many decimals as the step needs."""
    step = ticks[1] - ticks[0]
    places = max(0, -int(step.normalize().as_tuple().exponent))
    return [format_number(t, places=places) for t in ticks]


# --- Drawing -----------------------------------------------------------------------------


def _n(number: float) -> str:
    """A coordinate: two decimals at most, no trailing zeros."""
    text = f"{number:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


class _Drawing:
    def __init__(self) -> None:
        self.parts: list[str] = []

    def rect(self, x: float, y: float, width: float, height: float, fill: str, kind: str) -> None:
        # Edges rounded, not sizes: bars that meet, or stand on zero, do so exactly.
        left, top = round(x, 2), round(y, 2)
        right, bottom = round(x + width, 2), round(y + height, 2)
        self.parts.append(
            f'<rect class="{kind}" x="{_n(left)}" y="{_n(top)}" width="{_n(right - left)}" '
            f'height="{_n(bottom - top)}" fill="{fill}"/>'
        )

    def line(self, x1: float, y1: float, x2: float, y2: float, colour: str) -> None:
        self.parts.append(
            f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" '
            f'stroke="{colour}" stroke-width="1"/>'
        )

    def text(
        self,
        x: float,
        y: float,
        text: str,
        *,
        size: int = FONT_SIZE,
        anchor: str = "start",
        bold: bool = False,
        colour: str = TEXT,
        upright: bool = True,
    ) -> None:
        place = (
            f'x="{_n(x)}" y="{_n(y)}"'
            if upright
            else f'transform="translate({_n(x)},{_n(y)}) rotate(-90)"'
        )
        self.parts.append(
            f'<text {place} font-size="{size}"'
            + (f' text-anchor="{anchor}"' if anchor != "start" else "")
            + (' font-weight="bold"' if bold else "")
            + f' fill="{colour}">{_escape(text)}</text>'
        )

    def svg(self, width: float, height: float, label: str) -> str:
        # The table beside the chart carries the numbers for screen readers; the SVG is an
        # image with the chart's title for its name.
        return (
            f'<svg role="img" aria-label="{_escape(label)}" xmlns="http://www.w3.org/2000/svg" '
            f'width="{_n(width)}" height="{_n(height)}" viewBox="0 0 {_n(width)} {_n(height)}" '
            f'font-family="{FONT_FAMILY}">' + "".join(self.parts) + "</svg>"
        )


def _title(drawing: _Drawing, title: str, width: float) -> float:
    """The title, wrapped; returns where the chart below it starts."""
    lines = wrap_text(title, width - 2 * PAD, TITLE_SIZE, bold=True, lines=3)
    for n, line in enumerate(lines):
        drawing.text(PAD, PAD + TITLE_SIZE + n * 18, line, size=TITLE_SIZE, bold=True)
    return PAD + 18 * len(lines) + 8


def _legend(
    drawing: _Drawing, keys: Sequence[Series], *, top: float, width: float, title: str = ""
) -> float:
    """Swatches with their names below the plot, as many columns as fit; returns its foot."""
    if not keys:
        return top
    if title:
        drawing.text(PAD, top + 12, title, bold=True)
        top += LINE + 2
    room = width - 2 * PAD
    widest = max(text_width(k.name) for k in keys) + 18 + 12
    columns = max(1, min(len(keys), int(room // widest)))
    column = room / columns
    for n, key in enumerate(keys):
        x = PAD + (n % columns) * column
        y = top + (n // columns) * (LINE + 2)
        drawing.rect(x, y + 1, 12, 12, key.colour, "key")
        drawing.text(x + 18, y + 11, fit_text(key.name, column - 18 - 4))
    rows = -(-len(keys) // columns)
    return top + rows * (LINE + 2)


def draw_bar_chart(chart: BarChart, *, width: float = PHONE_WIDTH) -> str:
    """Bars from zero for each category, grouped side by side when there are several series,
    which a legend below the plot names. No categories, no chart: an empty string."""
    values = [v for row in chart.values for v in row if v is not None]
    if not values:
        return ""
    drawing = _Drawing()
    top = _title(drawing, chart.title, width) + 6  # room for the top tick's label
    # Counts of whole things get whole ticks: no "0.5 people".
    whole = all(v == v.to_integral_value() for v in values)
    ticks = nice_ticks(min(values), max(values), whole=whole)
    labels = tick_labels(ticks)
    low, high = float(ticks[0]), float(ticks[-1])
    bottom = top + PLOT_HEIGHT

    def y_of(value: float) -> float:
        return bottom - (value - low) / (high - low) * PLOT_HEIGHT

    axis_title = LINE + 2 if chart.y_title else 0
    left = PAD + axis_title + max(text_width(t) for t in labels) + 8
    right = width - PAD - 4
    if chart.y_title:
        drawing.text(
            PAD + 12,
            top + PLOT_HEIGHT / 2,
            fit_text(chart.y_title, PLOT_HEIGHT),
            anchor="middle",
            colour=SECONDARY,
            upright=False,
        )
    for tick, label in zip(ticks, labels, strict=True):
        y = y_of(float(tick))
        drawing.line(left, y, right, y, SECONDARY if tick == 0 else GRID)
        drawing.text(left - 6, y + 4, label, anchor="end", colour=SECONDARY)

    band = (right - left) / len(chart.categories)
    group = band * 0.8
    bar = group / len(chart.series)
    zero = y_of(0)
    for i, row in enumerate(chart.values):
        for j, value in enumerate(row):
            if value is None:
                continue
            y = y_of(float(value))
            x = left + i * band + band * 0.1 + j * bar
            drawing.rect(x, min(y, zero), bar, abs(zero - y), chart.series[j].colour, "bar")

    foot = _category_labels(drawing, chart.categories, left=left, band=band, top=bottom)
    if len(chart.series) > 1:
        foot = _legend(drawing, chart.series, top=foot + 8, width=width)
    return drawing.svg(width, foot + PAD, chart.title)


def _category_labels(
    drawing: _Drawing, categories: Sequence[str], *, left: float, band: float, top: float
) -> float:
    """Each category's name under its bars: on one line, on two, or turned upright when
    they do not fit across; returns the foot of the labels."""
    room = band - 2
    if all(text_width(c) <= room for c in categories):
        for i, name in enumerate(categories):
            drawing.text(left + (i + 0.5) * band, top + 16, name, anchor="middle")
        return top + 20
    wrapped = [wrap_text(c, room, lines=2) for c in categories]
    if all(
        " ".join(lines) == " ".join(c.split()) for lines, c in zip(wrapped, categories, strict=True)
    ):
        for i, lines in enumerate(wrapped):
            for n, line in enumerate(lines):
                drawing.text(left + (i + 0.5) * band, top + 16 + n * LINE, line, anchor="middle")
        return top + 4 + LINE * max(len(lines) for lines in wrapped)
    names = [fit_text(c, 100) for c in categories]
    for i, name in enumerate(names):
        # Turned a quarter to the left, ending at the axis, centred on the band.
        drawing.text(left + (i + 0.5) * band + 4, top + 6, name, anchor="end", upright=False)
    return top + 10 + max(text_width(n) for n in names)


def draw_stacked_bar_chart(chart: StackedBarChart, *, width: float = PHONE_WIDTH) -> str:
    """A horizontal bar per label, its counts stacked in the order of the keys, which a
    legend below names. No bars, no chart: an empty string."""
    if not chart.bars:
        return ""
    drawing = _Drawing()
    top = _title(drawing, chart.title, width)
    names = [fit_text(b.label, THEME_LABEL_LIMIT) for b in chart.bars]
    left = PAD + max(text_width(n) for n in names) + 6
    right = width - PAD - 12  # room for half of the last tick's label
    ticks = nice_ticks(Decimal(0), Decimal(max(sum(b.counts) for b in chart.bars)), whole=True)
    labels = tick_labels(ticks)
    high = float(ticks[-1])
    row = 24
    bottom = top + row * len(chart.bars)

    def x_of(count: float) -> float:
        return left + count / high * (right - left)

    for tick, label in zip(ticks, labels, strict=True):
        x = x_of(float(tick))
        drawing.line(x, top, x, bottom, GRID)
        drawing.text(x, bottom + 16, label, anchor="middle", colour=SECONDARY)
    for r, (bar, name) in enumerate(zip(chart.bars, names, strict=True)):
        y = top + r * row
        drawing.text(left - 6, y + row / 2 + 4, name, anchor="end")
        done = 0
        for key, count in zip(chart.keys, bar.counts, strict=True):
            if count:
                drawing.rect(
                    x_of(done), y + 4, x_of(done + count) - x_of(done), row - 8, key.colour, "bar"
                )
                done += count
    drawing.line(left, bottom, right, bottom, SECONDARY)
    drawing.text(
        (left + right) / 2,
        bottom + 34,
        fit_text(chart.x_title, right - left),
        anchor="middle",
        colour=SECONDARY,
    )
    foot = _legend(drawing, chart.keys, top=bottom + 46, width=width, title=chart.legend_title)
    return drawing.svg(width, foot + PAD, chart.title)
