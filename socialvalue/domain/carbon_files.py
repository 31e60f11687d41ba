"""Readers for carbon files: the DESNZ conversion factors flat file, and paper purchases.

The flat file is read from its sheet `Factors by Category` only: the header row (ID, Scope,
Level 1-4, Column Text, UOM, GHG/Unit, GHG Conversion Factor <year>) sits below banner rows;
the year comes from that last header and the version from the `Front page` sheet. Any other
sheet (the shared 2024 copy has `Sheet1` and `Sheet2`, added by a third party) is not read, and
the report says so. Layouts: docs/workforce-and-carbon-files.md.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from socialvalue.domain.carbon import Factor, FactorSet, PaperBought
from socialvalue.domain.file_readings import Reading, done
from socialvalue.domain.tables import (
    Problem,
    Table,
    TableError,
    normalise,
    read_rows,
    table_from,
    to_decimal,
    to_month,
    to_text,
)

__all__ = ["FACTOR_SHEET", "PaperRow", "read_factors", "read_paper"]

FACTOR_SHEET = "Factors by Category"
FACTOR_ALIASES = {
    "id": ("ID",),
    "scope": ("Scope",),
    "level1": ("Level 1",),
    "level2": ("Level 2",),
    "level3": ("Level 3",),
    "level4": ("Level 4",),
    "column_text": ("Column Text",),
    "uom": ("UOM",),
    "ghg_unit": ("GHG/Unit",),
    "factor": ("GHG Conversion Factor*",),
}


@dataclass(frozen=True)
class FactorReading:
    reading: Reading[Factor]
    factor_set: FactorSet | None


def read_factors(path: Path, *, name: str | None = None) -> FactorReading:
    label = name or path.name
    try:
        sheets = dict(read_rows(path, name=label))
    except TableError as error:
        return FactorReading(done(label, (), [error.problem], rows_read=0), None)
    if FACTOR_SHEET not in sheets:
        problem = Problem(
            file=label,
            message=f"no sheet named '{FACTOR_SHEET}': not a DESNZ conversion factors flat file",
        )
        return FactorReading(done(label, (), [problem], rows_read=0), None)
    notes = [
        f"sheet '{sheet}' not read: not part of the official flat file"
        for sheet in sheets
        if sheet not in (FACTOR_SHEET, "Front page")
    ]
    try:
        table = table_from(
            sheets[FACTOR_SHEET],
            file=label,
            sheet=FACTOR_SHEET,
            aliases=FACTOR_ALIASES,
            required=tuple(FACTOR_ALIASES),
        )
    except TableError as error:
        return FactorReading(done(label, (), [error.problem], rows_read=0), None)
    problems: list[Problem] = []
    match = re.search(r"(\d{4})\s*$", table.columns["factor"])
    year = int(match.group(1)) if match else None
    if year is None:
        problems.append(
            table.problem(
                "the factor column's header does not end with the year "
                "(e.g. 'GHG Conversion Factor 2024')",
                row=table.header_row,
                column="factor",
            )
        )
    version, front_year = _front_page(sheets.get("Front page") or [])
    if front_year is not None and year is not None and front_year != year:
        problems.append(
            Problem(
                file=label,
                sheet="Front page",
                message=f"the front page says {front_year} but the factors are headed {year}",
            )
        )
    factors: list[Factor] = []
    seen: dict[str, int] = {}
    for number, cells in table.rows:
        factor_id = to_text(cells["id"])
        texts = [normalise(v) for v in cells.values() if to_text(v)]
        if not factor_id and texts == ["end"]:
            break  # DESNZ marks the end of the table with a row saying END
        if not factor_id:
            problems.append(table.problem("the ID is blank", row=number, column="id"))
            continue
        if factor_id in seen:
            problems.append(
                table.problem(
                    f"ID {factor_id} is given twice (also row {seen[factor_id]})",
                    row=number,
                    column="id",
                )
            )
            continue
        seen[factor_id] = number
        raw = cells["factor"]
        value = to_decimal(raw)
        if value is None and to_text(raw) != "":
            problems.append(
                table.problem(f"'{to_text(raw)}' is not a number", row=number, column="factor")
            )
            continue
        factors.append(
            Factor(
                id=factor_id,
                scope=to_text(cells["scope"]),
                level1=to_text(cells["level1"]),
                level2=to_text(cells["level2"]),
                level3=to_text(cells["level3"]),
                level4=to_text(cells["level4"]),
                column_text=to_text(cells["column_text"]),
                uom=to_text(cells["uom"]),
                ghg_unit=to_text(cells["ghg_unit"]),
                value=value,
                row=number,
            )
        )
    blank = sum(1 for f in factors if f.value is None)
    if blank:
        notes.append(f"{blank} factors left blank in the file (no value published)")
    reading = done(
        label,
        factors,
        problems,
        rows_read=len(factors),
        notes=tuple(notes),
        layout=f"DESNZ flat file, header row {table.header_row} of '{FACTOR_SHEET}'",
    )
    factor_set = None
    if reading.ok and year is not None:
        factor_set = FactorSet(
            year=year, version=version or "not stated", source=label, factors=reading.rows
        )
    return FactorReading(reading, factor_set)


def _front_page(rows: Sequence[Sequence[object]]) -> tuple[str | None, int | None]:
    """The version and year the front page states ("Version:" 1.1, "Year:" 2024)."""
    version = year = None
    for row in rows:
        cells = list(row)
        for i, cell in enumerate(cells[:-1]):
            text = normalise(cell)
            following = next((c for c in cells[i + 1 :] if c is not None), None)
            if text in {"version", "version:"} and version is None and following is not None:
                version = to_text(following)
            if text in {"year", "year:"} and year is None and following is not None:
                number = to_decimal(following)
                year = int(number) if number is not None else None
    return version, year


# --- Paper purchases ------------------------------------------------------------------------


@dataclass(frozen=True)
class PaperRow:
    month: date
    description: str
    bought: PaperBought
    row: int


PAPER_ALIASES = {
    "date": ("date", "month", "order date", "period"),
    "description": ("description", "item", "product"),
    "quantity": ("quantity", "qty"),
    "unit": ("unit", "unit of measure", "uom"),
}
UNITS = {
    "ream": "reams",
    "reams": "reams",
    "rm": "reams",
    "tonne": "tonnes",
    "tonnes": "tonnes",
    "t": "tonnes",
}


def read_paper(path: Path, *, name: str | None = None) -> Reading[PaperRow]:
    """Paper bought: one row per order line, a quantity in reams or tonnes."""
    label = name or path.name
    try:
        sheets = list(read_rows(path, name=label))
    except TableError as error:
        return done(label, (), [error.problem], rows_read=0)
    tables: list[Table] = []
    notes: list[str] = []
    last: TableError | None = None
    for sheet, rows in sheets:
        try:
            tables.append(
                table_from(
                    rows,
                    file=label,
                    sheet=sheet,
                    aliases=PAPER_ALIASES,
                    required=("date", "quantity", "unit"),
                )
            )
        except TableError as error:
            last = error
            if sheet is not None:
                notes.append(f"sheet '{sheet}' not read: it has no header row this reader knows")
    if not tables:
        assert last is not None  # no table means every sheet raised
        return done(label, (), [last.problem], rows_read=0)
    rows_out, problems, read = [], [], 0
    for table in tables:
        read += len(table.rows)
        for number, cells in table.rows:
            month = to_month(cells["date"])
            if month is None:
                problems.append(
                    table.problem(
                        f"'{to_text(cells['date'])}' is not a date or month (2024-04 or "
                        "30/04/2024)",
                        row=number,
                        column="date",
                    )
                )
            quantity = to_decimal(cells["quantity"])
            if quantity is None or quantity < 0:
                problems.append(
                    table.problem(
                        f"'{to_text(cells['quantity'])}' is not a quantity of 0 or more",
                        row=number,
                        column="quantity",
                    )
                )
            unit = UNITS.get(normalise(cells["unit"]))
            if unit is None:
                problems.append(
                    table.problem(
                        f"'{to_text(cells['unit'])}' is not a unit this reader knows: use reams "
                        "or tonnes",
                        row=number,
                        column="unit",
                    )
                )
            if month is None or quantity is None or quantity < 0 or unit is None:
                continue
            rows_out.append(
                PaperRow(
                    month=month,
                    description=to_text(cells.get("description")),
                    bought=PaperBought(quantity=quantity, unit=unit),
                    row=number,
                )
            )
    return done(label, rows_out, problems, rows_read=read, notes=tuple(notes), layout="order lines")


def total_bought(rows: Sequence[PaperRow]) -> tuple[Decimal, Decimal]:
    """(reams, tonnes) as bought, before any conversion."""
    reams = sum((r.bought.quantity for r in rows if r.bought.unit == "reams"), Decimal(0))
    tonnes = sum((r.bought.quantity for r in rows if r.bought.unit == "tonnes"), Decimal(0))
    return reams, tonnes
