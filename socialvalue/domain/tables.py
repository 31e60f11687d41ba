"""Reading a spreadsheet or CSV as a table of cells, for the workforce and carbon importers.

A file's rows come back with their numbers as a person sees them in a spreadsheet (the first
row is 1), so a problem can say where it is: file, sheet, row and column. The header row is
found by its names, below any banner rows a publisher puts on top.

openpyxl reads XLSX (it is already a dependency for the values sheets, and its cell values
are exact enough: a stored 0.16691 reads as that float, which `to_decimal` turns into the
Decimal 0.16691 through its shortest repr). CSV is read with the standard library, trying
UTF-8 (with or without a byte order mark) and then Windows-1252.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

__all__ = [
    "MAX_PROBLEMS",
    "Problem",
    "Table",
    "TableError",
    "find_header",
    "normalise",
    "read_rows",
    "table_from",
    "to_count",
    "to_date",
    "to_decimal",
    "to_month",
    "to_text",
]

# A file with thousands of bad rows is listed up to this many problems, then counted.
MAX_PROBLEMS = 200


@dataclass(frozen=True)
class Problem:
    """What is wrong and where. `row` is the spreadsheet row number (1 is the first row)."""

    file: str
    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        place = self.file
        if self.sheet:
            place += f" [{self.sheet}]"
        if self.row is not None:
            place += f":{self.row}"
        column = f" {self.column}:" if self.column else ""
        return f"{place}:{column} {self.message}"

    def to_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


class TableError(Exception):
    """The file cannot be read as a table at all (not a spreadsheet, no header row...)."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


@dataclass(frozen=True)
class Table:
    """The rows under a header: each row maps a canonical column name to its cell."""

    file: str
    sheet: str | None
    header_row: int
    columns: Mapping[str, str]  # canonical name -> the header as written in the file
    rows: Sequence[tuple[int, Mapping[str, object]]] = field(default_factory=tuple)

    def problem(
        self, message: str, *, row: int | None = None, column: str | None = None
    ) -> Problem:
        written = self.columns.get(column, column) if column else None
        return Problem(file=self.file, sheet=self.sheet, row=row, column=written, message=message)


def normalise(text: object) -> str:
    """Lower case, single spaces, no punctuation but what separates words: for matching names."""
    if text is None:
        return ""
    cleaned = re.sub(r"[^0-9a-z%/.+]+", " ", str(text).replace("\u00a0", " ").lower())
    return cleaned.strip()


def read_rows(
    path: Path, *, name: str | None = None
) -> Iterable[tuple[str | None, list[list[object]]]]:
    """Every sheet of the file as (sheet name, rows of cells); a CSV is one sheet named None."""
    label = name or path.name
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise TableError(Problem(file=label, message="no such file")) from None
    if data[:4] == b"PK\x03\x04":
        return list(_xlsx_rows(data, label))
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise TableError(
            Problem(file=label, message="an old Excel (.xls) file: save it as .xlsx or .csv")
        )
    return [(None, _csv_rows(data, label))]


def _xlsx_rows(data: bytes, label: str) -> Iterator[tuple[str, list[list[object]]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise TableError(
            Problem(file=label, message=f"not a spreadsheet that can be read ({error})")
        ) from None
    try:
        for sheet in book.worksheets:
            yield sheet.title, [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def _csv_rows(data: bytes, label: str) -> list[list[object]]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes almost anything; kept for clarity
        raise TableError(Problem(file=label, message="not text in UTF-8 or Windows-1252"))
    if "\x00" in text:
        raise TableError(Problem(file=label, message="not a CSV file (it holds binary data)"))
    return [list(row) for row in csv.reader(io.StringIO(text))]


def find_header(
    rows: Sequence[Sequence[object]],
    aliases: Mapping[str, Sequence[str]],
    *,
    required: Sequence[str],
    look: int = 30,
) -> tuple[int, dict[str, int], dict[str, str]] | None:
    """The first row (within `look`) naming every required column, by any of its aliases.

    Returns (row index from 0, canonical name -> column index, canonical name -> header text)
    or None. Aliases are compared normalised; a header may also match an alias pattern ending
    in `*` by prefix (`ghg conversion factor*`).
    """
    for index, row in enumerate(rows[:look]):
        found: dict[str, int] = {}
        written: dict[str, str] = {}
        for position, cell in enumerate(row):
            text = normalise(cell)
            if not text:
                continue
            for canonical, names in aliases.items():
                if canonical in found:
                    continue
                if any(
                    text == normalise(alias)
                    or (alias.endswith("*") and text.startswith(normalise(alias[:-1])))
                    for alias in names
                ):
                    found[canonical] = position
                    written[canonical] = str(cell).strip()
                    break
        if all(name in found for name in required):
            return index, found, written
    return None


def table_from(
    rows: Sequence[Sequence[object]],
    *,
    file: str,
    sheet: str | None,
    aliases: Mapping[str, Sequence[str]],
    required: Sequence[str],
) -> Table:
    """The table under the header row; blank rows are left out. Raises TableError without one."""
    header = find_header(rows, aliases, required=required)
    if header is None:
        wanted = ", ".join(f"'{aliases[name][0]}'" for name in required)
        raise TableError(
            Problem(file=file, sheet=sheet, message=f"no header row naming the columns {wanted}")
        )
    index, positions, written = header
    body = []
    for number, row in enumerate(rows[index + 1 :], start=index + 2):
        cells = {
            name: (row[position] if position < len(row) else None)
            for name, position in positions.items()
        }
        if all(_blank(value) for value in cells.values()):
            continue
        body.append((number, cells))
    return Table(file=file, sheet=sheet, header_row=index + 1, columns=written, rows=tuple(body))


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def to_decimal(value: object) -> Decimal | None:
    """A number from a cell: 1,234 and "1234 " read; £ and % are not numbers here. None if not."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, Decimal):
        return value
    text = str(value).strip().replace(",", "")
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def to_count(value: object) -> int | None:
    """A whole number of at least 0, or None."""
    number = to_decimal(value)
    if number is None or number < 0 or number != number.to_integral_value():
        return None
    return int(number)


def to_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def to_date(value: object) -> date | None:
    """A date from a cell: a spreadsheet date, 2024-04-30, 30/04/2024."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = to_text(value)
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d %b %Y", "%d %B %Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


MONTH_PATTERNS = ("%Y-%m", "%b-%y", "%b %Y", "%B %Y", "%b-%Y", "%B-%Y", "%m/%Y", "%Y%m")


def to_month(value: object) -> date | None:
    """The first day of a month from a cell: 2024-04, Apr-24, April 2024, 04/2024, or a date."""
    if isinstance(value, datetime | date):
        day = value.date() if isinstance(value, datetime) else value
        return day.replace(day=1)
    text = to_text(value)
    for pattern in MONTH_PATTERNS:
        try:
            return datetime.strptime(text, pattern).date().replace(day=1)
        except ValueError:
            continue
    written = to_date(value)
    return written.replace(day=1) if written else None
