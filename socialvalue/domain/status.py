"""The status engine: how an indicator stands against its target for one financial year.

The rules, each with a worked example, are in docs/status.md; `assess` applies them. In short:

- Only figures for periods that have begun by the date asked count. Periods combine as in
  docs/targets.md (values summed; numerators and denominators summed, then divided; the four
  counts of a disparity summed per part; each member's latest milestone state or
  self-assessment, the least favourable of them standing for a group).
- The actual and the expected-to-date cover the same span: from the start of the year to the
  later of the end of the last closed period and the last period with a figure. A figure for
  a period still running is a figure to date, and the expected share of that period is pro
  rata by days. The explanation names the date ("62 of 100 people by 31 December; 75
  expected"), and any closed period with no figure ("no value for …", per member for a group).
- The year is judged on what was recorded once it is over, or once its figures reach its
  last day: achieved or missed. A figure-less year is not claimed as missed (no data).
- Missing periods are never success: a year with gaps is not achieved for a lower-is-better
  goal, a share, a level or a band; during the year such a target is at best at risk.
- During the year the status is the worse of the pace (actual / expected, turned round when
  lower is better) and the forecast (forecast / target) against the charter's thresholds.
  The forecast is the run rate to the last period with a figure; a group's is the sum of its
  members' forecasts.
- A goal built on the previous year needs that year complete; otherwise there is no target.
- Milestones: done by the due date is achieved, done after it "done late"; not done and past
  the due date is missed (overdue) from that date, whatever the reporting periods.
- A relative likelihood whose comparison group's rate is 0 lies outside any band.
- A maintain target with a level checks the level each period; a direction compares with the
  last period that has a figure; self-assessments resolve at year end.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from socialvalue.domain.combining import (
    MILESTONE_PROGRESS,
    RATIO_KEYS,
    SMALL_COUNT,
    Actual,
    Observation,
    PartActual,
    combine,
    is_number,
    rollup,
)
from socialvalue.domain.disparity import relative_likelihood
from socialvalue.domain.earlier import needs_previous as _needs_previous
from socialvalue.domain.earlier import reference_year
from socialvalue.domain.numbers import format_number, format_ratio, quantize
from socialvalue.domain.periods import MONTH_NAMES, FinancialYear, Frequency, Period, format_date
from socialvalue.domain.statuses import SELF_ASSESSED, MilestoneState, Status, worst
from socialvalue.domain.targets import (
    Comparison,
    CountsTarget,
    CountTarget,
    Direction,
    DirectionTarget,
    Goal,
    GrowthFromBaselineTarget,
    GrowthOnPreviousTarget,
    IncreaseOnBenchmarkTarget,
    MaintainTarget,
    MilestoneTarget,
    RatioBandTarget,
    RatioPart,
    ReductionFromBaselineTarget,
    Shape,
    ShareTarget,
    Target,
    TargetKind,
    accumulation_of,
    shape_of,
    timing_of,
)
from socialvalue.domain.timing import Accumulation, Stage
from socialvalue.domain.wording import (
    counts_whole_things,
    figure,
    limit_phrase,
    number_only,
    of_phrase,
    share_phrase,
    whole_goal,
)

# Statuses, observations and combining live in their own modules (statuses.py,
# combining.py, disparity.py, wording.py); they are re-exported here for callers.
__all__ = [
    "DUE_SOON",
    "MILESTONE_PROGRESS",
    "RATIO_KEYS",
    "SELF_ASSESSED",
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
    "first_sentence",
    "overdue_periods",
    "previous_year_actual",
    "relative_likelihood",
    "rollup",
    "with_reference",
    "worst",
    "year_actual",
]

# "Due within the next quarter": a quarter is at most 92 days.
DUE_SOON = timedelta(days=92)


@dataclass(frozen=True)
class Thresholds:
    """Shares of the expected-to-date figure below which an indicator is at risk / off track."""

    at_risk: Decimal = Decimal("0.9")
    off_track: Decimal = Decimal("0.75")

    def __post_init__(self) -> None:
        if not (0 < self.off_track < self.at_risk <= 1):
            raise ValueError("Thresholds must satisfy 0 < off track < at risk <= 1")


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


# A closed period with no figure, by member ("" for the organisation itself).
Gaps = tuple[tuple[str, tuple[Period, ...]], ...]


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
    gaps: Gaps = ()
    # Where the year stands in a time-bound target (None for a target without years).
    stage: Stage | None = None
    # A group's distinct count adds up its members' own: a person may be counted twice.
    may_count_twice: bool = False


@dataclass(frozen=True)
class _Header:
    """What every assessment of a target in a year starts from."""

    year: FinancialYear
    goal: Goal | None
    target_value: Decimal | None
    target_text: str
    stage: Stage | None = None
    may_count_twice: bool = False

    def assessment(
        self,
        *,
        actual: Decimal | None,
        status: Status,
        explanation: str,
        expected_to_date: Decimal | None = None,
        forecast: Decimal | None = None,
        parts: tuple[PartAssessment, ...] = (),
        combined: Actual | None = None,
        gaps: Gaps = (),
    ) -> Assessment:
        return Assessment(
            year=self.year,
            goal=self.goal,
            target_value=self.target_value,
            target_text=self.target_text,
            actual=actual,
            expected_to_date=expected_to_date,
            forecast=forecast,
            status=status,
            explanation=explanation,
            parts=parts,
            combined=combined,
            gaps=gaps,
            stage=self.stage,
            may_count_twice=self.may_count_twice,
        )


@dataclass(frozen=True)
class _Context:
    year: FinancialYear
    periods: tuple[Period, ...]
    fractions: tuple[Decimal, ...]
    as_of: date
    unit: str
    thresholds: Thresholds
    members: tuple[str, ...] = ()

    @property
    def closed(self) -> tuple[Period, ...]:
        return tuple(p for p in self.periods if p.is_closed(self.as_of))

    @property
    def year_over(self) -> bool:
        return self.as_of > self.year.end

    def fraction_at(self, day: date) -> Decimal:
        """The share of the year's goal due by the end of `day`: the fractions of the periods
        ended, plus the running period's share pro rata by days."""
        if day < self.year.start:
            return Decimal(0)
        if day >= self.year.end:
            return Decimal(1)
        before = Decimal(0)
        for index, period in enumerate(self.periods):
            if period.contains(day):
                days = Decimal((day - period.start).days + 1)
                length = Decimal((period.end - period.start).days + 1)
                return before + (self.fractions[index] - before) * days / length
            before = self.fractions[index]
        return Decimal(1)  # pragma: no cover - a year's periods cover every day

    def reach(self, data_periods: Sequence[Period]) -> date | None:
        """The day the actual runs to: the end of the last closed period or of the last period
        with a figure, whichever is later; a period still running counts to the day asked."""
        ends = [p.end for p in self.closed]
        ends += [min(p.end, self.as_of) for p in data_periods]
        if self.year_over:
            ends.append(self.year.end)
        return min(max(ends), self.year.end) if ends else None

    def is_final(self, reach: date | None) -> bool:
        """The year is judged on what was recorded once over or once its figures reach its
        last day (a figure for the whole year recorded on 31 March)."""
        return self.year_over or (reach is not None and reach >= self.year.end)

    def gaps(self, used: Sequence[Observation], *, final: bool) -> Gaps:
        """Periods due with no figure: closed ones, or every one once the year is judged. For
        a group, each member's own, where the group did not record the period itself."""
        due = self.periods if final else self.closed
        if not self.members:
            missing = _uncovered(due, [o.period for o in used])
            return (("", missing),) if missing else ()
        own = [o.period for o in used if o.member not in self.members]
        result = []
        for member in self.members:
            periods = own + [o.period for o in used if o.member == member]
            if missing := _uncovered(due, periods):
                result.append((member, missing))
        return tuple(result)

    def nothing_recorded(self) -> tuple[Status, str]:
        if not self.closed and not self.year_over:
            first = self.periods[0]
            return Status.NOT_YET_DUE, f"Nothing due until {first.label} has ended"
        return Status.NO_DATA, f"No value recorded for {_span(self.closed)}"


def _uncovered(periods: Sequence[Period], data_periods: Sequence[Period]) -> tuple[Period, ...]:
    """The periods not wholly covered, day by day, by the data periods together."""
    missing = []
    for period in periods:
        cursor = period.start
        for start, end in sorted(
            (max(d.start, period.start), min(d.end, period.end))
            for d in data_periods
            if d.overlaps(period)
        ):
            if start > cursor:
                break
            cursor = max(cursor, end + timedelta(days=1))
        if cursor <= period.end:
            missing.append(period)
    return tuple(missing)


def _span(periods: Sequence[Period]) -> str:
    """Runs of consecutive periods: "April 2023 to June 2023 and September 2023"."""
    runs: list[list[Period]] = []
    for period in periods:
        if runs and runs[-1][-1].end + timedelta(days=1) == period.start:
            runs[-1].append(period)
        else:
            runs.append([period])
    pieces = [
        run[0].label if len(run) == 1 else f"{run[0].label} to {run[-1].label}" for run in runs
    ]
    if len(pieces) <= 1:
        return "".join(pieces)
    return f"{', '.join(pieces[:-1])} and {pieces[-1]}"


def _gap_text(gaps: Gaps, *, noun: str = "value") -> str:
    return "; ".join(
        f"no {noun} {f'from {member} ' if member else ''}for {_span(periods)}"
        for member, periods in gaps
    )


def _day_month(day: date) -> str:
    return f"{day.day} {MONTH_NAMES[day.month - 1]}"


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


def _complete_year(
    target: Target,
    year: FinancialYear,
    frequency: Frequency | str,
    observations: Sequence[Observation],
    members: Sequence[str],
) -> tuple[list[Observation] | None, str]:
    """The observations of a whole earlier `year` holding data, or None and why ("" when
    nothing is recorded for it): every period must be recorded (by every member, for a
    group; one figure for the whole year covers every period)."""
    shape = shape_of(target)
    used = [o for o in observations if _in_year(o, year) and shape.holds_data(o)]
    if not used:
        return None, ""
    context = _Context(
        year=year,
        periods=year.periods(frequency),
        fractions=(),
        as_of=year.end + timedelta(days=1),
        unit="",
        thresholds=Thresholds(),
        members=tuple(members),
    )
    if gaps := context.gaps(used, final=True):
        return None, f"{year.label} is not complete ({_gap_text(gaps)})"
    return used, ""


def year_actual(
    target: Target,
    *,
    year: FinancialYear,
    frequency: Frequency | str,
    observations: Sequence[Observation],
    members: Sequence[str] = (),
) -> tuple[Decimal | None, str]:
    """The actual of a whole earlier `year`, or None and why ("" when nothing is recorded for
    it): every period of it must be recorded (by every member, for a group; one figure for the
    whole year covers every period), or there is no figure to build on."""
    used, reason = _complete_year(target, year, frequency, observations, members)
    if used is None:
        return None, reason
    return combine(target, used).value, ""


def _year_parts(
    target: IncreaseOnBenchmarkTarget,
    *,
    year: FinancialYear,
    frequency: Frequency | str,
    observations: Sequence[Observation],
    members: Sequence[str] = (),
) -> tuple[IncreaseOnBenchmarkTarget, str]:
    """A benchmark with parts whose parts without a figure take the one recorded for the
    benchmark year, part by part, when that year is complete (ADR 019, ADR 020)."""
    used, reason = _complete_year(target, year, frequency, observations, members)
    if used is None:
        return target, reason
    combined = combine(target, used)
    parts = []
    for part in target.parts:
        found = combined.part(part.key)
        if part.benchmark_value is None and found is not None and found.value is not None:
            part = replace(part, benchmark_value=found.value)
        parts.append(part)
    return replace(target, parts=tuple(parts)), ""


def previous_year_actual(
    target: Target,
    *,
    year: FinancialYear,
    frequency: Frequency | str,
    observations: Sequence[Observation],
    members: Sequence[str] = (),
) -> tuple[Decimal | None, str]:
    """The actual of the year before `year`, or None and why: the year must be complete, every
    period of it recorded (by every member, for a group), or there is no figure to build on."""
    value, reason = year_actual(
        target,
        year=year.previous,
        frequency=frequency,
        observations=observations,
        members=members,
    )
    if value is None and not reason:
        reason = f"Actual for {year.previous.label} not yet recorded"
    return value, reason


def with_reference(
    target: Target,
    *,
    frequency: Frequency | str,
    observations: Sequence[Observation],
    members: Sequence[str] = (),
) -> tuple[Target, str]:
    """The target with its baseline or benchmark figure taken from the approved figures of
    that year, when the charter names the year but not its figure (ADR 020); unchanged, with
    why, when that year is not complete."""
    found = reference_year(target)
    if found is None:
        return target, ""
    year, _basis = found
    if isinstance(target, IncreaseOnBenchmarkTarget) and target.parts:
        return _year_parts(
            target, year=year, frequency=frequency, observations=observations, members=members
        )
    value, reason = year_actual(
        target, year=year, frequency=frequency, observations=observations, members=members
    )
    if value is None:
        return target, reason
    if isinstance(target, IncreaseOnBenchmarkTarget):
        return replace(target, benchmark_value=value), ""
    if isinstance(
        target,
        GrowthFromBaselineTarget | ReductionFromBaselineTarget | CountTarget | ShareTarget,
    ):
        return replace(target, baseline_value=value), ""
    return target, ""  # pragma: no cover - reference_year names no other kind


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
    previous_observations: Sequence[Observation] | None = None,
    members: Sequence[str] = (),
    applies_from: FinancialYear | None = None,
) -> Assessment:
    """How `target` stands in `year` as of `as_of`; the rules are in docs/status.md.

    `applies_from` is the year an indicator added to a running charter applies from: a year
    before it is not started and not judged (rule 11).

    `previous_observations`, when given, are the figures of the year before, from which a goal
    built on the previous year is worked out (only when that year is complete) and a direction
    finds its last figure. `members` names the member organisations of a group whose
    observations (tagged by `rollup`) are assessed, so that each one's gaps show.
    """
    periods = year.periods(frequency)
    context = _Context(
        year=year,
        periods=periods,
        fractions=expected_fractions(periods, profile),
        as_of=as_of,
        unit=unit,
        thresholds=thresholds,
        members=tuple(members),
    )
    # Only periods begun by the day asked count.
    observations = [o for o in observations if o.period.start <= as_of]
    earlier = [o for o in previous_observations or () if o.period.start <= as_of]
    previous_reason = reference_reason = ""
    if previous_observations is not None and _needs_previous(target):
        previous_actual, previous_reason = previous_year_actual(
            target, year=year, frequency=frequency, observations=earlier, members=members
        )
    if previous_observations is not None:
        # A baseline or benchmark year named without its figure: the figure recorded for it.
        target, reference_reason = with_reference(
            target, frequency=frequency, observations=earlier, members=members
        )
    goal = target.goal(year, previous_actual=previous_actual)
    timing = timing_of(target)
    accumulation = accumulation_of(target)
    header = _Header(
        year=year,
        goal=goal,
        target_value=goal.value if goal is not None else None,
        target_text=target.describe(year, previous_actual=previous_actual, unit=unit),
        stage=timing.stage(year),
        may_count_twice=accumulation is Accumulation.DISTINCT and len(members) > 1,
    )
    in_year = [o for o in observations if _in_year(o, year)]

    if applies_from is not None and year < applies_from:
        return replace(header, stage=Stage.NOT_STARTED).assessment(
            actual=None,
            status=Status.NOT_STARTED,
            explanation=f"Not started: the indicator applies from {applies_from.label}",
        )
    shape = shape_of(target)
    if shape is Shape.MILESTONE:
        assert isinstance(target, MilestoneTarget)
        return _assess_milestone(target, context, header, observations)
    if shape is Shape.SELF_ASSESSMENT:
        assert isinstance(target, MaintainTarget | DirectionTarget)
        before = [o for o in [*earlier, *observations] if o.period.end < year.start]
        return _assess_qualitative(target, context, header, in_year, before)

    combined = combine(target, in_year)
    if isinstance(target, IncreaseOnBenchmarkTarget) and target.parts:
        return _assess_benchmark_parts(
            target, context, header, combined, in_year, reference_reason=reference_reason
        )
    if shape is Shape.PARTS:
        assert isinstance(target, CountsTarget)
        return _assess_counts(target, context, header, combined, in_year)
    if shape is Shape.DISPARITY:
        assert isinstance(target, RatioBandTarget)
        return _assess_ratio_band(target, context, header, combined, in_year)

    if header.stage is Stage.NOT_STARTED:
        assert timing.start_year is not None
        return header.assessment(
            actual=combined.value,
            status=Status.NOT_STARTED,
            explanation=f"Not started: the target starts in {timing.start_year.label}",
            combined=combined,
        )
    missing_goal = _missing_goal(target, year, previous_actual, previous_reason, reference_reason)
    if goal is None and missing_goal is None and header.stage is Stage.TRAJECTORY:
        assert timing.due_year is not None
        missing_goal = (
            Status.NOT_YET_DUE,
            (
                f"Not judged before {timing.due_year.label}, when it is due: "
                "no baseline or trajectory to measure the years before against"
            ),
        )
    if goal is None or missing_goal is not None:
        status, why = missing_goal or (Status.NO_DATA, "No target can be set for this year")
        return header.assessment(
            actual=combined.value,
            expected_to_date=None,
            forecast=None,
            status=status,
            explanation=why,
            combined=combined,
        )
    used = [o for o in in_year if shape.holds_data(o)]
    if (
        isinstance(target, ShareTarget | IncreaseOnBenchmarkTarget)
        or accumulation is Accumulation.LATEST
        or goal.comparison is Comparison.BETWEEN
    ):
        return _note_twice(_assess_level(target, context, header, combined, goal, used))
    assert goal.value is not None
    series = [(o.member, o.period, Decimal(o.value)) for o in used if o.value is not None]
    if accumulation is Accumulation.DISTINCT:
        # Each period holds the running distinct total: each member's latest is its figure.
        latest = {o.member: o for o in combined_latest(used)}
        series = [(m, o.period, Decimal(o.value)) for m, o in latest.items() if o.value is not None]
    gaps = context.gaps(used, final=context.is_final(context.reach([o.period for o in used])))
    carried, expected_from = Decimal(0), Decimal(0)
    if timing.cumulative and timing.start_year is not None and year > timing.start_year:
        # The years from the start count too; the expected figure starts from the
        # trajectory's figure for the year before.
        carried = sum(
            (
                Decimal(o.value)
                for o in earlier
                if o.value is not None
                and timing.start_year.start <= o.period.start
                and o.period.end < year.start
            ),
            Decimal(0),
        )
        due_before = target.goal(year.previous, previous_actual=None)
        if due_before is not None and due_before.value is not None:
            expected_from = due_before.value
    result = _cumulative(
        context,
        comparison=goal.comparison,
        target_value=goal.value,
        series=series,
        whole=combined.whole_numbers,
        gaps=gaps,
        carried=carried,
        expected_from=expected_from,
    )
    return _note_twice(
        header.assessment(
            actual=combined.value + carried if combined.value is not None else None,
            expected_to_date=result.expected,
            forecast=result.forecast,
            status=result.status,
            explanation=result.explanation,
            combined=combined,
            gaps=gaps,
        )
    )


def combined_latest(observations: Sequence[Observation]) -> list[Observation]:
    """Each member's observation for its own latest period."""
    latest: dict[str, Observation] = {}
    for o in sorted(observations, key=lambda o: (o.period.end, o.period.start)):
        latest[o.member] = o
    return list(latest.values())


def _note_twice(assessment: Assessment) -> Assessment:
    if not assessment.may_count_twice or assessment.actual is None:
        return assessment
    note = "members' distinct counts added up, so a person may be counted twice"
    return replace(assessment, explanation=f"{assessment.explanation} ({note})")


def _missing_goal(
    target: Target,
    year: FinancialYear,
    previous_actual: Decimal | None,
    previous_reason: str,
    reference_reason: str = "",
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
        if value is None and reference_reason:
            return Status.NO_DATA, f"No target for {year.label}: {reference_reason}"
        if value is None:
            return Status.NO_DATA, f"{noun} for {reference.label} not yet recorded"
    if previous_actual is None and previous_reason and _needs_previous(target):
        if previous_reason.endswith("not yet recorded"):
            return Status.NO_DATA, previous_reason
        return Status.NO_DATA, f"No target for {year.label}: {previous_reason}"
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
            if reference_reason:
                return Status.NO_DATA, f"No target for {year.label}: {reference_reason}"
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


def _classify(share: Decimal, thresholds: Thresholds) -> Status:
    if share >= thresholds.at_risk:
        return Status.ON_TRACK
    if share >= thresholds.off_track:
        return Status.AT_RISK
    return Status.OFF_TRACK


def _at_best(status: Status, cap: Status) -> Status:
    """`status`, or `cap` when `status` is better: missing periods are never success."""
    return status if status.severity >= cap.severity else cap


# (member, period, value): one figure of a summed series.
Series = Sequence[tuple[str, Period, Decimal]]


def _forecast(context: _Context, series: Series, *, whole: bool) -> Decimal | None:
    """The run rate: each member's actual over the share of the year up to its last period
    with a figure, summed (one organisation is one member)."""
    members: dict[str, list[tuple[Period, Decimal]]] = {}
    for member, period, value in series:
        members.setdefault(member, []).append((period, value))
    total: Decimal | None = None
    for figures in members.values():
        reach = max(min(period.end, context.as_of) for period, _ in figures)
        share = context.fraction_at(reach)
        if share <= 0:
            continue
        total = (total or Decimal(0)) + sum((v for _, v in figures), Decimal(0)) / share
    return None if total is None else _round_forecast(total, whole=whole)


def _cumulative(
    context: _Context,
    *,
    comparison: Comparison,
    target_value: Decimal,
    series: Series,
    whole: bool,
    gaps: Gaps = (),
    unit: str | None = None,
    carried: Decimal = Decimal(0),
    expected_from: Decimal = Decimal(0),
) -> _Result:
    """Status of a figure summed over the year against a yearly goal (rules in docs/status.md:
    same periods, pace and forecast, gaps)."""
    unit = context.unit if unit is None else unit
    lower = comparison.lower_is_better
    reach = context.reach([period for _, period, _ in series])
    final = context.is_final(reach)
    if final:
        fraction = Decimal(1)
    else:
        fraction = context.fraction_at(reach) if reach is not None else Decimal(0)
    # A target cumulative across years starts the year from the figure already due.
    expected = expected_from + (target_value - expected_from) * fraction
    if not series:
        status, why = context.nothing_recorded()
        return _Result(status, why, expected=expected)
    assert reach is not None
    value = carried + sum((v for _, _, v in series), Decimal(0))
    forecast = value if final else _forecast(context, series, whole=whole)
    if forecast is not None and not final:
        forecast += carried
    goal = Goal(comparison, value=target_value)
    met = goal.is_met_by(value)
    whole_things = counts_whole_things(unit)
    if comparison is Comparison.AT_LEAST:
        shown = whole_goal(comparison.value, target_value)[1] if whole_things else target_value
        against = of_phrase(value, shown, unit)
    else:
        limit = limit_phrase(comparison.value, target_value, unit)
        against = f"{number_only(value, unit)} against {limit}"
    gap_text = _gap_text(gaps)
    if final:
        if met and not (lower and gaps):
            return _Result(Status.ACHIEVED, f"Target met: {against}", expected, value)
        if met:
            return _Result(
                Status.NO_DATA, f"Not achieved: {against}, but {gap_text}", expected, value
            )
        why = f"Target missed: {against}"
        return _Result(Status.MISSED, f"{why}; {gap_text}" if gap_text else why, expected, value)
    if met and not lower:
        return _Result(Status.ACHIEVED, f"Target met: {against}", expected, forecast)
    if lower and not met:
        why = f"Over the limit already: {against}"
        return _Result(Status.OFF_TRACK, why, expected, forecast)

    statuses = []
    if expected > 0:
        # Lower is better for a limit, so the comparison is turned round.
        pace = (expected / value if value else Decimal(1)) if lower else value / expected
        statuses.append(_classify(pace, context.thresholds))
    forecast_text = ""
    if forecast is not None:
        if lower:
            outlook = target_value / forecast if forecast else Decimal(1)
        else:
            outlook = forecast / target_value if target_value else Decimal(1)
        statuses.append(_classify(outlook, context.thresholds))
        forecast_text = (
            f"; forecast {number_only(forecast, unit)} by {_day_month(context.year.end)}"
        )
        if not goal.is_met_by(forecast):
            limit = number_only(target_value, unit, whole=whole_things)
            forecast_text += f", over {limit}" if lower else f", short of {limit}"
    status = worst(statuses) if statuses else Status.ON_TRACK
    if lower and gaps:
        status = _at_best(status, Status.AT_RISK)
    verb = "allowed" if lower else "expected"
    if expected > 0:
        due = f"by {_day_month(reach)}; {number_only(expected, unit, whole=whole_things)} {verb}"
    else:
        due = f"by {_day_month(reach)}; nothing due yet"
    explanation = f"{against} {due}{forecast_text}"
    if gap_text:
        explanation += f"; {gap_text}"
    return _Result(status, explanation, expected, forecast)


def _assess_counts(
    target: CountsTarget,
    context: _Context,
    header: _Header,
    combined: Actual,
    in_year: Sequence[Observation],
) -> Assessment:
    used = [o for o in in_year if Shape.PARTS.holds_data(o)]
    final = context.is_final(context.reach([o.period for o in used]))
    gaps = context.gaps(used, final=final)
    parts = []
    for part in target.parts:
        part_actual = combined.part(part.key)
        value = part_actual.value if part_actual else None
        series = [
            (o.member, o.period, Decimal(o.parts[part.key]))  # type: ignore[arg-type]
            for o in used
            if is_number(o.parts.get(part.key))
        ]
        result = _cumulative(
            context,
            comparison=Comparison.AT_LEAST,
            target_value=part.value,
            series=series,
            whole=combined.whole_numbers,
            unit="",
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
        if gaps:
            explanation += f"; {_gap_text(gaps)}"
    forecasts = [p.forecast for p in parts if p.forecast is not None]
    return header.assessment(
        actual=combined.value,
        expected_to_date=sum((p.expected_to_date or Decimal(0) for p in parts), Decimal(0)),
        forecast=sum(forecasts, Decimal(0)) if len(forecasts) == len(parts) else None,
        status=status,
        explanation=explanation,
        parts=tuple(parts),
        combined=combined,
        gaps=gaps,
    )


def _assess_benchmark_parts(
    target: IncreaseOnBenchmarkTarget,
    context: _Context,
    header: _Header,
    combined: Actual,
    in_year: Sequence[Observation],
    *,
    reference_reason: str = "",
) -> Assessment:
    """An increase on a benchmark with parts: each part's level (a share pooled from its
    numerators and denominators, or a value) against its own benchmark figure; the
    indicator stands as its worst part, and the explanation names each one."""
    year, benchmark = context.year, target.benchmark_period
    if year <= benchmark:
        return header.assessment(
            actual=None,
            status=Status.NOT_YET_DUE,
            explanation=(
                f"No target for {year.label}: targets start after the "
                f"{benchmark.label} benchmark year"
            ),
            combined=combined,
        )
    shape = shape_of(target)
    used = [o for o in in_year if shape.holds_data(o)]
    reach = context.reach([o.period for o in used])
    final = context.is_final(reach)
    gaps = context.gaps(used, final=final) if used else ()
    parts = []
    for part in target.parts:
        found = combined.part(part.key)
        bench = part.benchmark_value
        status: Status
        if bench is None:
            status, why = Status.NO_DATA, f"benchmark for {benchmark.label} not yet recorded"
            if reference_reason:
                why = f"no benchmark: {reference_reason}"
            if found is not None and found.value is not None:
                why = f"{_part_figure(found, context.unit)}; {why}"
        elif found is None or found.value is None:
            if not combined.has_data:
                status, why = context.nothing_recorded()
                why = why[:1].lower() + why[1:]
            else:
                status = Status.NO_DATA
                why = found.reason if found and found.reason else "nothing recorded"
        else:
            value = found.value
            shown = _part_figure(found, context.unit)
            words = target.benchmark_words(bench, context.unit)
            change = "up" if value > bench else ("down" if value < bench else "no change")
            why = f"{shown} against {words} in {benchmark.label}, {change}"
            met = value > bench
            if final:
                status = Status.MISSED if not met else (Status.NO_DATA if gaps else Status.ACHIEVED)
            elif met:
                status = Status.ON_TRACK
            else:
                close = value >= bench * context.thresholds.at_risk
                status = Status.AT_RISK if close else Status.OFF_TRACK
            if gaps and not final:
                status = _at_best(status, Status.AT_RISK)
        parts.append(
            PartAssessment(
                key=part.key,
                label=part.label,
                actual=found.value if found is not None else None,
                status=status,
                explanation=why,
                target=bench,
            )
        )
    if not combined.has_data and header.goal is None:
        # As without parts: no benchmark figure at all is no target, whatever the date.
        status = Status.NO_DATA
        explanation = f"Benchmark for {benchmark.label} not yet recorded for any part"
    elif not combined.has_data:
        status, explanation = context.nothing_recorded()
    else:
        status = worst([p.status for p in parts])
        explanation = "; ".join(f"{p.label}: {p.explanation}" for p in parts)
        if reach is not None:
            explanation += f" (by {_day_month(reach)})"
        if gaps:
            explanation += f"; {_gap_text(gaps)}"
    return header.assessment(
        actual=None,
        expected_to_date=None,
        forecast=None,
        status=status,
        explanation=explanation,
        parts=tuple(parts),
        combined=combined,
        gaps=gaps,
    )


def _part_figure(found: PartActual, unit: str) -> str:
    """A part's figure in words: its share with the counts ("71 of 500 senior roles (14.2%)"),
    or its value."""
    assert found.value is not None
    if found.numerator is not None and found.denominator is not None:
        return share_phrase(found.numerator, found.denominator, found.value, unit)
    return figure(found.value, unit)


def _without_ratio(
    target: RatioBandTarget, part: RatioPart, status: Status, why: str
) -> PartAssessment:
    """A part of a ratio band with no ratio to show, and why."""
    return PartAssessment(
        key=part.key,
        label=part.label,
        actual=None,
        status=status,
        explanation=why,
        lower=target.lower,
        upper=target.upper,
    )


def _assess_ratio_band(
    target: RatioBandTarget,
    context: _Context,
    header: _Header,
    combined: Actual,
    in_year: Sequence[Observation],
) -> Assessment:
    band = f"{format_number(target.lower)}\N{EN DASH}{format_number(target.upper)}"
    used = [o for o in in_year if Shape.DISPARITY.holds_data(o)]
    final = context.is_final(context.reach([o.period for o in used]))
    gaps = context.gaps(used, final=final) if used else ()
    parts = []
    for part in target.parts:
        found = combined.part(part.key)
        if found is not None and found.outside:
            # Group B's rate is 0 and group A's is not: no ratio, but outside any band.
            status = Status.MISSED if final else Status.OFF_TRACK
            why = f"{found.reason[:1].upper()}{found.reason[1:]}: outside {band}"
            parts.append(_without_ratio(target, part, status, why))
            continue
        if found is None or found.ratio is None:
            if combined.has_data:
                status = Status.NO_DATA
                why = found.reason if found else f"no ratio: nothing recorded for {part.label}"
                why = why[:1].upper() + why[1:]
            else:
                status, why = context.nothing_recorded()
            parts.append(_without_ratio(target, part, status, why))
            continue
        shown = quantize(found.ratio, 2)
        inside = target.lower <= shown <= target.upper
        if final:
            status = Status.ACHIEVED if inside else Status.MISSED
            if inside and gaps:
                status = Status.NO_DATA
        else:
            status = Status.ON_TRACK if inside else Status.OFF_TRACK
            if gaps:
                status = _at_best(status, Status.AT_RISK)
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
    if gaps and combined.has_data:
        explanation += f"; {_gap_text(gaps)}"
    return header.assessment(
        actual=parts[0].actual if len(parts) == 1 else None,
        expected_to_date=None,
        forecast=None,
        status=status,
        explanation=explanation,
        parts=tuple(parts),
        combined=combined,
        gaps=gaps,
    )


def _assess_level(
    target: Target,
    context: _Context,
    header: _Header,
    combined: Actual,
    goal: Goal,
    used: Sequence[Observation],
) -> Assessment:
    """A level (a share, or a value on a benchmark) compared with the target, not summed."""
    reach = context.reach([o.period for o in used])
    final = context.is_final(reach)
    gaps = context.gaps(used, final=final) if used else ()

    def done(status: Status, explanation: str) -> Assessment:
        return header.assessment(
            actual=combined.value,
            expected_to_date=None,
            forecast=None,
            status=status,
            explanation=explanation,
            combined=combined,
            gaps=gaps,
        )

    if not combined.has_data:
        return done(*context.nothing_recorded())
    if combined.value is None:
        reason = combined.reason or "no value recorded"
        return done(Status.NO_DATA, reason[:1].upper() + reason[1:])
    assert reach is not None
    value = combined.value
    unit = "%" if goal.is_percent else context.unit
    if goal.comparison is Comparison.BETWEEN:
        assert goal.lower is not None and goal.upper is not None
        wanted = f"between {number_only(goal.lower, unit)} and {figure(goal.upper, unit)}"
    else:
        assert goal.value is not None
        wanted = limit_phrase(goal.comparison.value, goal.value, unit)
    if goal.is_percent:
        assert combined.numerator is not None and combined.denominator is not None
        shown = share_phrase(combined.numerator, combined.denominator, value, context.unit)
        shown += f" by {_day_month(reach)}"
    elif accumulation_of(target) in (Accumulation.SUM, Accumulation.DISTINCT):
        shown = f"{figure(value, context.unit)} by {_day_month(reach)}"
    else:
        shown = f"{figure(value, context.unit)} in {combined.periods[-1].label}"
    if isinstance(target, IncreaseOnBenchmarkTarget):
        wanted += f" ({target.benchmark_period.label} benchmark)"
    explanation = f"{shown}; target {wanted}"
    gap_text = _gap_text(gaps)
    met = goal.is_met_by(value)
    if final:
        if met and not gaps:
            return done(Status.ACHIEVED, explanation)
        if met:
            return done(Status.NO_DATA, f"Not achieved: {explanation}, but {gap_text}")
        return done(Status.MISSED, f"{explanation}; {gap_text}" if gap_text else explanation)
    if met:
        status = Status.ON_TRACK
    elif goal.comparison is Comparison.BETWEEN:
        # A sum may still climb into the band; a level outside it is off track.
        summed = accumulation_of(target) in (Accumulation.SUM, Accumulation.DISTINCT)
        status = Status.AT_RISK if summed else Status.OFF_TRACK
    else:
        assert goal.value is not None
        at_risk = context.thresholds.at_risk
        if goal.comparison.lower_is_better:
            close = value * at_risk <= goal.value
        else:
            close = value >= goal.value * at_risk
        status = Status.AT_RISK if close else Status.OFF_TRACK
    if gaps:
        status = _at_best(status, Status.AT_RISK)
        explanation += f"; {gap_text}"
    return done(status, explanation)


def _assess_milestone(
    target: MilestoneTarget,
    context: _Context,
    header: _Header,
    observations: Sequence[Observation],
) -> Assessment:
    year = context.year
    due = target.due_in(year)
    # Judged at an earlier date, a milestone done after it was not done yet then.
    observations = [
        o
        for o in observations
        if not (
            o.milestone_state is MilestoneState.DONE
            and o.achieved_on is not None
            and o.achieved_on > context.as_of
        )
    ]
    if target.recurs:
        relevant = [o for o in observations if _in_year(o, year)]
    else:
        # A one-off milestone done in an earlier year stays done.
        relevant = [o for o in observations if o.period.end <= year.end]
    combined = combine(TargetKind.MILESTONE, relevant)
    state = combined.milestone_state
    achieved_on = combined.achieved_on
    reported = {o.member for o in relevant if o.milestone_state is not None}
    silent = [m for m in context.members if m not in reported and "" not in reported]
    if silent and state is not None:
        # A member with no report has not done it, so neither has the group.
        state, achieved_on = MilestoneState.NOT_STARTED, None
    earliest = year.start if target.recurs else date.min
    done_in_year = state is MilestoneState.DONE and (
        achieved_on is None or earliest <= achieved_on <= year.end
    )
    due_text = format_date(due)

    if done_in_year:
        done_periods = [o.period for o in relevant if o.milestone_state is MilestoneState.DONE]
        late = (
            achieved_on > due
            if achieved_on is not None
            else bool(done_periods) and min(p.start for p in done_periods) > due
        )
        when = f" on {format_date(achieved_on)}" if achieved_on is not None else ""
        if late:
            status, why = Status.DONE_LATE, f"Done late{when}: it was due by {due_text}"
        else:
            status, why = Status.ACHIEVED, f"Done{when}"
    elif context.as_of > due:
        # Overdue from the day after the due date, whatever the reporting periods.
        if state is None:
            shown = "no progress recorded"
        elif state is MilestoneState.DONE:
            shown = "not done in time"
        else:
            shown = state.label.lower()
        status, why = Status.MISSED, f"Overdue: not done by {due_text} ({shown})"
    elif state is None:
        status, why = context.nothing_recorded()
        if status is Status.NO_DATA:
            why = f"No progress recorded; due {due_text}"
    elif state is MilestoneState.IN_PROGRESS:
        status, why = Status.ON_TRACK, f"In progress; due {due_text}"
    elif due - context.as_of <= DUE_SOON:
        status, why = Status.AT_RISK, f"Not started; due {due_text}"
    else:
        status, why = Status.NOT_YET_DUE, f"Not started; due {due_text}"
    if silent and not done_in_year and reported:
        why += f"; no progress recorded from {_join(silent)}"
    return header.assessment(
        actual=None,
        expected_to_date=None,
        forecast=None,
        status=status,
        explanation=why,
        combined=combined,
    )


def _join(names: Sequence[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
QUOTE_LENGTH = 100


def first_sentence(text: str, *, limit: int = QUOTE_LENGTH) -> str:
    """The first sentence, cut at a word boundary with an ellipsis when longer than `limit`."""
    sentence = _SENTENCE_END.split(" ".join(text.split()), maxsplit=1)[0]
    if len(sentence) <= limit:
        return sentence
    cut = sentence[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return f"{cut}…"


def _qualitative_result(
    header: _Header,
    combined: Actual,
    status: Status,
    explanation: str,
    gaps: Gaps = (),
    actual: Decimal | None = None,
) -> Assessment:
    return header.assessment(
        actual=actual,
        expected_to_date=None,
        forecast=None,
        status=status,
        explanation=explanation,
        combined=combined,
        gaps=gaps,
    )


def _assess_qualitative(
    target: MaintainTarget | DirectionTarget,
    context: _Context,
    header: _Header,
    in_year: Sequence[Observation],
    before: Sequence[Observation],
) -> Assessment:
    """Maintain and direction: figures where they are recorded (a maintain target's level
    each period; a direction against the last period with a figure), else the owner's
    self-assessment. Both resolve once the year is judged."""
    combined = combine(target.kind, in_year)
    valued = [o for o in in_year if o.value is not None]
    if isinstance(target, MaintainTarget) and target.level is not None and valued:
        return _assess_maintained_level(target.level, context, header, combined, valued)
    if isinstance(target, DirectionTarget) and valued and target.direction is not Direction.DELIVER:
        earlier = [o for o in before if o.value is not None]
        return _assess_direction(target.direction, context, header, combined, valued, earlier)
    return _assess_self(context, header, combined, in_year)


def _period_totals(observations: Sequence[Observation]) -> list[tuple[Period, Decimal]]:
    """Each period's figure (a group's members' figures for a period added up), in order."""
    totals: dict[Period, Decimal] = {}
    for o in observations:
        assert o.value is not None
        totals[o.period] = totals.get(o.period, Decimal(0)) + Decimal(o.value)
    return sorted(totals.items())


def _assess_maintained_level(
    level: Decimal,
    context: _Context,
    header: _Header,
    combined: Actual,
    valued: Sequence[Observation],
) -> Assessment:
    final = context.is_final(context.reach([o.period for o in valued]))
    gaps = context.gaps(valued, final=final)
    totals = _period_totals(valued)
    below = [(p, v) for p, v in totals if v < level]
    unit = context.unit
    floor = limit_phrase("at_least", level, unit)
    latest_period, latest = totals[-1]
    if below:
        status = Status.MISSED if final else Status.OFF_TRACK
        under = ", ".join(f"{number_only(v, unit)} in {p.label}" for p, v in below)
        why = f"Under the level of {figure(level, unit)}: {under}"
    elif final and not gaps:
        status = Status.ACHIEVED
        why = f"Level kept all year ({floor}): {figure(latest, unit)} in {latest_period.label}"
    elif final:
        status = Status.NO_DATA
        why = f"Not achieved: {floor} in every period recorded, but {_gap_text(gaps)}"
    else:
        status = Status.ON_TRACK if not gaps else Status.AT_RISK
        why = (
            f"Level kept ({floor}) in every period recorded: "
            f"{figure(latest, unit)} in {latest_period.label}"
        )
    if gaps and not (final and not below):
        why += f"; {_gap_text(gaps)}"
    return _qualitative_result(header, combined, status, why, gaps, latest)


def _assess_direction(
    direction: Direction,
    context: _Context,
    header: _Header,
    combined: Actual,
    valued: Sequence[Observation],
    earlier: Sequence[Observation],
) -> Assessment:
    final = context.is_final(context.reach([o.period for o in valued]))
    gaps = context.gaps(valued, final=final)
    unit = context.unit
    totals = _period_totals([*earlier, *valued])
    latest_period, latest = totals[-1]
    if len(totals) < 2:
        why = f"{figure(latest, unit)} in {latest_period.label}; no earlier figure to compare with"
        return _qualitative_result(header, combined, Status.NO_DATA, why, gaps, latest)
    previous_period, previous = totals[-2]
    if latest > previous:
        change, good = "up from", direction is not Direction.DECREASE
    elif latest < previous:
        change, good = "down from", direction is Direction.DECREASE
    else:
        change, good = "the same as", direction is Direction.MAINTAIN
    why = (
        f"{figure(latest, unit)} in {latest_period.label}, {change} "
        f"{number_only(previous, unit)} in {previous_period.label}"
    )
    if final:
        status = Status.ACHIEVED if good else Status.MISSED
    elif good:
        status = Status.ON_TRACK
    else:
        status = Status.AT_RISK if change == "the same as" else Status.OFF_TRACK
    if gaps:
        why += f"; {_gap_text(gaps)}"
    return _qualitative_result(header, combined, status, why, gaps, latest)


def _assess_self(
    context: _Context,
    header: _Header,
    combined: Actual,
    in_year: Sequence[Observation],
) -> Assessment:
    reports = [o for o in in_year if o.self_status is not None]
    reach = context.reach([o.period for o in reports])
    final = context.is_final(reach) if reports else context.year_over
    gaps = context.gaps(reports, final=final) if reports else ()
    quote = f': "{first_sentence(combined.narrative)}"' if combined.narrative else ""
    if combined.self_status is None:
        why = f"No self-assessment recorded for {context.year.label}{quote}"
        return _qualitative_result(header, combined, Status.NO_DATA, why)
    own = combined.self_status
    assessed = f"self-assessed as {own.label.lower()}"
    last = max(o.period for o in reports).label
    if final and gaps:
        # The latest word is not for the year's end: it cannot settle the year.
        why = f"Last {assessed} for {last}{quote}; {_gap_text(gaps, noun='report')}"
        return _qualitative_result(header, combined, Status.NO_DATA, why, gaps)
    if final:
        status = Status.ACHIEVED if own in (Status.ACHIEVED, Status.ON_TRACK) else Status.MISSED
        why = f"{status.label}: {assessed} for {last}{quote}"
        return _qualitative_result(header, combined, status, why, gaps)
    why = f"{assessed[:1].upper()}{assessed[1:]}{quote}"
    status = own
    if gaps:
        status = _at_best(own, Status.AT_RISK)
        why += f"; {_gap_text(gaps, noun='report')}"
    return _qualitative_result(header, combined, status, why, gaps)


def overdue_periods(
    *,
    year: FinancialYear,
    frequency: Frequency | str,
    recorded: Collection[Period],
    as_of: date,
    grace_days: int = 30,
    done: bool = False,
    applies_from: FinancialYear | None = None,
) -> tuple[Period, ...]:
    """Closed periods of `year` with nothing recorded more than `grace_days` after they ended.

    A recorded period covers the periods within it (an annual figure covers every quarter).
    A milestone that is `done` owes no further reports, so nothing of it is overdue; nor is
    anything of a year before the one the indicator `applies_from`.
    """
    if done or (applies_from is not None and year < applies_from):
        return ()
    grace = timedelta(days=grace_days)
    return tuple(
        period
        for period in year.periods(frequency)
        if as_of > period.end + grace and not any(r.covers(period) for r in recorded)
    )
