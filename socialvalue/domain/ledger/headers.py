"""The column names of a ledger whose layout the reader does not know, with a few values of
each, so that a person can say which column is which (a column mapping, docs/spend-files.md).

Pure, like the rest of the reader: a path in, plain values out. The header row is a guess
(the first of the first 50 rows with the most cells of text without digits: a banner above
the header fills one or two cells, a data row has dates and amounts), said in the result so
a page can show it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from socialvalue.domain.ledger import reading
from socialvalue.domain.ledger.fields import Field, match_header, normalise_header
from socialvalue.domain.ledger.ledgerfile import HEADER_SEARCH_ROWS, column_letter

# Rows below the header looked at for sample values, and how many distinct values to keep
# for each column (a page shows fewer: some may be people's names, which it must not show).
SAMPLE_ROWS = 200
SAMPLES = 8


@dataclass(frozen=True)
class HeaderColumn:
    index: int
    header: str
    # The field the header's name is known by (the alias list), if any and not taken by an
    # earlier column: what a page suggests.
    guess: Field | None
    samples: tuple[str, ...]

    @property
    def letter(self) -> str:
        return column_letter(self.index)


@dataclass(frozen=True)
class TableHeaders:
    """One table's header row: its named columns, left to right."""

    file: str
    sheet: str | None
    header_row: int
    columns: tuple[HeaderColumn, ...]

    def same_name(self, column: HeaderColumn) -> list[HeaderColumn]:
        """The other columns whose name folds to the same text (a layout is remembered by
        column names, so such columns cannot be told apart)."""
        key = normalise_header(column.header)
        return [c for c in self.columns if c is not column and normalise_header(c.header) == key]


def _tables(path: Path, sheet: str | None) -> list[reading.Table]:
    if path.suffix.lower() in reading.SPREADSHEET_SUFFIXES or reading.looks_like_workbook(path):
        tables = reading.spreadsheet_tables(path)
        return [t for t in tables if sheet is None or t.sheet == sheet]
    return [reading.csv_table(path)]


def _rows(path: Path, table: reading.Table) -> Iterator[tuple[int, list[str]]]:
    if table.from_spreadsheet:
        return reading.spreadsheet_rows(path, table)
    return reading.csv_rows(path, table)


def _wordy(cells: list[str]) -> int:
    """Cells of text without a digit: all of a header row's, few of a data row's."""
    return sum(1 for c in cells if c.strip() and not any(ch.isdigit() for ch in c))


def _table_headers(
    path: Path, name: str, table: reading.Table, samples: int, header_row: int | None
) -> TableHeaders | None:
    header: tuple[int, list[str]] | None = None
    best = 0
    found: dict[int, list[str]] = {}
    below = 0
    for number, cells in _rows(path, table):
        if header_row is not None:
            if number < header_row:
                continue
            if number == header_row:
                header = (number, cells)
                continue
        else:
            score = _wordy(cells) if number <= HEADER_SEARCH_ROWS else 0
            if score >= 2 and (header is None or score > best):
                header, best, found, below = (number, cells), score, {}, 0
                continue
        if header is None:
            if number > HEADER_SEARCH_ROWS:
                break
            continue
        below += 1
        if below > SAMPLE_ROWS and number > HEADER_SEARCH_ROWS:
            break
        for index, text in enumerate(cells):
            value = " ".join(text.split())
            kept = found.setdefault(index, [])
            if value and value not in kept and len(kept) < samples:
                kept.append(value)
    if header is None or not any(c.strip() for c in header[1]):
        return None
    number, cells = header
    taken: set[Field] = set()
    columns = []
    for index, text in enumerate(cells):
        if not text.strip():
            continue
        guess, _close = match_header(text)
        if guess in taken:
            guess = None
        if guess is not None:
            taken.add(guess)
        columns.append(HeaderColumn(index, text.strip(), guess, tuple(found.get(index, ()))))
    return TableHeaders(name, table.sheet, number, tuple(columns))


def table_headers(
    path: str | Path,
    *,
    name: str | None = None,
    sheet: str | None = None,
    samples: int = SAMPLES,
    header_rows: Mapping[str | None, int] | None = None,
) -> list[TableHeaders]:
    """Each table's likely header row (every sheet of a workbook, or only `sheet`), with up
    to `samples` distinct values of each named column from the rows below it; a table with
    no row holding two cells of text or more is left out, and an unreadable file gives none.

    `header_rows` gives the header row of a table by sheet name (None for a CSV file) where
    the reader already found one (its problem names the row): it is used as it is.
    """
    path = Path(path)
    display = name or path.name
    rows = header_rows or {}
    try:
        tables = _tables(path, sheet)
        found = [_table_headers(path, display, t, samples, rows.get(t.sheet)) for t in tables]
    except (reading.UnreadableFile, FileNotFoundError, UnicodeDecodeError):
        return []
    return [t for t in found if t is not None]
