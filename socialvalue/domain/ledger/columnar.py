"""Reading a CSV ledger's rows a column at a time with polars, for large files (ADR 026).

The row-by-row reader (`ledgerfile`) reads one row at a time in Python: about 40 seconds
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
import sys
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

import polars as pl

from socialvalue.domain.ledger.fields import Field
from socialvalue.domain.ledger.values import DateOrder, clean_supplier, parse_date

if TYPE_CHECKING:  # pragma: no cover
    from socialvalue.domain.ledger.ledgerfile import LedgerLine, ParsedFile, Problem, Report

# Python's whitespace (str.isspace), which polars' own trimming does not match exactly
# (it leaves the ASCII separators \x1c–\x1f): the row reader strips and splits on these.
_SPACE = "".join(chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace())
_SPACE_RUN = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in _SPACE) + "]+"

# Amounts polars converts itself; any other form is read by `parse_amount`, once per text.
# ASCII digits only (`\d` would take other scripts' digits, which `int` reads but a cast
# does not), at most ten before the point and eight after it (whole 1e-8 units in 64 bits).
_DIGITS = r"(?:[0-9]{1,3}(?:,[0-9]{3}){1,3}|[0-9]{1,10})(?:\.[0-9]{1,8})?"
_PLAIN = rf"^£?{_DIGITS}$"
_BRACKETED = rf"^\(£?{_DIGITS}\)$"
_MINUS = r"^-[0-9]{1,10}(?:\.[0-9]{1,8})?$"

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


def _text(path, encoding: str) -> bytes | None:
    """The file as UTF-8 bytes, decoded as the row reader decodes it; None for encodings
    left to the row reader."""
    if encoding == "utf-8":
        return path.read_bytes()
    if encoding == "utf-8-sig":
        data = path.read_bytes()
        return data[len(codecs.BOM_UTF8) :] if data.startswith(codecs.BOM_UTF8) else data
    if encoding == "cp1252":
        decoder = codecs.getincrementaldecoder("cp1252")(errors="replace")
        out = bytearray()
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 22):
                out += decoder.decode(chunk).encode("utf-8")
            out += decoder.decode(b"", final=True).encode("utf-8")
        return bytes(out)
    return None


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
    data = _text(parsed.path, table.encoding)
    if data is None or data.count(b"\r") != data.count(b"\r\n"):
        return None  # bare carriage returns end rows for csv.reader, not for polars
    # The data starts on the line after the header, if the lines so far are its records.
    offset = 0
    for _ in range(layout.header_row):
        found = data.find(b"\n", offset)
        if found < 0:
            return None
        offset = found + 1
    head = list(
        csv.reader(
            io.StringIO(data[:offset].decode("utf-8"), newline=""), delimiter=table.delimiter
        )
    )
    if len(head) != layout.header_row:
        return None
    header_cells = lf._stripped(head[-1])
    body = data[offset:]
    del data
    if not body.strip():
        return None
    width = len(head[-1])
    try:
        cells = pl.read_csv(
            io.BytesIO(body),
            has_header=False,
            separator=table.delimiter,
            quote_char='"',
            schema={f"c{i}": pl.String for i in range(width)},
            truncate_ragged_lines=True,
        )
    except Exception:  # polars refuses what csv.reader may still read: leave it to that
        return None
    lines_in_body = body.count(b"\n") + (not body.endswith(b"\n"))
    if cells.height != lines_in_body:
        return None  # a quoted line break: records and lines differ
    return _read(parsed, given, cells, body, header_cells, head, lf)


def _stripped(column: str) -> pl.Expr:
    return pl.col(column).fill_null("").str.strip_chars(_SPACE)


def _read(parsed, given, cells, body, header_cells, head, lf) -> Read:
    layout = parsed.layout
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
        *[_stripped(column).alias(field.value) for field, column in at.items()],
        _stripped("c0").alias("first"),
        pl.concat_str([pl.col(c).fill_null("") for c in cells.columns]).alias("joined"),
    )
    del cells

    # The date order, from every row's date cell, as `decide_date_order` works it out.
    dates = frame.select("row", "date").unique("date", keep="first", maintain_order=True)
    seen = lf.first_dates(zip(dates["row"].to_list(), dates["date"].to_list(), strict=True))
    order, problem = lf.date_order_of(parsed, given, (), seen)
    if problem:
        report.add_problem(problem)
    report.date_order = order

    # Rows the columns settle: not blank, not the header again, with a date. Every other row
    # (and any row whose values fail below) goes to the row reader's functions.
    plain = (
        (pl.col("date") != "")
        & (pl.col("first") != (header_cells[0] if header_cells else "\0"))
        & (pl.col("joined").str.strip_chars(_SPACE) != "")
    )
    dates_read = _distinct(frame["date"], lambda text: parse_date(text, order), pl.Date)
    suppliers = _suppliers(frame["supplier"])
    amount = pl.col("amount")
    frame = (
        frame.with_columns(
            plain.alias("plain"),
            pl.when(amount.str.contains(_PLAIN))
            .then(pl.lit(1))
            .when(amount.str.contains(_BRACKETED) | amount.str.contains(_MINUS))
            .then(pl.lit(-1))
            .otherwise(pl.lit(0))
            .alias("sign"),
        )
        .join(dates_read, left_on="date", right_on="text", how="left", maintain_order="left")
        .join(
            suppliers,
            left_on="supplier",
            right_on="supplier_raw",
            how="left",
            maintain_order="left",
        )
    )
    digits = amount.str.replace_all(r"[£(),\-]", "")
    whole = digits.str.split(".").list.get(0)
    fraction = digits.str.split(".").list.get(1, null_on_oob=True).fill_null("")
    frame = frame.with_columns(
        pl.when(pl.col("sign") != 0)
        .then(
            pl.col("sign")
            * (
                whole.cast(pl.Int64, strict=False) * 100_000_000
                + (fraction + pl.lit("0" * 8)).str.slice(0, 8).cast(pl.Int64, strict=False)
            )
        )
        .alias("units"),
        pl.when(pl.col("sign") != 0)
        .then(
            pl.concat_str(
                [
                    pl.when(pl.col("sign") < 0).then(pl.lit("-")).otherwise(pl.lit("")),
                    whole,
                    pl.when(fraction != "").then(pl.lit(".") + fraction).otherwise(pl.lit("")),
                ]
            )
        )
        .alias("amount_text"),
        fraction.str.len_chars().alias("places"),
    )
    good = (
        pl.col("plain")
        & pl.col("value").is_not_null()
        & (pl.col("sign") != 0)
        & (pl.col("supplier") != "")
    )
    fast = frame.filter(good)
    slow = frame.filter(~good)
    del frame

    # The rows the columns did not settle, read by the row reader's functions, in order.
    slow_lines: list = []
    if slow.height:
        line_starts = _line_starts(body)
        for number in slow["row"].to_list():
            index = number - first_row
            raw = body[line_starts[index] : line_starts[index + 1]].decode("utf-8")
            row_cells = next(
                csv.reader(io.StringIO(raw, newline=""), delimiter=parsed.table.delimiter), []
            )
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
    units = fast["units"]
    total = Decimal(int(units.sum())).scaleb(-8) if fast.height else Decimal(0)
    credit = fast.filter(pl.col("units") < 0)
    credits = Decimal(int(credit["units"].sum())).scaleb(-8) if credit.height else Decimal(0)
    total = total.quantize(_scale(fast["places"].max()))
    credits = credits.quantize(_scale(credit["places"].max() if credit.height else 0))
    credit_rows = credit.height
    earliest = fast["value"].min() if fast.height else None
    latest = fast["value"].max() if fast.height else None
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

    def collapsed(field: Field) -> pl.Expr:
        if field.value not in fast.columns:
            return pl.lit("")
        return pl.col(field.value).str.replace_all(_SPACE_RUN, " ").str.strip_chars(_SPACE)

    if problems:  # a refused file saves nothing: spare the work
        fast = fast.clear()
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


def _distinct(column: pl.Series, read_one, dtype) -> pl.DataFrame:
    """Each distinct text of a column read once by `read_one`; None where it raises."""
    texts = column.unique().to_list()
    values = []
    for text in texts:
        try:
            values.append(read_one(text))
        except ValueError:
            values.append(None)
    return pl.DataFrame(
        {"text": texts, "value": values}, schema={"text": pl.String, "value": dtype}
    )


def _suppliers(column: pl.Series) -> pl.DataFrame:
    texts = [t for t in column.unique().to_list() if t]
    names = [clean_supplier(t) for t in texts]
    return pl.DataFrame(
        {
            "supplier_raw": texts,
            "supplier_name": [n.name for n in names],
            "supplier_ledger_id": [n.ledger_id for n in names],
            "found_company": [n.company_number for n in names],
            "found_vat": [n.vat_number for n in names],
        },
        schema={
            "supplier_raw": pl.String,
            "supplier_name": pl.String,
            "supplier_ledger_id": pl.String,
            "found_company": pl.String,
            "found_vat": pl.String,
        },
    )


def _line_starts(body: bytes) -> list[int]:
    starts = [0]
    find = body.find
    at = find(b"\n")
    while at >= 0:
        starts.append(at + 1)
        at = find(b"\n", at + 1)
    if starts[-1] != len(body):
        starts.append(len(body))
    return starts


def _scale(places: int | None) -> Decimal:
    return Decimal(1).scaleb(-(places or 0))


def _as_date(value) -> date | None:
    return value if value is None or isinstance(value, date) else None
