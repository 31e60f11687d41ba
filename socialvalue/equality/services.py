"""Saving the workforce equality, outpatient and carbon imports (ADR 024).

The same behaviour as the spend import (ADR 018): the files are kept with a SHA-256 each on
an `Import`; every file is read and checked with the pure readers first; any problem in any
file fails the import with its problems (file, sheet, row, column) and nothing saved; a file
the organisation already imported adds nothing and is named in the report. These files are
small (hundreds of rows, a few thousand factors), so the rows are saved in one transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from socialvalue.domain.carbon_files import read_factors, read_paper
from socialvalue.domain.file_readings import Reading
from socialvalue.domain.numbers import spans_text, strip_zeros
from socialvalue.domain.outpatient_files import read_outpatients
from socialvalue.domain.workforce_files import read_recruitment, read_staff_survey, read_workforce
from socialvalue.equality.models import (
    EqualitySettingChange,
    EqualitySettings,
    Factor,
    FactorSet,
    OutpatientCount,
    PaperPurchase,
    RecruitmentCount,
    StaffCount,
    SurveyResult,
)
from socialvalue.equality.refresh import refresh_indicators
from socialvalue.imports.models import Import, ImportFile, Kind, State
from socialvalue.imports.services import local_copy

logger = logging.getLogger(__name__)

KINDS = {
    Kind.RECRUITMENT,
    Kind.STAFF_SURVEY,
    Kind.WORKFORCE,
    Kind.OUTPATIENTS,
    Kind.FACTORS,
    Kind.PAPER,
}
ROW_MODELS = (RecruitmentCount, SurveyResult, StaffCount, OutpatientCount, PaperPurchase, FactorSet)


# The settings whose changes are kept, in the order the settings page asks for them, each
# named as its history on that page names it.
SETTING_LABELS = {
    "round_trip_km": "Round-trip distance per outpatient appointment (km)",
    "car_share": "Share of journeys by car",
    "bus_share": "Share of journeys by bus",
    "rail_share": "Share of journeys by train",
    "travel_source": "Where the distance and shares come from",
    "senior_bands": "Pay bands counted as senior roles",
    "unstable_below": "Recruitment counts below this are flagged as unstable",
    "suppress_below": "Staff survey groups with fewer respondents are not shown",
    "paper_recycled": "Our paper is recycled",
}


def _setting_text(name: str, value) -> str:
    """A setting's value as the settings page gives it: a share as a percentage, a number
    without zeros past its last digit (48, not 48.00), yes or no, "(none)" when not set."""
    if value is None or value == "":
        return "(none)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        if name.endswith("_share"):
            return f"{strip_zeros(value * 100):f}%"
        return f"{strip_zeros(value):f}"
    return str(value)


def settings_save(*, settings: EqualitySettings, by) -> list[EqualitySettingChange]:
    """Save an organisation's settings for computed figures (changed in memory, say by the
    settings form), keep one change row for each setting that changed, with who and its old
    and new values, and work out again every computed figure that uses them: all in one
    transaction, so a failure leaves the settings, their history and the figures as they
    were. Saving with nothing changed records nothing."""
    with transaction.atomic():
        # Before the first save, the defaults were in force.
        before = EqualitySettings.objects.select_for_update().filter(
            organisation=settings.organisation
        ).first() or EqualitySettings(organisation=settings.organisation)
        now = timezone.now()
        changes = [
            EqualitySettingChange(
                organisation=settings.organisation,
                setting=name,
                old_value=old,
                new_value=new,
                changed_by=by,
                changed_at=now,
            )
            for name in SETTING_LABELS
            if (old := _setting_text(name, getattr(before, name)))
            != (new := _setting_text(name, getattr(settings, name)))
        ]
        settings.updated_by = by
        settings.save()
        EqualitySettingChange.objects.bulk_create(changes)
        # The assumptions are part of how each computed value was worked out.
        refresh_indicators(settings.organisation)
    return changes


def _read(kind: str, path: Path, name: str, org: str) -> tuple[Reading, object]:
    """The reading of one file, and what to save from it (a factor set for `factors`)."""
    if kind == Kind.RECRUITMENT:
        return read_recruitment(path, name=name), None
    if kind == Kind.STAFF_SURVEY:
        return read_staff_survey(path, name=name, org=org), None
    if kind == Kind.WORKFORCE:
        return read_workforce(path, name=name), None
    if kind == Kind.OUTPATIENTS:
        return read_outpatients(path, name=name), None
    if kind == Kind.PAPER:
        return read_paper(path, name=name), None
    if kind == Kind.FACTORS:
        result = read_factors(path, name=name)
        return result.reading, result.factor_set
    raise ValueError(f"not an equality import kind: {kind}")


def file_summary(reading: Reading) -> dict:
    """One file's part of the report: the same keys from the dry run and a saved import."""
    rejected = len({(p.sheet, p.row) for p in reading.problems if p.row is not None})
    return {
        "file": reading.file,
        "ok": reading.ok,
        "layout": reading.layout or None,
        "rows": reading.rows_read,
        "rows_accepted": reading.rows_read - rejected if reading.ok else 0,
        "rows_rejected": rejected,
        "notes": list(reading.notes),
        "problems": [p.to_dict() for p in reading.problems],
        "problems_not_listed": reading.problems_left_out,
    }


def _earlier_import(stored: ImportFile) -> Import | None:
    earlier = (
        ImportFile.objects.filter(
            sha256=stored.sha256,
            duplicate_of__isnull=True,
            import_record__organisation_id=stored.import_record.organisation_id,
            import_record__kind=stored.import_record.kind,
            import_record__state=State.DONE,
        )
        .exclude(import_record_id=stored.import_record_id)
        .select_related("import_record")
        .first()
    )
    return earlier.import_record if earlier else None


def _finish(record: Import, state: str, report: dict) -> Import:
    record.state = state
    record.report = report
    record.phase = ""
    record.finished_at = timezone.now()
    record.save(update_fields=["state", "report", "phase", "finished_at", "rows_done"])
    return record


def equality_import_run(
    *, import_id: int, on_progress: Callable[[Import], None] | None = None
) -> Import:
    """Read every file of a queued import; save all their rows, or none."""
    claimed = Import.objects.filter(pk=import_id, state=State.QUEUED).update(
        state=State.RUNNING, started_at=timezone.now(), phase="checking"
    )
    record = Import.objects.select_related("organisation").get(pk=import_id)
    if not claimed:
        return record
    progress = on_progress or (lambda _record: None)
    progress(record)
    try:
        return _run(record, progress)
    except Exception as error:
        logger.exception("import %s stopped", record.pk)
        report = dict(record.report or {})
        report["problems"] = [
            *report.get("problems", []),
            {
                "file": None,
                "sheet": None,
                "row": None,
                "column": None,
                "message": f"the import stopped: {error}",
            },
        ]
        return _finish(record, State.FAILED, report)


def _run(record: Import, progress: Callable[[Import], None]) -> Import:
    kind = record.kind
    org = record.organisation.code
    already: list[dict] = []
    seen: set[str] = set()
    to_save: list[tuple[ImportFile, Reading, object]] = []
    for stored in record.files.all():
        earlier = _earlier_import(stored)
        if earlier is not None or stored.sha256 in seen:
            stored.duplicate_of = earlier or record
            stored.save(update_fields=["duplicate_of"])
            already.append(
                {"file": stored.name, "sha256": stored.sha256, "import": (earlier or record).pk}
            )
            continue
        seen.add(stored.sha256)
        with local_copy(stored) as path:
            reading, extra = _read(kind, path, stored.name, org)
        to_save.append((stored, reading, extra))
        record.rows_done += reading.rows_read
        progress(record)
    files = [file_summary(reading) for _, reading, _ in to_save]
    report = {
        "kind": kind,
        "files": files,
        "rows": sum(f["rows"] for f in files),
        "rows_accepted": sum(f["rows_accepted"] for f in files),
        "rows_rejected": sum(f["rows_rejected"] for f in files),
        "problems": [p for f in files for p in f["problems"]],
        "already_imported": already,
        "saved": {},
    }
    if any(not reading.ok for _, reading, _ in to_save):
        return _finish(record, State.FAILED, report)
    record.phase = "saving"
    record.save(update_fields=["phase", "rows_done"])
    progress(record)
    saved: dict[str, int] = {}
    with transaction.atomic():
        for stored, reading, extra in to_save:
            for label, count in _save(record, stored, reading, extra).items():
                saved[label] = saved.get(label, 0) + count
    report["saved"] = saved
    record = _finish(record, State.DONE, report)
    # The computed indicators that read this kind of import, worked out again from the saved
    # imports; a failure here leaves the import done and says so in its report.
    try:
        report["indicators"] = refresh_indicators(
            record.organisation, kinds={kind}, import_record=record
        )
    except Exception as error:
        logger.exception("import %s: the computed indicators were not updated", record.pk)
        report["indicators_problem"] = f"the computed indicators were not updated: {error}"
    record.report = report
    record.save(update_fields=["report"])
    return record


def _save(record: Import, stored: ImportFile, reading: Reading, extra: object) -> dict[str, int]:
    common = {
        "import_record": record,
        "source_file": stored,
        "organisation_id": record.organisation_id,
    }
    kind = record.kind
    if kind == Kind.RECRUITMENT:
        made = RecruitmentCount.objects.bulk_create(
            RecruitmentCount(
                **common,
                row=r.row,
                year=r.year,
                characteristic=r.characteristic.value,
                group=r.group,
                written=r.written,
                shortlisted=r.shortlisted,
                appointed=r.appointed,
            )
            for r in reading.rows
        )
        return {"recruitment counts": len(made)}
    if kind == Kind.STAFF_SURVEY:
        made = SurveyResult.objects.bulk_create(
            SurveyResult(
                **common,
                row=r.row,
                year=r.year,
                question=r.question,
                characteristic=r.characteristic.value if r.characteristic else "",
                group=r.group,
                written=r.written,
                respondents=r.respondents,
                percent=r.percent,
            )
            for r in reading.rows
        )
        return {"survey results": len(made)}
    if kind == Kind.WORKFORCE:
        made = StaffCount.objects.bulk_create(
            StaffCount(
                **common,
                row=r.row,
                year=r.headcount.year,
                band=r.headcount.band,
                characteristic=r.characteristic.value,
                group=r.headcount.group,
                written=r.written,
                headcount=r.headcount.headcount,
            )
            for r in reading.rows
        )
        return {"staff counts": len(made)}
    if kind == Kind.OUTPATIENTS:
        # Counts by month and medium are added up per month and medium: a file giving the
        # same month and medium on two sheets counts both, and cites the rows of both.
        summed: dict[tuple, int] = {}
        spans: dict[tuple, list] = {}
        for c in reading.rows:
            summed[(c.month, c.medium)] = summed.get((c.month, c.medium), 0) + c.appointments
            spans.setdefault((c.month, c.medium), []).extend(c.rows)
        made = OutpatientCount.objects.bulk_create(
            OutpatientCount(
                **common,
                row=0,
                month=month,
                medium=medium,
                appointments=n,
                rows=spans_text(spans[(month, medium)]),
            )
            for (month, medium), n in sorted(summed.items())
        )
        return {"outpatient counts": len(made)}
    if kind == Kind.PAPER:
        made = PaperPurchase.objects.bulk_create(
            PaperPurchase(
                **common,
                row=r.row,
                month=r.month,
                description=r.description,
                quantity=r.bought.quantity,
                unit=r.bought.unit,
            )
            for r in reading.rows
        )
        return {"paper order lines": len(made)}
    if kind == Kind.FACTORS:
        fs = extra
        assert fs is not None
        factor_set = FactorSet.objects.create(
            **common, row=0, year=fs.year, version=fs.version, sheet="Factors by Category"
        )
        Factor.objects.bulk_create(
            (
                Factor(
                    factor_set=factor_set,
                    factor_id=f.id,
                    scope=f.scope,
                    level1=f.level1,
                    level2=f.level2,
                    level3=f.level3,
                    level4=f.level4,
                    column_text=f.column_text,
                    uom=f.uom,
                    ghg_unit=f.ghg_unit,
                    value=str(f.value) if f.value is not None else "",
                    row=f.row,
                )
                for f in fs.factors
            ),
            batch_size=1000,
        )
        return {"factor sets": 1, "factors": len(fs.factors)}
    raise ValueError(kind)
