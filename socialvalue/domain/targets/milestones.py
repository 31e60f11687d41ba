"""Milestones: done by a date, once or every year."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import ClassVar

from socialvalue.domain.periods import FinancialYear, format_date
from socialvalue.domain.targets.base import (
    Comparison,
    Goal,
    TargetKind,
)
from socialvalue.domain.targets.parsing import (
    _Reader,
)


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


def _parse_milestone(r: _Reader) -> MilestoneTarget | None:
    r.unknown(("due", "recurs"))
    due = r.date("due", what="a due date")
    recurs = r.boolean("recurs", default=False)
    if r.problems:
        return None
    return MilestoneTarget(due=due, recurs=recurs)
