"""The status engine: how an indicator stands against its target for one financial year.

Rules, applied by `assess`:

Which figures count
  Only observations whose period lies within the year count (a one-off milestone may also
  have been done in an earlier year). Periods combine as in docs/targets.md: values summed;
  numerators and denominators summed and then divided (never an average of ratios); the four
  counts of a disparity ratio summed per part and the ratio recomputed; the latest milestone
  state and self-assessment.

Time within the year
  A sub-period (month, quarter or the year itself, per the indicator's frequency) is closed
  the day after its last day. So on the last day of the year (31 March) every sub-period but
  the last is closed and the year is still running; the year is over from 1 April. On the
  first day of the year nothing has closed.

Expected to date and forecast (cumulative kinds: count, counts, growth_*, reduction)
  expected_to_date = goal x the share of the year's sub-periods that have closed, or with a
  `profile` (cumulative fractions, one per sub-period, ending at 1) that fraction.
  forecast (the run rate) = actual / the share of the year up to the end of the latest
  sub-period with a recorded figure: a figure recorded for a period is taken to be that
  period's whole figure. It is rounded to whole numbers when every figure is whole, else to
  2 decimal places. No data, no forecast; once the year is over the forecast is the actual.

Status
  - The goal cannot be computed (baseline, benchmark or previous year's actual not recorded):
    no_data, and the explanation says which figure is missing. A year at or before the
    baseline or benchmark year has no goal: not_yet_due.
  - Nothing recorded: not_yet_due while no sub-period has closed, else no_data (also after the
    year: an unreported year is not claimed as missed).
  - Year over: achieved if the goal is met, else missed.
  - During the year, cumulative kinds: an at-least goal already met is achieved; an at-most
    limit already exceeded is off_track (lower is better, so the comparison is turned round:
    expected / actual); with nothing due yet (no sub-period closed, or expected 0) on_track;
    otherwise actual / expected >= thresholds.at_risk is on_track, >= thresholds.off_track
    at_risk, else off_track.
  - Share and increase on a benchmark: the ratio of the summed numerator and denominator (or
    the latest value) against the target. A zero denominator is no_data with the reason.
    During the year: meets the target on_track, within thresholds.at_risk of it at_risk, else
    off_track.
  - Ratio band: each part's ratio, rounded to 2 decimal places as published, inside
    [lower, upper] is on_track (achieved once the year is over), outside off_track (missed);
    a part without a ratio is no_data with the reason. Counts: each part like a count. The
    indicator takes its worst part's status (see `worst`).
  - Milestone: done (on or before the end of the year; a recurring one within the year) is
    achieved; nothing recorded as above; not done and the due date passed is missed; in
    progress on_track; not started with the due date within DUE_SOON at_risk, otherwise
    not_yet_due.
  - Maintain and direction: the latest self-assessed status, or no_data without one; the
    explanation quotes the narrative's first sentence.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from socialvalue.domain.numbers import (
    format_number,
    format_percent,
    format_quantity,
    format_ratio,
    quantize,
)
from socialvalue.domain.periods import MONTH_NAMES, FinancialYear, Frequency, Period, format_date
from socialvalue.domain.targets import (
    Comparison,
    CountsTarget,
    Goal,
    GrowthFromBaselineTarget,
    GrowthOnPreviousTarget,
    IncreaseOnBenchmarkTarget,
    MaintainTarget,
    Measure,
    MilestoneTarget,
    RatioBandTarget,
    ReductionFromBaselineTarget,
    ShareTarget,
    Target,
    TargetKind,
)

__all__ = [
    "DUE_SOON",
    "SMALL_COUNT",
    "Actual",
    "Assessment",
    "Goal",
    "MilestoneState",
    "Observation",
    "PartActual",
    "PartAssessment",
    "Status",
    "Thresholds",
    "assess",
    "combine",
    "expected_fractions",
    "overdue_periods",
    "relative_likelihood",
    "rollup",
    "worst",
]

HUNDRED = Decimal(100)
# "Due within the next quarter": a quarter is at most 92 days.
DUE_SOON = timedelta(days=92)
# REFERENCE.md section 3: ratios built on fewer people than this are flagged as unstable.
SMALL_COUNT = Decimal(10)
RATIO_KEYS = ("events_a", "population_a", "events_b", "population_b")


class Status(StrEnum):
    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    MISSED = "missed"
    NOT_YET_DUE = "not_yet_due"
    NO_DATA = "no_data"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()

    @property
    def colour(self) -> str:
        """The NHS tag modifier (nhsuk-tag--green …)."""
        return _COLOURS[self]

    @property
    def severity(self) -> int:
        """Higher is worse; used to pick an indicator's worst part."""
        return _SEVERITY.index(self)


_COLOURS = {
    Status.ACHIEVED: "green",
    Status.ON_TRACK: "green",
    Status.AT_RISK: "orange",
    Status.OFF_TRACK: "red",
    Status.MISSED: "red",
    Status.NOT_YET_DUE: "grey",
    Status.NO_DATA: "white",
}
# An unknown is worse than a known risk but better than a known failure.
_SEVERITY = (
    Status.ACHIEVED,
    Status.NOT_YET_DUE,
    Status.ON_TRACK,
    Status.AT_RISK,
    Status.NO_DATA,
    Status.OFF_TRACK,
    Status.MISSED,
)


def worst(statuses: Sequence[Status]) -> Status:
    """The most severe status; NO_DATA for an empty list."""
    return max(statuses, key=lambda status: status.severity, default=Status.NO_DATA)


class MilestoneState(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


@dataclass(frozen=True)
class Observation:
    """One recorded figure for one period (the current value of an append-only record)."""

    period: Period
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    parts: Mapping[str, Decimal | Mapping[str, Decimal]] = field(default_factory=dict)
    milestone_state: MilestoneState | None = None
    achieved_on: date | None = None
    self_status: Status | None = None
    narrative: str = ""


@dataclass(frozen=True)
class Thresholds:
    """Shares of the expected-to-date figure below which an indicator is at risk / off track."""

    at_risk: Decimal = Decimal("0.9")
    off_track: Decimal = Decimal("0.75")

    def __post_init__(self) -> None:
        if not (0 < self.off_track < self.at_risk <= 1):
            raise ValueError("Thresholds must satisfy 0 < off track < at risk <= 1")


@dataclass(frozen=True)
class PartActual:
    """One part's combined figures: a count, or the four counts of a disparity ratio."""

    key: str
    value: Decimal | None = None
    events_a: Decimal | None = None
    population_a: Decimal | None = None
    events_b: Decimal | None = None
    population_b: Decimal | None = None
    ratio: Decimal | None = None
    reason: str = ""
    unstable: bool = False


@dataclass(frozen=True)
class Actual:
    """The figures of several periods (or members) combined according to the target kind.

    `value` is the headline number: the sum for cumulative kinds, the percentage for shares,
    the latest value for a benchmark on a value. `ratio` is numerator / denominator.
    """

    kind: TargetKind
    periods: tuple[Period, ...] = ()
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    ratio: Decimal | None = None
    reason: str = ""
    parts: tuple[PartActual, ...] = ()
    milestone_state: MilestoneState | None = None
    achieved_on: date | None = None
    self_status: Status | None = None
    narrative: str = ""
    whole_numbers: bool = True

    @property
    def has_data(self) -> bool:
        return bool(self.periods)

    def part(self, key: str) -> PartActual | None:
        return next((part for part in self.parts if part.key == key), None)


# --- Combining ------------------------------------------------------------------------------


def relative_likelihood(
    *,
    events_a: Decimal,
    population_a: Decimal,
    events_b: Decimal,
    population_b: Decimal,
    group_a: str = "group A",
    group_b: str = "group B",
) -> tuple[Decimal | None, str]:
    """(events_a / population_a) / (events_b / population_b), or None and the reason why not."""
    for events, population, group in (
        (events_a, population_a, group_a),
        (events_b, population_b, group_b),
    ):
        if population <= 0:
            return None, f"no ratio: no {group} counted"
        if events < 0 or events > population:
            return None, f"no ratio: {format_number(events)} of {format_number(population)} {group}"
    if events_b == 0:
        return None, (
            f"no ratio: rate for {group_b} is 0 (0 of {format_number(population_b)} {group_b})"
        )
    return (events_a / population_a) / (events_b / population_b), ""


def _latest(observations: Sequence[Observation]) -> Observation | None:
    if not observations:
        return None
    ordered = sorted(
        enumerate(observations), key=lambda pair: (pair[1].period.end, pair[1].period.start)
    )
    return ordered[-1][1]


def _latest_all(observations: Sequence[Observation]) -> list[Observation]:
    """Every observation of the latest period: several when a group's members all report it."""
    if not observations:
        return []
    key = max((o.period.end, o.period.start) for o in observations)
    return [o for o in observations if (o.period.end, o.period.start) == key]


MILESTONE_PROGRESS = {
    None: -1,
    MilestoneState.NOT_STARTED: 0,
    MilestoneState.IN_PROGRESS: 1,
    MilestoneState.DONE: 2,
}


def _has_data(kind: TargetKind, observation: Observation, measure: Measure | None) -> bool:
    if kind.is_cumulative and kind is not TargetKind.COUNTS:
        return observation.value is not None
    if kind is TargetKind.COUNTS:
        return any(_is_number(v) for v in observation.parts.values())
    if kind is TargetKind.SHARE or (
        kind is TargetKind.INCREASE_ON_BENCHMARK and measure is Measure.SHARE
    ):
        return observation.numerator is not None and observation.denominator is not None
    if kind is TargetKind.INCREASE_ON_BENCHMARK:
        return observation.value is not None
    if kind is TargetKind.RATIO_BAND:
        return any(isinstance(v, Mapping) for v in observation.parts.values())
    if kind is TargetKind.MILESTONE:
        return observation.milestone_state is not None
    return observation.self_status is not None or bool(observation.narrative.strip())


def _is_number(value: object) -> bool:
    return isinstance(value, Decimal | int) and not isinstance(value, bool)


def _is_whole(value: Decimal) -> bool:
    return value == value.to_integral_value()


def combine(
    kind: TargetKind | str | Target,
    observations: Sequence[Observation],
    *,
    measure: Measure | str | None = None,
) -> Actual:
    """Combine observations (periods of a year, or members of a group) into one `Actual`.

    `kind` may be a target, whose part labels and group names then appear in reasons and
    whose `measure` decides how a benchmark is read. Without a measure, a benchmark reads
    numerator and denominator when any observation has them.
    """
    target: Target | None = None
    if isinstance(kind, TargetKind | str):
        kind = TargetKind(kind)
    else:
        target, kind = kind, kind.kind
    if isinstance(target, IncreaseOnBenchmarkTarget):
        measure = target.measure
    if kind is TargetKind.INCREASE_ON_BENCHMARK and measure is None:
        has_share = any(o.numerator is not None for o in observations)
        measure = Measure.SHARE if has_share else Measure.VALUE
    measure = Measure(measure) if measure is not None else None

    used = [o for o in observations if _has_data(kind, o, measure)]
    periods = tuple(sorted({o.period for o in used}))
    base = {"kind": kind, "periods": periods}

    if kind.is_cumulative and kind is not TargetKind.COUNTS:
        values = [Decimal(o.value) for o in used if o.value is not None]
        if not values:
            return Actual(**base)
        return Actual(**base, value=sum(values, Decimal(0)), whole_numbers=_all_whole(values))

    if kind is TargetKind.COUNTS:
        return _combine_counts(used, base, target)

    if kind is TargetKind.SHARE or measure is Measure.SHARE:
        if not used:
            return Actual(**base)
        numerator = sum((Decimal(o.numerator or 0) for o in used), Decimal(0))
        denominator = sum((Decimal(o.denominator or 0) for o in used), Decimal(0))
        if denominator == 0:
            return Actual(
                **base,
                numerator=numerator,
                denominator=denominator,
                reason="no share: the total recorded is 0",
            )
        ratio = numerator / denominator
        return Actual(
            **base,
            value=ratio * HUNDRED,
            numerator=numerator,
            denominator=denominator,
            ratio=ratio,
            whole_numbers=False,
        )

    if kind is TargetKind.INCREASE_ON_BENCHMARK:
        latest = _latest(used)
        if latest is None or latest.value is None:
            return Actual(**base)
        return Actual(**base, value=Decimal(latest.value), whole_numbers=_is_whole(latest.value))

    if kind is TargetKind.RATIO_BAND:
        return _combine_ratios(used, base, target)

    # Milestones and self-assessments take the latest period's word. Where several say it (a
    # group's members), the least favourable stands: a group's milestone is done only when
    # every member reporting says so, and one member at risk puts the commitment at risk.
    latest = _latest_all(used)
    if not latest:
        return Actual(**base)
    if kind is TargetKind.MILESTONE:
        least = min(latest, key=lambda o: MILESTONE_PROGRESS[o.milestone_state])
        done_dates = [o.achieved_on for o in latest if o.achieved_on is not None]
        achieved_on = (
            max(done_dates, default=None)
            if least.milestone_state is MilestoneState.DONE
            else least.achieved_on
        )
        return Actual(**base, milestone_state=least.milestone_state, achieved_on=achieved_on)
    assessed = _latest_all([o for o in used if o.self_status is not None])
    pick = max(assessed, key=lambda o: o.self_status.severity) if assessed else None
    if pick is not None and pick.narrative.strip():
        narrative = pick.narrative.strip()
    else:
        with_narrative = _latest([o for o in used if o.narrative.strip()])
        narrative = with_narrative.narrative.strip() if with_narrative else ""
    return Actual(
        **base,
        self_status=pick.self_status if pick else None,
        narrative=narrative,
    )


def _all_whole(values: Sequence[Decimal]) -> bool:
    return all(_is_whole(v) for v in values)


def _combine_counts(
    used: Sequence[Observation], base: dict[str, object], target: Target | None
) -> Actual:
    keys = _part_keys(used, target)
    parts = []
    whole = True
    for key in keys:
        values = [Decimal(o.parts[key]) for o in used if _is_number(o.parts.get(key))]  # type: ignore[arg-type]
        whole = whole and _all_whole(values)
        parts.append(PartActual(key=key, value=sum(values, Decimal(0)) if values else None))
    known = [p.value for p in parts if p.value is not None]
    total = sum(known, Decimal(0)) if known else None
    return Actual(**base, value=total, parts=tuple(parts), whole_numbers=whole)  # type: ignore[arg-type]


def _part_keys(used: Sequence[Observation], target: Target | None) -> list[str]:
    if isinstance(target, CountsTarget | RatioBandTarget):
        return [part.key for part in target.parts]
    keys: list[str] = []
    for observation in used:
        for key in observation.parts:
            if key not in keys:
                keys.append(key)
    return keys


def _combine_ratios(
    used: Sequence[Observation], base: dict[str, object], target: Target | None
) -> Actual:
    groups = {}
    if isinstance(target, RatioBandTarget):
        groups = {part.key: (part.group_a, part.group_b, part.label) for part in target.parts}
    parts = []
    for key in _part_keys(used, target):
        group_a, group_b, label = groups.get(key, ("group A", "group B", key))
        counts = [o.parts[key] for o in used if isinstance(o.parts.get(key), Mapping)]
        complete = [c for c in counts if all(_is_number(c.get(name)) for name in RATIO_KEYS)]  # type: ignore[union-attr]
        if not complete:
            parts.append(PartActual(key=key, reason=f"no ratio: nothing recorded for {label}"))
            continue
        sums = {
            name: sum((Decimal(c[name]) for c in complete), Decimal(0))  # type: ignore[index]
            for name in RATIO_KEYS
        }
        ratio, reason = relative_likelihood(**sums, group_a=group_a, group_b=group_b)
        unstable = min(sums["population_a"], sums["population_b"]) < SMALL_COUNT
        parts.append(PartActual(key=key, **sums, ratio=ratio, reason=reason, unstable=unstable))
    return Actual(**base, parts=tuple(parts), whole_numbers=False)  # type: ignore[arg-type]


def rollup(
    *, members: Mapping[str, Sequence[Observation]], own: Sequence[Observation] = ()
) -> list[Observation]:
    """The observations a group counts: all its members', plus its own only for periods that no
    member's observation overlaps, so nothing held by both is counted twice."""
    result = [o for observations in members.values() for o in observations]
    member_periods = [o.period for o in result]
    for observation in own:
        if not any(observation.period.overlaps(p) for p in member_periods):
            result.append(observation)
    return result


# --- Assessing ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartAssessment:
    key: str
    label: str
    actual: Decimal | None
    status: Status
    explanation: str
    target: Decimal | None = None
    lower: Decimal | None = None
    upper: Decimal | None = None
    expected_to_date: Decimal | None = None
    forecast: Decimal | None = None


@dataclass(frozen=True)
class Assessment:
    year: FinancialYear
    goal: Goal | None
    target_value: Decimal | None
    target_text: str
    actual: Decimal | None
    expected_to_date: Decimal | None
    forecast: Decimal | None
    status: Status
    explanation: str
    parts: tuple[PartAssessment, ...] = ()
    combined: Actual | None = None


@dataclass(frozen=True)
class _Context:
    year: FinancialYear
    periods: tuple[Period, ...]
    fractions: tuple[Decimal, ...]
    as_of: date
    unit: str
    thresholds: Thresholds

    @property
    def closed(self) -> tuple[Period, ...]:
        return tuple(p for p in self.periods if p.is_closed(self.as_of))

    @property
    def year_over(self) -> bool:
        return self.as_of > self.year.end

    @property
    def fraction_closed(self) -> Decimal:
        count = len(self.closed)
        return self.fractions[count - 1] if count else Decimal(0)

    def fraction_to(self, d: date) -> Decimal:
        """The share of the year up to the end of the sub-period containing `d`."""
        for index, period in enumerate(self.periods):
            if period.contains(d):
                return self.fractions[index]
        return Decimal(1) if d > self.year.end else Decimal(0)

    def money(self, value: Decimal) -> str:
        return format_quantity(value, self.unit)

    def missing(self, data_periods: Sequence[Period] = ()) -> list[Period]:
        return [p for p in self.closed if not any(d.overlaps(p) for d in data_periods)]

    def nothing_recorded(self) -> tuple[Status, str]:
        if not self.closed:
            first = self.periods[0]
            return Status.NOT_YET_DUE, f"Nothing due until {first.label} has ended"
        return Status.NO_DATA, f"No value recorded for {_span(self.closed)}"


def _span(periods: Sequence[Period]) -> str:
    if len(periods) == 1:
        return periods[0].label
    return f"{periods[0].label} to {periods[-1].label}"


def expected_fractions(
    periods: tuple[Period, ...], profile: Sequence[Decimal] | None
) -> tuple[Decimal, ...]:
    """The cumulative share of a year's goal due by the end of each period: pro rata, or the
    lead's profile (validated: one fraction per period, rising, ending at 1)."""
    count = len(periods)
    if profile is None:
        return tuple(Decimal(i + 1) / Decimal(count) for i in range(count))
    fractions = tuple(Decimal(f) for f in profile)
    if len(fractions) != count:
        raise ValueError(f"A profile needs {count} cumulative fractions, one per period")
    if any(f < 0 or f > 1 for f in fractions) or list(fractions) != sorted(fractions):
        raise ValueError("A profile's fractions must rise from 0 to 1")
    if fractions[-1] != 1:
        raise ValueError("A profile's last fraction must be 1")
    return fractions


def _in_year(observation: Observation, year: FinancialYear) -> bool:
    return year.start <= observation.period.start and observation.period.end <= year.end


def assess(
    target: Target,
    *,
    year: FinancialYear,
    frequency: Frequency | str,
    observations: Sequence[Observation],
    as_of: date,
    unit: str = "",
    thresholds: Thresholds = Thresholds(),
    profile: Sequence[Decimal] | None = None,
    previous_actual: Decimal | None = None,
) -> Assessment:
    """How `target` stands in `year` as of `as_of`; the rules are in the module docstring."""
    periods = year.periods(frequency)
    context = _Context(
        year=year,
        periods=periods,
        fractions=expected_fractions(periods, profile),
        as_of=as_of,
        unit=unit,
        thresholds=thresholds,
    )
    goal = target.goal(year, previous_actual=previous_actual)
    header = {
        "year": year,
        "goal": goal,
        "target_value": goal.value if goal is not None else None,
        "target_text": target.describe(year, previous_actual=previous_actual, unit=unit),
    }
    in_year = [o for o in observations if _in_year(o, year)]

    if isinstance(target, MilestoneTarget):
        return _assess_milestone(target, context, header, observations)
    if isinstance(target, MaintainTarget) or target.kind is TargetKind.DIRECTION:
        return _assess_self(target, context, header, in_year)

    combined = combine(target, in_year)
    if isinstance(target, CountsTarget):
        return _assess_counts(target, context, header, combined)
    if isinstance(target, RatioBandTarget):
        return _assess_ratio_band(target, context, header, combined)

    missing_goal = _missing_goal(target, year, previous_actual)
    if goal is None or missing_goal is not None:
        status, why = missing_goal or (Status.NO_DATA, "No target can be set for this year")
        return Assessment(
            **header,
            actual=combined.value,
            expected_to_date=None,
            forecast=None,
            status=status,
            explanation=why,
            combined=combined,
        )
    if isinstance(target, ShareTarget | IncreaseOnBenchmarkTarget):
        return _assess_level(target, context, header, combined, goal)
    result = _cumulative(context, goal=goal, actual=combined, target_value=goal.value)
    return Assessment(
        **header,
        actual=combined.value,
        expected_to_date=result.expected,
        forecast=result.forecast,
        status=result.status,
        explanation=result.explanation,
        combined=combined,
    )


def _missing_goal(
    target: Target, year: FinancialYear, previous_actual: Decimal | None
) -> tuple[Status, str] | None:
    """Why a target has no goal this year, when it has none."""
    if isinstance(target, GrowthFromBaselineTarget | IncreaseOnBenchmarkTarget):
        if isinstance(target, GrowthFromBaselineTarget):
            reference, value, noun = target.baseline_period, target.baseline_value, "Baseline"
        else:
            reference, value, noun = target.benchmark_period, target.benchmark_value, "Benchmark"
        if year <= reference:
            return Status.NOT_YET_DUE, (
                f"No target for {year.label}: targets start after the "
                f"{reference.label} {noun.lower()} year"
            )
        if value is None:
            return Status.NO_DATA, f"{noun} for {reference.label} not yet recorded"
    if isinstance(target, GrowthOnPreviousTarget) and previous_actual is None:
        return Status.NO_DATA, f"Actual for {year.previous.label} not yet recorded"
    if isinstance(target, ReductionFromBaselineTarget):
        reference, value = target.baseline_for(year, previous_actual=previous_actual)
        if year <= reference:
            return Status.NOT_YET_DUE, (
                f"No target for {year.label}: targets start after the "
                f"{reference.label} baseline year"
            )
        if value is None:
            if target.baseline_period is None:
                return Status.NO_DATA, f"Actual for {reference.label} not yet recorded"
            return Status.NO_DATA, f"Baseline for {reference.label} not yet recorded"
    return None


@dataclass(frozen=True)
class _Result:
    status: Status
    explanation: str
    expected: Decimal | None = None
    forecast: Decimal | None = None


def _round_forecast(value: Decimal, *, whole: bool) -> Decimal:
    return quantize(value, 0 if whole else 2)


def _cumulative(
    context: _Context,
    *,
    goal: Goal,
    actual: Actual,
    target_value: Decimal | None,
    part_value: Decimal | None = None,
    is_part: bool = False,
) -> _Result:
    """Status of a figure summed over the year against a yearly goal."""
    value = part_value if is_part else actual.value
    assert target_value is not None
    at_most = goal.comparison.lower_is_better
    expected = target_value * (1 if context.year_over else context.fraction_closed)
    if value is None:
        status, why = context.nothing_recorded()
        return _Result(status, why, expected=expected)

    latest_end = max(p.end for p in actual.periods)
    covered = Decimal(1) if context.year_over else context.fraction_to(latest_end)
    forecast = _round_forecast(value / covered, whole=actual.whole_numbers) if covered > 0 else None
    money = context.money
    met = Goal(goal.comparison, value=target_value).is_met_by(value)
    against = (
        f"{money(value)} of {money(target_value)}"
        if goal.comparison is Comparison.AT_LEAST
        else f"{money(value)} against {goal.comparison.label.lower()} {money(target_value)}"
    )
    if context.year_over:
        if met:
            return _Result(Status.ACHIEVED, f"Target met: {against}", expected, value)
        return _Result(Status.MISSED, f"Target missed: {against}", expected, value)
    if met and not at_most:
        return _Result(Status.ACHIEVED, f"Target met: {against}", expected, forecast)
    if at_most and not met:
        return _Result(Status.OFF_TRACK, f"Over the limit already: {against}", expected, forecast)

    closed = context.closed
    year_end = context.year.end
    by_date = f"by {year_end.day} {MONTH_NAMES[year_end.month - 1]}"
    forecast_text = f"; forecast {money(forecast)} {by_date}" if forecast is not None else ""
    if not closed or expected == 0:
        status = Status.ON_TRACK
        explanation = f"{against} so far; nothing due yet{forecast_text}"
    else:
        # Lower is better for an at-most limit, so the comparison is turned round.
        share = (expected / value if value else None) if at_most else value / expected
        if share is None or share >= context.thresholds.at_risk:
            status = Status.ON_TRACK
        elif share >= context.thresholds.off_track:
            status = Status.AT_RISK
        else:
            status = Status.OFF_TRACK
        verb = "allowed" if at_most else "expected"
        explanation = (
            f"{against} by end of {closed[-1].short_label}; {money(expected)} {verb}{forecast_text}"
        )
    if not is_part and (missing := context.missing(actual.periods)):
        explanation += f"; no value for {_span(missing)}"
    return _Result(status, explanation, expected, forecast)


def _assess_counts(
    target: CountsTarget, context: _Context, header: dict[str, object], combined: Actual
) -> Assessment:
    goal = header["goal"]
    assert isinstance(goal, Goal)
    parts = []
    for part in target.parts:
        part_actual = combined.part(part.key)
        value = part_actual.value if part_actual else None
        result = _cumulative(
            context,
            goal=goal,
            actual=combined,
            target_value=part.value,
            part_value=value,
            is_part=True,
        )
        parts.append(
            PartAssessment(
                key=part.key,
                label=part.label,
                actual=value,
                target=part.value,
                status=result.status,
                explanation=result.explanation,
                expected_to_date=result.expected,
                forecast=result.forecast,
            )
        )
    if not combined.has_data:
        status, explanation = context.nothing_recorded()
    else:
        status = worst([p.status for p in parts])
        explanation = "; ".join(f"{p.label}: {p.explanation}" for p in parts)
    forecasts = [p.forecast for p in parts]
    return Assessment(
        **header,  # type: ignore[arg-type]
        actual=combined.value,
        expected_to_date=sum((p.expected_to_date or Decimal(0) for p in parts), Decimal(0)),
        forecast=sum(forecasts, Decimal(0)) if all(f is not None for f in forecasts) else None,  # type: ignore[arg-type]
        status=status,
        explanation=explanation,
        parts=tuple(parts),
        combined=combined,
    )


def _assess_ratio_band(
    target: RatioBandTarget, context: _Context, header: dict[str, object], combined: Actual
) -> Assessment:
    band = f"{format_number(target.lower)}\N{EN DASH}{format_number(target.upper)}"
    parts = []
    for part in target.parts:
        found = combined.part(part.key)
        if found is None or found.ratio is None:
            if combined.has_data:
                status = Status.NO_DATA
                why = found.reason if found else f"no ratio: nothing recorded for {part.label}"
                why = why[:1].upper() + why[1:]
            else:
                status, why = context.nothing_recorded()
            parts.append(
                PartAssessment(
                    key=part.key,
                    label=part.label,
                    actual=None,
                    status=status,
                    explanation=why,
                    lower=target.lower,
                    upper=target.upper,
                )
            )
            continue
        shown = quantize(found.ratio, 2)
        inside = target.lower <= shown <= target.upper
        if context.year_over:
            status = Status.ACHIEVED if inside else Status.MISSED
        else:
            status = Status.ON_TRACK if inside else Status.OFF_TRACK
        assert found.events_a is not None and found.population_a is not None
        assert found.events_b is not None and found.population_b is not None
        why = (
            f"Ratio {format_ratio(found.ratio)} "
            f"({format_number(found.events_a)} of {format_number(found.population_a)} vs "
            f"{format_number(found.events_b)} of {format_number(found.population_b)}): "
            f"{'inside' if inside else 'outside'} {band}"
        )
        if found.unstable:
            why += f" (fewer than {format_number(SMALL_COUNT)} people in a group: treat with care)"
        parts.append(
            PartAssessment(
                key=part.key,
                label=part.label,
                actual=found.ratio,
                status=status,
                explanation=why,
                lower=target.lower,
                upper=target.upper,
            )
        )
    status = worst([p.status for p in parts])
    if len(parts) == 1:
        explanation = parts[0].explanation
    else:
        explanation = "; ".join(f"{p.label}: {p.explanation}" for p in parts)
    return Assessment(
        **header,  # type: ignore[arg-type]
        actual=parts[0].actual if len(parts) == 1 else None,
        expected_to_date=None,
        forecast=None,
        status=status,
        explanation=explanation,
        parts=tuple(parts),
        combined=combined,
    )


def _assess_level(
    target: ShareTarget | IncreaseOnBenchmarkTarget,
    context: _Context,
    header: dict[str, object],
    combined: Actual,
    goal: Goal,
) -> Assessment:
    """A level (a share, or a value on a benchmark) compared with the target, not summed."""

    def done(status: Status, explanation: str) -> Assessment:
        return Assessment(
            **header,  # type: ignore[arg-type]
            actual=combined.value,
            expected_to_date=None,
            forecast=None,
            status=status,
            explanation=explanation,
            combined=combined,
        )

    if not combined.has_data:
        return done(*context.nothing_recorded())
    if combined.value is None:
        reason = combined.reason or "no value recorded"
        return done(Status.NO_DATA, reason[:1].upper() + reason[1:])
    assert goal.value is not None
    value = combined.value
    if goal.is_percent:
        assert combined.numerator is not None and combined.denominator is not None
        shown = (
            f"{format_percent(value)} of {format_number(combined.denominator)} "
            f"({format_number(combined.numerator)})"
        )
        wanted = format_percent(goal.value, places=2)
    else:
        shown = f"{context.money(value)} in {combined.periods[-1].label}"
        wanted = context.money(goal.value)
    if goal.comparison is not Comparison.AT_LEAST:
        wanted = f"{goal.comparison.label.lower()} {wanted}"
    if isinstance(target, IncreaseOnBenchmarkTarget):
        wanted += f" ({target.benchmark_period.label} benchmark)"
    explanation = f"{shown}; target {wanted}"
    met = goal.is_met_by(value)
    if context.year_over:
        return done(Status.ACHIEVED if met else Status.MISSED, explanation)
    if met:
        return done(Status.ON_TRACK, explanation)
    at_risk = context.thresholds.at_risk
    if goal.comparison.lower_is_better:
        close = value * at_risk <= goal.value
    else:
        close = value >= goal.value * at_risk
    return done(Status.AT_RISK if close else Status.OFF_TRACK, explanation)


def _assess_milestone(
    target: MilestoneTarget,
    context: _Context,
    header: dict[str, object],
    observations: Sequence[Observation],
) -> Assessment:
    year = context.year
    due = target.due_in(year)
    if target.recurs:
        relevant = [o for o in observations if _in_year(o, year)]
    else:
        # A one-off milestone done in an earlier year stays done.
        relevant = [o for o in observations if o.period.end <= year.end]
    combined = combine(TargetKind.MILESTONE, relevant)
    state = combined.milestone_state
    achieved_on = combined.achieved_on
    earliest = year.start if target.recurs else date.min
    done_in_time = state is MilestoneState.DONE and (
        achieved_on is None or earliest <= achieved_on <= year.end
    )
    due_text = format_date(due)

    if done_in_time:
        if achieved_on is None:
            status, why = Status.ACHIEVED, "Done"
        elif achieved_on > due:
            status = Status.ACHIEVED
            why = f"Done on {format_date(achieved_on)}, after the due date of {due_text}"
        else:
            status, why = Status.ACHIEVED, f"Done on {format_date(achieved_on)}"
    elif state is None:
        status, why = context.nothing_recorded()
        if status is Status.NO_DATA:
            why = f"No progress recorded; due {due_text}"
    elif context.as_of > due:
        shown = state.label.lower() if state is not MilestoneState.DONE else "not done in time"
        status, why = Status.MISSED, f"Not done by {due_text} ({shown})"
    elif state is MilestoneState.IN_PROGRESS:
        status, why = Status.ON_TRACK, f"In progress; due {due_text}"
    elif due - context.as_of <= DUE_SOON:
        status, why = Status.AT_RISK, f"Not started; due {due_text}"
    else:
        status, why = Status.NOT_YET_DUE, f"Not started; due {due_text}"
    return Assessment(
        **header,  # type: ignore[arg-type]
        actual=None,
        expected_to_date=None,
        forecast=None,
        status=status,
        explanation=why,
        combined=combined,
    )


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
QUOTE_LENGTH = 100


def first_sentence(text: str, *, limit: int = QUOTE_LENGTH) -> str:
    """The first sentence, cut at a word boundary with an ellipsis when longer than `limit`."""
    sentence = _SENTENCE_END.split(" ".join(text.split()), maxsplit=1)[0]
    if len(sentence) <= limit:
        return sentence
    cut = sentence[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return f"{cut}…"


def _assess_self(
    target: Target, context: _Context, header: dict[str, object], in_year: list[Observation]
) -> Assessment:
    combined = combine(target.kind, in_year)
    if combined.self_status is None:
        status = Status.NO_DATA
        why = f"No self-assessment recorded for {context.year.label}"
    else:
        status = combined.self_status
        why = f"Self-assessed as {status.label.lower()}"
    if combined.narrative:
        why += f': "{first_sentence(combined.narrative)}"'
    return Assessment(
        **header,  # type: ignore[arg-type]
        actual=None,
        expected_to_date=None,
        forecast=None,
        status=status,
        explanation=why,
        combined=combined,
    )


def overdue_periods(
    *,
    year: FinancialYear,
    frequency: Frequency | str,
    recorded: Collection[Period],
    as_of: date,
    grace_days: int = 30,
) -> tuple[Period, ...]:
    """Closed periods of `year` with nothing recorded more than `grace_days` after they ended.

    A recorded period covers the periods within it (an annual figure covers every quarter).
    """
    grace = timedelta(days=grace_days)
    return tuple(
        period
        for period in year.periods(frequency)
        if as_of > period.end + grace and not any(r.covers(period) for r in recorded)
    )
