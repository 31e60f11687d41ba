"""Financial years (1 April to 31 March) and the months, quarters and years within them.

A `Period` is identified by a stable `key` ("2023-04", "2023/24-Q1", "2023/24") so it can be
stored as a string and read back with `Period.from_key`.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from socialvalue.domain.bounds import FIRST_YEAR, LAST_YEAR, YEAR_RANGE_MESSAGE

__all__ = [
    "FINANCIAL_YEAR_HINT",
    "MONTH_NAMES",
    "FinancialYear",
    "Frequency",
    "Period",
    "format_date",
]

_FY_PATTERN = re.compile(r"^\s*(?:FY\s*)?(\d{4})\s*[/-]\s*(\d{2}|\d{4})\s*$", re.IGNORECASE)
_MONTH_KEY = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER_KEY = re.compile(r"^(\d{4}/\d{2})-Q([1-4])$")
_FY_START_MONTH = 4
FINANCIAL_YEAR_HINT = "Enter a financial year like 2023/24"
# English names whatever the server's locale (calendar.month_name follows the locale).
MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


class Frequency(StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    ANNUAL = "annual"

    @property
    def label(self) -> str:
        return self.value.capitalize()


@dataclass(frozen=True, order=True)
class FinancialYear:
    start_year: int

    @classmethod
    def parse(cls, text: str) -> FinancialYear:
        """Read "2023/24", "FY2023/24", "FY 2023/24", "2023-24" or "2023/2024", from 1990/91
        to 2100/01 (bounds.py): every year that enters through text is in that range."""
        if not isinstance(text, str):
            raise ValueError(FINANCIAL_YEAR_HINT)
        match = _FY_PATTERN.match(text)
        if not match:
            raise ValueError(FINANCIAL_YEAR_HINT)
        start, end = int(match[1]), match[2]
        expected_end = start + 1
        # A two-digit end is compared modulo 100 so 1999/00 reads as 1999 to 2000.
        ok = int(end) == expected_end if len(end) == 4 else int(end) == expected_end % 100
        if not ok:
            raise ValueError(f"{FINANCIAL_YEAR_HINT} (the second year must follow the first)")
        return cls.checked(start)

    @classmethod
    def written(cls, text: str) -> FinancialYear | None:
        """The financial year a year as a data file writes it belongs to, or None if the
        text names no year in range: "2022/23" and "2022-23" are 2022/23; "2022" or
        "FY2022" (a WRES or WDES submission year, a staff survey year) is 2022/23; an ISO
        date, or a date-time, is the year containing it."""
        text = (text or "").strip()
        if not text:
            return None
        try:
            return cls.parse(text)
        except ValueError:
            pass
        try:
            if re.fullmatch(r"(FY\s*)?\d{4}", text, re.IGNORECASE):
                return cls.checked(int(text[-4:]))
            return cls.checked(cls.containing(date.fromisoformat(text[:10])).start_year)
        except ValueError:
            return None

    @classmethod
    def checked(cls, start_year: int) -> FinancialYear:
        """The year starting in April of `start_year`, refused outside 1990/91 to 2100/01."""
        if not FIRST_YEAR <= start_year <= LAST_YEAR:
            raise ValueError(YEAR_RANGE_MESSAGE)
        return cls(start_year)

    @property
    def in_range(self) -> bool:
        return FIRST_YEAR <= self.start_year <= LAST_YEAR

    @classmethod
    def containing(cls, d: date) -> FinancialYear:
        return cls(d.year if d.month >= _FY_START_MONTH else d.year - 1)

    @property
    def label(self) -> str:
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d}"

    @property
    def start(self) -> date:
        return date(self.start_year, _FY_START_MONTH, 1)

    @property
    def end(self) -> date:
        return date(self.start_year + 1, _FY_START_MONTH - 1, 31)

    @property
    def previous(self) -> FinancialYear:
        return FinancialYear(self.start_year - 1)

    @property
    def next(self) -> FinancialYear:
        return FinancialYear(self.start_year + 1)

    def years_after(self, other: FinancialYear) -> int:
        """How many years this one comes after `other` (negative when before)."""
        return self.start_year - other.start_year

    def contains(self, d: date) -> bool:
        return self.start <= d <= self.end

    def periods(self, frequency: Frequency | str) -> tuple[Period, ...]:
        frequency = Frequency(frequency)
        if frequency is Frequency.ANNUAL:
            return (Period(self.start, self.end, Frequency.ANNUAL),)
        step = 1 if frequency is Frequency.MONTHLY else 3
        result = []
        for offset in range(0, 12, step):
            first_year, first_month = _add_months(self.start_year, _FY_START_MONTH, offset)
            last_year, last_month = _add_months(first_year, first_month, step - 1)
            last_day = calendar.monthrange(last_year, last_month)[1]
            result.append(
                Period(
                    date(first_year, first_month, 1),
                    date(last_year, last_month, last_day),
                    frequency,
                )
            )
        return tuple(result)

    def __str__(self) -> str:
        return self.label


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date
    frequency: Frequency

    def __post_init__(self) -> None:
        object.__setattr__(self, "frequency", Frequency(self.frequency))
        if self.end < self.start:
            raise ValueError("A period must end on or after its start")

    @classmethod
    def containing(cls, frequency: Frequency | str, d: date) -> Period:
        for period in FinancialYear.containing(d).periods(frequency):
            if period.start <= d <= period.end:
                return period
        raise AssertionError("unreachable: a financial year's periods cover every day")

    @classmethod
    def from_key(cls, key: str) -> Period:
        """Inverse of `key`; raises ValueError on anything else."""
        text = key.strip() if isinstance(key, str) else ""
        if match := _MONTH_KEY.match(text):
            year, month = int(match[1]), int(match[2])
            fy_start = year if month >= _FY_START_MONTH else year - 1
            if 1 <= month <= 12 and FIRST_YEAR <= fy_start <= LAST_YEAR:
                return cls.containing(Frequency.MONTHLY, date(year, month, 1))
        elif match := _QUARTER_KEY.match(text):
            try:
                fy = FinancialYear.parse(match[1])
            except ValueError:
                pass
            else:
                return fy.periods(Frequency.QUARTERLY)[int(match[2]) - 1]
        else:
            try:
                return FinancialYear.parse(text).periods(Frequency.ANNUAL)[0]
            except ValueError:
                pass
        raise ValueError(
            "Enter a period like 2023-04, 2023/24-Q1 or 2023/24, from 1990/91 to 2100/01"
        )

    @property
    def financial_year(self) -> FinancialYear:
        return FinancialYear.containing(self.start)

    @property
    def quarter(self) -> int:
        """1 to 4 within the financial year (Q1 is April to June)."""
        return (self.start.month - _FY_START_MONTH) % 12 // 3 + 1

    @property
    def label(self) -> str:
        if self.frequency is Frequency.MONTHLY:
            return f"{MONTH_NAMES[self.start.month - 1]} {self.start.year}"
        if self.frequency is Frequency.QUARTERLY:
            return f"Q{self.quarter} {self.financial_year.label}"
        return self.financial_year.label

    @property
    def short_label(self) -> str:
        if self.frequency is Frequency.MONTHLY:
            return f"{MONTH_NAMES[self.start.month - 1][:3]} {self.start.year}"
        if self.frequency is Frequency.QUARTERLY:
            return f"Q{self.quarter}"
        return self.financial_year.label

    @property
    def key(self) -> str:
        if self.frequency is Frequency.MONTHLY:
            return f"{self.start.year}-{self.start.month:02d}"
        if self.frequency is Frequency.QUARTERLY:
            return f"{self.financial_year.label}-Q{self.quarter}"
        return self.financial_year.label

    def is_closed(self, as_of: date) -> bool:
        """A period closes the day after its last day: on its last day it is still open."""
        return as_of > self.end

    def contains(self, d: date) -> bool:
        return self.start <= d <= self.end

    def overlaps(self, other: Period) -> bool:
        return self.start <= other.end and other.start <= self.end

    def covers(self, other: Period) -> bool:
        return self.start <= other.start and other.end <= self.end

    def __str__(self) -> str:
        return self.label


def format_date(d: date) -> str:
    """NHS style dates: 31 March 2024."""
    return f"{d.day} {MONTH_NAMES[d.month - 1]} {d.year}"
