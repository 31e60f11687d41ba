"""The shapes a recorded value can take, named once.

A reading (one period's figure for one indicator and organisation) is one of:

- a value (a count, an amount or a level);
- a share: a numerator and a denominator;
- parts: a value for each part of the target (several counts);
- shares in parts: a numerator and a denominator for each part (an increase on a benchmark
  share with parts: ethnicity and disability);
- a disparity: the four counts of a relative likelihood (events and population of two
  groups) for each part;
- a milestone's state and the date it was done;
- a self-assessment: a status and a narrative, with a figure where the target has a level
  or a direction to judge it against.

Which shape an indicator's readings take follows from its target kind (and, for an increase
on a benchmark, whether the benchmark is a share or a value): `shape_for`. The record form,
the values sheet, the model, the charts, the wording and the status engine ask the shape
which fields a reading has instead of branching on target kinds again.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from enum import StrEnum
from typing import Protocol

__all__ = ["DISPARITY_COUNTS", "KIND_SHAPES", "SHARE_KEYS", "Shape", "ShapedReading", "shape_for"]

# The four counts of a disparity, in the order they are asked for.
DISPARITY_COUNTS = ("events_a", "population_a", "events_b", "population_b")


class ShapedReading(Protocol):
    """What a reading holds, whichever its shape (an Observation, an Entry, a form's Reading)."""

    @property
    def value(self) -> Decimal | None: ...
    @property
    def numerator(self) -> Decimal | None: ...
    @property
    def denominator(self) -> Decimal | None: ...
    @property
    def parts(self) -> Mapping[str, Decimal | Mapping[str, Decimal]]: ...
    @property
    def milestone_state(self) -> object: ...
    @property
    def achieved_on(self) -> object: ...
    @property
    def self_status(self) -> object: ...
    @property
    def narrative(self) -> str: ...


class Shape(StrEnum):
    VALUE = "value"
    SHARE = "share"
    PARTS = "parts"
    SHARE_PARTS = "share_parts"
    DISPARITY = "disparity"
    MILESTONE = "milestone"
    SELF_ASSESSMENT = "self_assessment"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def has_parts(self) -> bool:
        """Readings that hold a figure (or four) for each part of the target."""
        return self in (Shape.PARTS, Shape.SHARE_PARTS, Shape.DISPARITY)

    @property
    def fields(self) -> tuple[str, ...]:
        """The fields of a reading this shape fills (a self-assessment may carry a value)."""
        return _FIELDS[self]

    @property
    def counts_things(self) -> bool:
        """Whether every figure of the shape is a count of things, whole and never negative,
        whatever the indicator's unit: parts, a part's numerator and denominator and a
        disparity's four counts always are."""
        return self in (Shape.PARTS, Shape.SHARE_PARTS, Shape.DISPARITY)

    def holds_data(self, reading: ShapedReading) -> bool:
        """Whether a reading says anything for this shape (a blank one is a gap)."""
        match self:
            case Shape.VALUE:
                return reading.value is not None
            case Shape.SHARE:
                return reading.numerator is not None and reading.denominator is not None
            case Shape.PARTS:
                return any(_is_number(v) for v in reading.parts.values())
            case Shape.SHARE_PARTS:
                return any(_is_share(v) for v in reading.parts.values())
            case Shape.DISPARITY:
                return any(isinstance(v, Mapping) for v in reading.parts.values())
            case Shape.MILESTONE:
                return reading.milestone_state is not None
        return reading.self_status is not None or bool(reading.narrative.strip())

    def stray_fields(self, reading: ShapedReading) -> list[str]:
        """The fields a reading fills that this shape does not have (a `value` given for a
        share): recorded, they would be ignored without a word."""
        filled = {
            "value": reading.value is not None,
            "numerator": reading.numerator is not None,
            "denominator": reading.denominator is not None,
            "parts": bool(reading.parts),
            "milestone_state": reading.milestone_state is not None,
            "achieved_on": reading.achieved_on is not None,
            "self_status": reading.self_status is not None,
            "narrative": bool(reading.narrative.strip()),
        }
        return [name for name, present in filled.items() if present and name not in self.fields]


_LABELS = {
    Shape.VALUE: "a value",
    Shape.SHARE: "a numerator and denominator",
    Shape.PARTS: "a value for each part",
    Shape.SHARE_PARTS: "a numerator and denominator for each part",
    Shape.DISPARITY: "the four counts of a disparity for each part",
    Shape.MILESTONE: "a milestone's state and date",
    Shape.SELF_ASSESSMENT: "a self-assessment",
}
_FIELDS: Mapping[Shape, tuple[str, ...]] = {
    Shape.VALUE: ("value",),
    Shape.SHARE: ("numerator", "denominator"),
    Shape.PARTS: ("parts",),
    Shape.SHARE_PARTS: ("parts",),
    Shape.DISPARITY: ("parts",),
    Shape.MILESTONE: ("milestone_state", "achieved_on"),
    Shape.SELF_ASSESSMENT: ("self_status", "narrative", "value"),
}

# Each target kind's shape (docs/targets.md). An increase on a benchmark reads a share unless
# its measure is a value, each part apart when it has parts: see `shape_for`.
KIND_SHAPES: Mapping[str, Shape] = {
    "count": Shape.VALUE,
    "counts": Shape.PARTS,
    "growth_from_baseline": Shape.VALUE,
    "growth_on_previous": Shape.VALUE,
    "reduction_from_baseline": Shape.VALUE,
    "share": Shape.SHARE,
    "ratio_band": Shape.DISPARITY,
    "increase_on_benchmark": Shape.SHARE,
    "milestone": Shape.MILESTONE,
    "maintain": Shape.SELF_ASSESSMENT,
    "direction": Shape.SELF_ASSESSMENT,
}


# The keys of one part's share in a reading of shape SHARE_PARTS.
SHARE_KEYS = ("numerator", "denominator")


def shape_for(kind: str, *, measure: str | None = None, parts: bool = False) -> Shape:
    """The shape of a kind's readings; `measure` and `parts` are an increase on a
    benchmark's: a value or a share, for the whole or for each part."""
    if kind == "increase_on_benchmark":
        if measure == "value":
            return Shape.PARTS if parts else Shape.VALUE
        return Shape.SHARE_PARTS if parts else Shape.SHARE
    return KIND_SHAPES[kind]


def _is_share(value: object) -> bool:
    """One part's numerator and denominator, both numbers."""
    return isinstance(value, Mapping) and all(_is_number(value.get(k)) for k in SHARE_KEYS)


def _is_number(value: object) -> bool:
    return isinstance(value, Decimal | int) and not isinstance(value, bool)
