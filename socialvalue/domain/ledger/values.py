"""Reading one cell: amounts, dates and supplier names as ledgers really write them.

Every function takes the cell's text and returns a value or raises `ValueError` whose message
says what was wrong in words a finance officer would use; the caller adds file, row and column.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from enum import StrEnum

# Spreadsheet serial day numbers count from 30 December 1899 (Excel's 1900 leap-year bug
# makes every serial from 1 March 1900 on agree with this base). Only 1990–2100 is accepted:
# a payment number or an amount in the date column must not turn into a plausible date.
_SERIAL_BASE = date(1899, 12, 30)
_SERIAL_MIN = (date(1990, 1, 1) - _SERIAL_BASE).days
_SERIAL_MAX = (date(2100, 12, 31) - _SERIAL_BASE).days

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}


class DateOrder(StrEnum):
    DAY_FIRST = "day-first"
    MONTH_FIRST = "month-first"


# A time of day after the date (`30/04/2020 00:00`, as spreadsheets export) is ignored.
_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_NUMERIC_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})" + _TIME + "$")
_ISO_DATE = re.compile(r"^(\d{4})([-/])(\d{1,2})\2(\d{1,2})" + _TIME + "$")
_NAMED_DATE = re.compile(r"^(\d{1,2})[\s\-/.]*([A-Za-z]{3,9})[\s\-/.,]*(\d{2}|\d{4})$")
_SERIAL = re.compile(r"^(\d{5})(?:\.0+)?$")


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        # Two-digit years in ledgers are this century's: 20 is 2020. 70–99 are kept as 19xx
        # so an old record is not moved into the future.
        year += 2000 if year < 70 else 1900
    return year


def _make(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"'{text}' is not a real date") from None


def numeric_date_parts(text: str) -> tuple[int, int] | None:
    """The first two numbers of a date like 30/04/2020, whose order is not yet known."""
    match = _NUMERIC_DATE.match(text.strip())
    return (int(match[1]), int(match[2])) if match else None


def parse_date(text: str, order: DateOrder | None) -> date:
    """A ledger date; `order` says how to read all-number dates like 04/05/2020."""
    value = text.strip()
    if not value:
        raise ValueError("the date is empty")
    if match := _ISO_DATE.match(value):
        return _make(int(match[1]), int(match[3]), int(match[4]), value)
    if match := _NUMERIC_DATE.match(value):
        first, second, year = int(match[1]), int(match[2]), _year(match[3])
        if order is None:
            raise ValueError(f"'{value}' could be day-first or month-first")
        day, month = (first, second) if order == DateOrder.DAY_FIRST else (second, first)
        return _make(year, month, day, value)
    if match := _NAMED_DATE.match(value):
        named = _MONTHS.get(match[2].lower())
        if named is None:
            raise ValueError(f"'{value}' is not a date: '{match[2]}' is not a month")
        return _make(_year(match[3]), named, int(match[1]), value)
    if match := _SERIAL.match(value):
        serial = int(match[1])
        if _SERIAL_MIN <= serial <= _SERIAL_MAX:
            return _SERIAL_BASE + timedelta(days=serial)
    raise ValueError(f"'{value}' is not a date in a form this reader knows")


_AMOUNT_NOISE = re.compile(r"[£\s\u00a0]|GBP", re.IGNORECASE)
# Thousands commas must group by three: "12,34" is not 1234 (nor, here, 12.34).
_PLAIN_NUMBER = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$|^\.\d+$")


_SIMPLE_AMOUNT = re.compile(r"^-?\d+(?:\.\d+)?$")


def parse_amount(text: str) -> Decimal:
    """Money as written in ledgers: `£59,556.73`, `77,041`, `49,521.52 `, `-600`, `(1,200.00)`,
    `1,200.00 CR`, `1,200.00-`. A credit comes back negative."""
    value = text.strip()
    if not value:
        raise ValueError("the amount is empty")
    # Most cells are a plain number, perhaps after a pound sign: skip the general rules.
    simple = value.replace("£", "")
    if _SIMPLE_AMOUNT.match(simple):
        return Decimal(simple)
    negative = False
    work = _AMOUNT_NOISE.sub("", value)
    upper = work.upper()
    if upper.endswith("CR"):
        negative, work = True, work[:-2]
    elif upper.endswith("DR"):
        work = work[:-2]
    if work.startswith("(") and work.endswith(")"):
        negative, work = not negative, work[1:-1]
    if work.startswith("-"):
        negative, work = not negative, work[1:]
    elif work.endswith("-"):
        negative, work = not negative, work[:-1]
    elif work.startswith("+"):
        work = work[1:]
    work = _AMOUNT_NOISE.sub("", work)
    if not _PLAIN_NUMBER.match(work):
        raise ValueError(f"'{value}' is not an amount of money")
    try:
        amount = Decimal(work.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern above admits only numbers
        raise ValueError(f"'{value}' is not an amount of money") from None
    return -amount if negative else amount


def excel_number(text: str) -> str:
    """The number an Excel cell shows, from the full binary value a reader hands over.

    Excel keeps numbers as binary floating point and shows at most 15 significant digits,
    so a summed cell arrives as `60110413.539999977` but reads `60110413.54` on screen, as its
    author meant. Text that is not a plain number with more than two decimals is returned
    unchanged.
    """
    stripped = text.strip()
    if re.fullmatch(r"-?\d+\.\d{3,}", stripped):
        return f"{float(stripped):.15g}"
    return text


@dataclass(frozen=True)
class SupplierName:
    raw: str
    name: str
    ledger_id: str = ""
    company_number: str = ""
    vat_number: str = ""


_LEDGER_PREFIX = re.compile(r"^([A-Z]{0,4}\d{5,}[A-Z0-9]*)\s*:\s*(.+)$")
_COMPANY_SUFFIX = re.compile(r"^(.+?)\s*[:\-]\s*((?:\d{8})|(?:SC|NI|OC|SO|NC|FC|IP|RS)\d{6})$")
_VAT = re.compile(
    r"\b(?:VAT\s*(?:NO\.?|NUMBER|REG(?:ISTRATION)?\s*(?:NO\.?)?)?\s*:?\s*)?"
    r"(GB\s?\d{3}\s?\d{4}\s?\d{2}(?:\s?\d{3})?)\b",
    re.IGNORECASE,
)


def clean_supplier(raw: str) -> SupplierName:
    """A supplier's name without the identifiers ledgers attach to it, and those identifiers.

    `UK0479435601 : Prime Care Solutions (Kingston) Ltd` gives ledger ID UK0479435601;
    `KINGS COLLEGE LONDON:03529700` gives company number 03529700; a `GB` VAT number anywhere
    in the name is taken out. The raw text is always kept.
    """
    name = " ".join(raw.split())
    ledger_id = company = vat = ""
    if match := _LEDGER_PREFIX.match(name):
        ledger_id, name = match[1], match[2].strip()
    if match := _VAT.search(name):
        vat = re.sub(r"\s", "", match[1]).upper()
        name = " ".join((name[: match.start()] + " " + name[match.end() :]).split()).strip(" :-")
    if match := _COMPANY_SUFFIX.match(name):
        name, company = match[1].strip(), match[2]
    return SupplierName(
        raw=raw, name=name, ledger_id=ledger_id, company_number=company, vat_number=vat
    )
