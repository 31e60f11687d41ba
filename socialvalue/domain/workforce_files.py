"""Readers for workforce files: recruitment outcomes, staff survey results, workforce profile.

Each reader is `read_<kind>(path, name=...) -> Reading`: `parse` (the table under its header
row) then `validate` (every row checked; problems name file, sheet, row and column). The
accepted layouts are in docs/workforce-and-carbon-files.md.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from socialvalue.domain.file_readings import Reading, classify_group, done, to_percent
from socialvalue.domain.tables import (
    Problem,
    Table,
    TableError,
    normalise,
    read_rows,
    table_from,
    to_count,
    to_text,
)
from socialvalue.domain.workforce import (
    MEASURES,
    Characteristic,
    GroupCounts,
    Headcount,
    Likelihood,
    SurveyComparison,
    SurveyResult,
    compare_survey,
    recruitment_likelihood,
)

__all__ = [
    "RecruitmentRow",
    "SurveyRow",
    "WorkforceRow",
    "likelihoods",
    "read_recruitment",
    "read_staff_survey",
    "read_workforce",
    "survey_comparisons",
]

CHARACTERISTIC_ALIASES = ("characteristic", "measure", "indicator", "protected characteristic")
YEAR_ALIASES = ("year", "reporting year", "financial year", "as at", "snapshot date", "date")
_CHARACTERISTIC_NAMES = {
    "ethnicity": Characteristic.ETHNICITY,
    "ethnic group": Characteristic.ETHNICITY,
    "race": Characteristic.ETHNICITY,
    "wres": Characteristic.ETHNICITY,
    "wres 2": Characteristic.ETHNICITY,
    "wres indicator 2": Characteristic.ETHNICITY,
    "disability": Characteristic.DISABILITY,
    "wdes": Characteristic.DISABILITY,
    "wdes 2": Characteristic.DISABILITY,
    "wdes metric 2": Characteristic.DISABILITY,
}


def _characteristic(text: object) -> Characteristic | None:
    return _CHARACTERISTIC_NAMES.get(normalise(text))


def _year(value: object) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return to_text(value)


def _tables(
    path: Path,
    name: str | None,
    aliases: Mapping[str, Sequence[str]],
    required: Sequence[str],
) -> tuple[list[Table], list[str]]:
    """The table on each sheet that has the header; sheets without it are noted, not refused,
    unless no sheet has it."""
    label = name or path.name
    tables: list[Table] = []
    notes: list[str] = []
    last_error: TableError | None = None
    for sheet, rows in read_rows(path, name=label):
        try:
            tables.append(
                table_from(rows, file=label, sheet=sheet, aliases=aliases, required=required)
            )
        except TableError as error:
            last_error = error
            if sheet is not None:
                notes.append(f"sheet '{sheet}' not read: it has no header row this reader knows")
    if not tables:
        assert last_error is not None
        raise last_error
    return tables, notes


def _group_and_characteristic(
    table: Table, number: int, cells: Mapping[str, object], problems: list[Problem]
) -> tuple[Characteristic | None, str | None, str]:
    written = to_text(cells.get("group"))
    if not written:
        # A count for "no group" is a mistake here; write "Not stated" for undeclared people.
        problems.append(table.problem("the group is blank", row=number, column="group"))
        return None, None, written
    characteristic = None
    if "characteristic" in table.columns:
        characteristic = _characteristic(cells.get("characteristic"))
        if characteristic is None:
            problems.append(
                table.problem(
                    f"'{to_text(cells.get('characteristic'))}' is not a characteristic: use "
                    "Ethnicity (WRES) or Disability (WDES)",
                    row=number,
                    column="characteristic",
                )
            )
            return None, None, written
    candidates = [characteristic] if characteristic else list(Characteristic)
    found = [(c, classify_group(written, c)) for c in candidates]
    known = [(c, g) for c, g in found if g is not None]
    if not known:
        problems.append(
            table.problem(
                f"'{written}' is not a group this reader knows (for example White, BME, "
                "Disabled, Non-disabled, Not stated)",
                row=number,
                column="group",
            )
        )
        return None, None, written
    if len(known) > 1:
        # "Not stated" fits both; say which with a Characteristic column.
        problems.append(
            table.problem(
                f"'{written}' could be either ethnicity or disability: add a Characteristic "
                "column saying which",
                row=number,
                column="group",
            )
        )
        return None, None, written
    return known[0][0], known[0][1], written


def _neither(error: TableError, layouts: str) -> Problem:
    """A file with neither layout's header: say what either needs (not only the last tried)."""
    if error.problem.message.startswith("no header row"):
        return Problem(file=error.problem.file, message=f"no header row naming {layouts}")
    return error.problem


RECRUITMENT_LAYOUTS = (
    "either Group, Shortlisted and Appointed (counts by group) or Shortlisted, Appointed and "
    "Ethnicity or Disability (one row per candidate)"
)
SURVEY_LAYOUTS = (
    "either Question, Group, Respondents and Percent (results by group) or ODS code, Year "
    "and the <question>_base and <question>_rate columns (merged organisation results)"
)


# --- Recruitment ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RecruitmentRow:
    year: str
    characteristic: Characteristic
    group: str  # "reference", "comparison" or "not_stated"
    written: str
    shortlisted: int
    appointed: int
    row: int


COUNTS_ALIASES = {
    "characteristic": CHARACTERISTIC_ALIASES,
    "group": ("group", "staff group", "applicant group"),
    "shortlisted": (
        "shortlisted",
        "number shortlisted",
        "shortlisted applicants",
        "number of shortlisted applicants",
    ),
    "appointed": (
        "appointed",
        "number appointed",
        "appointed from shortlisting",
        "number appointed from shortlisting",
    ),
    "year": YEAR_ALIASES,
}
CANDIDATE_ALIASES = {
    "candidate": ("candidate", "candidate id", "applicant", "applicant id", "id"),
    "ethnicity": ("ethnicity", "ethnic group", "ethnic origin"),
    "disability": ("disability", "disabled", "disability status"),
    "shortlisted": ("shortlisted",),
    "appointed": ("appointed", "offered", "appointed from shortlisting"),
    "year": YEAR_ALIASES,
}
YES = {"y", "yes", "true", "1"}
NO = {"n", "no", "false", "0", ""}


def read_recruitment(path: Path, *, name: str | None = None) -> Reading[RecruitmentRow]:
    """Counts by group (one row per group), or one row per shortlisted candidate."""
    label = name or path.name
    try:
        try:
            tables, notes = _tables(
                path, name, COUNTS_ALIASES, ("group", "shortlisted", "appointed")
            )
            layout = "counts by group"
            validate = _validate_counts
        except TableError:
            tables, notes = _tables(path, name, CANDIDATE_ALIASES, ("shortlisted", "appointed"))
            layout = "one row per candidate"
            validate = _validate_candidates
    except TableError as error:
        return done(label, (), [_neither(error, RECRUITMENT_LAYOUTS)], rows_read=0)
    rows: list[RecruitmentRow] = []
    problems: list[Problem] = []
    extra: list[str] = []
    read = 0
    for table in tables:
        more, wrong, note = validate(table)
        rows += more
        problems += wrong
        extra += note
        read += len(table.rows)
    return done(label, rows, problems, rows_read=read, notes=tuple(notes + extra), layout=layout)


type _Validated[T] = tuple[list[T], list[Problem], list[str]]


def _validate_counts(table: Table) -> _Validated[RecruitmentRow]:
    rows: list[RecruitmentRow] = []
    problems: list[Problem] = []
    seen: dict[tuple[str, Characteristic, str], int] = {}
    for number, cells in table.rows:
        characteristic, group, written = _group_and_characteristic(table, number, cells, problems)
        counts: dict[str, int | None] = {}
        for column in ("shortlisted", "appointed"):
            counts[column] = to_count(cells.get(column))
            if counts[column] is None:
                problems.append(
                    table.problem(
                        f"'{to_text(cells.get(column))}' is not a whole number of people",
                        row=number,
                        column=column,
                    )
                )
        shortlisted, appointed = counts["shortlisted"], counts["appointed"]
        if shortlisted is None or appointed is None or characteristic is None or group is None:
            continue
        if appointed > shortlisted:
            problems.append(
                table.problem(
                    f"{appointed} appointed is more than the {shortlisted} shortlisted",
                    row=number,
                    column="appointed",
                )
            )
            continue
        year = _year(cells.get("year"))
        key = (year, characteristic, normalise(written))
        if key in seen:
            problems.append(
                table.problem(
                    f"'{written}' is given twice (also row {seen[key]})", row=number, column="group"
                )
            )
            continue
        seen[key] = number
        rows.append(
            RecruitmentRow(
                year=year,
                characteristic=characteristic,
                group=group,
                written=written,
                shortlisted=shortlisted,
                appointed=appointed,
                row=number,
            )
        )
    return rows, problems, []


def _validate_candidates(table: Table) -> _Validated[RecruitmentRow]:
    problems: list[Problem] = []
    present = [c for c in Characteristic if c.value in table.columns]
    if not present:
        problems.append(
            table.problem("no Ethnicity or Disability column: one of them is needed", row=None)
        )
        return [], problems, []
    totals: dict[tuple[str, Characteristic, str], list[int]] = defaultdict(lambda: [0, 0])
    written_of: dict[tuple[str, Characteristic, str], str] = {}
    not_shortlisted = 0
    for number, cells in table.rows:
        flags: dict[str, bool] = {}
        for column in ("shortlisted", "appointed"):
            text = normalise(cells.get(column))
            if text in YES:
                flags[column] = True
            elif text in NO:
                flags[column] = False
            else:
                problems.append(
                    table.problem(
                        f"'{to_text(cells.get(column))}' is not yes or no",
                        row=number,
                        column=column,
                    )
                )
        if len(flags) < 2:
            continue
        if flags["appointed"] and not flags["shortlisted"]:
            problems.append(
                table.problem(
                    "appointed but not shortlisted: WRES and WDES count appointments from "
                    "shortlisting",
                    row=number,
                    column="appointed",
                )
            )
            continue
        groups: dict[Characteristic, str] = {}
        unknown = False
        for characteristic in present:
            written = to_text(cells.get(characteristic.value))
            group = classify_group(written, characteristic)
            if group is None:
                problems.append(
                    table.problem(
                        f"'{written}' is not "
                        + (
                            "an ethnic group"
                            if characteristic is Characteristic.ETHNICITY
                            else "a disability status"
                        )
                        + " this reader knows",
                        row=number,
                        column=characteristic.value,
                    )
                )
                unknown = True
            else:
                groups[characteristic] = group
        if unknown:
            continue
        if not flags["shortlisted"]:
            not_shortlisted += 1
            continue
        year = _year(cells.get("year"))
        for characteristic, group in groups.items():
            key = (year, characteristic, group)
            totals[key][0] += 1
            totals[key][1] += int(flags["appointed"])
            written_of[key] = getattr(MEASURES[characteristic], group)
    rows = [
        RecruitmentRow(
            year=year,
            characteristic=characteristic,
            group=group,
            written=written_of[(year, characteristic, group)],
            shortlisted=shortlisted,
            appointed=appointed,
            row=0,
        )
        for (year, characteristic, group), (shortlisted, appointed) in sorted(totals.items())
    ]
    notes: list[str] = []
    if not_shortlisted:
        notes.append(f"{not_shortlisted} candidates not shortlisted: not counted")
    return rows, problems, notes


def likelihoods(
    rows: Sequence[RecruitmentRow], *, threshold: int = 10
) -> list[tuple[str, Likelihood]]:
    """(year, ratio) per year and characteristic, from the rows' counts summed per group."""
    sums: dict[tuple[str, Characteristic], dict[str, list[int]]] = {}
    for r in rows:
        groups = sums.setdefault((r.year, r.characteristic), defaultdict(lambda: [0, 0]))
        groups[r.group][0] += r.shortlisted
        groups[r.group][1] += r.appointed
    out = []
    for (year, characteristic), groups in sorted(sums.items()):
        counts = {
            g: GroupCounts(*groups.get(g, [0, 0]))
            for g in ("reference", "comparison", "not_stated")
        }
        result = recruitment_likelihood(
            MEASURES[characteristic],
            reference=counts["reference"],
            comparison=counts["comparison"],
            not_stated=counts["not_stated"],
            threshold=threshold,
        )
        out.append((year, result))
    return out


# --- Staff survey ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SurveyRow:
    year: str
    question: str
    characteristic: Characteristic | None  # None: all staff
    group: str  # "reference", "comparison", "not_stated" or "all"
    written: str
    respondents: int
    percent: Decimal
    row: int


SURVEY_ALIASES = {
    "characteristic": CHARACTERISTIC_ALIASES,
    "question": ("question", "question text", "survey question"),
    "group": ("group", "breakdown", "staff group"),
    "respondents": ("respondents", "responses", "base", "number of responses", "n"),
    "percent": ("percent", "percentage", "%", "score", "% yes", "result"),
    "year": YEAR_ALIASES,
}
# The merged organisation results (one row per organisation and year; all staff).
MERGED_QUESTIONS = {
    "Emotional_public": "Experienced harassment, bullying or abuse at work from patients, "
    "service users, their relatives or the public",
    "Emotional_manager": "Experienced harassment, bullying or abuse at work from managers",
    "Emotional_colleagues": "Experienced harassment, bullying or abuse at work from colleagues",
}
MERGED_ALIASES = {
    "org": ("ods code", "org code", "organisation code"),
    "year": ("year",),
    **{f"{q}_base": (f"{q}_base",) for q in MERGED_QUESTIONS},
    **{f"{q}_rate": (f"{q}_rate",) for q in MERGED_QUESTIONS},
}


def read_staff_survey(
    path: Path, *, name: str | None = None, org: str | None = None
) -> Reading[SurveyRow]:
    """Results by group (one row per question and group), or the merged organisation results
    (one row per organisation and year, all staff) filtered to `org`."""
    label = name or path.name
    try:
        try:
            tables, notes = _tables(
                path, name, SURVEY_ALIASES, ("question", "group", "respondents", "percent")
            )
            layout = "results by group"
        except TableError:
            tables, notes = _tables(path, name, MERGED_ALIASES, tuple(MERGED_ALIASES))
            layout = "merged organisation results, all staff"
    except TableError as error:
        return done(label, (), [_neither(error, SURVEY_LAYOUTS)], rows_read=0)
    rows: list[SurveyRow] = []
    problems: list[Problem] = []
    read = 0
    for table in tables:
        read += len(table.rows)
        if layout == "results by group":
            more, wrong = _validate_survey(table)
        else:
            more, wrong, other = _validate_merged(table, org)
            if other:
                notes.append(f"{other} rows for other organisations left aside")
            if not more and not wrong:
                notes.append(f"no rows for the organisation {org}")
        rows += more
        problems += wrong
    return done(label, rows, problems, rows_read=read, notes=tuple(notes), layout=layout)


def _percent_and_base(
    table: Table,
    number: int,
    cells: Mapping[str, object],
    base_col: str,
    pct_col: str,
    problems: list[Problem],
) -> tuple[int | None, Decimal | None]:
    respondents = to_count(cells.get(base_col))
    if respondents is None:
        problems.append(
            table.problem(
                f"'{to_text(cells.get(base_col))}' is not a whole number of respondents",
                row=number,
                column=base_col,
            )
        )
    percent = to_percent(cells.get(pct_col))
    if percent is None or not 0 <= percent <= 100:
        problems.append(
            table.problem(
                f"'{to_text(cells.get(pct_col))}' is not a percentage from 0 to 100",
                row=number,
                column=pct_col,
            )
        )
        percent = None
    return respondents, percent


def _validate_survey(table: Table) -> tuple[list[SurveyRow], list[Problem]]:
    rows: list[SurveyRow] = []
    problems: list[Problem] = []
    seen: dict[tuple[str, str, Characteristic, str], int] = {}
    for number, cells in table.rows:
        question = to_text(cells.get("question"))
        if not question:
            problems.append(table.problem("the question is blank", row=number, column="question"))
        characteristic, group, written = _group_and_characteristic(table, number, cells, problems)
        respondents, percent = _percent_and_base(
            table, number, cells, "respondents", "percent", problems
        )
        if (
            not question
            or characteristic is None
            or group is None
            or respondents is None
            or percent is None
        ):
            continue
        year = _year(cells.get("year"))
        key = (year, normalise(question), characteristic, group)
        if key in seen and group != "not_stated":
            problems.append(
                table.problem(
                    f"a second {written} result for this question (also row {seen[key]}): give "
                    "one row per group",
                    row=number,
                    column="group",
                )
            )
            continue
        seen[key] = number
        rows.append(
            SurveyRow(
                year=year,
                question=question,
                characteristic=characteristic,
                group=group,
                written=written,
                respondents=respondents,
                percent=percent,
                row=number,
            )
        )
    return rows, problems


def _validate_merged(table: Table, org: str | None) -> tuple[list[SurveyRow], list[Problem], int]:
    rows: list[SurveyRow] = []
    problems: list[Problem] = []
    other = 0
    for number, cells in table.rows:
        if org and to_text(cells.get("org")).upper() != org.upper():
            other += 1
            continue
        year = _year(cells.get("year"))
        for key, question in MERGED_QUESTIONS.items():
            if to_text(cells.get(f"{key}_rate")) == "":
                continue  # a question not asked that year
            respondents, percent = _percent_and_base(
                table, number, cells, f"{key}_base", f"{key}_rate", problems
            )
            if respondents is None or percent is None:
                continue
            rows.append(
                SurveyRow(
                    year=year,
                    question=question,
                    characteristic=None,
                    group="all",
                    written="All staff",
                    respondents=respondents,
                    percent=percent,
                    row=number,
                )
            )
    return rows, problems, other


def survey_comparisons(
    rows: Sequence[SurveyRow], *, suppress_below: int = 11
) -> list[tuple[str, SurveyComparison]]:
    """Per year, question and characteristic: the gap and the ratio (rows for all staff and
    for people who did not state their group are reported as read, not compared)."""
    grouped: dict[tuple[str, str, Characteristic], dict[str, SurveyRow]] = {}
    for r in rows:
        if r.characteristic is None or r.group == "not_stated":
            continue
        grouped.setdefault((r.year, r.question, r.characteristic), {})[r.group] = r
    out: list[tuple[str, SurveyComparison]] = []
    for (year, question, characteristic), groups in grouped.items():
        results = {
            g: SurveyResult(question, r.written, r.respondents, r.percent)
            for g, r in groups.items()
        }
        out.append(
            (
                year,
                compare_survey(
                    question,
                    MEASURES[characteristic],
                    reference=results.get("reference"),
                    comparison=results.get("comparison"),
                    suppress_below=suppress_below,
                ),
            )
        )
    return out


# --- Workforce profile ----------------------------------------------------------------------


@dataclass(frozen=True)
class WorkforceRow:
    characteristic: Characteristic
    headcount: Headcount
    written: str
    row: int


WORKFORCE_ALIASES = {
    "characteristic": CHARACTERISTIC_ALIASES,
    "year": YEAR_ALIASES,
    "band": ("band", "pay band", "agenda for change band", "afc band", "grade"),
    "group": ("group", "staff group"),
    "headcount": ("headcount", "staff", "number of staff", "staff in post", "count"),
}


def read_workforce(path: Path, *, name: str | None = None) -> Reading[WorkforceRow]:
    """Staff in post by year, band and group (one row each)."""
    label = name or path.name
    try:
        tables, notes = _tables(
            path, name, WORKFORCE_ALIASES, ("year", "band", "group", "headcount")
        )
    except TableError as error:
        return done(label, (), [error.problem], rows_read=0)
    rows: list[WorkforceRow] = []
    problems: list[Problem] = []
    read = 0
    for table in tables:
        read += len(table.rows)
        seen: dict[tuple[str, str, Characteristic, str], int] = {}
        for number, cells in table.rows:
            year = _year(cells.get("year"))
            band = to_text(cells.get("band"))
            if not year:
                problems.append(table.problem("the year is blank", row=number, column="year"))
            if not band:
                problems.append(table.problem("the band is blank", row=number, column="band"))
            characteristic, group, written = _group_and_characteristic(
                table, number, cells, problems
            )
            count = to_count(cells.get("headcount"))
            if count is None:
                problems.append(
                    table.problem(
                        f"'{to_text(cells.get('headcount'))}' is not a whole number of staff",
                        row=number,
                        column="headcount",
                    )
                )
            if not year or not band or characteristic is None or group is None or count is None:
                continue
            key = (year, normalise(band), characteristic, normalise(written))
            if key in seen:
                problems.append(
                    table.problem(
                        f"{written} in {band} for {year} is given twice (also row {seen[key]})",
                        row=number,
                        column="group",
                    )
                )
                continue
            seen[key] = number
            measure = MEASURES[characteristic]
            name_of = {
                "reference": measure.reference,
                "comparison": measure.comparison,
                "not_stated": measure.not_stated,
            }
            rows.append(
                WorkforceRow(
                    characteristic=characteristic,
                    headcount=Headcount(
                        year=year, band=band, group=name_of[group], headcount=count
                    ),
                    written=written,
                    row=number,
                )
            )
    return done(
        label, rows, problems, rows_read=read, notes=tuple(notes), layout="by band and group"
    )
