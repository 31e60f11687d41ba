"""Reading a CSV ledger's rows a column at a time with polars, for large files (ADR 026).

The row-by-row reader (`ledgerfile`) reads one row at a time in Python: 20 to 40 seconds
for a million lines. Once `parse` has found the layout, this reads the same rows with
`polars.read_csv` and does the common work on whole columns: the text is decoded once, the
cells are stripped and spaces collapsed, amounts in the usual forms (`£1,234.56`,
`(1,234.56)`, `-600`) are converted without Python, and each distinct date and supplier
name is read once by the very functions the row reader uses (`parse_date`,
`clean_supplier`). Every row the columns cannot settle (a blank, total or note row, a
repeated header, a missing or unusual date, amount or supplier) is handed to the row
reader's own functions (`data_entry`, `_line`), so its problems, skipped rows and values are
exactly the row reader's.

Only files whose rows are certainly the ones `csv.reader` sees are read this way: a CSV in
UTF-8 (with or without a byte-order mark) or cp1252, its header at the top, no bare
carriage returns, and as many records as lines. Anything else (workbooks, cp437, a header
sorted to the end, a quoted line break) returns `None`, and the caller reads row by row.
"""

from __future__ import annotations

import codecs
import csv
import io
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import polars as pl

from socialvalue.domain.ledger.fields import Field
from socialvalue.domain.ledger.values import DateOrder, clean_supplier, parse_date

if TYPE_CHECKING:  # pragma: no cover
    from socialvalue.domain.ledger.ledgerfile import LedgerLine, ParsedFile, Problem, Report

# Python's whitespace (`str.isspace`, which `str.strip` and `str.split` use), which polars'
# own trimming does not match exactly (it keeps the ASCII separators \x1c-\x1f); a test checks
# this list against Python's.
SPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
# A text whose spaces `" ".join(text.split())` would change, once stripped: two spaces
# together, or any other kind of space.
_UNEVEN_SPACE = "  |[" + "".join(f"\\x{{{ord(c):x}}}" for c in SPACE if c != " ") + "]"

_CHUNK = 1 << 22

# Amounts polars converts itself; any other form is read by `parse_amount`, once per text.
# ASCII digits only (`\d` would take other scripts' digits, which `int` reads but a cast
# does not), at most ten before the point and eight after it (whole 1e-8 units in 64 bits).
_DIGITS = r"(?:[0-9]{1,3}(?:,[0-9]{3}){1,3}|[0-9]{1,10})(?:\.[0-9]{1,8})?"
_PLAIN = rf"^£?{_DIGITS}$"
_BRACKETED = rf"^\(£?{_DIGITS}\)$"
_MINUS = rf"^(?:-£?|£-){_DIGITS}$"

# The columns of a frame of lines (`LINE_COLUMNS`), as both readers give them: text, so
# they go to the database as they are; the amount as an exact decimal's text.
LINE_COLUMNS = (
    "row",
    "date",
    "amount",
    "supplier_raw",
    "supplier_name",
    "supplier_ledger_id",
    "company_number",
    "vat_number",
    "supplier_postcode",
    "expense_type",
    "expense_area",
    "transaction_number",
    "invoice_number",
)
_SCHEMA = {name: (pl.Int64 if name == "row" else pl.String) for name in LINE_COLUMNS}


def lines_frame(lines: list[LedgerLine]) -> pl.DataFrame:
    """Lines read row by row as a frame of `LINE_COLUMNS`."""
    return pl.DataFrame(
        {
            "row": [line.source.row for line in lines],
            "date": [line.date.isoformat() for line in lines],
            "amount": [format(line.amount, "f") for line in lines],
            "supplier_raw": [line.supplier.raw for line in lines],
            "supplier_name": [line.supplier.name for line in lines],
            "supplier_ledger_id": [line.supplier.ledger_id for line in lines],
            "company_number": [line.company_number for line in lines],
            "vat_number": [line.vat_number for line in lines],
            "supplier_postcode": [line.supplier_postcode for line in lines],
            "expense_type": [line.expense_type for line in lines],
            "expense_area": [line.expense_area for line in lines],
            "transaction_number": [line.transaction_number for line in lines],
            "invoice_number": [line.invoice_number for line in lines],
        },
        schema=_SCHEMA,
    )


@dataclass
class Read:
    """What the columns gave: the good lines in row order, and the report's figures."""

    frame: pl.DataFrame
    report: Report


def _utf8_chunks(path: Path, encoding: str) -> Iterator[bytes]:
    """The file as UTF-8, a few megabytes at a time, decoded as the row reader decodes it
    (a byte-order mark is kept: it is on the first line, which is never data here)."""
    with path.open("rb") as handle:
        if encoding in ("utf-8", "utf-8-sig"):
            while chunk := handle.read(_CHUNK):
                yield chunk
            return
        decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        while chunk := handle.read(_CHUNK):
            yield decoder.decode(chunk).encode("utf-8")
        yield decoder.decode(b"", final=True).encode("utf-8")


@contextmanager
def _utf8_file(path: Path, encoding: str) -> Iterator[tuple[Path, int, bool, bytes]]:
    """A UTF-8 copy of the file for polars (the file itself when it is UTF-8 already), with
    its count of line feeds, whether every carriage return ends a line ("\r\n"), and its
    first lines (up to a megabyte). Streamed: the file is never whole in memory."""
    feeds = returns = pairs = 0
    last = b""
    head = b""
    copy = None
    try:
        if encoding == "cp1252":
            copy = tempfile.NamedTemporaryFile(suffix=".csv", delete=False)  # noqa: SIM115
        for chunk in _utf8_chunks(path, encoding):
            if not chunk:
                continue
            feeds += chunk.count(b"\n")
            returns += chunk.count(b"\r")
            pairs += chunk.count(b"\r\n") + (last == b"\r" and chunk[:1] == b"\n")
            last = chunk[-1:]
            if len(head) < _CHUNK:
                head += chunk[: _CHUNK - len(head)]
            if copy is not None:
                copy.write(chunk)
        if copy is not None:
            copy.close()
        yield (Path(copy.name) if copy else path), feeds, returns == pairs, head
    finally:
        if copy is not None:
            copy.close()
            Path(copy.name).unlink(missing_ok=True)


def read(parsed: ParsedFile, given: DateOrder | None) -> Read | None:
    """The table read by columns with a complete report, or None when the file is not one
    this reader is sure to read as `csv.reader` does (the caller then reads row by row)."""
    from socialvalue.domain.ledger import ledgerfile as lf

    layout, table = parsed.layout, parsed.table
    if (
        layout is None
        or table is None
        or parsed.problems
        or table.from_spreadsheet
        or layout.header_row is None
        or layout.header_at_end
        or table.delimiter is None
        or len(table.delimiter) != 1
        or table.encoding not in ("utf-8", "utf-8-sig", "cp1252")
    ):
        return None
    with _utf8_file(parsed.path, table.encoding) as (path, feeds, crlf_only, first):
        if not crlf_only:
            return None  # bare carriage returns end rows for csv.reader, not for polars
        # The data starts on the line after the header, if the lines so far are its records.
        lines = first.split(b"\n")
        if len(lines) <= layout.header_row:
            return None
        above = b"\n".join(lines[: layout.header_row]).decode("utf-8-sig")
        head = list(csv.reader(io.StringIO(above, newline=""), delimiter=table.delimiter))
        if len(head) != layout.header_row:
            return None
        try:
            cells = pl.read_csv(
                path,
                has_header=False,
                skip_lines=layout.header_row,
                separator=table.delimiter,
                quote_char='"',
                schema={f"c{i}": pl.String for i in range(len(head[-1]))},
                # Rows wider or narrower than the header, as csv.reader reads them.
                truncate_ragged_lines=True,
                extra_columns="ignore",
                missing_columns="insert",
            )
        except Exception:  # polars refuses what csv.reader may still read: leave it to that
            return None
        ends_with_feed = path.stat().st_size == 0 or _last_byte(path) == b"\n"
    if cells.height != feeds - layout.header_row + (not ends_with_feed) or not cells.height:
        return None  # a quoted line break: records and lines differ
    return _read(parsed, given, cells, lf._stripped(head[-1]), head, lf)


def _last_byte(path: Path) -> bytes:
    with path.open("rb") as handle:
        handle.seek(-1, 2)
        return handle.read(1)


# A cell with a space at either end.
_PADDED = (
    "^["
    + "".join(f"\\x{{{ord(c):x}}}" for c in SPACE)
    + "]|["
    + "".join(f"\\x{{{ord(c):x}}}" for c in SPACE)
    + "]$"
)


def _stripped(cells: pl.DataFrame, column: str) -> pl.Expr:
    """The column with empty cells as "" and, if any cell needs it, spaces stripped (most
    columns need none: not copying them keeps a large file's memory down)."""
    filled = pl.col(column).fill_null("")
    if cells.select(filled.str.contains(_PADDED).any()).item():
        return filled.str.strip_chars(SPACE)
    return filled


def _read(
    parsed: ParsedFile,
    given: DateOrder | None,
    cells: pl.DataFrame,
    header_cells: list[str],
    head: list[list[str]],
    lf: ModuleType,
) -> Read:
    layout = parsed.layout
    assert layout is not None and layout.header_row is not None
    first_row = layout.header_row + 1
    name, sheet = parsed.name, None
    at = {c.field: f"c{c.index}" for c in layout.columns}
    report = lf.Report(name, sheet, layout)

    # Rows above the header: the row reader counts each non-blank one as a banner.
    for cells_above in head[:-1]:
        if "".join(cells_above).strip():
            report.skipped["banner above the header row"] += 1

    frame = cells.select(
        pl.int_range(first_row, first_row + cells.height, dtype=pl.Int64).alias("row"),
        *[_stripped(cells, column).alias(field.value) for field, column in at.items()],
        _stripped(cells, "c0").alias("first"),
    )
    del cells

    # The date order, from every row's date cell, as `decide_date_order` works it out.
    dates = frame.select("row", "date").unique("date", keep="first", maintain_order=True)
    seen = lf.first_dates(zip(dates["row"].to_list(), dates["date"].to_list(), strict=True))
    order, problem = lf.date_order_of(parsed, given, (), seen)
    if problem:
        report.add_problem(problem)
    report.date_order = order

    # Rows the columns settle: with a date (so not blank, not a total, not a note) and not
    # the header again. Every other row (and any row whose values fail below) goes to the
    # row reader's functions.
    plain = (pl.col("date") != "") & (
        pl.col("first") != (header_cells[0] if header_cells else "\0")
    )
    texts, days = _distinct(frame["date"], lambda text: parse_date(text, order))
    names = [t for t in frame["supplier"].unique().to_list() if t]
    cleaned = [clean_supplier(t) for t in names]
    amount = pl.col("amount")
    frame = frame.with_columns(
        plain.alias("plain"),
        pl.when(amount.str.contains(_PLAIN))
        .then(pl.lit(1))
        .when(amount.str.contains(_BRACKETED) | amount.str.contains(_MINUS))
        .then(pl.lit(-1))
        .otherwise(pl.lit(0))
        .alias("sign"),
        _mapped("date", texts, days, pl.Date).alias("value"),
        _mapped("supplier", names, [n.name for n in cleaned]).alias("supplier_name"),
        _mapped("supplier", names, [n.ledger_id for n in cleaned]).alias("supplier_ledger_id"),
        _mapped("supplier", names, [n.company_number for n in cleaned]).alias("found_company"),
        _mapped("supplier", names, [n.vat_number for n in cleaned]).alias("found_vat"),
    )
    # The amount's digits; its value as an exact decimal of 8 places (a 128-bit integer).
    frame = frame.with_columns(amount.str.replace_all(r"[£(),\-]", "").alias("digits"))
    digits = pl.col("digits")
    point = digits.str.find(".", literal=True)
    frame = frame.with_columns(
        digits.cast(pl.Decimal(20, 8), strict=False).alias("size"),
        pl.when(pl.col("sign") < 0)
        .then(pl.lit("-") + digits)
        .otherwise(digits)
        .alias("amount_text"),
        (digits.str.len_bytes().cast(pl.Int64) - point - 1).fill_null(0).alias("places"),
    )
    good = (
        pl.col("plain")
        & pl.col("value").is_not_null()
        & (pl.col("sign") != 0)
        & (pl.col("supplier") != "")
    )
    settled = frame.select(good).to_series()
    if settled.all():
        fast, slow = frame, frame.clear()
    else:
        fast, slow = frame.filter(settled), frame.filter(~settled)
    del frame

    # The rows the columns did not settle, read by the row reader's functions, in order.
    slow_lines: list[LedgerLine] = []
    if slow.height:
        for number, row_cells in _raw_rows(parsed, slow["row"].to_list()):
            source = lf.Source(name, sheet, number)
            entry = lf.data_entry(source, row_cells, layout, header_cells)
            if isinstance(entry, lf.Skipped):
                report.skipped[entry.reason] += 1
                continue
            report.rows += 1
            result = lf._line(entry, layout, order)
            if isinstance(result, list):
                report.rows_rejected += 1
                for p in result:
                    report.add_problem(p)
                continue
            slow_lines.append(result)
    report.rows += fast.height

    # The figures, as the row reader sums its lines.
    size, sign = pl.col("size"), pl.col("sign")
    is_credit = (sign < 0) & (size != 0)  # -0.00 is no credit
    figures = fast.select(
        size.filter(sign > 0).sum().alias("debits"),
        size.filter(is_credit).sum().alias("credits"),
        is_credit.sum().alias("credit_rows"),
        pl.col("places").max().alias("places"),
        pl.col("places").filter(is_credit).max().alias("credit_places"),
        pl.col("value").min().alias("earliest"),
        pl.col("value").max().alias("latest"),
    ).row(0, named=True)
    credits = -Decimal(figures["credits"] or 0)
    total = Decimal(figures["debits"] or 0) + credits
    total = total.quantize(_scale(figures["places"]))
    credits = credits.quantize(_scale(figures["credit_places"]))
    credit_rows = figures["credit_rows"] or 0
    earliest, latest = figures["earliest"], figures["latest"]
    for line in slow_lines:
        total += line.amount
        if line.amount < 0:
            credits += line.amount
            credit_rows += 1
        earliest = line.date if earliest is None else min(earliest, line.date)
        latest = line.date if latest is None else max(latest, line.date)
    lines = _finish(fast, report.problems)
    if slow_lines:
        lines = pl.concat([lines, lines_frame(slow_lines)]).sort("row")
    report.total, report.credits, report.credit_rows = total, credits, credit_rows
    report.earliest, report.latest = _as_date(earliest), _as_date(latest)
    if report.rows == 0 and report.ok:
        report.add_problem(lf.Problem(name, "the file has no payment lines", sheet=sheet))
    if not report.ok:
        report.total = report.credits = Decimal(0)
    return Read(lines, report)


def _finish(fast: pl.DataFrame, problems: list[Problem]) -> pl.DataFrame:
    """The settled rows as `LINE_COLUMNS`, each text field's spaces collapsed as the row
    reader does (`" ".join(text.split())`)."""
    if problems:  # a refused file saves nothing: spare the work
        fast = fast.clear()

    def collapsed(field: Field) -> pl.Expr:
        if field.value not in fast.columns:
            return pl.lit("")
        return pl.lit(_collapsed(fast[field.value]))

    vat, company = collapsed(Field.VAT_NUMBER), collapsed(Field.COMPANY_NUMBER)
    return fast.select(
        pl.col("row"),
        pl.col("value").dt.to_string("%Y-%m-%d").alias("date"),
        pl.col("amount_text").alias("amount"),
        pl.col("supplier").alias("supplier_raw"),
        pl.col("supplier_name"),
        pl.col("supplier_ledger_id"),
        pl.when(company != "")
        .then(company)
        .otherwise(pl.col("found_company"))
        .alias("company_number"),
        pl.when(vat != "").then(vat).otherwise(pl.col("found_vat")).alias("vat_number"),
        collapsed(Field.SUPPLIER_POSTCODE).str.to_uppercase().alias("supplier_postcode"),
        collapsed(Field.EXPENSE_TYPE).alias("expense_type"),
        collapsed(Field.EXPENSE_AREA).alias("expense_area"),
        collapsed(Field.TRANSACTION_NUMBER).alias("transaction_number"),
        collapsed(Field.INVOICE_NUMBER).alias("invoice_number"),
    )


def _distinct(
    column: pl.Series, read_one: Callable[[str], object]
) -> tuple[list[str], list[object]]:
    """Each distinct text of a column, and its value read once by `read_one` (None where it
    raises)."""
    texts = column.unique().to_list()
    values = []
    for text in texts:
        try:
            values.append(read_one(text))
        except ValueError:
            values.append(None)
    return texts, values


def _mapped(
    column: str,
    texts: list[str],
    values: list[Any],
    dtype: pl.DataType | type[pl.DataType] = pl.String,
) -> pl.Expr:
    """The column's texts replaced by their values (null for any other text)."""
    return pl.col(column).replace_strict(texts, values, default=None, return_dtype=dtype)


def _collapsed(column: pl.Series) -> pl.Series:
    """`" ".join(text.split())` for every text of a stripped column, worked out in Python
    once per distinct text that has spaces to collapse."""
    uneven = column.filter(column.str.contains(_UNEVEN_SPACE)).unique().to_list()
    if not uneven:
        return column
    return column.replace(uneven, [" ".join(text.split()) for text in uneven])


def _raw_rows(parsed: ParsedFile, numbers: list[int]) -> Iterator[tuple[int, list[str]]]:
    """The cells of the given rows (in order), as `csv.reader` reads each row's line: the
    file is decoded again, which only files with rows the columns cannot settle need."""
    assert parsed.table is not None and parsed.table.encoding is not None
    data = b"".join(_utf8_chunks(parsed.path, parsed.table.encoding))
    wanted = iter(numbers)
    number = next(wanted, None)
    start, line = 0, 1
    while number is not None:
        end = data.find(b"\n", start)
        end = len(data) if end < 0 else end + 1
        if line == number:
            text = data[start:end].decode("utf-8")
            cells = next(
                csv.reader(io.StringIO(text, newline=""), delimiter=parsed.table.delimiter or ","),
                [],
            )
            yield number, cells
            number = next(wanted, None)
        start, line = end, line + 1


def _scale(places: int | None) -> Decimal:
    return Decimal(1).scaleb(-(places or 0))


def _as_date(value: object) -> date | None:
    return value if value is None or isinstance(value, date) else None
