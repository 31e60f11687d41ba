"""What every target kind shares: the kinds, comparisons, goals and their words."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum

from socialvalue.domain.numbers import (
    format_percent,
    to_json_number,
)
from socialvalue.domain.periods import FinancialYear
from socialvalue.domain.timing import Accumulation, Stage, Timing
from socialvalue.domain.wording import (
    counts_whole_things,
    figure,
    limit_phrase,
    whole_goal,
)

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


def _extra_params(
    kind: TargetKind,
    accumulation: Accumulation,
    *,
    timing: Timing | None = None,
    baseline: tuple[FinancialYear | None, Decimal | None] | None = None,
) -> dict[str, object]:
    """The baseline of a count or share, the years, and a non-default accumulation."""
    params: dict[str, object] = {}
    if baseline is not None:
        period, value = baseline
        if period is not None:
            params["baseline_period"] = period.label
        if value is not None:
            params["baseline_value"] = to_json_number(value)
    if timing is not None:
        params.update(timing.to_params())
    if accumulation is not DEFAULT_ACCUMULATION[kind]:
        params["accumulation"] = accumulation.value
    return params


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
