"""Counts and amounts: one figure against a goal, or several counted parts."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from socialvalue.domain import bounds
from socialvalue.domain.numbers import (
    format_number,
    to_json_number,
)
from socialvalue.domain.periods import FinancialYear
from socialvalue.domain.targets.base import (
    Comparison,
    Goal,
    TargetKind,
    _extra_params,
    _final_goal,
    _goal_words,
    _join_and,
    _origin,
    _timed_goal,
    _timed_words,
    _year_phrase,
)
from socialvalue.domain.targets.parsing import (
    _GOAL_KEYS,
    _TIMING_KEYS,
    _read_accumulation,
    _read_baseline,
    _read_goal_numbers,
    _read_key,
    _read_parts,
    _read_timing,
    _Reader,
)
from socialvalue.domain.timing import NO_TIMING, Accumulation, Timing
from socialvalue.domain.wording import (
    figure,
)


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
        return {
            **params,
            **_extra_params(
                self.kind,
                self.accumulation,
                timing=self.timing,
                baseline=(self.baseline_period, self.baseline_value),
            ),
        }


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


def _read_count_part(r: _Reader) -> CountPart | None:
    r.unknown(("key", "label", "value"))
    key = _read_key(r)
    label = r.text("label", what="a label", required=True)
    value = r.number("value", what="a target value", required=True)
    if not key or not label or value is None:
        return None
    return CountPart(key=key, label=label, value=value)


def _parse_counts(r: _Reader) -> CountsTarget | None:
    r.unknown(("parts",))
    parts = _read_parts(r, minimum=2, read_one=_read_count_part)
    if parts is None:
        return None
    return CountsTarget(parts=tuple(parts))  # type: ignore[arg-type]
