"""Shares of a whole: a percentage from a numerator and a denominator."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from socialvalue.domain import bounds
from socialvalue.domain.numbers import (
    format_percent,
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
    _origin,
    _timed_goal,
    _timed_words,
)
from socialvalue.domain.targets.parsing import (
    _GOAL_KEYS,
    _TIMING_KEYS,
    _read_accumulation,
    _read_baseline,
    _read_goal_numbers,
    _read_timing,
    _Reader,
)
from socialvalue.domain.timing import NO_TIMING, Accumulation, Timing
from socialvalue.domain.wording import (
    noun_of_share,
)


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
        return {
            **params,
            **_extra_params(
                self.kind,
                self.accumulation,
                timing=self.timing,
                baseline=(self.baseline_period, self.baseline_value),
            ),
        }


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
