"""Spend figures from classified ledger lines: totals, local, SME and VCFSE spend (pure).

Each line comes in already classified (`socialvalue.domain.suppliers.classify`): whether its
supplier is a public body (not influenceable), where it lies against the local area (local,
not local, or could not be placed) and its SME and VCFSE flags (yes, no, not known). The
figures are summed per period in `Decimal`; every share is kept as its numerator and
denominator and divided only when shown, so that shares of several periods or organisations
are summed from their parts, never averaged (docs/spend-files.md, ADR 023).

Periods follow the NHS financial year, 1 April to 31 March: the year `2023-24`, its quarters
`2023-24 Q1` (April to June) … `Q4` (January to March), and calendar months.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

ZERO = Decimal(0)


class Period(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def financial_year(day: date) -> int:
    """The calendar year in which the day's financial year starts (1 April)."""
    return day.year if day.month >= 4 else day.year - 1


def year_label(start_year: int) -> str:
    return f"{start_year}-{(start_year + 1) % 100:02d}"


@dataclass(frozen=True, order=True)
class PeriodKey:
    """One month, quarter or financial year: its first and last day and its label."""

    start: date
    end: date
    label: str


def period_of(day: date, period: Period) -> PeriodKey:
    if period is Period.MONTH:
        nxt = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
        return PeriodKey(
            date(day.year, day.month, 1),
            date.fromordinal(nxt.toordinal() - 1),
            f"{_MONTHS[day.month - 1]} {day.year}",
        )
    year = financial_year(day)
    if period is Period.YEAR:
        return PeriodKey(date(year, 4, 1), date(year + 1, 3, 31), year_label(year))
    quarter = ((day.month - 4) % 12) // 3  # 0 for April to June
    first_month = (3 + 3 * quarter) % 12 + 1
    first_year = year + (first_month < 4)
    start = date(first_year, first_month, 1)
    last_month = first_month + 2
    nxt = date(first_year + (last_month == 12), last_month % 12 + 1, 1)
    end = date.fromordinal(nxt.toordinal() - 1)
    return PeriodKey(start, end, f"{year_label(year)} Q{quarter + 1}")


@dataclass(frozen=True)
class SpendItem:
    """One ledger line (or lines of one supplier and day summed) as the figures need it.

    `local` is True, False, or None when the supplier could not be placed; `sme` and `vcfse`
    are None when not known. A public body's spend is not influenceable.
    """

    day: date
    amount: Decimal
    influenceable: bool = True
    local: bool | None = None
    sme: bool | None = None
    vcfse: bool | None = None
    lines: int = 1


@dataclass(frozen=True)
class Share:
    """A ratio kept as its parts. `value` is None when the denominator is zero."""

    numerator: Decimal
    denominator: Decimal

    @property
    def value(self) -> Decimal | None:
        if self.denominator == 0:
            return None
        return self.numerator / self.denominator

    def percent(self, places: int = 1) -> str:
        """`12.3%`, or `no spend` for a zero denominator."""
        value = self.value
        if value is None:
            return "no spend"
        return f"{(value * 100).quantize(Decimal(1).scaleb(-places))}%"


@dataclass
class PeriodFigures:
    """The spend figures of one period, every amount in pounds (`Decimal`)."""

    period: PeriodKey
    lines: int = 0
    total: Decimal = ZERO
    public_bodies: Decimal = ZERO
    influenceable: Decimal = ZERO
    local: Decimal = ZERO
    not_local: Decimal = ZERO
    unplaced: Decimal = ZERO
    sme: Decimal = ZERO
    sme_unknown: Decimal = ZERO
    vcfse: Decimal = ZERO
    vcfse_unknown: Decimal = ZERO

    def add(self, item: SpendItem) -> None:
        self.lines += item.lines
        self.total += item.amount
        if not item.influenceable:
            self.public_bodies += item.amount
            return
        self.influenceable += item.amount
        if item.local is None:
            self.unplaced += item.amount
        elif item.local:
            self.local += item.amount
        else:
            self.not_local += item.amount
        if item.sme is None:
            self.sme_unknown += item.amount
        elif item.sme:
            self.sme += item.amount
        if item.vcfse is None:
            self.vcfse_unknown += item.amount
        elif item.vcfse:
            self.vcfse += item.amount

    # Shares of influenceable spend.
    @property
    def local_share(self) -> Share:
        return Share(self.local, self.influenceable)

    @property
    def unplaced_share(self) -> Share:
        return Share(self.unplaced, self.influenceable)

    @property
    def sme_share(self) -> Share:
        return Share(self.sme, self.influenceable)

    @property
    def vcfse_share(self) -> Share:
        return Share(self.vcfse, self.influenceable)


def spend_figures(items: Iterable[SpendItem], period: Period) -> list[PeriodFigures]:
    """The figures of every period that has a line, in date order. Periods with no line are
    not listed (a month with no payment is a gap, not a month of zero spend)."""
    by_period: dict[PeriodKey, PeriodFigures] = {}
    cache: dict[tuple[int, int], PeriodKey] = {}
    for item in items:
        month = (item.day.year, item.day.month)
        key = cache.get(month)
        if key is None:
            key = cache[month] = period_of(item.day, period)
        figures = by_period.get(key)
        if figures is None:
            figures = by_period[key] = PeriodFigures(key)
        figures.add(item)
    return [by_period[k] for k in sorted(by_period)]


GROWTH_FIGURES = ("total", "influenceable", "local", "sme", "vcfse")


@dataclass(frozen=True)
class Growth:
    """Each £ figure of one year against the baseline year: (this − baseline) / baseline."""

    year: str
    baseline: str
    changes: dict[str, Share] = field(default_factory=dict)


def growth(years: list[PeriodFigures], baseline: str) -> list[Growth]:
    """Growth of every year after the baseline year, for total, influenceable, local, SME and
    VCFSE spend. Empty when the baseline year has no lines; a figure that was zero in the
    baseline year has no growth (`Share.value` is None)."""
    base = next((y for y in years if y.period.label == baseline), None)
    if base is None:
        return []
    result = []
    for year in years:
        if year.period.start <= base.period.start:
            continue
        changes = {
            name: Share(getattr(year, name) - getattr(base, name), getattr(base, name))
            for name in GROWTH_FIGURES
        }
        result.append(Growth(year.period.label, baseline, changes))
    return result
