"""Formatting and conversion helpers for `Decimal` numbers shown to people or stored as JSON."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Context, Decimal

MONEY_UNITS = frozenset({"£", "GBP"})


def quantize(value: Decimal, places: int) -> Decimal:
    """Round half up, the way people round by hand (Python's default is banker's rounding)."""
    return value.quantize(
        Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=_room_for(value, places)
    )


def strip_zeros(value: Decimal) -> Decimal:
    """1.500 -> 1.5 and 1E+3 -> 1000, without switching to scientific notation."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1), context=_room_for(value, 0))
    return value.normalize()


def _room_for(value: Decimal, places: int) -> Context:
    # The default 28 digits cannot hold a figure worked out from bounded inputs, such as a
    # hundred billion grown 100% a year for a century (bounds.py); quantize would raise for it.
    return Context(prec=max(28, value.adjusted() + places + 2))


def format_number(value: Decimal, *, places: int = 2) -> str:
    """Thousands separators, at most `places` decimals, no trailing zeros: 1,157,625 or 0.8."""
    rounded = strip_zeros(quantize(value, places))
    if rounded == 0:
        rounded = abs(rounded)  # never show "-0"
    return f"{rounded:,f}"


def format_percent(value: Decimal, *, places: int = 1) -> str:
    """A number already in percent: 23.4166 -> "23.4%", 25.0 -> "25%"."""
    return f"{format_number(value, places=places)}%"


def format_ratio(value: Decimal) -> str:
    """Ratios are published to two decimal places, keeping the zeros: 1.67, 3.20."""
    return f"{quantize(value, 2):f}"


def with_unit(text: str, unit: str = "") -> str:
    """Money is a plain number with a pound sign in front; other units follow the number."""
    if not unit:
        return text
    if unit in MONEY_UNITS:
        if text.startswith("-"):
            return f"-£{text[1:]}"
        return f"£{text}"
    if unit == "%":
        return f"{text}%"
    return f"{text} {unit}"


def format_quantity(value: Decimal, unit: str = "", *, places: int = 2) -> str:
    return with_unit(format_number(value, places=places), unit)


def to_json_number(value: Decimal) -> int | float | str:
    """An int when integral, a float only if it reads back as the same Decimal, else a string.

    Strings keep exact values that a float would change (0.1 + many digits); readers of the
    JSON accept all three forms.
    """
    if value == value.to_integral_value():
        return int(value)
    as_float = float(value)
    if Decimal(str(as_float)) == value:
        return as_float
    return str(value)


Span = tuple[int, int]  # the first and last of a run of row numbers


def row_ranges(rows: Iterable[int]) -> str:
    """Row numbers as people write them, in order and once each: [9, 2, 3, 4] gives
    "2–4, 9". The one way rows are cited (spend, equality imports, a source's inputs)."""
    return spans_text(spans_of(rows))


def spans_of(rows: Iterable[int]) -> tuple[Span, ...]:
    """Row numbers as runs, in order and once each: [9, 2, 3, 4] gives ((2, 4), (9, 9))."""
    return merge_spans((n, n) for n in rows)


def merge_spans(spans: Iterable[Span]) -> tuple[Span, ...]:
    """Runs of rows joined where they overlap or touch: (2, 4), (5, 7), (3, 3), (9, 9)
    gives ((2, 7), (9, 9)). Runs are joined without listing their rows, so a count of a
    million rows cited as a few runs costs a few runs."""
    merged: list[list[int]] = []
    for first, last in sorted(spans):
        if merged and first <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], last)
        else:
            merged.append([first, last])
    return tuple((first, last) for first, last in merged)


def spans_text(spans: Iterable[Span]) -> str:
    """Runs written as people write rows: ((2, 4), (9, 9)) gives "2–4, 9" (as `row_ranges`)."""
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in merge_spans(spans))


def read_spans(text: str) -> tuple[Span, ...]:
    """The runs `spans_text` wrote: "2–4, 9" gives ((2, 4), (9, 9)); "" gives ()."""
    spans = []
    for part in text.split(","):
        if part := part.strip():
            first, _, last = part.partition("–")
            spans.append((int(first), int(last or first)))
    return merge_spans(spans)
