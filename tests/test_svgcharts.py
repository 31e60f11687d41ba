"""Charts drawn as SVG in plain Python: the numbers worked out by hand (ADR 028)."""

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socialvalue.measurements.svgcharts import (
    PHONE_WIDTH,
    PLOT_HEIGHT,
    SECONDARY,
    SERIES_COLOURS,
    bar_chart,
    draw_bar_chart,
    draw_stacked_bar_chart,
    fit_text,
    nice_ticks,
    stacked_bar_chart,
    text_width,
    tick_labels,
    wrap_text,
)

NS = {"svg": "http://www.w3.org/2000/svg"}
D = Decimal


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # fails on anything that is not well-formed XML


def rects(root: ET.Element, kind: str) -> list[dict[str, float | str]]:
    return [
        {k: (v if k in ("fill", "class") else float(v)) for k, v in r.attrib.items()}
        for r in root.findall(f"svg:rect[@class='{kind}']", NS)
    ]


def texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.findall("svg:text", NS)]


def zero_line(root: ET.Element) -> ET.Element:
    (line,) = [x for x in root.findall("svg:line", NS) if x.get("stroke") == SECONDARY]
    return line


def trend(*values, categories=None, series="value", **labels) -> str:
    categories = categories or [f"P{n}" for n in range(len(values))]
    points = [(c, series, D(v)) for c, v in zip(categories, values, strict=True)]
    return draw_bar_chart(
        bar_chart(points, title=labels.get("title", "Trend"), y_title=labels.get("y", "people"))
    )


@pytest.mark.parametrize(
    ("low", "high", "ticks"),
    [
        (0, 7, [0, 1, 2, 3, 4, 5, 6, 7]),  # a step of 1.4 rounds down to 1
        (0, D("0.3"), [0, D("0.05"), D("0.1"), D("0.15"), D("0.2"), D("0.25"), D("0.3")]),
        (0, 1234, [0, 200, 400, 600, 800, 1000, 1200, 1400]),
        (0, 10, [0, 2, 4, 6, 8, 10]),
        (-3, 7, [-4, -2, 0, 2, 4, 6, 8]),  # zero is always a tick
        (-5, -1, [-5, -4, -3, -2, -1, 0]),  # all below zero: the axis ends at zero
        (5, 5, [0, 1, 2, 3, 4, 5]),  # a single value: from zero
        (0, 0, [0, D("0.2"), D("0.4"), D("0.6"), D("0.8"), 1]),  # all zeros: 0 to 1
        (40, 1000, [0, 200, 400, 600, 800, 1000]),  # bars start at zero, not at the least
    ],
)
def test_nice_ticks_are_round_and_start_at_zero(low, high, ticks):
    assert nice_ticks(D(low), D(high)) == [D(t) for t in ticks]


def test_counts_have_whole_ticks():
    assert nice_ticks(D(0), D(3), whole=True) == [0, 1, 2, 3]  # not 0, 0.5, 1 …
    assert nice_ticks(D(0), D(0), whole=True) == [0, 1]
    assert nice_ticks(D(0), D(18), whole=True) == [0, 5, 10, 15, 20]


def test_tick_labels_have_the_decimals_the_step_needs():
    assert tick_labels(nice_ticks(D(0), D("0.3"))) == [
        "0",
        "0.05",
        "0.1",
        "0.15",
        "0.2",
        "0.25",
        "0.3",
    ]
    assert tick_labels(nice_ticks(D(0), D(1234)))[-2:] == ["1,200", "1,400"]
    assert tick_labels(nice_ticks(D(-3), D(7)))[:2] == ["-4", "-2"]
    assert tick_labels([D("0.001"), D("0.002")]) == ["0.001", "0.002"]


def test_text_is_measured_wide_and_cut_with_an_ellipsis():
    # a, b, c are 556, 556 and 500 thousandths of an em in Arial; a tenth more for fallbacks.
    assert text_width("abc", 10) == pytest.approx(17.732)
    assert text_width("abc", 10, bold=True) == pytest.approx(17.732 * 1.1)
    assert text_width("é") == text_width("e")
    assert text_width("漢") == pytest.approx(12 * 1.1)  # unknown: a whole em
    # "Education" is 4,447 thousandths: 58.70 px at 12 px; "Edu…" 36.68, "Educ…" 43.28.
    assert fit_text("Education", 59) == "Education"
    assert fit_text("Education", 40) == "Edu…"
    assert fit_text("Education", 5) == ""
    assert fit_text("Edu cation", 45) == "Edu…"  # no space before the ellipsis


def test_words_wrap_and_an_overlong_word_is_cut():
    lines = wrap_text("Indicators by status and theme, 2026/27", 120)
    assert " ".join(lines) == "Indicators by status and theme, 2026/27"
    assert len(lines) == 2 and all(text_width(line) <= 120 for line in lines)
    assert wrap_text("Supercalifragilistic", 60) == [fit_text("Supercalifragilistic", 60)]
    cut = wrap_text("one two three four five six seven", 40, lines=2)
    assert len(cut) == 2 and cut[-1].endswith("…")


def test_bars_of_0_5_and_10_are_none_half_and_the_whole_height():
    root = parse(trend(0, 5, 10))
    bars = rects(root, "bar")
    assert [b["height"] for b in bars] == [0, PLOT_HEIGHT / 2, PLOT_HEIGHT]
    zero = zero_line(root)
    bottom = float(zero.get("y1"))
    assert all(b["y"] + b["height"] == pytest.approx(bottom) for b in bars)
    # Three bands across the plot; each bar is the middle 80% of its band.
    left, right = float(zero.get("x1")), float(zero.get("x2"))
    band = (right - left) / 3
    for n, bar in enumerate(bars):
        assert bar["x"] == pytest.approx(left + n * band + 0.1 * band, abs=0.01)
        assert bar["width"] == pytest.approx(0.8 * band, abs=0.01)
        assert bar["fill"] == SERIES_COLOURS[0]  # NHS blue
    assert texts(root)[-3:] == ["P0", "P1", "P2"]
    assert {"0", "2", "4", "6", "8", "10"} <= set(texts(root))
    assert not rects(root, "key")  # one series: no legend


def test_a_negative_value_hangs_below_zero():
    root = parse(trend(-5, 5))  # an axis from -6 to 6: zero half way down
    below, above = rects(root, "bar")
    zero = float(zero_line(root).get("y1"))
    assert below["y"] == pytest.approx(zero)
    assert above["y"] + above["height"] == pytest.approx(zero)
    assert below["height"] == above["height"] == pytest.approx(PLOT_HEIGHT * 5 / 12, abs=0.01)
    assert "-6" in texts(root) and "6" in texts(root)


def test_all_zeros_draw_flat_bars_on_a_0_to_1_axis():
    root = parse(trend(0, 0))
    assert [b["height"] for b in rects(root, "bar")] == [0, 0]
    assert texts(root)[2:4] == ["0", "1"]  # after the title and the axis title
    root = parse(trend("0.0", "0.00"))
    assert [b["height"] for b in rects(root, "bar")] == [0, 0]


def test_whole_figures_get_whole_ticks():
    assert texts(parse(trend(1, 1)))[2:4] == ["0", "1"]  # not 0, 0.2, 0.4 …
    assert texts(parse(trend(1, "1.5")))[2:5] == ["0", "0.2", "0.4"]


def test_several_series_are_grouped_and_named_in_a_legend():
    points = [
        ("Q1", "research", D(1)),
        ("Q1", "innovation", D(2)),
        ("Q1", "training", D(4)),
        ("Q2", "research", D(3)),
        ("Q2", "innovation", D(0)),  # Q2 has no training figure
    ]
    chart = bar_chart(points, title="SOC-02", y_title="projects")
    assert chart.categories == ("Q1", "Q2")
    assert [s.name for s in chart.series] == ["research", "innovation", "training"]
    assert chart.values == ((1, 2, 4), (3, 0, None))
    root = parse(draw_bar_chart(chart))
    bars = rects(root, "bar")
    assert [b["fill"] for b in bars] == [*SERIES_COLOURS[:3], *SERIES_COLOURS[:2]]
    zero = zero_line(root)
    band = (float(zero.get("x2")) - float(zero.get("x1"))) / 2
    # A third of the middle 80% of the band each, side by side.
    assert all(b["width"] == pytest.approx(0.8 * band / 3, abs=0.01) for b in bars)
    assert bars[1]["x"] == pytest.approx(bars[0]["x"] + bars[0]["width"], abs=0.01)
    assert bars[3]["x"] == pytest.approx(bars[0]["x"] + band, abs=0.01)
    # An axis of 0 to 4 (whole ticks) in 200 px: 50 px a project.
    assert [b["height"] for b in bars] == [50, 100, 200, 150, 0]
    keys = rects(root, "key")
    assert [k["fill"] for k in keys] == list(SERIES_COLOURS[:3])
    assert texts(root)[-3:] == ["research", "innovation", "training"]
    # The legend is below the plot.
    assert all(k["y"] > float(zero.get("y1")) for k in keys)


def test_two_series_have_two_legend_entries():
    points = [("2023/24", "Ethnicity (WRES 2)", D("1.2")), ("2023/24", "Disability", D("0.9"))]
    root = parse(draw_bar_chart(bar_chart(points, title="LEAD-03", y_title="Ratio")))
    assert len(rects(root, "bar")) == 2
    assert len(rects(root, "key")) == 2
    assert texts(root)[-2:] == ["Ethnicity (WRES 2)", "Disability"]


HOSTILE = "<b>&\"'x</b>"


def test_every_word_from_a_person_is_escaped():
    points = [(HOSTILE, HOSTILE, D(1)), (HOSTILE, "plain", D(2))]
    svg = draw_bar_chart(bar_chart(points, title=HOSTILE + "\x01", y_title=HOSTILE))
    assert "<b>" not in svg
    root = parse(svg)
    assert root.get("aria-label") == HOSTILE  # a control character is dropped
    assert root.get("role") == "img"
    assert texts(root).count(HOSTILE) == 4  # title, axis title, period, legend

    counts = [(HOSTILE, "Achieved", 1), ("Plain & simple", "Sometimes <b>", 1)]
    svg = draw_stacked_bar_chart(
        stacked_bar_chart(
            counts, colours={"Achieved": "#007f3b"}, title=HOSTILE, x_title="n", legend_title="s"
        )
    )
    assert "<b>" not in svg
    root = parse(svg)
    assert {HOSTILE, "Plain & simple", "Sometimes <b>"} <= set(texts(root))


@pytest.mark.parametrize(
    "points",
    [
        [(f"{m} 2026", "value", D(n * 1000)) for n, m in enumerate(["Jan", "Feb", "Mar"] * 20)],
        [
            ("Q1", f"A very long name for a part of a figure, number {n}", D(10**12))
            for n in range(8)
        ],
        [("A period with a very long name indeed, longer than any", "value", D("-0.001"))],
    ],
)
def test_charts_are_never_wider_than_a_phone(points):
    svg = draw_bar_chart(bar_chart(points, title="A title " * 12, y_title="A unit " * 20))
    root = parse(svg)
    width = float(root.get("width"))
    assert width <= PHONE_WIDTH
    assert root.get("viewBox") == f"0 0 {root.get('width')} {root.get('height')}"
    for rect in rects(root, "bar") + rects(root, "key"):
        assert rect["x"] >= 0 and rect["x"] + rect["width"] <= width + 0.01


def test_period_names_wrap_or_turn_upright_only_when_they_do_not_fit_across():
    quarters = parse(trend(1, 2, 3, 4, categories=["Q1", "Q2", "Q3", "Q4"]))
    turned = [t for t in quarters.findall("svg:text", NS) if "rotate" in t.get("transform", "")]
    assert [t.text for t in turned] == ["people"]  # only the axis title
    assert texts(quarters)[-4:] == ["Q1", "Q2", "Q3", "Q4"]
    months = ["Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar"]
    # Six months fit on two lines each.
    root = parse(trend(*range(6), categories=[f"{m} 2026" for m in months[:6]]))
    assert texts(root)[-12:] == [w for m in months[:6] for w in (m, "2026")]
    # A year of them is turned upright.
    year = [f"{m} 2026" for m in months]
    root = parse(trend(*range(12), categories=year))
    turned = [t.text for t in root.findall("svg:text", NS) if "rotate" in t.get("transform", "")]
    assert turned == ["people", *year]


def test_statuses_stack_per_theme_to_widths_in_proportion():
    colours = {"Achieved": "#007f3b", "On track": "#78be20", "At risk": "#ffb81c"}
    counts = [
        ("Education", "At risk", 1),
        ("Education", "Achieved", 2),
        ("Climate", "On track", 3),
        ("Climate", "Missed", 1),  # a status without a colour comes last, in grey
    ]
    chart = stacked_bar_chart(
        counts, colours=colours, title="By theme", x_title="Indicators", legend_title="Status"
    )
    assert [k.name for k in chart.keys] == ["Achieved", "On track", "At risk", "Missed"]
    assert [(b.label, b.counts) for b in chart.bars] == [
        ("Education", (2, 0, 1, 0)),
        ("Climate", (0, 3, 0, 1)),
    ]
    root = parse(draw_stacked_bar_chart(chart))
    bars = rects(root, "bar")
    assert [b["fill"] for b in bars] == ["#007f3b", "#ffb81c", "#78be20", "#768692"]
    # The axis runs 0 to 4 (whole ticks): a count is a quarter of the plot's width.
    assert {"0", "1", "2", "3", "4"} <= set(texts(root))
    (axis,) = [x for x in root.findall("svg:line", NS) if x.get("stroke") == SECONDARY]
    left, right = float(axis.get("x1")), float(axis.get("x2"))
    unit = (right - left) / 4
    assert [b["width"] for b in bars] == pytest.approx([2 * unit, unit, 3 * unit, unit], abs=0.02)
    assert bars[0]["x"] == pytest.approx(left) and bars[2]["x"] == pytest.approx(left)
    assert bars[1]["x"] == pytest.approx(bars[0]["x"] + bars[0]["width"], abs=0.01)
    assert bars[3]["x"] + bars[3]["width"] == pytest.approx(right, abs=0.02)  # 4 of 4
    assert bars[2]["y"] > bars[0]["y"]  # Climate below Education, in the order given
    # The legend names the statuses in the chart's order, below the plot.
    keys = rects(root, "key")
    assert [k["fill"] for k in keys] == ["#007f3b", "#78be20", "#ffb81c", "#768692"]
    assert texts(root)[-5:] == ["Status", "Achieved", "On track", "At risk", "Missed"]


def test_long_theme_names_are_cut_short():
    theme = "Tackling climate change and reducing carbon emissions across the trust"
    svg = draw_stacked_bar_chart(
        stacked_bar_chart(
            [(theme, "Achieved", 1)], colours={}, title="t", x_title="x", legend_title="s"
        )
    )
    (label,) = [t for t in texts(parse(svg)) if t.startswith("Tackling")]
    assert label.endswith("…") and text_width(label) <= 110
    assert theme not in svg


def test_no_figures_no_chart():
    assert draw_bar_chart(bar_chart([], title="t", y_title="y")) == ""
    assert draw_bar_chart(bar_chart([("Q1", "v", D("NaN"))], title="t", y_title="y")) == ""
    assert (
        draw_stacked_bar_chart(
            stacked_bar_chart([], colours={}, title="t", x_title="x", legend_title="s")
        )
        == ""
    )


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False),
        min_size=1,
        max_size=24,
    )
)
def test_any_figures_give_bars_from_zero_within_the_axis(values):
    root = parse(trend(*values))
    assert float(root.get("width")) <= PHONE_WIDTH
    zero = float(zero_line(root).get("y1"))
    grid = [float(x.get("y1")) for x in root.findall("svg:line", NS)]
    top, bottom = min(grid), max(grid)
    bars = rects(root, "bar")
    assert len(bars) == len(values)
    for bar, value in zip(bars, values, strict=True):
        assert top - 0.01 <= bar["y"] and bar["y"] + bar["height"] <= bottom + 0.01
        edge = bar["y"] if value < 0 else bar["y"] + bar["height"]
        assert edge == pytest.approx(zero, abs=0.01)
