"""Typed indicator targets: a `kind` plus parameters, parsed into frozen dataclasses.

The contract is docs/targets.md. `parse_target(kind, params)` checks everything and raises one
`TargetError` listing every problem, so a charter file or form shows all its mistakes at once.
Each target can say what it asks of a year (`goal`) and describe that in plain words
(`describe`); `to_params()` gives back JSON that parses to an equal target.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import ClassVar

from socialvalue.domain import bounds
from socialvalue.domain.bounds import NumberRule
from socialvalue.domain.numbers import (
    format_number,
    format_percent,
    to_json_number,
)
from socialvalue.domain.periods import FINANCIAL_YEAR_HINT, FinancialYear, format_date
from socialvalue.domain.timing import NO_TIMING, Accumulation, Stage, Timing
from socialvalue.domain.wording import (
    counts_whole_things,
    figure,
    limit_phrase,
    noun_of_share,
    whole_goal,
)

__all__ = [
    "ALLOWED_ACCUMULATION",
    "DEFAULT_ACCUMULATION",
    "Accumulation",
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
    "ShareTarget",
    "Stage",
    "Target",
    "TargetError",
    "TargetKind",
    "Timing",
    "parse_target",
    "timing_of",
]

HUNDRED = Decimal(100)


class TargetKind(StrEnum):
    COUNT = "count"
    COUNTS = "counts"
    GROWTH_FROM_BASELINE = "growth_from_baseline"
    GROWTH_ON_PREVIOUS = "growth_on_previous"
    REDUCTION_FROM_BASELINE = "reduction_from_baseline"
    SHARE = "share"
    RATIO_BAND = "ratio_band"
    INCREASE_ON_BENCHMARK = "increase_on_benchmark"
    MILESTONE = "milestone"
    MAINTAIN = "maintain"
    DIRECTION = "direction"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]

    @property
    def is_cumulative(self) -> bool:
        """Kinds whose values are summed over the year."""
        return self in _CUMULATIVE_KINDS


_KIND_LABELS = {
    TargetKind.COUNT: "Count in the period",
    TargetKind.COUNTS: "Several counts",
    TargetKind.GROWTH_FROM_BASELINE: "Growth from a baseline year",
    TargetKind.GROWTH_ON_PREVIOUS: "Growth on the previous period",
    TargetKind.REDUCTION_FROM_BASELINE: "Reduction against a baseline",
    TargetKind.SHARE: "Share of a whole",
    TargetKind.RATIO_BAND: "Ratio within a band",
    TargetKind.INCREASE_ON_BENCHMARK: "Increase on a benchmark year",
    TargetKind.MILESTONE: "Milestone",
    TargetKind.MAINTAIN: "Maintain or deliver (qualitative)",
    TargetKind.DIRECTION: "Direction only",
}

_CUMULATIVE_KINDS = frozenset(
    {
        TargetKind.COUNT,
        TargetKind.COUNTS,
        TargetKind.GROWTH_FROM_BASELINE,
        TargetKind.GROWTH_ON_PREVIOUS,
        TargetKind.REDUCTION_FROM_BASELINE,
    }
)

# How a kind's figures accumulate over periods unless the indicator says otherwise, and the
# ways it may (docs/targets.md).
DEFAULT_ACCUMULATION: dict[TargetKind, Accumulation] = {
    TargetKind.COUNT: Accumulation.SUM,
    TargetKind.GROWTH_FROM_BASELINE: Accumulation.SUM,
    TargetKind.GROWTH_ON_PREVIOUS: Accumulation.SUM,
    TargetKind.REDUCTION_FROM_BASELINE: Accumulation.SUM,
    TargetKind.SHARE: Accumulation.POOLED,
}
ALLOWED_ACCUMULATION: dict[TargetKind, tuple[Accumulation, ...]] = {
    TargetKind.COUNT: (Accumulation.SUM, Accumulation.LATEST, Accumulation.DISTINCT),
    TargetKind.GROWTH_FROM_BASELINE: (
        Accumulation.SUM,
        Accumulation.LATEST,
        Accumulation.DISTINCT,
    ),
    TargetKind.GROWTH_ON_PREVIOUS: (Accumulation.SUM, Accumulation.LATEST, Accumulation.DISTINCT),
    TargetKind.REDUCTION_FROM_BASELINE: (
        Accumulation.SUM,
        Accumulation.LATEST,
        Accumulation.DISTINCT,
    ),
    TargetKind.SHARE: (Accumulation.POOLED, Accumulation.LATEST),
}


class Comparison(StrEnum):
    AT_LEAST = "at_least"
    AT_MOST = "at_most"
    MORE_THAN = "more_than"
    BETWEEN = "between"
    DONE_BY = "done_by"
    LESS_THAN = "less_than"

    @property
    def label(self) -> str:
        return {
            "at_least": "At least",
            "at_most": "At most",
            "more_than": "More than",
            "between": "Between",
            "done_by": "Done by",
            "less_than": "Less than",
        }[self.value]

    @property
    def lower_is_better(self) -> bool:
        return self in (Comparison.AT_MOST, Comparison.LESS_THAN)


class Measure(StrEnum):
    SHARE = "share"
    VALUE = "value"


class Direction(StrEnum):
    INCREASE = "increase"
    DECREASE = "decrease"
    MAINTAIN = "maintain"
    DELIVER = "deliver"

    @property
    def label(self) -> str:
        return self.value.capitalize()


@dataclass(frozen=True)
class Goal:
    """What a target asks of one year.

    `value` is the number to compare against (for counts, the total of the parts); `lower` and
    `upper` bound a band; `parts` holds each part's value for counts; `due` is a milestone's
    date. `is_percent` marks values that are percentages (share, benchmark on a share).
    """

    comparison: Comparison
    value: Decimal | None = None
    lower: Decimal | None = None
    upper: Decimal | None = None
    parts: tuple[tuple[str, Decimal], ...] = ()
    due: date | None = None
    is_percent: bool = False

    def part(self, key: str) -> Decimal | None:
        return dict(self.parts).get(key)

    def is_met_by(self, actual: Decimal) -> bool:
        """Whether a final figure meets the goal (milestones are judged elsewhere)."""
        match self.comparison:
            case Comparison.AT_LEAST:
                return self.value is not None and actual >= self.value
            case Comparison.AT_MOST:
                return self.value is not None and actual <= self.value
            case Comparison.MORE_THAN:
                return self.value is not None and actual > self.value
            case Comparison.LESS_THAN:
                return self.value is not None and actual < self.value
            case Comparison.BETWEEN:
                return (
                    self.lower is not None
                    and self.upper is not None
                    and self.lower <= actual <= self.upper
                )
        return False


class TargetError(ValueError):
    """Every problem with a target's parameters, each as (field path, message)."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(f"{field}: {message}" for field, message in self.problems))


# --- Targets ------------------------------------------------------------------------------


def _money(value: Decimal, unit: str) -> str:
    return figure(value, unit)


def _whole_goal(goal: Goal, unit: str) -> Decimal:
    """A goal's value as it can be reached: 88 for 87.9 people, unchanged for money."""
    assert goal.value is not None
    if counts_whole_things(unit):
        return whole_goal(goal.comparison.value, goal.value)[1]
    return goal.value


def _limit(comparison: Comparison, value: Decimal, unit: str) -> str:
    """A goal in words: "At least 80 opportunities" (79.8 of whole things), "At most £950"."""
    text = limit_phrase(comparison.value, value, unit)
    return text[:1].upper() + text[1:]


def _year_phrase(year: FinancialYear) -> str:
    return f"in {year.label}"


def _final_goal(
    comparison: Comparison,
    value: Decimal | None,
    lower: Decimal | None,
    upper: Decimal | None,
    *,
    is_percent: bool = False,
) -> Goal:
    if comparison is Comparison.BETWEEN:
        return Goal(comparison, lower=lower, upper=upper, is_percent=is_percent)
    return Goal(comparison, value=value, is_percent=is_percent)


def _timed_goal(
    year: FinancialYear,
    timing: Timing,
    final: Goal,
    origin: tuple[FinancialYear, Decimal] | None,
) -> Goal | None:
    """The final goal, or the trajectory's figure for a year before the due year (a band has
    no trajectory), or None (not started, or no trajectory can be drawn)."""
    stage = timing.stage(year)
    if stage is None or stage is Stage.DUE:
        return final
    if stage is Stage.NOT_STARTED or final.value is None:
        return None
    value = timing.goal_value(year, final=final.value, origin=origin)
    if value is None:
        return None
    return replace(final, value=value)


def _origin(
    timing: Timing, baseline_period: FinancialYear | None, baseline_value: Decimal | None
) -> tuple[FinancialYear, Decimal] | None:
    """Where a trajectory starts: the baseline, or nothing before the start of a cumulative
    target."""
    if baseline_period is not None and baseline_value is not None:
        return baseline_period, baseline_value
    if timing.cumulative and timing.start_year is not None:
        return timing.start_year.previous, Decimal(0)
    return None


def _goal_words(comparison: Comparison, goal: Goal, unit: str) -> str:
    if comparison is Comparison.BETWEEN:
        assert goal.lower is not None and goal.upper is not None
        if goal.is_percent:
            low, high = format_percent(goal.lower, places=2), format_percent(goal.upper, places=2)
            return f"Between {low} and {high}"
        return f"Between {figure(goal.lower, unit)} and {figure(goal.upper, unit)}"
    assert goal.value is not None
    return _limit(comparison, goal.value, "%" if goal.is_percent else unit)


def _timed_words(
    text: str, year: FinancialYear, timing: Timing, goal: Goal | None, unit: str
) -> str:
    """The target in words with its years, then what it asks of `year` when that differs."""
    text += timing.when()
    stage = timing.stage(year)
    if stage is Stage.NOT_STARTED:
        return f"{text} (not started in {year.label})"
    if stage is Stage.TRAJECTORY:
        if goal is None or goal.value is None:
            return f"{text} (not judged before {_due_label(timing)}: no trajectory)"
        words = limit_phrase(goal.comparison.value, goal.value, "%" if goal.is_percent else unit)
        return f"{text} (trajectory: {words} in {year.label})"
    return text


def _due_label(timing: Timing) -> str:
    assert timing.due_year is not None
    return timing.due_year.label


@dataclass(frozen=True)
class CountTarget:
    kind: ClassVar[TargetKind] = TargetKind.COUNT
    value: Decimal | None
    comparison: Comparison = Comparison.AT_LEAST
    lower: Decimal | None = None
    upper: Decimal | None = None
    accumulation: Accumulation = Accumulation.SUM
    baseline_period: FinancialYear | None = None
    baseline_value: Decimal | None = None
    timing: Timing = NO_TIMING

    def final_goal(self) -> Goal:
        return _final_goal(self.comparison, self.value, self.lower, self.upper)

    def goal(self, year: FinancialYear, *, previous_actual: Decimal | None = None) -> Goal | None:
        origin = _origin(self.timing, self.baseline_period, self.baseline_value)
        return _timed_goal(year, self.timing, self.final_goal(), origin)

    def describe(
        self, year: FinancialYear, *, previous_actual: Decimal | None = None, unit: str = ""
    ) -> str:
        text = _goal_words(self.comparison, self.final_goal(), unit)
        if not self.timing.is_set:
            return f"{text} {_year_phrase(year)}"
        if self.baseline_period is not None and self.baseline_value is not None:
            text += f" (from {figure(self.baseline_value, unit)} in {self.baseline_period.label})"
        return _timed_words(text, year, self.timing, self.goal(year), unit)

    def to_params(self) -> dict[str, object]:
        params: dict[str, object] = {}
        if self.value is not None:
            params["value"] = to_json_number(self.value)
        if self.comparison is not Comparison.AT_LEAST:
            params["comparison"] = self.comparison.value
        if self.lower is not None:
            params["lower"] = to_json_number(self.lower)
        if self.upper is not None:
            params["upper"] = to_json_number(self.upper)
        return {**params, **_extra_params(self)}


def _extra_params(
    target: CountTarget
    | ShareTarget
    | GrowthFromBaselineTarget
    | GrowthOnPreviousTarget
    | ReductionFromBaselineTarget,
) -> dict[str, object]:
    """The baseline of a count or share, the years, and a non-default accumulation."""
    params: dict[str, object] = {}
    if isinstance(target, CountTarget | ShareTarget):
        if target.baseline_period is not None:
            params["baseline_period"] = target.baseline_period.label
        if target.baseline_value is not None:
            params["baseline_value"] = to_json_number(target.baseline_value)
    if not isinstance(target, GrowthOnPreviousTarget):
        params.update(target.timing.to_params())
    if target.accumulation is not DEFAULT_ACCUMULATION[target.kind]:
        params["accumulation"] = target.accumulation.value
    return params


@dataclass(frozen=True)
class CountPart:
    key: str
    label: str
    value: Decimal


@dataclass(frozen=True)
class CountsTarget:
    kind: ClassVar[TargetKind] = TargetKind.COUNTS
    parts: tuple[CountPart, ...]

    def goal(self, year: FinancialYear, *, previous_actual: Decimal | None = None) -> Goal:
        return Goal(
            Comparison.AT_LEAST,
            value=sum((part.value for part in self.parts), Decimal(0)),
            parts=tuple((part.key, part.value) for part in self.parts),
        )

    def describe(
        self, year: FinancialYear, *, previous_actual: Decimal | None = None, unit: str = ""
    ) -> str:
        # Each part's label names what is counted ("research projects"), so the unit,
        # which would repeat it, is left out.
        pieces = [f"{format_number(part.value)} {part.label}" for part in self.parts]
        return f"{_join_and(pieces)} {_year_phrase(year)}"

    def to_params(self) -> dict[str, object]:
        return {
            "parts": [
                {"key": part.key, "label": part.label, "value": to_json_number(part.value)}
                for part in self.parts
            ]
        }


def _join_and(pieces: list[str]) -> str:
    if len(pieces) <= 1:
        return "".join(pieces)
    return f"{', '.join(pieces[:-1])} and {pieces[-1]}"


def _baseline_gap(year: FinancialYear, baseline: FinancialYear) -> str | None:
    """Why a year has no goal measured from `baseline`, or None when it has one."""
    if year == baseline:
        return f"{year.label} is the baseline year, so no change is due"
    if year < baseline:
        return f"{year.label} is before the {baseline.label} baseline, so no change is due"
    return None


@dataclass(frozen=True)
class GrowthFromBaselineTarget:
    """Compound growth: the goal for year n after the baseline is baseline * (1 + rate) ** n.
    With `change` instead of a rate, an absolute increase on the baseline: the goal is
    baseline + change, reached on a straight line by the due year when there is one."""

    kind: ClassVar[TargetKind] = TargetKind.GROWTH_FROM_BASELINE
    baseline_period: FinancialYear
    rate_percent: Decimal | None = None
    baseline_value: Decimal | None = None
    change: Decimal | None = None
    accumulation: Accumulation = Accumulation.SUM
    timing: Timing = NO_TIMING

    def goal(self, year: FinancialYear, *, previous_actual: Decimal | None = None) -> Goal | None:
        if self.baseline_value is None or year <= self.baseline_period:
            return None
        if self.timing.stage(year) is Stage.NOT_STARTED:
            return None
        if self.change is not None:
            final = Goal(Comparison.AT_LEAST, value=self.baseline_value + self.change)
            origin = (self.baseline_period, self.baseline_value)
            return _timed_goal(year, self.timing, final, origin)
        assert self.rate_percent is not None
        years = year.years_after(self.baseline_period)
        factor = (1 + self.rate_percent / HUNDRED) ** years
        return Goal(Comparison.AT_LEAST, value=self.baseline_value * factor)

    def describe(
        self, year: FinancialYear, *, previous_actual: Decimal | None = None, unit: str = ""
    ) -> str:
        if self.change is not None:
            text = (
                f"{_money(self.change, unit)} more than the {self.baseline_period.label} baseline"
            )
            if self.baseline_value is not None:
                text += f" of {_money(self.baseline_value, unit)}"
            if gap := _baseline_gap(year, self.baseline_period):
                return f"{text}{self.timing.when()} ({gap})"
            if self.timing.is_set:
                return _timed_words(text, year, self.timing, self.goal(year), unit)
            goal = self.goal(year)
            if goal is not None and goal.value is not None:
                text += f": {_money(_whole_goal(goal, unit), unit)} for {year.label}"
            return text
        assert self.rate_percent is not None
        text = (
            f"Up {format_number(self.rate_percent)}% a year from the "
            f"{self.baseline_period.label} baseline"
        )
        if self.baseline_value is not None:
            text += f" of {_money(self.baseline_value, unit)}"
        if gap := _baseline_gap(year, self.baseline_period):
            return f"{text} ({gap})"
        if self.timing.stage(year) is Stage.NOT_STARTED:
            return _timed_words(text, year, self.timing, None, unit)
        text += self.timing.when()
        goal = self.goal(year)
        if goal is not None and goal.value is not None:
            text += f": {_money(_whole_goal(goal, unit), unit)} for {year.label}"
        return text

    def to_params(self) -> dict[str, object]:
        params: dict[str, object] = {"baseline_period": self.baseline_period.label}
        if self.rate_percent is not None:
            params["rate_percent"] = to_json_number(self.rate_percent)
        if self.change is not None:
            params["change"] = to_json_number(self.change)
        if self.baseline_value is not None:
            params["baseline_value"] = to_json_number(self.baseline_value)
        return {**params, **_extra_params(self)}


@dataclass(frozen=True)
class GrowthOnPreviousTarget:
    """Growth on the previous year's actual; without a rate, any increase will do."""

    kind: ClassVar[TargetKind] = TargetKind.GROWTH_ON_PREVIOUS
    rate_percent: Decimal | None = None
    accumulation: Accumulation = Accumulation.SUM

    def goal(self, year: FinancialYear, *, previous_actual: Decimal | None = None) -> Goal | None:
        if previous_actual is None:
            return None
        if self.rate_percent is None:
            return Goal(Comparison.MORE_THAN, value=previous_actual)
        return Goal(Comparison.AT_LEAST, value=previous_actual * (1 + self.rate_percent / HUNDRED))

    def describe(
        self, year: FinancialYear, *, previous_actual: Decimal | None = None, unit: str = ""
    ) -> str:
        previous = year.previous.label
        known = f" ({_money(previous_actual, unit)})" if previous_actual is not None else ""
        if self.rate_percent is None:
            return f"Higher than in {previous}{known}"
        text = f"Up {format_number(self.rate_percent)}% on {previous}{known}"
        goal = self.goal(year, previous_actual=previous_actual)
        if goal is not None and goal.value is not None:
            limit = limit_phrase(goal.comparison.value, goal.value, unit)
            text += f": {limit} {_year_phrase(year)}"
        return text

    def to_params(self) -> dict[str, object]:
        params: dict[str, object] = {}
        if self.rate_percent is not None:
            params["rate_percent"] = to_json_number(self.rate_percent)
        return {**params, **_extra_params(self)}


@dataclass(frozen=True)
class ReductionFromBaselineTarget:
    """At most baseline * (1 - rate). Without a baseline year the previous year's actual is
    the baseline, so the reduction applies afresh each year rather than compounding."""

    kind: ClassVar[TargetKind] = TargetKind.REDUCTION_FROM_BASELINE
    rate_percent: Decimal
    baseline_period: FinancialYear | None = None
    baseline_value: Decimal | None = None
    accumulation: Accumulation = Accumulation.SUM
    timing: Timing = NO_TIMING

    def baseline_for(
        self, year: FinancialYear, *, previous_actual: Decimal | None = None
    ) -> tuple[FinancialYear, Decimal | None]:
        if self.baseline_period is None:
            return year.previous, previous_actual
        return self.baseline_period, self.baseline_value

    def goal(self, year: FinancialYear, *, previous_actual: Decimal | None = None) -> Goal | None:
        baseline_year, baseline = self.baseline_for(year, previous_actual=previous_actual)
        if baseline is None or year <= baseline_year:
            return None
        final = Goal(Comparison.AT_MOST, value=baseline * (1 - self.rate_percent / HUNDRED))
        return _timed_goal(year, self.timing, final, (baseline_year, baseline))

    def describe(
        self, year: FinancialYear, *, previous_actual: Decimal | None = None, unit: str = ""
    ) -> str:
        baseline_year, baseline = self.baseline_for(year, previous_actual=previous_actual)
        rate = format_number(self.rate_percent)
        if self.baseline_period is None:
            text = f"Down {rate}% on {baseline_year.label}"
        else:
            text = f"Down {rate}% on the {baseline_year.label} baseline"
        if baseline is not None:
            text += f" ({_money(baseline, unit)})"
        if gap := _baseline_gap(year, baseline_year):
            return f"{text}{self.timing.when()} ({gap})"
        goal = self.goal(year, previous_actual=previous_actual)
        if self.timing.is_set:
            return _timed_words(text, year, self.timing, goal, unit)
        if goal is not None and goal.value is not None:
            limit = limit_phrase(goal.comparison.value, goal.value, unit)
            text += f": {limit} {_year_phrase(year)}"
        return text

    def to_params(self) -> dict[str, object]:
        params: dict[str, object] = {"rate_percent": to_json_number(self.rate_percent)}
        if self.baseline_period is not None:
            params["baseline_period"] = self.baseline_period.label
        if self.baseline_value is not None:
            params["baseline_value"] = to_json_number(self.baseline_value)
        return {**params, **_extra_params(self)}


@dataclass(frozen=True)
class ShareTarget:
    kind: ClassVar[TargetKind] = TargetKind.SHARE
    target_percent: Decimal | None
    comparison: Comparison = Comparison.AT_LEAST
    lower: Decimal | None = None
    upper: Decimal | None = None
    accumulation: Accumulation = Accumulation.POOLED
    baseline_period: FinancialYear | None = None
    baseline_value: Decimal | None = None
    timing: Timing = NO_TIMING

    def final_goal(self) -> Goal:
        return _final_goal(
            self.comparison, self.target_percent, self.lower, self.upper, is_percent=True
        )

    def goal(self, year: FinancialYear, *, previous_actual: Decimal | None = None) -> Goal | None:
        origin = _origin(self.timing, self.baseline_period, self.baseline_value)
        return _timed_goal(year, self.timing, self.final_goal(), origin)

    def describe(
        self, year: FinancialYear, *, previous_actual: Decimal | None = None, unit: str = ""
    ) -> str:
        whole = noun_of_share(unit) or "the whole"
        text = f"{_goal_words(self.comparison, self.final_goal(), unit)} of {whole}"
        if not self.timing.is_set:
            return text
        if self.baseline_period is not None and self.baseline_value is not None:
            shown = format_percent(self.baseline_value, places=2)
            text += f" (from {shown} in {self.baseline_period.label})"
        return _timed_words(text, year, self.timing, self.goal(year), unit)

    def to_params(self) -> dict[str, object]:
        params: dict[str, object] = {}
        if self.target_percent is not None:
            params["target_percent"] = to_json_number(self.target_percent)
        if self.comparison is not Comparison.AT_LEAST:
            params["comparison"] = self.comparison.value
        if self.lower is not None:
            params["lower"] = to_json_number(self.lower)
        if self.upper is not None:
            params["upper"] = to_json_number(self.upper)
        return {**params, **_extra_params(self)}


@dataclass(frozen=True)
class RatioPart:
    """One ratio: group A's rate ÷ group B's rate (e.g. White ÷ BME appointed from shortlist)."""

    key: str
    label: str
    group_a: str
    group_b: str


@dataclass(frozen=True)
class RatioBandTarget:
    kind: ClassVar[TargetKind] = TargetKind.RATIO_BAND
    lower: Decimal
    upper: Decimal
    parts: tuple[RatioPart, ...]

    def goal(self, year: FinancialYear, *, previous_actual: Decimal | None = None) -> Goal:
        return Goal(Comparison.BETWEEN, lower=self.lower, upper=self.upper)

    def describe(
        self, year: FinancialYear, *, previous_actual: Decimal | None = None, unit: str = ""
    ) -> str:
        return f"Ratio between {format_number(self.lower)} and {format_number(self.upper)}"

    def to_params(self) -> dict[str, object]:
        return {
            "lower": to_json_number(self.lower),
            "upper": to_json_number(self.upper),
            "parts": [
                {
                    "key": part.key,
                    "label": part.label,
                    "group_a": part.group_a,
                    "group_b": part.group_b,
                }
                for part in self.parts
            ],
        }


@dataclass(frozen=True)
class IncreaseOnBenchmarkTarget:
    """Beat a benchmark year's figure. With measure `share` the benchmark is a percentage."""

    kind: ClassVar[TargetKind] = TargetKind.INCREASE_ON_BENCHMARK
    benchmark_period: FinancialYear
    benchmark_value: Decimal | None = None
    measure: Measure = Measure.SHARE

    def goal(self, year: FinancialYear, *, previous_actual: Decimal | None = None) -> Goal | None:
        if self.benchmark_value is None or year <= self.benchmark_period:
            return None
        return Goal(
            Comparison.MORE_THAN,
            value=self.benchmark_value,
            is_percent=self.measure is Measure.SHARE,
        )

    def describe(
        self, year: FinancialYear, *, previous_actual: Decimal | None = None, unit: str = ""
    ) -> str:
        text = f"Higher than the {self.benchmark_period.label} benchmark"
        if self.benchmark_value is not None:
            if self.measure is Measure.SHARE:
                text += f" of {format_percent(self.benchmark_value, places=2)}"
            else:
                text += f" of {_money(self.benchmark_value, unit)}"
        if year <= self.benchmark_period:
            text += f" (no increase is due in {year.label})"
        return text

    def to_params(self) -> dict[str, object]:
        params: dict[str, object] = {"benchmark_period": self.benchmark_period.label}
        if self.benchmark_value is not None:
            params["benchmark_value"] = to_json_number(self.benchmark_value)
        if self.measure is not Measure.SHARE:
            params["measure"] = self.measure.value
        return params


@dataclass(frozen=True)
class MilestoneTarget:
    """Done by `due` (default: the end of the year assessed). A recurring milestone must be
    done within each year, by the same day and month as `due` when one is given."""

    kind: ClassVar[TargetKind] = TargetKind.MILESTONE
    due: date | None = None
    recurs: bool = False

    def due_in(self, year: FinancialYear) -> date:
        if self.due is None:
            return year.end
        if not self.recurs:
            return self.due
        calendar_year = year.start_year if self.due.month >= 4 else year.start_year + 1
        day = self.due.day
        if self.due.month == 2 and day == 29:
            day = 29 if _is_leap(calendar_year) else 28
        return date(calendar_year, self.due.month, day)

    def goal(self, year: FinancialYear, *, previous_actual: Decimal | None = None) -> Goal:
        return Goal(Comparison.DONE_BY, due=self.due_in(year))

    def describe(
        self, year: FinancialYear, *, previous_actual: Decimal | None = None, unit: str = ""
    ) -> str:
        text = f"Done by {format_date(self.due_in(year))}"
        if self.recurs:
            text += " (every year)"
        return text

    def to_params(self) -> dict[str, object]:
        params: dict[str, object] = {}
        if self.due is not None:
            params["due"] = self.due.isoformat()
        if self.recurs:
            params["recurs"] = True
        return params


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


@dataclass(frozen=True)
class MaintainTarget:
    """Judged on evidence and a self-assessed status; `level`, when set, is a floor."""

    kind: ClassVar[TargetKind] = TargetKind.MAINTAIN
    description: str = ""
    level: Decimal | None = None

    def goal(self, year: FinancialYear, *, previous_actual: Decimal | None = None) -> Goal | None:
        if self.level is None:
            return None
        return Goal(Comparison.AT_LEAST, value=self.level)

    def describe(
        self, year: FinancialYear, *, previous_actual: Decimal | None = None, unit: str = ""
    ) -> str:
        level = limit_phrase("at_least", self.level, unit) if self.level is not None else ""
        if self.description and level:
            return f"{self.description} ({level})"
        if self.description:
            return self.description
        if level:
            return f"Maintain {level}"
        return "Maintain or deliver, with evidence"

    def to_params(self) -> dict[str, object]:
        params: dict[str, object] = {}
        if self.description:
            params["description"] = self.description
        if self.level is not None:
            params["level"] = to_json_number(self.level)
        return params


@dataclass(frozen=True)
class DirectionTarget:
    kind: ClassVar[TargetKind] = TargetKind.DIRECTION
    direction: Direction

    def goal(self, year: FinancialYear, *, previous_actual: Decimal | None = None) -> None:
        return None

    def describe(
        self, year: FinancialYear, *, previous_actual: Decimal | None = None, unit: str = ""
    ) -> str:
        return f"{self.direction.label} (no number set yet)"

    def to_params(self) -> dict[str, object]:
        return {"direction": self.direction.value}


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


# --- Parsing --------------------------------------------------------------------------------

_MISSING = object()
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class _Reader:
    """Reads parameters one by one, collecting problems instead of stopping at the first."""

    def __init__(self, params: Mapping[str, object], *, prefix: str = "") -> None:
        self.params = params
        self.prefix = prefix
        self.problems: list[tuple[str, str]] = []
        self.seen: set[str] = set()

    def field(self, name: str) -> str:
        return f"{self.prefix}{name}"

    def problem(self, name: str, message: str) -> None:
        self.problems.append((self.field(name), message))

    def raw(self, name: str) -> object:
        self.seen.add(name)
        value = self.params.get(name, _MISSING)
        # A blank form field or a YAML `~` means "not given".
        if value is None or (isinstance(value, str) and not value.strip()):
            return _MISSING
        return value

    def number(
        self,
        name: str,
        *,
        what: str,
        required: bool,
        rule: NumberRule = bounds.AMOUNT,
        minimum: Decimal | None = None,
        maximum: Decimal | None = None,
        above_minimum: bool = False,
    ) -> Decimal | None:
        """A number within `rule` (bounds.py: range and decimal places), or None.

        `minimum`, `maximum` and `above_minimum` narrow the rule's range, never widen it.
        """
        if minimum is not None or maximum is not None or above_minimum:
            rule = replace(
                rule,
                minimum=rule.minimum if minimum is None else max(minimum, rule.minimum),
                maximum=rule.maximum if maximum is None else min(maximum, rule.maximum),
                above_minimum=above_minimum or rule.above_minimum,
            )
        value = self.raw(name)
        if value is _MISSING:
            if required:
                self.problem(name, f"Enter {what}")
            return None
        number = _to_decimal(value)
        if number is None:
            self.problem(name, f"Enter {what} as a number, like 5")
            return None
        if problem := rule.problem(number):
            self.problem(name, f"{_capitalise(_strip_article(what))} {problem}")
            return None
        return number

    def year(self, name: str, *, what: str, required: bool) -> FinancialYear | None:
        value = self.raw(name)
        if value is _MISSING:
            if required:
                self.problem(name, f"Enter {what}, like 2023/24")
            return None
        if isinstance(value, FinancialYear):
            if value.in_range:
                return value
            self.problem(name, bounds.YEAR_RANGE_MESSAGE)
            return None
        if not isinstance(value, str):
            self.problem(name, FINANCIAL_YEAR_HINT)
            return None
        try:
            return FinancialYear.parse(value)
        except ValueError as error:
            self.problem(name, str(error))
            return None

    def choice[E: StrEnum](
        self, name: str, enum: type[E], *, allowed: tuple[E, ...], default: E
    ) -> E:
        value = self.raw(name)
        if value is _MISSING:
            return default
        if isinstance(value, str) and value.strip() in {choice.value for choice in allowed}:
            return enum(value.strip())
        options = _join_or([choice.value for choice in allowed])
        self.problem(name, f"{_capitalise(name.replace('_', ' '))} must be {options}")
        return default

    def text(self, name: str, *, what: str, required: bool) -> str:
        value = self.raw(name)
        if value is _MISSING:
            if required:
                self.problem(name, f"Enter {what}")
            return ""
        if not isinstance(value, str):
            self.problem(name, f"Enter {what} as text")
            return ""
        return value.strip()

    def boolean(self, name: str, *, default: bool) -> bool:
        value = self.raw(name)
        if value is _MISSING:
            return default
        if isinstance(value, bool):
            return value
        self.problem(name, f"{_capitalise(name)} must be true or false")
        return default

    def date(self, name: str, *, what: str) -> date | None:
        value = self.raw(name)
        if value is _MISSING:
            return None
        day: date | None = None
        if isinstance(value, date):
            day = value
        elif isinstance(value, str) and _ISO_DATE.match(value.strip()):
            try:
                day = date.fromisoformat(value.strip())
            except ValueError:
                self.problem(name, f"Enter {what} that exists, like 2024-03-31")
                return None
        if day is None:
            self.problem(name, f"Enter {what} like 2024-03-31")
            return None
        if problem := bounds.date_problem(day):
            self.problem(name, f"{_capitalise(_strip_article(what))} {problem}")
            return None
        return day

    def unknown(self, allowed: tuple[str, ...]) -> None:
        for key in self.params:
            if key not in allowed:
                names = ", ".join(allowed) if allowed else "no parameters"
                self.problems.append(
                    (self.field(str(key)), f'Remove "{key}": this target takes {names}')
                )


_to_decimal = bounds.read_decimal


def _strip_article(text: str) -> str:
    for article in ("a ", "an ", "the "):
        if text.startswith(article):
            return text[len(article) :]
    return text


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _join_or(pieces: list[str]) -> str:
    if len(pieces) <= 1:
        return "".join(pieces)
    return f"{', '.join(pieces[:-1])} or {pieces[-1]}"


_GOAL_KEYS = ("comparison", "lower", "upper", "baseline_period", "baseline_value")
_TIMING_KEYS = ("start_year", "due_year", "due_until", "trajectory", "accumulation")
_COMPARISONS = (
    Comparison.AT_LEAST,
    Comparison.MORE_THAN,
    Comparison.AT_MOST,
    Comparison.LESS_THAN,
    Comparison.BETWEEN,
)


def _read_accumulation(r: _Reader, kind: TargetKind) -> Accumulation:
    return r.choice(
        "accumulation",
        Accumulation,
        allowed=ALLOWED_ACCUMULATION[kind],
        default=DEFAULT_ACCUMULATION[kind],
    )


def _read_timing(r: _Reader, *, cumulative: bool, baseline_period: FinancialYear | None) -> Timing:
    """The years of a target: start, due year or window, the lead's trajectory."""
    start = r.year("start_year", what="the year the target starts", required=False)
    due = r.year("due_year", what="the year the target is due", required=False)
    until = r.year("due_until", what="the last year of the due window", required=False)
    if until is not None and due is None:
        r.problem("due_until", "Enter the first year of the window as due_year too")
    if until is not None and due is not None and until <= due:
        r.problem("due_until", f"The window must end after {due.label}, the year it opens")
    if start is not None and due is not None and due < start:
        r.problem("due_year", f"The due year must not be before the start, {start.label}")
    if cumulative and start is None:
        r.problem("start_year", "Enter the year a cumulative target starts counting from")
    for name, year in (("start_year", start), ("due_year", due)):
        if baseline_period is not None and year is not None and year <= baseline_period:
            r.problem(name, f"The year must be after the {baseline_period.label} baseline")
    trajectory: list[tuple[FinancialYear, Decimal]] = []
    raw = r.raw("trajectory")
    if raw is not _MISSING:
        if not isinstance(raw, Mapping) or not raw:
            r.problem(
                "trajectory", "Enter the trajectory as years with a figure, like 2024/25: 300"
            )
        elif due is None:
            r.problem("trajectory", "Enter a due year for the trajectory to lead to")
        else:
            sub = _Reader({str(k): v for k, v in raw.items()}, prefix=f"{r.prefix}trajectory.")
            for key in raw:
                try:
                    year = FinancialYear.parse(str(key))
                except ValueError as error:
                    sub.problem(str(key), str(error))
                    continue
                if not year < due or (start is not None and year < start):
                    sub.problem(
                        str(key), "A trajectory year must be from the start to before the due year"
                    )
                    continue
                value = sub.number(str(key), what="a figure for the year", required=True)
                if value is not None:
                    trajectory.append((year, value))
            r.problems.extend(sub.problems)
    return Timing(
        start_year=start,
        due_year=due,
        due_until=until,
        cumulative=cumulative,
        trajectory=tuple(sorted(trajectory)),
    )


def _read_goal_numbers(
    r: _Reader, name: str, *, what: str, rule: NumberRule
) -> tuple[Comparison, Decimal | None, Decimal | None, Decimal | None]:
    """A comparison and its number: `name` for at least, more than, at most and less than;
    `lower` and `upper` for between."""
    comparison = r.choice(
        "comparison", Comparison, allowed=_COMPARISONS, default=Comparison.AT_LEAST
    )
    if comparison is Comparison.BETWEEN:
        lower = r.number("lower", what="the lowest figure", required=True, rule=rule)
        upper = r.number("upper", what="the highest figure", required=True, rule=rule)
        if lower is not None and upper is not None and lower >= upper:
            r.problem("lower", "Lower must be less than upper")
        if r.raw(name) is not _MISSING:
            r.problem(name, f"Remove {name}: a target between two figures takes lower and upper")
        return comparison, None, lower, upper
    value = r.number(name, what=what, required=True, rule=rule)
    for extra in ("lower", "upper"):
        if r.raw(extra) is not _MISSING:
            r.problem(extra, f"Remove {extra}: it is only for a comparison of between")
    return comparison, value, None, None


def _read_baseline(r: _Reader, *, rule: NumberRule) -> tuple[FinancialYear | None, Decimal | None]:
    period = r.year("baseline_period", what="a baseline year", required=False)
    value = r.number("baseline_value", what="a baseline value", required=False, rule=rule)
    if value is not None and period is None:
        r.problem("baseline_value", "Enter the baseline year too")
    return period, value


def _parse_count(r: _Reader) -> CountTarget | None:
    r.unknown((*_GOAL_KEYS, "value", *_TIMING_KEYS, "cumulative"))
    comparison, value, lower, upper = _read_goal_numbers(
        r, "value", what="a target value", rule=bounds.AMOUNT
    )
    accumulation = _read_accumulation(r, TargetKind.COUNT)
    cumulative = r.boolean("cumulative", default=False)
    if cumulative and accumulation is not Accumulation.SUM:
        r.problem("cumulative", "A cumulative target adds up its figures: use accumulation sum")
    baseline_period, baseline_value = _read_baseline(r, rule=bounds.AMOUNT)
    timing = _read_timing(r, cumulative=cumulative, baseline_period=baseline_period)
    if r.problems:
        return None
    return CountTarget(
        value=value,
        comparison=comparison,
        lower=lower,
        upper=upper,
        accumulation=accumulation,
        baseline_period=baseline_period,
        baseline_value=baseline_value,
        timing=timing,
    )


def _read_parts(
    r: _Reader, *, minimum: int, read_one: Callable[[_Reader], object | None]
) -> list[object] | None:
    raw = r.raw("parts")
    if raw is _MISSING:
        r.problem(
            "parts", f"Enter at least {_count_word(minimum)} {'part' if minimum == 1 else 'parts'}"
        )
        return None
    if isinstance(raw, str | bytes | Mapping) or not isinstance(raw, list | tuple):
        r.problem("parts", "Enter the parts as a list")
        return None
    if len(raw) < minimum:
        r.problem(
            "parts", f"Enter at least {_count_word(minimum)} {'part' if minimum == 1 else 'parts'}"
        )
    parts: list[object] = []
    keys: set[str] = set()
    ok = True
    for index, item in enumerate(raw):
        if not isinstance(item, Mapping):
            r.problem(f"parts[{index}]", "Enter each part with a key and a label")
            ok = False
            continue
        sub = _Reader(item, prefix=f"{r.prefix}parts[{index}].")
        part = read_one(sub)
        r.problems.extend(sub.problems)
        key = item.get("key")
        if isinstance(key, str) and key.strip():
            if key.strip() in keys:
                r.problem(f"parts[{index}].key", f'Use a different key: "{key.strip()}" is taken')
                ok = False
            keys.add(key.strip())
        if part is None or sub.problems:
            ok = False
        else:
            parts.append(part)
    return parts if ok and len(raw) >= minimum else None


def _count_word(n: int) -> str:
    return {1: "one", 2: "two"}.get(n, str(n))


_KEY_PATTERN = re.compile(r"^[A-Za-z0-9_.-]+$")


def _read_key(r: _Reader) -> str:
    key = r.text("key", what="a key", required=True)
    if key and not _KEY_PATTERN.match(key):
        r.problem("key", "Key must use only letters, numbers, hyphens and underscores")
    return key


def _read_count_part(r: _Reader) -> CountPart | None:
    r.unknown(("key", "label", "value"))
    key = _read_key(r)
    label = r.text("label", what="a label", required=True)
    value = r.number("value", what="a target value", required=True)
    if not key or not label or value is None:
        return None
    return CountPart(key=key, label=label, value=value)


def _read_ratio_part(r: _Reader) -> RatioPart | None:
    r.unknown(("key", "label", "group_a", "group_b"))
    key = _read_key(r)
    label = r.text("label", what="a label", required=True)
    group_a = r.text("group_a", what="the name of group A", required=True)
    group_b = r.text("group_b", what="the name of group B", required=True)
    if not (key and label and group_a and group_b):
        return None
    return RatioPart(key=key, label=label, group_a=group_a, group_b=group_b)


def _parse_counts(r: _Reader) -> CountsTarget | None:
    r.unknown(("parts",))
    parts = _read_parts(r, minimum=2, read_one=_read_count_part)
    if parts is None:
        return None
    return CountsTarget(parts=tuple(parts))  # type: ignore[arg-type]


def _read_rate(r: _Reader, *, required: bool, rule: NumberRule) -> Decimal | None:
    return r.number("rate_percent", what="a rate", required=required, rule=rule)


def _parse_growth_from_baseline(r: _Reader) -> GrowthFromBaselineTarget | None:
    r.unknown(("baseline_period", "baseline_value", "rate_percent", "change", *_TIMING_KEYS))
    baseline_period = r.year("baseline_period", what="a baseline year", required=True)
    baseline_value = r.number("baseline_value", what="a baseline value", required=False)
    has_change = r.raw("change") is not _MISSING
    rate = _read_rate(r, required=not has_change, rule=bounds.GROWTH_RATE)
    change = r.number("change", what="the increase", required=False, above_minimum=True)
    if rate is not None and change is not None:
        r.problem("change", "Enter either a rate or a change, not both")
    accumulation = _read_accumulation(r, TargetKind.GROWTH_FROM_BASELINE)
    timing = _read_timing(r, cumulative=False, baseline_period=baseline_period)
    if baseline_period is None or (rate is None and change is None) or r.problems:
        return None
    return GrowthFromBaselineTarget(
        baseline_period=baseline_period,
        rate_percent=rate,
        baseline_value=baseline_value,
        change=change,
        accumulation=accumulation,
        timing=timing,
    )


def _parse_growth_on_previous(r: _Reader) -> GrowthOnPreviousTarget | None:
    r.unknown(("rate_percent", "accumulation"))
    rate = _read_rate(r, required=False, rule=bounds.GROWTH_RATE)
    accumulation = _read_accumulation(r, TargetKind.GROWTH_ON_PREVIOUS)
    if r.problems:
        return None
    return GrowthOnPreviousTarget(rate_percent=rate, accumulation=accumulation)


def _parse_reduction(r: _Reader) -> ReductionFromBaselineTarget | None:
    r.unknown(("rate_percent", "baseline_period", "baseline_value", *_TIMING_KEYS))
    rate = _read_rate(r, required=True, rule=bounds.REDUCTION_RATE)
    baseline_period = r.year("baseline_period", what="a baseline year", required=False)
    baseline_value = r.number("baseline_value", what="a baseline value", required=False)
    if baseline_value is not None and baseline_period is None and not r.problems:
        r.problem(
            "baseline_value",
            "Enter a baseline year for the baseline value, or remove the value "
            "to measure against the previous year",
        )
    accumulation = _read_accumulation(r, TargetKind.REDUCTION_FROM_BASELINE)
    timing = _read_timing(r, cumulative=False, baseline_period=baseline_period)
    if timing.due_year is not None and baseline_period is None:
        r.problem("due_year", "Enter a baseline year: a reduction due by a year needs one")
    if rate is None or r.problems:
        return None
    return ReductionFromBaselineTarget(
        rate_percent=rate,
        baseline_period=baseline_period,
        baseline_value=baseline_value,
        accumulation=accumulation,
        timing=timing,
    )


def _parse_share(r: _Reader) -> ShareTarget | None:
    r.unknown((*_GOAL_KEYS, "target_percent", *_TIMING_KEYS))
    comparison, percent, lower, upper = _read_goal_numbers(
        r, "target_percent", what="a target percentage", rule=bounds.PERCENT
    )
    accumulation = _read_accumulation(r, TargetKind.SHARE)
    baseline_period, baseline_value = _read_baseline(r, rule=bounds.PERCENT)
    timing = _read_timing(r, cumulative=False, baseline_period=baseline_period)
    if r.problems:
        return None
    return ShareTarget(
        target_percent=percent,
        comparison=comparison,
        lower=lower,
        upper=upper,
        accumulation=accumulation,
        baseline_period=baseline_period,
        baseline_value=baseline_value,
        timing=timing,
    )


def _parse_ratio_band(r: _Reader) -> RatioBandTarget | None:
    r.unknown(("lower", "upper", "parts"))
    lower = r.number("lower", what="a lower limit", required=True, rule=bounds.RATIO)
    upper = r.number("upper", what="an upper limit", required=True, rule=bounds.RATIO)
    if lower is not None and upper is not None and lower >= upper:
        r.problem("lower", "Lower must be less than upper")
    parts = _read_parts(r, minimum=1, read_one=_read_ratio_part)
    if lower is None or upper is None or parts is None or r.problems:
        return None
    return RatioBandTarget(lower=lower, upper=upper, parts=tuple(parts))  # type: ignore[arg-type]


def _parse_increase_on_benchmark(r: _Reader) -> IncreaseOnBenchmarkTarget | None:
    r.unknown(("benchmark_period", "benchmark_value", "measure"))
    period = r.year("benchmark_period", what="a benchmark year", required=True)
    value = r.number("benchmark_value", what="a benchmark value", required=False)
    measure = r.choice("measure", Measure, allowed=tuple(Measure), default=Measure.SHARE)
    if value is not None and measure is Measure.SHARE and not (0 <= value <= HUNDRED):
        r.problem("benchmark_value", "Benchmark value must be a percentage between 0 and 100")
    if period is None or r.problems:
        return None
    return IncreaseOnBenchmarkTarget(
        benchmark_period=period, benchmark_value=value, measure=measure
    )


def _parse_milestone(r: _Reader) -> MilestoneTarget | None:
    r.unknown(("due", "recurs"))
    due = r.date("due", what="a due date")
    recurs = r.boolean("recurs", default=False)
    if r.problems:
        return None
    return MilestoneTarget(due=due, recurs=recurs)


def _parse_maintain(r: _Reader) -> MaintainTarget | None:
    r.unknown(("description", "level"))
    description = r.text("description", what="a description", required=False)
    level = r.number("level", what="a level", required=False)
    if r.problems:
        return None
    return MaintainTarget(description=description, level=level)


def _parse_direction(r: _Reader) -> DirectionTarget | None:
    r.unknown(("direction",))
    if r.raw("direction") is _MISSING:
        r.problem("direction", "Select a direction: increase, decrease, maintain or deliver")
        return None
    direction = r.choice(
        "direction", Direction, allowed=tuple(Direction), default=Direction.INCREASE
    )
    if r.problems:
        return None
    return DirectionTarget(direction=direction)


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
