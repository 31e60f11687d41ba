"""When a target applies over the years, and how a figure accumulates over periods.

A target may start in a year (years before it are "not started" and not judged), be due in a
year or over a window of years (years before it are judged against the trajectory toward it:
a straight line from the baseline, or the lead's figure for each year), and be cumulative
across years (the actual of a year adds up every year from the start). How a figure
accumulates over the periods of a year is set per indicator (`Accumulation`). The rules, with
worked examples, are in docs/targets.md and docs/status.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from socialvalue.domain.numbers import to_json_number
from socialvalue.domain.periods import FinancialYear

__all__ = ["NO_TIMING", "Accumulation", "Stage", "Timing"]


class Accumulation(StrEnum):
    """How the figures of several periods make a year's figure."""

    # Flows (spend, events, places offered): the periods' figures added up.
    SUM = "sum"
    # Stocks (volunteers on the books, a headcount): the latest period's figure.
    LATEST = "latest"
    # People or partners reached, each counted once: for now each period records the running
    # distinct total for the year, so the latest figure is the year's.
    DISTINCT = "distinct"
    # Shares and ratios: numerators and denominators added up, then divided.
    POOLED = "pooled"

    @property
    def label(self) -> str:
        return _ACCUMULATION_LABELS[self]


_ACCUMULATION_LABELS = {
    Accumulation.SUM: "Added up over the periods (a flow: spend, events, places offered)",
    Accumulation.LATEST: (
        "The latest period's figure (a level: volunteers on the books, a headcount)"
    ),
    Accumulation.DISTINCT: (
        "Counted once however many periods they appear in (each period records the running "
        "distinct total for the year)"
    ),
    Accumulation.POOLED: "Numerators and denominators added up, then divided",
}


class Stage(StrEnum):
    """Where a year stands in a time-bound target."""

    NOT_STARTED = "not_started"
    TRAJECTORY = "trajectory"
    DUE = "due"


@dataclass(frozen=True)
class Timing:
    """A target's years: `start_year`, `due_year` (with `due_until`, a window), whether it is
    `cumulative` across years from the start, and the lead's `trajectory` (a figure per year
    before the due year; a straight line from the baseline where a year has none)."""

    start_year: FinancialYear | None = None
    due_year: FinancialYear | None = None
    due_until: FinancialYear | None = None
    cumulative: bool = False
    trajectory: tuple[tuple[FinancialYear, Decimal], ...] = ()

    @property
    def is_set(self) -> bool:
        return self.start_year is not None or self.due_year is not None or self.cumulative

    def stage(self, year: FinancialYear) -> Stage | None:
        """None for a target without years: it applies the same goal to every year."""
        if not self.is_set:
            return None
        if self.start_year is not None and year < self.start_year:
            return Stage.NOT_STARTED
        if self.due_year is not None and year < self.due_year:
            return Stage.TRAJECTORY
        return Stage.DUE

    def goal_value(
        self,
        year: FinancialYear,
        *,
        final: Decimal,
        origin: tuple[FinancialYear, Decimal] | None,
    ) -> Decimal | None:
        """The figure asked of `year`: the target itself once due (or without a due year), the
        lead's figure or the straight line from `origin` before it, None when not started or
        when no trajectory can be drawn (no origin, or an origin not before the year)."""
        stage = self.stage(year)
        if stage is Stage.NOT_STARTED:
            return None
        if stage is not Stage.TRAJECTORY:
            return final
        assert self.due_year is not None
        own = dict(self.trajectory)
        if year in own:
            return own[year]
        if origin is None or not origin[0] < year:
            return None
        origin_year, origin_value = origin
        done = Decimal(year.years_after(origin_year))
        span = Decimal(self.due_year.years_after(origin_year))
        return origin_value + (final - origin_value) * done / span

    def when(self) -> str:
        """The years in words: " from 2024/25", " by 2025/26", " by 2028/29 to 2032/33"."""
        text = ""
        if self.due_year is not None and self.due_until is not None:
            text = f" by {self.due_year.label} to {self.due_until.label}"
        elif self.due_year is not None:
            text = f" by {self.due_year.label}"
        if self.start_year is not None and (
            self.due_year is None or self.cumulative or self.start_year != self.due_year
        ):
            if self.cumulative:
                text = f" in all from {self.start_year.label}{text}"
            elif self.due_year is None:
                text = f" from {self.start_year.label}"
            else:
                text = f"{text}, starting in {self.start_year.label}"
        return text

    def to_params(self) -> dict[str, object]:
        params: dict[str, object] = {}
        if self.start_year is not None:
            params["start_year"] = self.start_year.label
        if self.due_year is not None:
            params["due_year"] = self.due_year.label
        if self.due_until is not None:
            params["due_until"] = self.due_until.label
        if self.cumulative:
            params["cumulative"] = True
        if self.trajectory:
            params["trajectory"] = {
                year.label: to_json_number(value) for year, value in self.trajectory
            }
        return params


# The years of a target that applies the same goal to every year.
NO_TIMING = Timing()
