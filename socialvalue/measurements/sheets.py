"""Values sheets: a charter's values for a year as a spreadsheet, out and back in.

The pure half (reading, checking, writing) is socialvalue/domain/valuesheet.py; this module
feeds it from the database and loads a checked sheet through the measurement services
(`measurement_record`, `measurement_approve`), so every rule of recording and approving by
hand applies to a sheet too. The format is documented in docs/values-sheets.md.
"""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction

from socialvalue.charters.models import Charter, Indicator
from socialvalue.domain.periods import FinancialYear
from socialvalue.domain.valuesheet import (
    COLUMNS,
    Entry,
    IndicatorSpec,
    Problem,
    Sheet,
    SheetContext,
    SheetError,
    parse,
    shape_of,
    sheet_rows,
    to_csv,
    to_xlsx,
    validate,
)
from socialvalue.measurements import services
from socialvalue.measurements.citations import citation_of, with_citation
from socialvalue.measurements.models import Measurement
from socialvalue.measurements.progress import charter_progress
from socialvalue.organisations.models import User
from socialvalue.sources.services import source_sheet

FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
GUIDE_COLUMNS = (
    "indicator",
    "title",
    "unit",
    "frequency",
    "kind",
    "fill_in",
    "parts",
    "built_on",
)
STATUS_COLUMNS = (
    "charter",
    "indicator",
    "title",
    "theme",
    "unit",
    "frequency",
    "target_kind",
    "target",
    "status",
    "actual",
    "expected_to_date",
    "forecast",
    "numerator",
    "denominator",
    "explanation",
    "waiting_for_approval",
    "overdue_periods",
)
FILL_IN = {
    "value": "value",
    "share": "numerator and denominator",
    "parts": "value, on one row per part",
    "share_parts": "numerator and denominator, on one row per part",
    "disparity": "events_a, population_a, events_b and population_b, on one row per part",
    "milestone": "milestone_state (not_started, in_progress or done) and achieved_on",
    "self_assessment": "self_status (achieved, on_track, at_risk or off_track) and narrative",
}


@dataclass(frozen=True)
class Download:
    filename: str
    content_type: str
    content: bytes


# Context -------------------------------------------------------------------------------


def sheet_context(*, charter: Charter, actor: User, today: date) -> SheetContext:
    """What a sheet for the charter may hold, and which rows the actor may record: the
    record form's rule (services.can_record) decides, indicator by organisation."""
    years = [p.year for p in charter.periods.all()]
    reporting = charter.organisation.with_members()
    first_year = min(years) if years else None
    specs = {}
    for indicator in _indicators(charter):
        target = indicator.target
        shape = shape_of(target)
        specs[indicator.code] = IndicatorSpec(
            code=indicator.code,
            shape=shape,
            frequency=indicator.frequency_enum,
            kind_label=target.kind.label,
            periods=frozenset(p.key for y in years for p in y.periods(indicator.frequency)),
            organisations=tuple(o.code.upper() for o in reporting),
            recordable=frozenset(
                o.code.upper() for o in reporting if services.can_record(actor, indicator, o)
            ),
            parts=tuple(p.key for p in target.parts) if shape.has_parts else (),
            unit=indicator.unit,
            earlier=services.indicator_earlier_years(indicator, first_year=first_year),
        )
    return SheetContext(
        charter=charter.code,
        years=tuple(y.label for y in years),
        indicators=specs,
        today=today,
        actor=actor.email,
        first_year=first_year,
    )


def _indicators(charter: Charter):
    return (
        Indicator.objects.for_charter(charter)
        .select_related("charter__organisation")
        .order_by("pledge__theme__position", "pledge__position", "position", "pk")
    )


def can_use_sheet(*, charter: Charter, actor: User, today: date) -> bool:
    """Whether the actor may record anything on the charter, and so use its values sheet."""
    context = sheet_context(charter=charter, actor=actor, today=today)
    return any(spec.recordable for spec in context.indicators.values())


def _latest_versions(charter: Charter, *, start: date, end: date, organisations=None) -> dict:
    """The newest version of each indicator, organisation and period, in any state."""
    found = (
        Measurement.objects.for_charter(charter)
        .filter(period_start__gte=start, period_end__lte=end)
        .select_related("indicator", "organisation", "source")
        .order_by("version")
    )
    if organisations is not None:
        found = found.filter(organisation__code__in=organisations)
    return {(m.indicator.code, m.organisation.code.upper(), m.period.key): m for m in found}


# Download ------------------------------------------------------------------------------


def values_sheet_download(
    *, charter: Charter, actor: User, year: FinancialYear, fmt: str, prefill: bool, today: date
) -> Download:
    """A sheet with a row for every period of the year (and part) of every indicator and
    organisation the actor may record; prefilled with the newest recorded versions."""
    context = sheet_context(charter=charter, actor=actor, today=today)
    recordable = {code for spec in context.indicators.values() for code in spec.recordable}
    # Before each indicator's periods, a row for each earlier year that the year's target is
    # built on: one figure for the whole year, with its source (ADR 020).
    built_on = {
        indicator.code: [
            e.period
            for e in services.indicator_earlier_years(
                indicator, year=year, first_year=context.first_year
            )
        ]
        for indicator in _indicators(charter)
    }
    start = min([year.start, *(p.start for periods in built_on.values() for p in periods)])
    latest = (
        _latest_versions(charter, start=start, end=year.end, organisations=recordable)
        if prefill
        else {}
    )
    rows = []
    for spec in context.indicators.values():
        for organisation in spec.organisations:
            if organisation not in spec.recordable:
                continue
            for period in [*built_on[spec.code], *year.periods(spec.frequency)]:
                found = latest.get((spec.code, organisation, period.key))
                rows.extend(
                    sheet_rows(
                        charter=charter.code,
                        indicator=spec,
                        organisation=organisation,
                        period=period,
                        recorded=found.to_domain() if found else None,
                        note=found.note if found else "",
                        citation=citation_of(found) if found else "",
                    )
                )
    name = f"{charter.code}-values-{year.start_year}-{(year.start_year + 1) % 100:02d}"
    if fmt == "csv":
        return Download(f"{name}.csv", FORMATS["csv"], to_csv(COLUMNS, rows))
    guide = [
        {
            "indicator": indicator.code,
            "title": indicator.title,
            "unit": indicator.unit,
            "frequency": indicator.frequency,
            "kind": context.indicators[indicator.code].kind_label,
            "fill_in": FILL_IN[context.indicators[indicator.code].shape.value],
            "parts": ", ".join(context.indicators[indicator.code].parts),
            "built_on": "; ".join(
                f"{e.description}: one figure for the year, with its source"
                for e in context.indicators[indicator.code].earlier
            ),
        }
        for indicator in _indicators(charter)
        if context.indicators[indicator.code].recordable
    ]
    content = to_xlsx([("Values", COLUMNS, rows), ("Indicators", GUIDE_COLUMNS, guide)])
    return Download(f"{name}.xlsx", FORMATS["xlsx"], content)


def charter_export(*, charter: Charter, year: FinancialYear, as_of: date, fmt: str, table: str):
    """Every indicator's status for the year and the approved values it counts.

    XLSX holds both tables as worksheets; CSV holds one, `status` or `values`.
    """
    progress = charter_progress(charter, year=year, as_of=as_of)
    status_rows = [
        {
            "charter": charter.code,
            "indicator": item.indicator.code,
            "title": item.indicator.title,
            "theme": item.indicator.pledge.theme.title,
            "unit": item.indicator.unit,
            "frequency": item.indicator.frequency,
            "target_kind": item.indicator.target_kind,
            "target": item.assessment.target_text,
            "status": item.assessment.status.label,
            "actual": item.assessment.actual,
            "expected_to_date": item.assessment.expected_to_date,
            "forecast": item.assessment.forecast,
            "numerator": getattr(item.assessment.combined, "numerator", None),
            "denominator": getattr(item.assessment.combined, "denominator", None),
            "explanation": item.assessment.explanation,
            "waiting_for_approval": item.waiting,
            "overdue_periods": ", ".join(p.key for p in item.overdue),
        }
        for item in progress.indicators
    ]
    specs = _specs_for_export(charter)
    value_rows = []
    for m in (
        Measurement.objects.for_charter(charter)
        .counted()
        .filter(period_start__gte=year.start, period_end__lte=year.end)
        .select_related("indicator", "organisation", "source")
        .order_by("indicator__position", "indicator__pk", "organisation__name", "period_start")
    ):
        value_rows.extend(
            sheet_rows(
                charter=charter.code,
                indicator=specs[m.indicator.code],
                organisation=m.organisation.code,
                period=m.period,
                recorded=m.to_domain(),
                note=m.note,
                citation=citation_of(m),
            )
        )
    name = f"{charter.code}-status-{year.start_year}-{(year.start_year + 1) % 100:02d}"
    if fmt == "csv":
        if table == "values":
            return Download(f"{name}-values.csv", FORMATS["csv"], to_csv(COLUMNS, value_rows))
        return Download(f"{name}.csv", FORMATS["csv"], to_csv(STATUS_COLUMNS, status_rows))
    content = to_xlsx([("Status", STATUS_COLUMNS, status_rows), ("Values", COLUMNS, value_rows)])
    return Download(f"{name}.xlsx", FORMATS["xlsx"], content)


def _specs_for_export(charter: Charter) -> dict[str, IndicatorSpec]:
    specs = {}
    for indicator in _indicators(charter):
        target = indicator.target
        shape = shape_of(target)
        specs[indicator.code] = IndicatorSpec(
            code=indicator.code,
            shape=shape,
            frequency=indicator.frequency_enum,
            kind_label=target.kind.label,
            periods=frozenset(),
            organisations=(),
            recordable=frozenset(),
            parts=tuple(p.key for p in target.parts) if shape.has_parts else (),
            unit=indicator.unit,
        )
    return specs


# Import --------------------------------------------------------------------------------


@dataclass
class ImportResult:
    file: str
    charter: str = ""
    rows_read: int = 0
    rows_blank: int = 0
    rows_changed: int = 0
    new: int = 0
    corrected: int = 0
    unchanged: int = 0
    approved: int = 0
    left_waiting: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    saved: bool = False
    dry_run: bool = False

    @property
    def changes_text(self) -> str:
        """Like "3 new values and 1 correction"."""
        return f"{_count(self.new, 'new value')} and {_count(self.corrected, 'correction')}"

    def to_dict(self) -> dict:
        return {
            "file": self.file,
            "charter": self.charter,
            "dry_run": self.dry_run,
            "saved": self.saved,
            "rows_read": self.rows_read,
            "rows_blank": self.rows_blank,
            "rows_changed": self.rows_changed,
            "new": self.new,
            "corrected": self.corrected,
            "unchanged": self.unchanged,
            "approved": self.approved,
            "left_waiting": self.left_waiting,
            "problems": [p.to_dict() for p in self.problems],
        }


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


class _Refused(Exception):
    """Rolls the whole import back when a service refuses a row."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem


def values_sheet_import(
    *,
    actor: User,
    name: str,
    content: bytes,
    today: date,
    charter: Charter | None = None,
    approve: bool = False,
    dry_run: bool = False,
) -> ImportResult:
    """Check a values sheet and, if it has no problem at all, record what it changes.

    All or nothing. A row the same as the newest recorded version adds nothing; a different
    one is a correction whose reason names the sheet and row. With `approve`, each value
    recorded is approved where the actor may approve it (measurement_approve decides).
    """
    result = ImportResult(file=name, dry_run=dry_run)
    try:
        sheet = parse(name, content)
    except SheetError as error:
        result.problems = list(error.problems)
        return result
    result.rows_read = len(sheet.rows)
    if charter is None:
        charter = _charter_named(sheet, result)
        if charter is None:
            return result
    result.charter = charter.code
    checked = validate(sheet, sheet_context(charter=charter, actor=actor, today=today))
    result.rows_blank = checked.blank_rows
    result.problems = list(checked.problems)
    if result.problems:
        return result
    latest = _latest_versions(
        charter,
        start=min((e.period.start for e in checked.entries), default=today),
        end=max((e.period.end for e in checked.entries), default=today),
    )
    changes = []
    for entry in checked.entries:
        found = latest.get((entry.indicator, entry.organisation, entry.period.key))
        if found is not None and entry.matches(found.to_domain(), found.note, citation_of(found)):
            result.unchanged += 1
            continue
        changes.append((entry, found))
        result.rows_changed += len(entry.rows)
        if found is None:
            result.new += 1
        else:
            result.corrected += 1
    if dry_run or not changes:
        return result
    indicators = {i.code: i for i in _indicators(charter)}
    organisations = {o.code.upper(): o for o in charter.organisation.with_members()}
    try:
        with transaction.atomic():
            recorded = [
                (
                    entry,
                    _record(
                        actor=actor,
                        indicator=indicators[entry.indicator],
                        organisation=organisations[entry.organisation],
                        sheet=sheet,
                        entry=entry,
                        found=found,
                    ),
                )
                for entry, found in changes
            ]
            if approve:
                for entry, measurement in recorded:
                    _approve(
                        actor=actor,
                        sheet=sheet,
                        entry=entry,
                        measurement=measurement,
                        result=result,
                    )
    except _Refused as refused:
        result.problems = [refused.problem]
        result.new = result.corrected = result.rows_changed = result.approved = 0
        result.left_waiting = []
        return result
    result.saved = True
    return result


def _charter_named(sheet: Sheet, result: ImportResult) -> Charter | None:
    code = sheet.charter_code
    if not code:
        result.problems = [Problem(0, "charter", "The sheet names no charter in any row")]
        return None
    charter = Charter.objects.filter(code__iexact=code).select_related("organisation").first()
    if charter is None:
        first = next(r for r in sheet.rows if r["charter"])
        result.problems = [sheet.problem(first.number, "charter", f"No charter with code {code}")]
    return charter


def _where(sheet: Sheet, entry: Entry) -> str:
    worksheet = f", worksheet {sheet.worksheet}" if sheet.worksheet else ""
    return f"values sheet {sheet.name}{worksheet}, {entry.rows_text}"


def _record(*, actor, indicator, organisation, sheet: Sheet, entry: Entry, found) -> Measurement:
    reading = services.Reading(
        value=entry.value,
        numerator=entry.numerator,
        denominator=entry.denominator,
        parts=dict(entry.parts),
        milestone_state=entry.milestone_state,
        achieved_on=entry.achieved_on,
        self_status=entry.self_status,
        narrative=entry.narrative,
    )
    try:
        return services.measurement_record(
            actor=actor,
            indicator=indicator,
            organisation=organisation,
            period=entry.period,
            reading=reading,
            note=entry.note,
            reason=f"Changed by {_where(sheet, entry)}" if found is not None else "",
            source=with_citation(
                source_sheet(
                    actor=actor,
                    organisation=organisation,
                    file=sheet.name,
                    worksheet=sheet.worksheet,
                    rows=list(entry.rows),
                    where=_where(sheet, entry),
                ),
                entry.citation,
            ),
        )
    except (PermissionDenied, ValueError) as error:
        raise _Refused(sheet.problem(entry.rows[0], "indicator", str(error))) from None


def _approve(*, actor, sheet, entry, measurement, result: ImportResult) -> None:
    try:
        with transaction.atomic():
            services.measurement_approve(
                actor=actor,
                measurement=measurement,
                comment=f"Approved on import of {_where(sheet, entry)}",
            )
    except (PermissionDenied, ValueError) as error:
        result.left_waiting.append(
            f"{measurement.indicator.code} {measurement.organisation.code} "
            f"{measurement.period.key}: {error}"
        )
    else:
        result.approved += 1


# Bulk approval -------------------------------------------------------------------------


@dataclass
class BulkApproval:
    approved: list[Measurement] = field(default_factory=list)
    refused: list[tuple[Measurement, str]] = field(default_factory=list)


def measurement_approve_waiting(
    *, actor: User, charter: Charter, indicator: Indicator | None = None
) -> BulkApproval:
    """Approve every value waiting on the charter that the approvals page offers the actor,
    one by one through measurement_approve; a value it refuses stays waiting, with why."""
    waiting = (
        Measurement.objects.for_user(actor)
        .for_charter(charter)
        .waiting()
        .reviewable_by(actor)
        .select_related("indicator__charter__organisation", "organisation")
        .order_by("indicator__position", "indicator__pk", "organisation__name", "period_start")
    )
    if indicator is not None:
        waiting = waiting.filter(indicator=indicator)
    outcome = BulkApproval()
    for measurement in list(waiting):
        try:
            with transaction.atomic():
                services.measurement_approve(
                    actor=actor, measurement=measurement, comment="Approved in bulk"
                )
        except (PermissionDenied, ValueError) as error:
            outcome.refused.append((measurement, str(error)))
        else:
            outcome.approved.append(measurement)
    return outcome
