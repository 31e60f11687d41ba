"""Parse and validate one payment-ledger file: the importer shape `parse(file)` then
`validate(parsed)`, both pure; saving is a service's job (docs/spend-files.md).

`parse` finds the layout (which column holds which field) and never holds the data rows in
memory: `ParsedFile.entries()` reads the file again each time it is called. `validate` reads
the date column once to decide how the file writes its dates, then every row, and returns
every problem with its file, sheet, row and column, with totals for the report. All or
nothing: `lines()` refuses a file that has problems.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import polars as pl

from socialvalue.domain.ledger import columnar, reading
from socialvalue.domain.ledger.fields import (
    IGNORED,
    REQUIRED,
    Field,
    aliases_text,
    match_header,
    normalise_header,
)
from socialvalue.domain.ledger.values import (
    DateOrder,
    SupplierName,
    clean_supplier,
    numeric_date_parts,
    parse_amount,
    parse_date,
)

HEADER_SEARCH_ROWS = 50
MAX_PROBLEMS_PER_FILE = 200


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: the column as a spreadsheet labels it."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def column_index(ref: str | int) -> int:
    """The 0-based index of a column given as a letter (`C`) or a 1-based number."""
    if isinstance(ref, int):
        if ref < 1:
            raise ValueError(f"column {ref}: columns are numbered from 1")
        return ref - 1
    text = ref.strip().upper()
    if text.isdigit():
        return column_index(int(text))
    if not text.isalpha():
        raise ValueError(f"'{ref}' is not a column letter or number")
    index = 0
    for char in text:
        index = index * 26 + ord(char) - ord("A") + 1
    return index - 1


@dataclass(frozen=True)
class ColumnMapping:
    """Which column holds which field, chosen by a person for a layout the reader does not know.

    `columns` maps a field name (`date`, `supplier`, `amount`, …) to a header text when the
    file has a header row, or to a column letter or number when it has none. `date_order`
    settles files whose dates could be read either way. Plain values only, so the mapping can
    be stored as JSON and used again for the organisation's next file.
    """

    columns: Mapping[str, str | int]
    has_header: bool = True
    date_order: DateOrder | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "columns": dict(self.columns),
            "has_header": self.has_header,
            "date_order": self.date_order.value if self.date_order else None,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ColumnMapping:
        unknown = set(data.get("columns", {})) - {f.value for f in Field}
        if unknown:
            raise ValueError(f"unknown field(s) in the mapping: {', '.join(sorted(unknown))}")
        order = data.get("date_order")
        return cls(
            columns=dict(data.get("columns", {})),
            has_header=bool(data.get("has_header", True)),
            date_order=DateOrder(order) if order else None,
        )


@dataclass(frozen=True)
class Problem:
    file: str
    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = self.file + (f"[{self.sheet}]" if self.sheet else "")
        if self.row is not None:
            where += f":{self.row}"
        if self.column:
            where += f":{self.column}"
        return f"{where}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass(frozen=True)
class Source:
    file: str
    sheet: str | None
    row: int

    def __str__(self) -> str:
        return self.file + (f"[{self.sheet}]" if self.sheet else "") + f":{self.row}"


@dataclass(frozen=True)
class Column:
    field: Field
    index: int
    header: str
    close_spelling: bool = False

    @property
    def label(self) -> str:
        name = self.header.strip() or self.field.value
        return f"{column_letter(self.index)} ({name})"


@dataclass(frozen=True)
class Layout:
    """What the reader found: the header row, the column of each field, what it left out."""

    columns: tuple[Column, ...]
    header_row: int | None
    header_at_end: bool = False
    unmapped: tuple[str, ...] = ()
    ignored: tuple[str, ...] = ()
    explicit: bool = False

    def column(self, field_: Field) -> Column | None:
        return next((c for c in self.columns if c.field == field_), None)

    def describe(self) -> dict[str, str]:
        return {c.field.value: c.label for c in self.columns}


@dataclass(frozen=True)
class Record:
    """One data row: the raw text of each mapped field, and where it came from."""

    source: Source
    values: Mapping[Field, str]


@dataclass(frozen=True)
class Skipped:
    source: Source
    reason: str


@dataclass(frozen=True)
class LedgerLine:
    """A payment line ready to store: typed values, the supplier's raw and clean name."""

    source: Source
    date: date
    amount: Decimal
    supplier: SupplierName
    body: str = ""
    department_family: str = ""
    expense_type: str = ""
    expense_area: str = ""
    transaction_number: str = ""
    invoice_number: str = ""
    description: str = ""
    vat_number: str = ""
    supplier_postcode: str = ""
    company_number: str = ""


@dataclass
class ParsedFile:
    path: Path
    name: str
    table: reading.Table | None
    layout: Layout | None
    mapping: ColumnMapping | None = None
    problems: list[Problem] = field(default_factory=list)

    def _rows(self) -> Iterator[tuple[int, list[str]]]:
        assert self.table is not None
        if self.table.from_spreadsheet:
            return reading.spreadsheet_rows(self.path, self.table)
        return reading.csv_rows(self.path, self.table)

    def entries(self) -> Iterator[Record | Skipped]:
        """Every row below the header (above it, when the header was sorted to the end),
        as a record to read or a row skipped with its reason."""
        if self.layout is None:
            return
        layout = self.layout
        header_row = layout.header_row
        header_cells = None
        name, sheet = self.name, self.table.sheet if self.table else None
        for number, cells in self._rows():
            source = Source(name, sheet, number)
            # "".join(cells).strip() is empty exactly when every cell is blank.
            if header_row is not None:
                if number == header_row:
                    header_cells = _stripped(cells)
                    continue
                if number < header_row and not layout.header_at_end:
                    if "".join(cells).strip():
                        yield Skipped(source, "banner above the header row")
                    continue
                if number > header_row and layout.header_at_end:
                    if "".join(cells).strip():
                        yield Skipped(source, "below the header row at the end of the file")
                    continue
            yield data_entry(source, cells, layout, header_cells)


def data_entry(
    source: Source, cells: list[str], layout: Layout, header_cells: list[str] | None
) -> Record | Skipped:
    """One row of the data (not a banner), as a record to read or skipped with its reason;
    `header_cells` is the header row, stripped (`_stripped`), to recognise it repeated."""
    if not "".join(cells).strip():
        return Skipped(source, "blank")
    if header_cells and cells[0].strip() == header_cells[0] and _stripped(cells) == header_cells:
        return Skipped(source, "repeated header row")
    if len(cells) > max(c.index for c in layout.columns):
        values = {c.field: cells[c.index].strip() for c in layout.columns}
    else:
        values = {
            c.field: (cells[c.index].strip() if c.index < len(cells) else "")
            for c in layout.columns
        }
    if _is_total(values):
        return Skipped(source, "footer total")
    if _is_note(values):
        return Skipped(source, "no date, supplier or amount (a note)")
    return Record(source, values)


def _stripped(cells: list[str]) -> list[str]:
    out = [c.strip() for c in cells]
    while out and not out[-1]:
        out.pop()
    return out


_TOTAL_WORDS = {"total", "totals", "grand total", "sub total", "subtotal", "total spend"}


def _is_total(values: Mapping[Field, str]) -> bool:
    """A totals line: an amount with no date and no supplier (or the supplier cell says
    total). Suppliers named Total Gas & Power, dated and with an amount, are payments."""
    return (
        bool(values.get(Field.AMOUNT))
        and not values.get(Field.DATE)
        and normalise_header(values.get(Field.SUPPLIER, "")) in _TOTAL_WORDS | {""}
    )


def _is_note(values: Mapping[Field, str]) -> bool:
    """Text in other columns only (a footnote or a section title): no date, supplier, amount."""
    return not (values.get(Field.DATE) or values.get(Field.SUPPLIER) or values.get(Field.AMOUNT))


def _header_columns(cells: list[str]) -> tuple[list[Column], list[str], list[str]]:
    columns: list[Column] = []
    unmapped: list[str] = []
    ignored: list[str] = []
    taken: set[Field] = set()
    for index, text in enumerate(cells):
        if not text.strip():
            continue
        found, close = match_header(text)
        if found is None or found in taken:
            (ignored if normalise_header(text) in IGNORED else unmapped).append(text.strip())
            continue
        taken.add(found)
        columns.append(Column(found, index, text, close))
    return columns, unmapped, ignored


def _is_header(columns: list[Column]) -> bool:
    fields = {c.field for c in columns}
    return len(fields & set(REQUIRED)) >= 2 and len(fields) >= 3


def _missing_required_problem(name: str, sheet: str | None, columns: list[Column]) -> Problem:
    found = {c.field for c in columns}
    missing = [f for f in REQUIRED if f not in found]
    parts = [f"{f.value} (looked for {aliases_text(f)})" for f in missing]
    return Problem(
        name,
        "the header row has no column for " + "; ".join(parts),
        sheet=sheet,
    )


def _find_layout(
    name: str, table: reading.Table, rows: Iterator[tuple[int, list[str]]]
) -> tuple[Layout | None, list[Problem]]:
    best: tuple[int, list[Column], list[str], list[str]] | None = None
    near: tuple[int, list[Column]] | None = None
    last_nonblank = 0
    found_after = None
    above: list[str] = []  # the last non-blank row before the header
    for number, cells in rows:
        nonblank = any(c.strip() for c in cells)
        if nonblank:
            last_nonblank = number
        if best is not None:
            if nonblank:
                # A row after the header: it is not at the end, and the rest need no reading.
                break
            continue
        columns, unmapped, ignored = _header_columns(cells)
        if nonblank and not _is_header(columns):
            above = cells
        if _is_header(columns):
            if number <= HEADER_SEARCH_ROWS:
                best = (number, columns, unmapped, ignored)
            else:
                found_after = (number, columns, unmapped, ignored)
                best = found_after
        elif len(columns) >= 2 and near is None and number <= HEADER_SEARCH_ROWS:
            near = (number, columns)
    sheet = table.sheet
    if best is None:
        if last_nonblank == 0:
            return None, [Problem(name, "the file has no rows", sheet=sheet)]
        if near is not None:
            problem = _missing_required_problem(name, sheet, near[1])
            return None, [Problem(name, problem.message, sheet=sheet, row=near[0])]
        return None, [
            Problem(
                name,
                "no header row found: no row names at least two of date, supplier and amount "
                f"(looked for date as {aliases_text(Field.DATE)}; supplier as "
                f"{aliases_text(Field.SUPPLIER)}; amount as {aliases_text(Field.AMOUNT)}). "
                "If the file has no header row, give a column mapping by column letter",
                sheet=sheet,
            )
        ]
    number, columns, unmapped, ignored = best
    if any(f not in {c.field for c in columns} for f in REQUIRED):
        problem = _missing_required_problem(name, sheet, columns)
        return None, [Problem(name, problem.message, sheet=sheet, row=number)]
    # A header that is the last row, under a row with a date and an amount where the header
    # puts them, was sorted to the bottom with the data: the rows above it are the data.
    at = {c.field: c.index for c in columns}
    data_above = all(
        at[f] < len(above) and above[at[f]].strip() for f in (Field.DATE, Field.AMOUNT)
    )
    at_end = number == last_nonblank and data_above
    if found_after is not None and not at_end:
        return None, [
            Problem(
                name,
                f"the header row is at row {number}, not in the first {HEADER_SEARCH_ROWS} rows "
                "and not the last row: move it to the top of the data",
                sheet=sheet,
                row=number,
            )
        ]
    layout = Layout(
        columns=tuple(columns),
        header_row=number,
        header_at_end=at_end,
        unmapped=tuple(unmapped),
        ignored=tuple(ignored),
    )
    return layout, []


def _explicit_layout(
    name: str,
    table: reading.Table,
    mapping: ColumnMapping,
    rows: Iterator[tuple[int, list[str]]],
) -> tuple[Layout | None, list[Problem]]:
    sheet = table.sheet
    problems: list[Problem] = []
    wanted: dict[Field, str | int] = {}
    for key, ref in mapping.columns.items():
        try:
            wanted[Field(key)] = ref
        except ValueError:
            problems.append(Problem(name, f"the mapping names an unknown field '{key}'"))
    missing = [f.value for f in REQUIRED if f not in wanted]
    if missing:
        problems.append(Problem(name, f"the mapping has no column for {', '.join(missing)}"))
    if problems:
        return None, problems
    if not mapping.has_header:
        columns = []
        for f, ref in wanted.items():
            try:
                columns.append(Column(f, column_index(ref), ""))
            except ValueError as error:
                problems.append(Problem(name, f"mapping for {f.value}: {error}"))
        if problems:
            return None, problems
        return Layout(columns=tuple(columns), header_row=None, explicit=True), []
    targets = {normalise_header(str(ref)): f for f, ref in wanted.items()}
    for number, cells in rows:
        if number > HEADER_SEARCH_ROWS:
            break
        found = {normalise_header(c): i for i, c in enumerate(cells) if c.strip()}
        if all(t in found for t in targets):
            columns = [Column(f, found[t], cells[found[t]]) for t, f in targets.items()]
            mapped = {c.index for c in columns}
            unmapped = tuple(
                c.strip() for i, c in enumerate(cells) if c.strip() and i not in mapped
            )
            return Layout(
                columns=tuple(columns), header_row=number, unmapped=unmapped, explicit=True
            ), []
    names = ", ".join(f"'{ref}'" for ref in wanted.values())
    return None, [
        Problem(
            name,
            f"no row in the first {HEADER_SEARCH_ROWS} has all the mapped headers ({names})",
            sheet=sheet,
        )
    ]


def parse(
    path: str | Path,
    *,
    mapping: ColumnMapping | None = None,
    name: str | None = None,
    sheet: str | None = None,
) -> list[ParsedFile]:
    """The tables in a ledger file (one per sheet that holds a ledger) with their layouts.

    A workbook's sheets without a header row are left out when another sheet has one; a file
    in which no table has a usable layout comes back as one `ParsedFile` carrying the reason.
    """
    path = Path(path)
    display = name or path.name
    suffix = path.suffix.lower()

    def refused(message: str) -> list[ParsedFile]:
        return [ParsedFile(path, display, None, None, mapping, [Problem(display, message)])]

    if suffix not in reading.SPREADSHEET_SUFFIXES + reading.CSV_SUFFIXES:
        return refused(f"'{path.suffix}' files are not ledgers: use CSV, XLSX or XLS")
    try:
        # The content decides: a workbook saved with a .csv name is still read as a workbook.
        if suffix in reading.SPREADSHEET_SUFFIXES or reading.looks_like_workbook(path):
            tables = reading.spreadsheet_tables(path)
            if sheet is not None:
                tables = [t for t in tables if t.sheet == sheet]
                if not tables:
                    return refused(f"the workbook has no sheet named '{sheet}'")
        else:
            tables = [reading.csv_table(path)]
    except reading.UnreadableFile as error:
        return refused(str(error))
    except FileNotFoundError:
        return refused("no such file")

    results = []
    for table in tables:
        parsed = ParsedFile(path, display, table, None, mapping)
        try:
            rows = parsed._rows()
            if mapping is not None:
                layout, problems = _explicit_layout(display, table, mapping, rows)
            else:
                layout, problems = _find_layout(display, table, rows)
        except reading.UnreadableFile as error:
            layout, problems = None, [Problem(display, str(error), sheet=table.sheet)]
        parsed.layout = layout
        parsed.problems = problems
        results.append(parsed)
    usable = [p for p in results if p.layout is not None]
    if usable and len(results) > 1:
        return usable
    return results


@dataclass
class Report:
    """What validating one table found: problems, the skipped rows and the figures."""

    file: str
    sheet: str | None
    layout: Layout | None
    date_order: DateOrder | None = None
    rows: int = 0
    rows_rejected: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    total: Decimal = Decimal(0)
    credits: Decimal = Decimal(0)
    credit_rows: int = 0
    earliest: date | None = None
    latest: date | None = None
    problems: list[Problem] = field(default_factory=list)
    problems_left_out: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def rows_accepted(self) -> int:
        return self.rows if self.ok else 0

    def add_problem(self, problem: Problem) -> None:
        if len(self.problems) < MAX_PROBLEMS_PER_FILE:
            self.problems.append(problem)
        else:
            self.problems_left_out += 1


def decide_date_order(
    parsed: ParsedFile, given: DateOrder | None
) -> tuple[DateOrder | None, Problem | None]:
    """Day-first or month-first for the whole file, from every all-number date in it.

    A first number above 12 (30/04/2020) proves day-first; a second above 12 (4/30/2020)
    proves month-first. Both in one file is refused; neither (every date could be read either
    way) is refused unless the caller says which, since guessing would move payments
    between months without anyone noticing.
    """
    assert parsed.layout is not None
    layout = parsed.layout
    column = layout.column(Field.DATE)
    # Only the date column of the data rows is looked at, straight from the file: rows that
    # `entries` would skip (blank, totals, notes, repeated headers) hold no all-number date.
    index = column.index if column else 0

    def dates() -> Iterator[tuple[int, str]]:
        for number, cells in parsed._rows():
            if layout.header_row is not None and (
                number == layout.header_row or (number < layout.header_row) != layout.header_at_end
            ):
                continue
            yield number, cells[index] if index < len(cells) else ""

    return date_order_of(parsed, given, dates())


DateSeen = tuple[int, str]


def first_dates(dates: Iterable[tuple[int, str]]) -> tuple[DateSeen | None, ...]:
    """The first all-number date (row, text), the first that can only be day-first and the
    first that can only be month-first, from (row, cell) pairs in row order."""
    day_first = month_first = numeric = None
    for number, text in dates:
        parts = _cached_date_parts(text)
        if parts is None:
            continue
        numeric = numeric or (number, text.strip())
        first, second = parts
        if first > 12 and second <= 12 and day_first is None:
            day_first = (number, text.strip())
        elif second > 12 and first <= 12 and month_first is None:
            month_first = (number, text.strip())
        if day_first and month_first:
            break
    return numeric, day_first, month_first


def date_order_of(
    parsed: ParsedFile,
    given: DateOrder | None,
    dates: Iterable[tuple[int, str]],
    seen: tuple[DateSeen | None, ...] | None = None,
) -> tuple[DateOrder | None, Problem | None]:
    """`decide_date_order` from the date cells of the data rows, or from `first_dates`
    already worked out (`seen`)."""
    assert parsed.layout is not None
    column = parsed.layout.column(Field.DATE)
    numeric, day_first, month_first = seen if seen is not None else first_dates(dates)
    sheet = parsed.table.sheet if parsed.table else None
    label = column.label if column else None
    if day_first and month_first:
        return None, Problem(
            parsed.name,
            f"dates disagree: '{day_first[1]}' (row {day_first[0]}) is day-first but "
            f"'{month_first[1]}' (row {month_first[0]}) is month-first",
            sheet=sheet,
            column=label,
        )
    if day_first:
        if given == DateOrder.MONTH_FIRST:
            return None, Problem(
                parsed.name,
                f"the mapping says month-first but '{day_first[1]}' "
                f"(row {day_first[0]}) is day-first",
                sheet=sheet,
                column=label,
            )
        return DateOrder.DAY_FIRST, None
    if month_first:
        if given == DateOrder.DAY_FIRST:
            return None, Problem(
                parsed.name,
                f"the mapping says day-first but '{month_first[1]}' "
                f"(row {month_first[0]}) is month-first",
                sheet=sheet,
                column=label,
            )
        return DateOrder.MONTH_FIRST, None
    if numeric and given is None:
        return None, Problem(
            parsed.name,
            "every date could be day-first or month-first (such as "
            f"'{numeric[1]}' in row {numeric[0]}): say which in the column mapping",
            sheet=sheet,
            column=label,
        )
    return given, None


# Ledgers repeat the same dates and suppliers on line after line; reading each text once
# keeps a million-line file fast. Both functions are pure, so caching changes nothing else.
_FIELDS = tuple(Field)
_cached_supplier = lru_cache(maxsize=1 << 16)(clean_supplier)
_cached_date = lru_cache(maxsize=1 << 12)(parse_date)
_cached_date_parts = lru_cache(maxsize=1 << 12)(numeric_date_parts)


def _problem(source: Source, layout: Layout, f: Field, message: str) -> Problem:
    column = layout.column(f)
    return Problem(
        source.file,
        message,
        sheet=source.sheet,
        row=source.row,
        column=column.label if column else f.value,
    )


# Fields read on their own in `_line`; every other field is kept as text, spaces collapsed.
_TYPED = frozenset((Field.DATE, Field.AMOUNT, Field.SUPPLIER))


def _line(record: Record, layout: Layout, order: DateOrder | None) -> LedgerLine | list[Problem]:
    problems = []
    values = record.values
    source = record.source
    date_text = values.get(Field.DATE, "")
    when = None
    try:
        when = _cached_date(date_text, order)
    except ValueError as error:
        # With no date order the file is already refused once for the whole column; one
        # problem per row would bury the others.
        if order is not None or numeric_date_parts(date_text) is None:
            problems.append(_problem(source, layout, Field.DATE, str(error)))
    try:
        amount = parse_amount(values.get(Field.AMOUNT, ""))
    except ValueError as error:
        problems.append(_problem(source, layout, Field.AMOUNT, str(error)))
    supplier_text = values.get(Field.SUPPLIER, "")
    if not supplier_text:
        problems.append(_problem(source, layout, Field.SUPPLIER, "the supplier is empty"))
    if problems or when is None:
        return problems
    supplier = _cached_supplier(supplier_text)
    text = dict.fromkeys(_FIELDS, "")
    for f, raw in values.items():
        if f not in _TYPED:
            text[f] = " ".join(raw.split())
    return LedgerLine(
        source=source,
        date=when,
        amount=amount,
        supplier=supplier,
        body=text[Field.BODY],
        department_family=text[Field.DEPARTMENT_FAMILY],
        expense_type=text[Field.EXPENSE_TYPE],
        expense_area=text[Field.EXPENSE_AREA],
        transaction_number=text[Field.TRANSACTION_NUMBER],
        invoice_number=text[Field.INVOICE_NUMBER],
        description=text[Field.DESCRIPTION],
        vat_number=text[Field.VAT_NUMBER] or supplier.vat_number,
        supplier_postcode=text[Field.SUPPLIER_POSTCODE].upper(),
        company_number=text[Field.COMPANY_NUMBER] or supplier.company_number,
    )


def _read_lines(parsed: ParsedFile, report: Report) -> Iterator[LedgerLine]:
    assert parsed.layout is not None
    for entry in parsed.entries():
        if isinstance(entry, Skipped):
            report.skipped[entry.reason] += 1
            continue
        report.rows += 1
        result = _line(entry, parsed.layout, report.date_order)
        if isinstance(result, list):
            report.rows_rejected += 1
            for p in result:
                report.add_problem(p)
            continue
        yield result


def validate(parsed: ParsedFile, *, by_columns: bool = True) -> Report:
    """Every problem in the table, with its row and column, and the figures of its lines.

    `by_columns=False` reads row by row even a file the column reader could read (the two
    give the same report: tests compare them)."""
    report, frames = checking_frames(parsed, by_columns=by_columns)
    for _frame in frames:
        pass
    return report


def checking_frames(
    parsed: ParsedFile, *, size: int = 10_000, by_columns: bool = True
) -> tuple[Report, Iterator[pl.DataFrame]]:
    """`checking`, the lines coming as frames of up to `size` lines (`columnar.LINE_COLUMNS`).

    A CSV file the column reader can read (`columnar.read`) is read whole at once by
    columns, and its report is complete before the first frame; any other is read row by
    row, its report complete once every frame is read. Either way the report, the lines and
    every problem are the row reader's.
    """
    given = parsed.mapping.date_order if parsed.mapping else None
    read = columnar.read(parsed, given) if by_columns else None
    if read is not None:
        frame = read.frame
        return read.report, (frame.slice(at, size) for at in range(0, frame.height, size))
    report, stream = checking(parsed)
    return report, _frames(stream, size)


def _frames(stream: Iterator[LedgerLine], size: int) -> Iterator[pl.DataFrame]:
    batch: list[LedgerLine] = []
    for line in stream:
        batch.append(line)
        if len(batch) == size:
            yield columnar.lines_frame(batch)
            batch = []
    if batch:
        yield columnar.lines_frame(batch)


def checking(parsed: ParsedFile) -> tuple[Report, Iterator[LedgerLine]]:
    """Read and check the table in one pass: a report, and the lines as they are read.

    Each good line is yielded as soon as it is read, while every problem goes into the
    report; the report is complete (as `validate` gives it) only once the lines are all
    read. A yielded line is good on its own, but the file is accepted only if the finished
    report is `ok`: a caller that saves lines as they come must throw them all away when it
    is not (all or nothing, ADR 023).
    """
    sheet = parsed.table.sheet if parsed.table else None
    report = Report(parsed.name, sheet, parsed.layout)
    return report, _checked(parsed, report)


def _checked(parsed: ParsedFile, report: Report) -> Iterator[LedgerLine]:
    sheet = report.sheet
    for p in parsed.problems:
        report.add_problem(p)
    if parsed.layout is None:
        return
    given = parsed.mapping.date_order if parsed.mapping else None
    try:
        order, problem = decide_date_order(parsed, given)
        if problem:
            report.add_problem(problem)
        report.date_order = order
        total = credits = Decimal(0)
        credit_rows = 0
        earliest: date | None = None
        latest: date | None = None
        for line in _read_lines(parsed, report):
            amount, when = line.amount, line.date
            total += amount
            if amount < 0:
                credits += amount
                credit_rows += 1
            if earliest is None or when < earliest:
                earliest = when
            if latest is None or when > latest:
                latest = when
            yield line
        report.total, report.credits, report.credit_rows = total, credits, credit_rows
        report.earliest, report.latest = earliest, latest
    except reading.UnreadableFile as error:
        report.add_problem(Problem(parsed.name, str(error), sheet=sheet))
    except UnicodeDecodeError as error:  # pragma: no cover - detect_encoding read every byte
        report.add_problem(Problem(parsed.name, f"unreadable text ({error.reason})", sheet=sheet))
    if report.rows == 0 and report.ok:
        report.add_problem(Problem(parsed.name, "the file has no payment lines", sheet=sheet))
    if not report.ok:
        report.total = report.credits = Decimal(0)


def lines(parsed: ParsedFile, report: Report) -> Iterator[LedgerLine]:
    """The payment lines of a table that validated cleanly, read again from the file
    (`checking` reads and checks in one pass)."""
    if not report.ok:
        raise ValueError(f"{parsed.name}: the file has problems; nothing from it can be loaded")
    yield from _read_lines(
        parsed, Report(report.file, report.sheet, report.layout, report.date_order)
    )
