"""Cells out of CSV, XLSX and XLS files, row by row, with the row number a person sees.

CSV goes through the standard library's `csv` module rather than `polars.read_csv`: ledgers
put banner rows of another width above the header, end lines with a bare carriage return
(old Mac exports), repeat or misplace the header and come in cp437 or cp1252, and polars
wants one rectangular table in UTF-8 with the header on a known line. `csv.reader` streams
any of that one record at a time, so memory stays flat however long the file is, and its
record count is the row number a spreadsheet shows even when a quoted cell holds a line
break. Spreadsheets are read by fastexcel, the calamine engine behind
`polars.read_excel(engine="calamine")`, into polars frames; it also reads legacy .xls. Every
cell comes as text, so that no column's type is guessed from its first rows.
"""

import codecs
import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from socialvalue.domain.ledger.values import excel_number

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls")
CSV_SUFFIXES = (".csv", ".txt")

_CHUNK = 1 << 20


class UnreadableFile(ValueError):
    """The file cannot be read as a table at all (not a spreadsheet, not text)."""


@dataclass(frozen=True)
class Table:
    """One sheet of a workbook, or a whole CSV file."""

    sheet: str | None
    encoding: str | None
    delimiter: str | None
    from_spreadsheet: bool


def detect_encoding(path: Path) -> str:
    """UTF-8 (with or without a byte-order mark), UTF-16 with a mark, else cp1252 or cp437.

    The whole file is read in chunks through an incremental UTF-8 decoder, so a lone cp1252
    byte deep in a long file is still caught. Between the two single-byte code pages the
    pound sign decides: it is byte A3 in cp1252 and byte 9C in cp437 (where cp1252 would show
    `œ`, a letter English ledgers do not use).
    """
    with path.open("rb") as handle:
        head = handle.read(4)
        if head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        handle.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        pound_1252 = pound_437 = 0
        utf8 = True
        while chunk := handle.read(_CHUNK):
            if utf8:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = False
            pound_1252 += chunk.count(b"\xa3")
            pound_437 += chunk.count(b"\x9c")
        if utf8:
            try:
                decoder.decode(b"", final=True)
                return "utf-8"
            except UnicodeDecodeError:
                pass
    return "cp437" if pound_437 > pound_1252 else "cp1252"


def _sniff_delimiter(path: Path, encoding: str) -> str:
    with path.open(encoding=encoding, newline="") as handle:
        sample = handle.read(64 * 1024)
    counts = {d: sample.count(d) for d in (",", "\t", ";", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def csv_table(path: Path) -> Table:
    encoding = detect_encoding(path)
    return Table(
        sheet=None,
        encoding=encoding,
        delimiter=_sniff_delimiter(path, encoding),
        from_spreadsheet=False,
    )


def csv_rows(path: Path, table: Table) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells) for each record; numbering starts at 1 as in a spreadsheet."""
    # errors="strict" is safe: the encoding was chosen by reading every byte, and cp437 maps
    # all 256; cp1252 leaves five bytes undefined, which `replace` keeps visible as U+FFFD.
    errors = "replace" if table.encoding == "cp1252" else "strict"
    with path.open(encoding=table.encoding, errors=errors, newline="") as handle:
        reader = csv.reader(handle, delimiter=table.delimiter or ",")
        yield from enumerate(reader, start=1)


_WORKBOOK_SIGNATURES = (
    b"PK\x03\x04",  # .xlsx, .xlsm: a zip archive
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",  # legacy .xls: an OLE compound file
)


def looks_like_workbook(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(8).startswith(_WORKBOOK_SIGNATURES)


def spreadsheet_tables(path: Path) -> list[Table]:
    import fastexcel

    try:
        reader = fastexcel.read_excel(path)
    except Exception as error:  # fastexcel raises its own types for every kind of bad file
        raise UnreadableFile(f"not a readable spreadsheet ({error})") from None
    return [
        Table(sheet=name, encoding=None, delimiter=None, from_spreadsheet=True)
        for name in reader.sheet_names
    ]


def spreadsheet_rows(path: Path, table: Table) -> Iterator[tuple[int, list[str]]]:
    # fastexcel's own loader (the engine behind `polars.read_excel(engine="calamine")`) is
    # called directly because only it says where the used range starts: calamine drops
    # empty leading columns, and `skip_rows=0` stops it dropping empty leading rows, so the
    # row numbers and column letters in problems are the ones the spreadsheet shows.
    import fastexcel

    try:
        sheet = fastexcel.read_excel(path).load_sheet(
            table.sheet or 0, header_row=None, skip_rows=0, dtypes="string"
        )
        columns = sheet.available_columns()
        frame = sheet.to_polars()
    except Exception as error:
        raise UnreadableFile(f"sheet '{table.sheet}' cannot be read ({error})") from None
    lead = [""] * (min(c.absolute_index for c in columns) if columns else 0)
    for index, values in enumerate(frame.iter_rows(), start=1):
        yield index, lead + [excel_number(v) if v is not None else "" for v in values]
