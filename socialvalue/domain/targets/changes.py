"""Change on a reference: growth from a baseline or on the previous year, a reduction,
an increase on a benchmark year."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from socialvalue.domain import bounds
from socialvalue.domain.numbers import (
    format_number,
    format_percent,
    to_json_number,
)
from socialvalue.domain.periods import FinancialYear
from socialvalue.domain.targets.base import (
    HUNDRED,
    Comparison,
    Goal,
    Measure,
    TargetKind,
    _baseline_gap,
    _extra_params,
    _money,
    _timed_goal,
    _timed_words,
    _whole_goal,
    _year_phrase,
)
from socialvalue.domain.targets.parsing import (
    _MISSING,
    _TIMING_KEYS,
    _read_accumulation,
    _read_key,
    _read_parts,
    _read_rate,
    _read_timing,
    _Reader,
)
from socialvalue.domain.timing import NO_TIMING, Accumulation, Stage, Timing
from socialvalue.domain.wording import (
    limit_phrase,
)


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
        return {**params, **_extra_params(self.kind, self.accumulation, timing=self.timing)}


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
        return {**params, **_extra_params(self.kind, self.accumulation)}


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
        return {**params, **_extra_params(self.kind, self.accumulation, timing=self.timing)}


@dataclass(frozen=True)
class BenchmarkPart:
    """One part of an increase on a benchmark ("ethnic minority"), with its own figure for
    the benchmark year."""

    key: str
    label: str
    benchmark_value: Decimal | None = None


@dataclass(frozen=True)
class IncreaseOnBenchmarkTarget:
    """Beat a benchmark year's figure. With measure `share` the benchmark is a percentage.

    With `parts` (ethnicity and disability), each part is recorded apart and beats its own
    benchmark figure; the indicator stands as its worst part (docs/targets.md)."""

    kind: ClassVar[TargetKind] = TargetKind.INCREASE_ON_BENCHMARK
    benchmark_period: FinancialYear
    benchmark_value: Decimal | None = None
    measure: Measure = Measure.SHARE
    parts: tuple[BenchmarkPart, ...] = ()

    def goal(self, year: FinancialYear, *, previous_actual: Decimal | None = None) -> Goal | None:
        if year <= self.benchmark_period:
            return None
        is_percent = self.measure is Measure.SHARE
        if self.parts:
            known = tuple(
                (part.key, part.benchmark_value)
                for part in self.parts
                if part.benchmark_value is not None
            )
            if not known:
                return None
            return Goal(Comparison.MORE_THAN, parts=known, is_percent=is_percent)
        if self.benchmark_value is None:
            return None
        return Goal(Comparison.MORE_THAN, value=self.benchmark_value, is_percent=is_percent)

    def benchmark_words(self, value: Decimal, unit: str) -> str:
        if self.measure is Measure.SHARE:
            return format_percent(value, places=2)
        return _money(value, unit)

    def describe(
        self, year: FinancialYear, *, previous_actual: Decimal | None = None, unit: str = ""
    ) -> str:
        if self.parts:
            pieces = []
            for part in self.parts:
                piece = part.label
                if part.benchmark_value is not None:
                    piece += f" {self.benchmark_words(part.benchmark_value, unit)}"
                pieces.append(piece)
            text = (
                f"Each part higher than its {self.benchmark_period.label} benchmark "
                f"({'; '.join(pieces)})"
            )
        else:
            text = f"Higher than the {self.benchmark_period.label} benchmark"
            if self.benchmark_value is not None:
                text += f" of {self.benchmark_words(self.benchmark_value, unit)}"
        if year <= self.benchmark_period:
            text += f" (no increase is due in {year.label})"
        return text

    def to_params(self) -> dict[str, object]:
        params: dict[str, object] = {"benchmark_period": self.benchmark_period.label}
        if self.benchmark_value is not None:
            params["benchmark_value"] = to_json_number(self.benchmark_value)
        if self.measure is not Measure.SHARE:
            params["measure"] = self.measure.value
        if self.parts:
            parts: list[dict[str, object]] = []
            for part in self.parts:
                item: dict[str, object] = {"key": part.key, "label": part.label}
                if part.benchmark_value is not None:
                    item["benchmark_value"] = to_json_number(part.benchmark_value)
                parts.append(item)
            params["parts"] = parts
        return params


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


def _parse_increase_on_benchmark(r: _Reader) -> IncreaseOnBenchmarkTarget | None:
    r.unknown(("benchmark_period", "benchmark_value", "measure", "parts"))
    period = r.year("benchmark_period", what="a benchmark year", required=True)
    value = r.number("benchmark_value", what="a benchmark value", required=False)
    measure = r.choice("measure", Measure, allowed=tuple(Measure), default=Measure.SHARE)
    if value is not None and measure is Measure.SHARE and not (0 <= value <= HUNDRED):
        r.problem("benchmark_value", "Benchmark value must be a percentage between 0 and 100")
    parts: list[object] | None = []
    if r.raw("parts") is not _MISSING:

        def read_one(sub: _Reader) -> BenchmarkPart | None:
            return _read_benchmark_part(sub, measure)

        parts = _read_parts(r, minimum=2, read_one=read_one)
        if value is not None:
            r.problem(
                "benchmark_value",
                "Enter each part's benchmark value, not one for the whole, when there are parts",
            )
    if period is None or parts is None or r.problems:
        return None
    return IncreaseOnBenchmarkTarget(
        benchmark_period=period,
        benchmark_value=value,
        measure=measure,
        parts=tuple(parts),  # type: ignore[arg-type]
    )


def _read_benchmark_part(r: _Reader, measure: Measure) -> BenchmarkPart | None:
    r.unknown(("key", "label", "benchmark_value"))
    key = _read_key(r)
    label = r.text("label", what="a label", required=True)
    value = r.number("benchmark_value", what="a benchmark value", required=False)
    if value is not None and measure is Measure.SHARE and not (0 <= value <= HUNDRED):
        r.problem("benchmark_value", "Benchmark value must be a percentage between 0 and 100")
    if not key or not label or r.problems:
        return None
    return BenchmarkPart(key=key, label=label, benchmark_value=value)
