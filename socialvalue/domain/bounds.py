"""The limits every number, year, date, threshold and profile keeps where it enters.

Web forms, the charter file reader, the target parser and (later) imports all check against
these, so nothing stored can make a page fail: a figure too large to format, a year with no
calendar dates, a threshold the database rounds to 0. The limits are documented in
docs/targets.md and docs/charter-files.md; ADR 011 says why they are where they are.

This module imports nothing from the rest of the domain, so every other module can use it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

__all__ = [
    "AMOUNT",
    "COUNT",
    "EARLIEST_DATE",
    "FIRST_YEAR",
    "GROWTH_RATE",
    "LAST_YEAR",
    "LATEST_DATE",
    "MAX_ALIASES",
    "MAX_AMOUNT",
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_VALUES",
    "MEASURE_WORDS",
    "PERCENT",
    "PROFILE_PERCENT",
    "RATIO",
    "REDUCTION_RATE",
    "SIGNED_AMOUNT",
    "THRESHOLD",
    "THRESHOLD_PERCENT",
    "YEAR_RANGE_MESSAGE",
    "NumberRule",
    "date_problem",
    "read_decimal",
    "read_profile",
    "recorded_rule",
    "unit_counts_things",
]

# Financial years from 1990/91 (the Climate Change Act's baseline year, the earliest baseline
# NHS net zero targets use) to 2100/01. Every date of every year in the range exists.
FIRST_YEAR = 1990
LAST_YEAR = 2100
YEAR_RANGE_MESSAGE = "Enter a financial year from 1990/91 to 2100/01"
EARLIEST_DATE = date(FIRST_YEAR, 4, 1)
LATEST_DATE = date(LAST_YEAR + 1, 3, 31)

# Money, counts and measures: at most 100 billion (10^11), to 4 decimal places. A recorded
# value is a DecimalField(max_digits=20, decimal_places=4), but SQLite keeps only the first
# 15 significant digits of a decimal (it stores a REAL), so 11 digits before the point and 4
# after is the most that both databases store exactly. £100 billion is far more than any
# trust, ICB or supplier spends in a year.
MAX_AMOUNT = Decimal(10) ** 11
AMOUNT_PLACES = 4


@dataclass(frozen=True)
class NumberRule:
    """The range and precision a kind of number must keep.

    `problem` says what is wrong in words that follow the field's name ("must be a whole
    number"), or None when the number is acceptable. NaN and infinities never are.
    """

    minimum: Decimal
    maximum: Decimal
    places: int
    above_minimum: bool = False

    def problem(self, value: Decimal) -> str | None:
        if not value.is_finite():
            return "must be a number"
        if self.above_minimum and value <= self.minimum:
            return f"must be more than {_plain(self.minimum)}"
        if value < self.minimum:
            return f"must be {_plain(self.minimum)} or more"
        if value > self.maximum:
            return f"must be {_plain(self.maximum)} or less"
        if _places(value) > self.places:
            if self.places == 0:
                return "must be a whole number"
            return f"must have {self.places} decimal places or fewer"
        return None


def _places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _plain(value: Decimal) -> str:
    """100000000000 -> "100,000,000,000"; 0.01 -> "0.01" (no rounding, no exponent)."""
    return f"{value.normalize():,f}"


# Target values, baselines, benchmarks and levels; the parts of several counts.
AMOUNT = NumberRule(minimum=Decimal(0), maximum=MAX_AMOUNT, places=AMOUNT_PLACES)
# A recorded value in money or a measure, which may fall (a refund, a net change).
SIGNED_AMOUNT = NumberRule(minimum=-MAX_AMOUNT, maximum=MAX_AMOUNT, places=AMOUNT_PLACES)
# A count of things: whole and never negative.
COUNT = NumberRule(minimum=Decimal(0), maximum=MAX_AMOUNT, places=0)
# Percentages of a whole: target shares, benchmark shares.
PERCENT = NumberRule(minimum=Decimal(0), maximum=Decimal(100), places=AMOUNT_PLACES)
# Growth compounds over up to 110 years, so it is at most 100% (doubling) a year.
GROWTH_RATE = NumberRule(
    minimum=Decimal(0), maximum=Decimal(100), places=AMOUNT_PLACES, above_minimum=True
)
REDUCTION_RATE = NumberRule(
    minimum=Decimal(0), maximum=Decimal(100), places=AMOUNT_PLACES, above_minimum=True
)
# A relative likelihood's band: a ratio of two rates.
RATIO = NumberRule(minimum=Decimal(0), maximum=Decimal(100), places=AMOUNT_PLACES)
# At-risk and off-track thresholds, shares of the expected figure, stored to 3 places
# (Charter.at_risk_below is a DecimalField(max_digits=4, decimal_places=3)).
THRESHOLD = NumberRule(minimum=Decimal("0.01"), maximum=Decimal(1), places=3)
# The same thresholds as a person enters them in the charter form: percentages of the
# expected figure (90 is stored as 0.9), so 1% to 100% with 1 decimal place.
THRESHOLD_PERCENT = NumberRule(
    minimum=THRESHOLD.minimum * 100, maximum=THRESHOLD.maximum * 100, places=THRESHOLD.places - 2
)
# A profile's cumulative percentages, stored as fractions (33.33% -> 0.3333).
PROFILE_PERCENT = NumberRule(minimum=Decimal(0), maximum=Decimal(100), places=2)


# Reading a file (a charter file now, imports later): what a reader may spend on one file.
# The seed charter (38 indicators) is 22 KB, 11 levels deep, with no aliases and about
# 1,500 values; a YAML "billion laughs" is a few hundred bytes of nested aliases that
# would expand to a billion values.
MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 20
MAX_ALIASES = 100
MAX_VALUES = 100_000


def read_decimal(value: object) -> Decimal | None:
    """A finite Decimal from an int, float, Decimal or text like "1,000.5"; else None.

    Floats go through str, so 0.8 reads as 0.8, not 0.8000000000000000444. `true` in a file
    is a mistake, not the number 1. Text longer than 100 characters is never a number here.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(str(value))
    elif isinstance(value, str):
        text = value.strip()
        if len(text) > 100:
            return None
        if _THOUSANDS.match(text):
            text = text.replace(",", "")
        try:
            number = Decimal(text)
        except InvalidOperation:
            return None
    else:
        return None
    return number if number.is_finite() else None


_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")


def date_problem(value: date) -> str | None:
    """Why a date cannot be used (outside the years above), or None."""
    if EARLIEST_DATE <= value <= LATEST_DATE:
        return None
    return "must be between 1 April 1990 and 31 March 2101"


# Units whose values may have decimals (and, when recorded, fall below 0): money and
# measures. Matched on the unit's first word, ignoring case: "hours of volunteering" and
# "tonnes CO2e" are measures; "people", "projects" and "volunteering opportunities" count
# things. An indicator without a unit is treated as a measure: nothing says what it counts.
MEASURE_WORDS = frozenset(
    {
        "£",
        "gbp",
        "%",
        "percent",
        "per",
        "tco2e",
        "kgco2e",
        "co2e",
        "tonnes",
        "tonne",
        "kg",
        "kwh",
        "mwh",
        "gwh",
        "litres",
        "m³",
        "m3",
        "km",
        "miles",
        "hours",
        "days",
        "weeks",
        "fte",
        "score",
        "rate",
        "ratio",
        "relative",
        "index",
    }
)
_FIRST_WORD = re.compile(r"^\s*(£|%|[^\s£%]+)")


def unit_counts_things(unit: str) -> bool:
    """Whether values in `unit` are counts of things: whole numbers, never negative. A rate
    per person or per household ("visits per person") is a measure, not a count."""
    if "per" in (unit or "").lower().replace("/", " ").split():
        return False
    match = _FIRST_WORD.match(unit or "")
    if match is None:
        return False
    return match[1].lower() not in MEASURE_WORDS


def recorded_rule(unit: str, *, may_fall: bool) -> NumberRule:
    """The rule for a recorded value in `unit`: a count of things is whole and never
    negative; money and measures may have decimals and, where `may_fall`, go below 0."""
    if unit_counts_things(unit):
        return COUNT
    return SIGNED_AMOUNT if may_fall else AMOUNT


def read_profile(values: list[object], *, periods: int) -> tuple[Decimal, ...]:
    """Cumulative percentages of a year's target, one per period, rising to 100, as fractions.

    Raises ValueError with a message for the person who typed them.
    """
    if len(values) != periods:
        raise ValueError(
            f"Enter {periods} percentages, one for each period, like "
            + ", ".join(str(round(100 * (i + 1) / periods)) for i in range(periods))
        )
    percents: list[Decimal] = []
    for index, raw in enumerate(values, start=1):
        number = read_decimal(raw.strip().rstrip("%").strip() if isinstance(raw, str) else raw)
        if number is None:
            raise ValueError(f"Enter each percentage as a number: number {index} is not one")
        if problem := PROFILE_PERCENT.problem(number):
            raise ValueError(f"Each percentage {problem}: number {index} is {raw}")
        percents.append(number)
    if percents != sorted(percents):
        raise ValueError("Each percentage must be the same as or more than the one before")
    if percents[-1] != 100:
        raise ValueError("The last percentage must be 100")
    return tuple((p / 100).normalize() for p in percents)
