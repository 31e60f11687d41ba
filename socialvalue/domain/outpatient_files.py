"""Reader for outpatient activity by consultation medium: counts per month and medium, or one
row per appointment (counted into months here). Layouts: docs/workforce-and-carbon-files.md.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

from socialvalue.domain.file_readings import Reading, done
from socialvalue.domain.numbers import merge_spans
from socialvalue.domain.outpatients import MediumCount, medium_code
from socialvalue.domain.tables import (
    Problem,
    Table,
    TableError,
    normalise,
    read_rows,
    table_from,
    to_count,
    to_date,
    to_month,
    to_text,
)

__all__ = ["read_outpatients"]

MEDIUM_ALIASES = (
    "consultation medium",
    "consultation medium used",
    "medium",
    "consultation mechanism",
)
COUNT_ALIASES = {
    "month": ("month", "period", "activity month"),
    "medium": MEDIUM_ALIASES,
    "appointments": ("appointments", "attendances", "count", "activity"),
}
APPOINTMENT_ALIASES = {
    "date": ("appointment date", "attendance date", "date"),
    "medium": MEDIUM_ALIASES,
    "attended": ("attended or did not attend", "attendance status", "attended"),
}
# ATTENDED OR DID NOT ATTEND: 5 seen on time, 6 arrived late but seen. The rest (2, 3, 4, 7,
# and 0 for a future appointment) are not appointments that took place.
SEEN = {"5", "6"}
ATTENDANCE_CODES = {"0", "2", "3", "4", "5", "6", "7"}


def read_outpatients(path: Path, *, name: str | None = None) -> Reading[MediumCount]:
    label = name or path.name
    try:
        sheets = list(read_rows(path, name=label))
    except TableError as error:
        return done(label, (), [error.problem], rows_read=0)
    tables: list[tuple[str, Table]] = []
    notes: list[str] = []
    last: TableError | None = None
    for sheet, rows in sheets:
        for layout, aliases, required in (
            ("counts by month and medium", COUNT_ALIASES, ("month", "medium", "appointments")),
            ("one row per appointment", APPOINTMENT_ALIASES, ("date", "medium")),
        ):
            try:
                tables.append(
                    (
                        layout,
                        table_from(
                            rows, file=label, sheet=sheet, aliases=aliases, required=required
                        ),
                    )
                )
                break
            except TableError as error:
                last = error
        else:
            if sheet is not None:
                notes.append(f"sheet '{sheet}' not read: it has no header row this reader knows")
    if not tables:
        assert last is not None
        problem = Problem(
            file=label,
            message="no header row naming either Month, Consultation medium and Appointments, "
            "or Appointment date and Consultation medium",
        )
        return done(label, (), [problem], rows_read=0)
    counts: list[MediumCount] = []
    problems: list[Problem] = []
    read = 0
    layouts = []
    for layout, table in tables:
        read += len(table.rows)
        layouts.append(layout)
        if layout == "counts by month and medium":
            more, wrong, extra = _counts(table)
        else:
            more, wrong, extra = _appointments(table)
        counts += more
        problems += wrong
        notes += extra
    return done(
        label, counts, problems, rows_read=read, notes=tuple(notes), layout=", ".join(layouts)
    )


def _medium(table: Table, number: int, cell: object, problems: list[Problem]) -> str | None:
    code = medium_code(cell)
    if code is None:
        problems.append(
            table.problem(
                f"'{to_text(cell)}' is not a consultation medium: use the national code "
                "(01 face to face, 02 telephone, 03 telemedicine, ...) or its name",
                row=number,
                column="medium",
            )
        )
    return code


def _counts(table: Table) -> tuple[list[MediumCount], list[Problem], list[str]]:
    out: list[MediumCount] = []
    problems: list[Problem] = []
    seen: dict[tuple[date, str], int] = {}
    for number, cells in table.rows:
        month = to_month(cells["month"])
        if month is None:
            problems.append(
                table.problem(
                    f"'{to_text(cells['month'])}' is not a month (2024-04, Apr-24 or April 2024)",
                    row=number,
                    column="month",
                )
            )
        code = _medium(table, number, cells["medium"], problems)
        n = to_count(cells["appointments"])
        if n is None:
            problems.append(
                table.problem(
                    f"'{to_text(cells['appointments'])}' is not a whole number of appointments",
                    row=number,
                    column="appointments",
                )
            )
        if month is None or code is None or n is None:
            continue
        if (month, code) in seen:
            problems.append(
                table.problem(
                    f"{month:%B %Y} medium {code} is given twice (also row {seen[(month, code)]})",
                    row=number,
                    column="medium",
                )
            )
            continue
        seen[(month, code)] = number
        out.append(MediumCount(month=month, medium=code, appointments=n, rows=((number, number),)))
    return out, problems, []


def _appointments(table: Table) -> tuple[list[MediumCount], list[Problem], list[str]]:
    problems: list[Problem] = []
    tally: Counter[tuple[date, str]] = Counter()
    # Each count's rows as runs, grown as the rows come (in order): a run per stretch of
    # rows, not a list of every row.
    runs: dict[tuple[date, str], list[list[int]]] = {}
    not_seen = 0
    for number, cells in table.rows:
        day = to_date(cells["date"])
        if day is None:
            problems.append(
                table.problem(
                    f"'{to_text(cells['date'])}' is not a date (2024-04-30 or 30/04/2024)",
                    row=number,
                    column="date",
                )
            )
        code = _medium(table, number, cells["medium"], problems)
        seen = True
        if "attended" in table.columns:
            status = (
                normalise(cells.get("attended")).split(" ", 1)[0] if cells.get("attended") else ""
            )
            if status not in ATTENDANCE_CODES:
                problems.append(
                    table.problem(
                        f"'{to_text(cells.get('attended'))}' is not an attendance code "
                        "(5 or 6 seen; 2, 3, 4, 7 or 0 not)",
                        row=number,
                        column="attended",
                    )
                )
                continue
            seen = status in SEEN
        if day is None or code is None:
            continue
        if not seen:
            not_seen += 1
            continue
        key = (day.replace(day=1), code)
        tally[key] += 1
        spans = runs.setdefault(key, [])
        if spans and spans[-1][1] == number - 1:
            spans[-1][1] = number
        else:
            spans.append([number, number])
    out = [
        MediumCount(
            month=m,
            medium=c,
            appointments=n,
            rows=merge_spans((first, last) for first, last in runs[(m, c)]),
        )
        for (m, c), n in sorted(tally.items())
    ]
    notes = [f"{not_seen} appointments not attended: not counted"] if not_seen else []
    return out, problems, notes
