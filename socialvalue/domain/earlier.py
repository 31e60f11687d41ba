"""Figures for years before a charter's first: the years a target is built on (ADR 020).

A target can be built on a year the charter does not report on: growth or a reduction on the
previous year (for the charter's first year, the year before it), a baseline year the charter
names without its figure, or a benchmark year. `earlier_years` lists those years for one
target, so that a lead can record each one's figure (with where it was published) and the
status engine can build the target on it once approved.

An earlier year is recorded as one figure for the whole year, in the indicator's reading
shape (a value, or a numerator and denominator), whatever the indicator's frequency: an annual
total is what trusts have from published reports. Only the years a target needs can be
recorded, never the charter's first year or later, and never outside bounds.py's years.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from socialvalue.domain.periods import FinancialYear, Frequency, Period
from socialvalue.domain.targets import (
    CountTarget,
    GrowthFromBaselineTarget,
    GrowthOnPreviousTarget,
    IncreaseOnBenchmarkTarget,
    ReductionFromBaselineTarget,
    ShareTarget,
    Target,
)

__all__ = [
    "CITATION_MAX_LENGTH",
    "Basis",
    "EarlierYear",
    "earlier_period_problem",
    "earlier_years",
    "needed_period_problem",
    "needs_previous",
    "reference_year",
]

# Where a figure was published (document, page, link): enough for a long address.
CITATION_MAX_LENGTH = 1000


class Basis(StrEnum):
    """What a target uses an earlier year's figure for."""

    PREVIOUS = "previous"
    BASELINE = "baseline"
    BENCHMARK = "benchmark"

    @property
    def noun(self) -> str:
        return {"previous": "previous year", "baseline": "baseline", "benchmark": "benchmark"}[
            self.value
        ]


@dataclass(frozen=True, order=True)
class EarlierYear:
    """A year before the charter's first whose figure a target needs, and what for."""

    year: FinancialYear
    basis: Basis

    @property
    def period(self) -> Period:
        """The one period its figure is recorded for: the whole year."""
        return self.year.periods(Frequency.ANNUAL)[0]

    @property
    def invitation(self) -> str:
        """ "Record the 2022/23 figure this target is built on"."""
        return f"Record the {self.year.label} figure this target is built on"

    @property
    def description(self) -> str:
        """ "2022/23, the previous year", "2020/21, the baseline"."""
        return f"{self.year.label}, the {self.basis.noun}"


def needs_previous(target: Target) -> bool:
    """Whether each year's goal is built on the year before's actual."""
    return isinstance(target, GrowthOnPreviousTarget) or (
        isinstance(target, ReductionFromBaselineTarget) and target.baseline_period is None
    )


def reference_year(target: Target) -> tuple[FinancialYear, Basis] | None:
    """The fixed year a target measures against when the charter names the year but not its
    figure: then the figure recorded for that year stands in (`with_reference`)."""
    if (
        isinstance(target, GrowthFromBaselineTarget | ReductionFromBaselineTarget)
        and target.baseline_period is not None
        and target.baseline_value is None
    ):
        return target.baseline_period, Basis.BASELINE
    # A count's or share's baseline is only the start of a trajectory to a due year.
    if (
        isinstance(target, CountTarget | ShareTarget)
        and target.baseline_period is not None
        and target.baseline_value is None
        and target.timing.due_year is not None
    ):
        return target.baseline_period, Basis.BASELINE
    # With parts, while any part's benchmark figure is not in the charter.
    if (
        isinstance(target, IncreaseOnBenchmarkTarget)
        and target.benchmark_value is None
        and (not target.parts or any(p.benchmark_value is None for p in target.parts))
    ):
        return target.benchmark_period, Basis.BENCHMARK
    return None


def earlier_years(
    target: Target, *, first_year: FinancialYear, year: FinancialYear | None = None
) -> tuple[EarlierYear, ...]:
    """The years before `first_year` (the charter's first) whose figure `target` needs; with
    `year`, only those the goal of that year is built on.

    The previous year is needed only by the first year (later years build on a charter year);
    a baseline or benchmark year by every year after it.
    """
    found: set[EarlierYear] = set()
    if needs_previous(target) and (year is None or year == first_year):
        found.add(EarlierYear(first_year.previous, Basis.PREVIOUS))
    if (reference := reference_year(target)) is not None:
        reference_year_, basis = reference
        if reference_year_ < first_year and (year is None or reference_year_ < year):
            found.add(EarlierYear(reference_year_, basis))
    return tuple(sorted(e for e in found if e.year.in_range))


def earlier_period_problem(
    target: Target, period: Period, *, first_year: FinancialYear, code: str = "The indicator"
) -> str | None:
    """Why a figure for `period`, which starts before `first_year`, may not be recorded, or
    None when it is a needed earlier year's whole-year period."""
    needed = earlier_years(target, first_year=first_year)
    return needed_period_problem(needed, period, first_year=first_year, code=code)


def needed_period_problem(
    needed: tuple[EarlierYear, ...],
    period: Period,
    *,
    first_year: FinancialYear,
    code: str = "The indicator",
) -> str | None:
    """`earlier_period_problem` for a target whose earlier years are `needed`."""
    year = period.financial_year
    if not needed:
        return (
            f"{year.label} is before the charter's first reporting year, {first_year.label}, "
            f"and {code}'s target is built on no earlier year"
        )
    if year not in {e.year for e in needed}:
        years = " and ".join(e.description for e in needed)
        return (
            f"{year.label} is before the charter's first reporting year, {first_year.label}; "
            f"{code}'s target is built on {years} only"
        )
    if period.frequency is not Frequency.ANNUAL:
        return (
            f"A figure for {year.label}, before the charter's first reporting year, is one "
            f"figure for the whole year: record it for {year.label}, not {period.label}"
        )
    return None
