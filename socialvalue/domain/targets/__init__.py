"""Typed indicator targets: a `kind` plus parameters, parsed into frozen dataclasses.

The contract is docs/targets.md. `parse_target(kind, params)` checks everything and raises one
`TargetError` listing every problem, so a charter file or form shows all its mistakes at once.
Each target can say what it asks of a year (`goal`) and describe that in plain words
(`describe`); `to_params()` gives back JSON that parses to an equal target.

One module per family of kinds (amounts, changes, shares, ratio_bands, milestones,
self_assessed) holds its targets and their parsers; `base` holds what they share and
`parsing` the parameter reader. Everything is re-exported here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from socialvalue.domain.shapes import Shape, shape_for
from socialvalue.domain.targets.amounts import (
    CountPart,
    CountsTarget,
    CountTarget,
    _parse_count,
    _parse_counts,
)
from socialvalue.domain.targets.base import (
    ALLOWED_ACCUMULATION,
    DEFAULT_ACCUMULATION,
    Comparison,
    Direction,
    Goal,
    Measure,
    TargetError,
    TargetKind,
)
from socialvalue.domain.targets.changes import (
    BenchmarkPart,
    GrowthFromBaselineTarget,
    GrowthOnPreviousTarget,
    IncreaseOnBenchmarkTarget,
    ReductionFromBaselineTarget,
    _parse_growth_from_baseline,
    _parse_growth_on_previous,
    _parse_increase_on_benchmark,
    _parse_reduction,
)
from socialvalue.domain.targets.milestones import MilestoneTarget, _parse_milestone
from socialvalue.domain.targets.parsing import _Reader
from socialvalue.domain.targets.ratio_bands import RatioBandTarget, RatioPart, _parse_ratio_band
from socialvalue.domain.targets.self_assessed import (
    DirectionTarget,
    MaintainTarget,
    _parse_direction,
    _parse_maintain,
)
from socialvalue.domain.targets.shares import ShareTarget, _parse_share
from socialvalue.domain.timing import NO_TIMING, Accumulation, Stage, Timing

__all__ = [
    "ALLOWED_ACCUMULATION",
    "DEFAULT_ACCUMULATION",
    "Accumulation",
    "BenchmarkPart",
    "Comparison",
    "CountPart",
    "CountTarget",
    "CountsTarget",
    "Direction",
    "DirectionTarget",
    "Goal",
    "GrowthFromBaselineTarget",
    "GrowthOnPreviousTarget",
    "IncreaseOnBenchmarkTarget",
    "MaintainTarget",
    "Measure",
    "MilestoneTarget",
    "RatioBandTarget",
    "RatioPart",
    "ReductionFromBaselineTarget",
    "Shape",
    "ShareTarget",
    "Stage",
    "Target",
    "TargetError",
    "TargetKind",
    "Timing",
    "accumulation_of",
    "orphan_message",
    "parse_target",
    "reading_change",
    "shape_of",
    "timing_of",
]

Target = (
    CountTarget
    | CountsTarget
    | GrowthFromBaselineTarget
    | GrowthOnPreviousTarget
    | ReductionFromBaselineTarget
    | ShareTarget
    | RatioBandTarget
    | IncreaseOnBenchmarkTarget
    | MilestoneTarget
    | MaintainTarget
    | DirectionTarget
)

TARGET_CLASSES: dict[TargetKind, type] = {
    cls.kind: cls
    for cls in (
        CountTarget,
        CountsTarget,
        GrowthFromBaselineTarget,
        GrowthOnPreviousTarget,
        ReductionFromBaselineTarget,
        ShareTarget,
        RatioBandTarget,
        IncreaseOnBenchmarkTarget,
        MilestoneTarget,
        MaintainTarget,
        DirectionTarget,
    )
}


_PARSERS: dict[TargetKind, Callable[[_Reader], Target | None]] = {
    TargetKind.COUNT: _parse_count,
    TargetKind.COUNTS: _parse_counts,
    TargetKind.GROWTH_FROM_BASELINE: _parse_growth_from_baseline,
    TargetKind.GROWTH_ON_PREVIOUS: _parse_growth_on_previous,
    TargetKind.REDUCTION_FROM_BASELINE: _parse_reduction,
    TargetKind.SHARE: _parse_share,
    TargetKind.RATIO_BAND: _parse_ratio_band,
    TargetKind.INCREASE_ON_BENCHMARK: _parse_increase_on_benchmark,
    TargetKind.MILESTONE: _parse_milestone,
    TargetKind.MAINTAIN: _parse_maintain,
    TargetKind.DIRECTION: _parse_direction,
}


def parse_target(kind: object, params: Mapping[str, object] | None) -> Target:
    """Build a target from its kind and parameters, or raise TargetError with every problem."""
    try:
        if not isinstance(kind, str):
            raise ValueError(kind)
        target_kind = TargetKind(kind.strip())
    except ValueError:
        kinds = ", ".join(k.value for k in TargetKind)
        raise TargetError([("kind", f"Select a target kind: one of {kinds}")]) from None
    if params is None:
        params = {}
    if not isinstance(params, Mapping):
        raise TargetError([("params", "Enter the target's parameters as a mapping")])
    reader = _Reader(params)
    target = _PARSERS[target_kind](reader)
    if reader.problems or target is None:
        raise TargetError(reader.problems or [("params", "Check the target's parameters")])
    return target


def timing_of(target: Target) -> Timing:
    """A target's years (none for kinds that cannot have them)."""
    timing = getattr(target, "timing", None)
    return timing if isinstance(timing, Timing) else NO_TIMING


def accumulation_of(target: Target) -> Accumulation | None:
    """How a target's figures accumulate over periods, for the kinds that say."""
    accumulation = getattr(target, "accumulation", None)
    return accumulation if isinstance(accumulation, Accumulation) else None


def shape_of(target: Target) -> Shape:
    """The shape of a target's readings (socialvalue/domain/shapes.py)."""
    if isinstance(target, IncreaseOnBenchmarkTarget):
        return shape_for(target.kind, measure=target.measure.value, parts=bool(target.parts))
    return shape_for(target.kind)


def reading_change(old: Target, new: Target) -> str | None:
    """How a new target would leave readings recorded for the old one without a home, in
    words ("its kind from …"), or None when they still fit: a new kind, a new reading shape
    (a benchmark's share for a value), or parts taken away (docs/adr/019)."""
    if old.kind is not new.kind:
        return f"its kind from {old.kind.label.lower()} to {new.kind.label.lower()}"
    old_shape, new_shape = shape_of(old), shape_of(new)
    if old_shape is not new_shape:
        return f"what it records from {old_shape.label} to {new_shape.label}"
    if isinstance(old, CountsTarget | RatioBandTarget | IncreaseOnBenchmarkTarget) and isinstance(
        new, CountsTarget | RatioBandTarget | IncreaseOnBenchmarkTarget
    ):
        kept = {part.key for part in new.parts}
        removed = [part.key for part in old.parts if part.key not in kept]
        if removed:
            noun = "part" if len(removed) == 1 else "parts"
            return f"its parts, taking away the {noun} {', '.join(removed)}"
    return None


def orphan_message(code: str, change: str, values: int) -> str:
    """Why a change of target is refused once values exist, and what to do instead."""
    counted = f"{values} recorded value" + ("" if values == 1 else "s")
    return (
        f"{code} has {counted}: changing {change} would orphan "
        f"{'it' if values == 1 else 'them'}. Keep the target as it is, or add a new "
        f"indicator with the new target to replace {code}, which keeps its history"
    )
