"""Values sheets: a charter's values for a year as a spreadsheet (XLSX or CSV), in and out.

The importer's pure half (see docs/values-sheets.md for the format):

- `parse(name, content) -> Sheet`: read the file's rows, refusing what is not a sheet;
- `validate(sheet, context) -> Checked`: every problem with its row and column, and the
  readings the good rows hold, one `Entry` per indicator, organisation and period.

Writing: `sheet_rows` turns a recorded reading back into rows; `to_csv` and `to_xlsx` write
tables with every text cell that a spreadsheet would run as a formula neutralised.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from socialvalue.domain import bounds
from socialvalue.domain.bounds import NumberRule
from socialvalue.domain.earlier import CITATION_MAX_LENGTH, EarlierYear, needed_period_problem
from socialvalue.domain.numbers import strip_zeros
from socialvalue.domain.periods import FinancialYear, Frequency, Period
from socialvalue.domain.shapes import DISPARITY_COUNTS, Shape
from socialvalue.domain.status import MilestoneState, Observation, Status
from socialvalue.domain.targets import shape_of

__all__ = [
    "COLUMNS",
    "MAX_BYTES",
    "Checked",
    "Entry",
    "IndicatorSpec",
    "Problem",
    "Shape",
    "Sheet",
    "SheetContext",
    "SheetError",
    "SheetRow",
    "neutralise",
    "parse",
    "shape_of",
    "sheet_rows",
    "to_csv",
    "to_xlsx",
    "validate",
]

COLUMNS = (
    "charter",
    "indicator",
    "organisation",
    "period",
    "value",
    "numerator",
    "denominator",
    "part",
    "events_a",
    "population_a",
    "events_b",
    "population_b",
    "milestone_state",
    "achieved_on",
    "self_status",
    "narrative",
    "note",
    "source",
)
KEY_COLUMNS = ("charter", "indicator", "organisation", "period")
RATIO_COLUMNS = DISPARITY_COUNTS
READING_COLUMNS = (
    "value",
    "numerator",
    "denominator",
    *RATIO_COLUMNS,
    "milestone_state",
    "achieved_on",
    "self_status",
    "narrative",
)
SHEET_NAME = "Values"
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 20_000
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
SELF_STATUSES = (Status.ACHIEVED, Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK)
# OWASP CSV injection: a cell starting with one of these is run as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


SHAPE_COLUMNS: Mapping[Shape, tuple[str, ...]] = {
    Shape.VALUE: ("value",),
    Shape.SHARE: ("numerator", "denominator"),
    Shape.PARTS: ("part", "value"),
    Shape.SHARE_PARTS: ("part", "numerator", "denominator"),
    Shape.DISPARITY: ("part", *RATIO_COLUMNS),
    Shape.MILESTONE: ("milestone_state", "achieved_on"),
    Shape.SELF_ASSESSMENT: ("self_status", "narrative"),
}


@dataclass(frozen=True)
class Problem:
    """Something wrong at a row (1 is the header) and column; row 0 means the whole file."""

    row: int
    column: str
    message: str
    letter: str = ""

    def __str__(self) -> str:
        if not self.row:
            return self.message
        if not self.column:
            return f"Row {self.row}: {self.message}"
        where = f"column {self.letter} ({self.column})" if self.letter else self.column
        return f"Row {self.row}, {where}: {self.message}"

    def to_dict(self) -> dict[str, object]:
        return {"row": self.row, "column": self.column, "message": self.message}


class SheetError(ValueError):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class SheetRow:
    number: int
    cells: Mapping[str, str]

    def __getitem__(self, column: str) -> str:
        return self.cells.get(column, "")


@dataclass(frozen=True)
class Sheet:
    name: str
    worksheet: str | None
    columns: tuple[str, ...]
    rows: tuple[SheetRow, ...]

    def letter(self, column: str) -> str:
        if column not in self.columns:
            return ""
        return _column_letter(self.columns.index(column) + 1)

    def problem(self, row: int, column: str, message: str) -> Problem:
        return Problem(row, column, message, self.letter(column))

    @property
    def charter_code(self) -> str:
        """The charter the first row names (the loader checks every row names the same)."""
        return next((r["charter"] for r in self.rows if r["charter"]), "")


def _column_letter(n: int) -> str:
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# Reading ------------------------------------------------------------------------------


def parse(name: str, content: bytes) -> Sheet:
    """Read an XLSX or CSV values sheet. Raises SheetError when it is not one."""
    lower = name.lower()
    if len(content) > MAX_BYTES:
        raise SheetError([Problem(0, "", f"{name} is larger than {MAX_BYTES // (1024 * 1024)} MB")])
    if lower.endswith(".xlsx"):
        if not content.startswith(b"PK\x03\x04"):
            raise SheetError([Problem(0, "", f"{name} is not an XLSX workbook")])
        worksheet, table = _read_xlsx(name, content)
    elif lower.endswith(".csv"):
        if content.startswith(b"PK\x03\x04") or b"\x00" in content:
            raise SheetError([Problem(0, "", f"{name} is not a CSV text file")])
        worksheet, table = None, _read_csv(content)
    else:
        raise SheetError([Problem(0, "", f"{name}: upload an XLSX or CSV file")])
    return _to_sheet(name, worksheet, table)


def _read_csv(content: bytes) -> Sequence[Sequence[object]]:
    if content.startswith(b"\xef\xbb\xbf"):
        text = content[3:].decode("utf-8", errors="strict")
    else:
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError:
            # Excel on Windows saves "CSV" in the Windows code page.
            text = content.decode("cp1252", errors="replace")
    first_line = text.split("\n", 1)[0]
    # Excel in countries that write decimal commas saves "CSV" with semicolons.
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def _read_xlsx(name: str, content: bytes) -> tuple[str, Sequence[Sequence[object]]]:
    # Imported here so that reading CSV needs nothing beyond the standard library.
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
    except zipfile.BadZipFile:
        raise SheetError([Problem(0, "", f"{name} cannot be read as XLSX")]) from None
    if unpacked > MAX_UNPACKED_BYTES:
        # A small file that unpacks to a huge one is refused before it is read.
        raise SheetError([Problem(0, "", f"{name} unpacks to more than 50 MB")])
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # any failure to read an uploaded workbook is the file's problem
        raise SheetError([Problem(0, "", f"{name} cannot be read as XLSX")]) from None
    try:
        worksheet = book[SHEET_NAME] if SHEET_NAME in book.sheetnames else book.worksheets[0]
        table = []
        for row in worksheet.iter_rows(values_only=True):
            table.append(list(row))
            if len(table) > MAX_ROWS + 1:
                raise SheetError([Problem(0, "", f"{name} has more than {MAX_ROWS} rows")])
        return worksheet.title, table
    except SheetError:
        raise
    except Exception:
        raise SheetError([Problem(0, "", f"{name} cannot be read as XLSX")]) from None
    finally:
        book.close()


def _to_sheet(name: str, worksheet: str | None, table: Sequence[Sequence[object]]) -> Sheet:
    while table and not any(_text(c) for c in table[0]):
        table = table[1:]
    if not table:
        raise SheetError([Problem(0, "", f"{name} is empty: it needs a header row")])
    header = [_text(c).lower() for c in table[0]]
    while header and not header[-1]:
        header.pop()
    columns = tuple(header)
    problems = []
    for index, column in enumerate(columns, start=1):
        where = {"letter": _column_letter(index)}
        if column and column not in COLUMNS:
            problems.append(
                Problem(1, column, f"{column} is not a column of a values sheet", **where)
            )
        elif column and columns.index(column) != index - 1:
            problems.append(Problem(1, column, f"{column} appears more than once", **where))
    missing = [c for c in KEY_COLUMNS if c not in columns]
    if missing:
        problems.append(Problem(1, "", f"The header row lacks {', '.join(missing)}"))
    if problems:
        raise SheetError(problems)
    if len(table) > MAX_ROWS + 1:
        raise SheetError([Problem(0, "", f"{name} has more than {MAX_ROWS} rows")])
    rows = []
    for number, raw in enumerate(table[1:], start=2):
        cells = {
            column: _cell(column, raw[i] if i < len(raw) else None)
            for i, column in enumerate(columns)
            if column
        }
        if any(cells.values()):
            rows.append(SheetRow(number, cells))
    return Sheet(name, worksheet, columns, tuple(rows))


def _cell(column: str, value: object) -> str:
    if column == "period" and isinstance(value, datetime | date):
        # A spreadsheet turns a typed 2023-04 into the date 1 April 2023.
        return f"{value.year}-{value.month:02d}"
    return _text(value)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    text = str(value).strip()
    # Undo the quote this module puts before a formula-like text when it writes a sheet.
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@":
        return text[1:]
    return text


# Checking ------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorSpec:
    """What a sheet may say about one indicator."""

    code: str
    shape: Shape
    frequency: Frequency
    kind_label: str
    periods: frozenset[str]
    organisations: tuple[str, ...]
    recordable: frozenset[str]
    parts: tuple[str, ...] = ()
    unit: str = ""
    # The years before the charter's first that the target is built on (ADR 020).
    earlier: tuple[EarlierYear, ...] = ()

    def rule(self, column: str) -> NumberRule:
        """What a figure in `column` may be: parts and a disparity's four counts count things
        (whole, never negative); a share's figures and a value count things unless the unit
        is money or a measure (bounds.py), and only a value may fall below 0."""
        if self.shape.counts_things:
            return bounds.COUNT
        return bounds.recorded_rule(self.unit, may_fall=self.shape is not Shape.SHARE)


@dataclass(frozen=True)
class SheetContext:
    charter: str
    years: tuple[str, ...]
    indicators: Mapping[str, IndicatorSpec]
    today: date
    actor: str = "You"
    first_year: FinancialYear | None = None

    def is_earlier(self, period: Period) -> bool:
        """Whether the period is before the charter's first reporting year."""
        return self.first_year is not None and period.start < self.first_year.start


@dataclass(frozen=True)
class Entry:
    """One reading for one indicator, organisation and period, from one or more rows."""

    indicator: str
    organisation: str
    period: Period
    rows: tuple[int, ...]
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    parts: Mapping[str, Decimal | Mapping[str, Decimal]] = field(default_factory=dict)
    milestone_state: MilestoneState | None = None
    achieved_on: date | None = None
    self_status: Status | None = None
    narrative: str = ""
    note: str = ""
    # Where the figure was published (required for a year before the charter's first).
    citation: str = ""

    @property
    def rows_text(self) -> str:
        if len(self.rows) == 1:
            return f"row {self.rows[0]}"
        return f"rows {', '.join(str(r) for r in self.rows)}"

    def matches(self, recorded: Observation, note: str, citation: str = "") -> bool:
        """Whether the recorded reading, note and citation say the same as this entry."""
        return (
            self.value == recorded.value
            and self.numerator == recorded.numerator
            and self.denominator == recorded.denominator
            and _same_parts(self.parts, recorded.parts)
            and self.milestone_state == recorded.milestone_state
            and self.achieved_on == recorded.achieved_on
            and self.self_status == recorded.self_status
            and self.narrative == recorded.narrative.strip()
            and self.note == note.strip()
            and self.citation == citation.strip()
        )


type Parts = Mapping[str, Decimal | Mapping[str, Decimal]]


def _same_parts(a: Parts, b: Parts) -> bool:
    if a.keys() != b.keys():
        return False
    for key, left in a.items():
        right = b[key]
        if isinstance(left, Mapping) and isinstance(right, Mapping):
            if left.keys() != right.keys() or any(left[k] != right[k] for k in left):
                return False
        elif isinstance(left, Mapping) or isinstance(right, Mapping) or left != right:
            return False
    return True


@dataclass(frozen=True)
class Checked:
    entries: tuple[Entry, ...]
    problems: tuple[Problem, ...]
    blank_rows: int


def validate(sheet: Sheet, context: SheetContext) -> Checked:
    """Every problem in the sheet with its row and column, and the entries its rows hold.

    Rows with nothing in the reading columns and no note are left alone: a prefilled sheet
    has a row for every period, filled or not.
    """
    problems: list[Problem] = []
    groups: dict[tuple[str, str, str], list[tuple[SheetRow, _Cells]]] = {}
    blank = 0
    for row in sheet.rows:
        if not any(row[c] for c in (*READING_COLUMNS, "note", "source")):
            blank += 1
            continue
        found: list[Problem] = []
        key = _check_key(sheet, row, context, found)
        values = _Cells()
        if key is not None:
            spec = context.indicators[key[0]]
            values = _check_reading(sheet, row, spec, found)
            _check_source(sheet, row, context, Period.from_key(key[2]), found)
        problems.extend(found)
        if key is not None and not found:
            groups.setdefault(key, []).append((row, values))
    entries = []
    for (code, organisation, period_key), rows in groups.items():
        spec = context.indicators[code]
        entry = _entry(sheet, spec, organisation, Period.from_key(period_key), rows, problems)
        if entry is not None:
            entries.append(entry)
    problems.sort(key=lambda p: (p.row, sheet.columns.index(p.column) if p.letter else -1))
    return Checked(tuple(entries), tuple(problems), blank)


def _check_key(
    sheet: Sheet, row: SheetRow, context: SheetContext, found: list[Problem]
) -> tuple[str, str, str] | None:
    def problem(column: str, message: str) -> None:
        found.append(sheet.problem(row.number, column, message))

    charter = row["charter"]
    if not charter:
        problem("charter", "Enter the charter's code")
    elif charter.casefold() != context.charter.casefold():
        problem("charter", f"This sheet is for charter {context.charter}, not {charter}")
    code = row["indicator"]
    spec = context.indicators.get(code) or _casefold_get(context.indicators, code)
    if not code:
        problem("indicator", "Enter the indicator's code")
    elif spec is None:
        problem("indicator", f"{context.charter} has no indicator {code}")
    organisation = row["organisation"].upper()
    if not organisation:
        problem("organisation", "Enter the organisation's ODS code")
    elif spec is not None and organisation not in spec.organisations:
        problem(
            "organisation",
            f"{organisation} does not report on {context.charter}: "
            f"use {_join_or(list(spec.organisations))}",
        )
    elif spec is not None and organisation not in spec.recordable:
        problem(
            "organisation",
            f"{context.actor} cannot record values for {spec.code} at {organisation}",
        )
    period = None
    try:
        period = Period.from_key(row["period"].upper())
    except ValueError as error:
        problem("period", str(error) if row["period"] else "Enter the period, like 2023/24-Q1")
    if period is not None and spec is not None:
        example = _example_period(spec.frequency)
        if context.first_year is not None and context.is_earlier(period):
            # A year the target is built on: one figure for the whole year (ADR 020).
            if message := needed_period_problem(
                spec.earlier, period, first_year=context.first_year, code=spec.code
            ):
                problem("period", message)
        elif period.frequency is not spec.frequency:
            problem(
                "period",
                f"{spec.code} is reported {spec.frequency.value}: "
                f"write the period like {example}, not {row['period']}",
            )
        elif period.key not in spec.periods:
            problem(
                "period",
                f"{period.key} is not in {context.charter}'s reporting years "
                f"({', '.join(context.years)})",
            )
        elif period.start > context.today:
            problem("period", f"{period.label} has not begun yet")
    if found or spec is None or period is None:
        return None
    return (spec.code, organisation, period.key)


def _check_source(
    sheet: Sheet, row: SheetRow, context: SheetContext, period: Period, found: list[Problem]
) -> None:
    """A figure for a year before the charter's first says where it was published."""
    source = row["source"]
    if context.is_earlier(period) and not source:
        found.append(
            sheet.problem(
                row.number,
                "source",
                f"Enter where the {period.financial_year.label} figure was published: "
                "the document, page or link it comes from",
            )
        )
    elif len(source) > CITATION_MAX_LENGTH:
        found.append(
            sheet.problem(
                row.number, "source", f"source must be {CITATION_MAX_LENGTH:,} characters or fewer"
            )
        )


def _casefold_get(indicators: Mapping[str, IndicatorSpec], code: str) -> IndicatorSpec | None:
    matches = [s for c, s in indicators.items() if c.casefold() == code.casefold()]
    return matches[0] if len(matches) == 1 else None


def _example_period(frequency: Frequency) -> str:
    return {Frequency.MONTHLY: "2023-04", Frequency.QUARTERLY: "2023/24-Q1"}.get(
        frequency, "2023/24"
    )


def _join_or(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} or {items[-1]}"


@dataclass
class _Cells:
    """What one row's reading columns hold once checked: the numbers by column name."""

    part: str = ""
    numbers: dict[str, Decimal] = field(default_factory=dict)
    milestone_state: MilestoneState | None = None
    achieved_on: date | None = None
    self_status: Status | None = None
    narrative: str = ""


def _check_reading(
    sheet: Sheet, row: SheetRow, spec: IndicatorSpec, found: list[Problem]
) -> _Cells:
    def problem(column: str, message: str) -> None:
        found.append(sheet.problem(row.number, column, message))

    wanted = SHAPE_COLUMNS[spec.shape]
    for column in (*READING_COLUMNS, "part"):
        if row[column] and column not in wanted:
            problem(
                column,
                f"{column} does not apply to {spec.code} ({spec.kind_label.lower()}): "
                f"fill in {' and '.join(c for c in wanted if c != 'part')}",
            )
    values = _Cells()
    if spec.shape.has_parts:
        part = row["part"]
        if not part:
            problem("part", f"Enter which part of {spec.code}: {_join_or(list(spec.parts))}")
        elif part not in spec.parts:
            problem("part", f"{spec.code} has no part {part}: use {_join_or(list(spec.parts))}")
        values.part = part
    for column in wanted:
        if column in ("part", "achieved_on", "milestone_state", "self_status", "narrative"):
            continue
        text = row[column]
        if not text:
            problem(column, f"Enter the {column}")
            continue
        number, message = _number(text)
        if message:
            problem(column, message)
        elif number < 0 and spec.shape is not Shape.VALUE:
            problem(column, f"{column} must be 0 or more")
        elif rule_problem := spec.rule(column).problem(number):
            problem(column, f"{column} {rule_problem}")
        else:
            values.numbers[column] = number
    if spec.shape in (Shape.SHARE, Shape.SHARE_PARTS):
        numerator, denominator = values.numbers.get("numerator"), values.numbers.get("denominator")
        if numerator is not None and denominator is not None and numerator > denominator:
            problem("numerator", "numerator must not be more than the denominator")
    if spec.shape is Shape.DISPARITY:
        for group in ("a", "b"):
            events = values.numbers.get(f"events_{group}")
            population = values.numbers.get(f"population_{group}")
            if events is not None and population is not None and events > population:
                problem(
                    f"events_{group}", f"events_{group} must not be more than population_{group}"
                )
    if spec.shape is Shape.MILESTONE:
        state = _choice(row["milestone_state"], list(MilestoneState))
        if not row["milestone_state"]:
            problem("milestone_state", "Enter not_started, in_progress or done")
        elif state is None:
            problem(
                "milestone_state",
                f"Enter not_started, in_progress or done, not {row['milestone_state']}",
            )
        values.milestone_state = state
        done_on = None
        if row["achieved_on"]:
            done_on = _date(row["achieved_on"])
            if done_on is None:
                problem("achieved_on", f"Enter a date like 2024-03-31, not {row['achieved_on']}")
        elif state is MilestoneState.DONE:
            problem("achieved_on", "Enter the date it was done")
        values.achieved_on = done_on
    if spec.shape is Shape.SELF_ASSESSMENT:
        status = _choice(row["self_status"], list(SELF_STATUSES))
        if status is None:
            problem(
                "self_status",
                "Enter achieved, on_track, at_risk or off_track"
                + (f", not {row['self_status']}" if row["self_status"] else ""),
            )
        values.self_status = status
        if not row["narrative"]:
            problem("narrative", "Enter what has been done")
        values.narrative = row["narrative"]
    return values


def _number(text: str) -> tuple[Decimal, str]:
    cleaned = text.replace(",", "") if _THOUSANDS.match(text) else text
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        return Decimal(0), f"Enter a number, like 12 or 12.5, not {text}"
    if not number.is_finite():
        return Decimal(0), f"Enter a number, like 12 or 12.5, not {text}"
    number = strip_zeros(number)
    exponent = number.as_tuple().exponent  # an int: the number is finite
    if isinstance(exponent, int) and -exponent > 4:
        return Decimal(0), f"{text} has more than 4 decimal places"
    if abs(number) >= Decimal(10) ** 16:
        return Decimal(0), f"{text} is too large"
    return number, ""


def _choice[E: StrEnum](text: str, choices: list[E]) -> E | None:
    wanted = re.sub(r"[\s-]+", "_", text.strip().casefold())
    return next((c for c in choices if c.value == wanted), None)


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    if match := _UK_DATE.match(text):
        try:
            return date(int(match[3]), int(match[2]), int(match[1]))
        except ValueError:
            return None
    return None


def _entry(
    sheet: Sheet,
    spec: IndicatorSpec,
    organisation: str,
    period: Period,
    rows: list[tuple[SheetRow, _Cells]],
    problems: list[Problem],
) -> Entry | None:
    first = rows[0][0]
    numbers = tuple(r.number for r, _ in rows)
    notes = list(dict.fromkeys(r["note"] for r, _ in rows if r["note"]))
    note = "\n".join(notes)
    citation = " ".join(
        dict.fromkeys(" ".join(r["source"].split()) for r, _ in rows if r["source"])
    )
    if not spec.shape.has_parts:
        if len(rows) > 1:
            for row, _ in rows[1:]:
                problems.append(
                    sheet.problem(
                        row.number,
                        "period",
                        f"{spec.code} for {organisation} and {period.key} is already on row "
                        f"{first.number}",
                    )
                )
            return None
        values = rows[0][1]
        return Entry(
            indicator=spec.code,
            organisation=organisation,
            period=period,
            rows=numbers,
            value=values.numbers.get("value"),
            numerator=values.numbers.get("numerator"),
            denominator=values.numbers.get("denominator"),
            milestone_state=values.milestone_state,
            achieved_on=values.achieved_on,
            self_status=values.self_status,
            narrative=values.narrative,
            note=note,
            citation=citation,
        )
    parts: dict[str, Decimal | Mapping[str, Decimal]] = {}
    for row, values in rows:
        key = values.part
        if key in parts:
            problems.append(
                sheet.problem(
                    row.number,
                    "part",
                    f"Part {key} of {spec.code} for {organisation} and {period.key} is already "
                    "given above",
                )
            )
            continue
        if spec.shape is Shape.PARTS:
            parts[key] = values.numbers["value"]
        elif spec.shape is Shape.SHARE_PARTS:
            parts[key] = {c: values.numbers[c] for c in ("numerator", "denominator")}
        else:
            parts[key] = {c: values.numbers[c] for c in RATIO_COLUMNS}
    missing = [p for p in spec.parts if p not in parts]
    if missing:
        problems.append(
            sheet.problem(
                first.number,
                "part",
                f"Fill in every part of {spec.code} for {organisation} and {period.key}: "
                f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} missing",
            )
        )
        return None
    return Entry(
        indicator=spec.code,
        organisation=organisation,
        period=period,
        rows=numbers,
        parts={p: parts[p] for p in spec.parts},
        note=note,
        citation=citation,
    )


# Writing -------------------------------------------------------------------------------


def sheet_rows(
    *,
    charter: str,
    indicator: IndicatorSpec,
    organisation: str,
    period: Period,
    recorded: Observation | None = None,
    note: str = "",
    citation: str = "",
) -> list[dict[str, object]]:
    """The rows for one indicator, organisation and period: one, or one per part."""
    key: dict[str, object] = {
        "charter": charter,
        "indicator": indicator.code,
        "organisation": organisation,
        "period": period.key,
    }
    if recorded is None:
        if indicator.shape.has_parts:
            return [{**key, "part": part} for part in indicator.parts]
        return [key]
    note_cell: dict[str, object] = {"note": note} if note else {}
    if citation:
        note_cell["source"] = citation
    if indicator.shape.has_parts:
        rows: list[dict[str, object]] = []
        for part in indicator.parts:
            value = recorded.parts.get(part)
            cells: dict[str, object]
            if indicator.shape is Shape.PARTS:
                cells = {"value": value}
            else:
                counts = value if isinstance(value, Mapping) else {}
                columns = SHAPE_COLUMNS[indicator.shape][1:]
                cells = {c: counts.get(c) for c in columns}
            rows.append({**key, "part": part, **cells, **note_cell})
        return rows
    return [
        {
            **key,
            "value": recorded.value,
            "numerator": recorded.numerator,
            "denominator": recorded.denominator,
            "milestone_state": recorded.milestone_state.value if recorded.milestone_state else "",
            "achieved_on": recorded.achieved_on,
            "self_status": recorded.self_status.value if recorded.self_status else "",
            "narrative": recorded.narrative,
            **note_cell,
        }
    ]


def neutralise(text: str) -> str:
    """A text a spreadsheet would run as a formula, made inert with a leading quote (OWASP)."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _out(value: object) -> object:
    """A cell to write: numbers stay numbers; every text is neutralised."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return strip_zeros(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return value
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return neutralise(str(value))


Table = tuple[str, Sequence[str], Sequence[Mapping[str, object]]]


def to_csv(columns: Sequence[str], rows: Sequence[Mapping[str, object]]) -> bytes:
    """UTF-8 with a byte order mark, so that Excel reads accents and pound signs right."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_csv_cell(_out(row.get(c))) for c in columns])
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def _csv_cell(value: object) -> str:
    if isinstance(value, Decimal):
        return f"{value:f}"
    return str(value)


def to_xlsx(tables: Sequence[Table]) -> bytes:
    """A workbook with one worksheet per (title, columns, rows); every cell is a value,
    never a formula."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    default = book.active
    assert default is not None  # a new workbook has one empty worksheet
    book.remove(default)
    for title, columns, rows in tables:
        sheet = book.create_sheet(title)
        sheet.append(list(columns))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([_out(row.get(c)) for c in columns])
        for index, column in enumerate(columns, start=1):
            letter = _column_letter(index)
            # Text columns stay text, so a typed 2023-04 is not turned into a date.
            if column in ("period", "part", "indicator", "organisation", "charter"):
                for cell in sheet[letter]:
                    cell.number_format = "@"
            width = max([len(str(column)), *(len(str(r.get(column) or "")) for r in rows)])
            sheet.column_dimensions[letter].width = min(max(width + 2, 8), 60)
        sheet.freeze_panes = "A2"
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                # openpyxl takes any text starting with "=" as a formula; a value it is.
                if isinstance(cell.value, str):
                    cell.data_type = "s"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
