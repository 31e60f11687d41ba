"""Saving imports: keep the files, read them with the pure ledger reader, save all or nothing.

`import_create` keeps the uploaded files (with a SHA-256 each) on a queued import;
`import_run` reads them and saves a ledger's lines as the groups its figures read (ADR 030),
from the web app's background task or in the command's own process. See ADR 018.
"""

import hashlib
import logging
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO

import polars as pl
from django.core.files import File
from django.db import connection, transaction
from django.utils import timezone

from socialvalue.domain.ledger import (
    ColumnMapping,
    ParsedFile,
    Report,
    checking_frames,
    grouping,
    parse,
)
from socialvalue.imports.models import (
    ExpenseTypeTotal,
    Import,
    ImportFile,
    Kind,
    LedgerLayout,
    SpendGroup,
    State,
    Via,
)
from socialvalue.imports.signals import import_done
from socialvalue.imports.spend_report import file_summary, totals

logger = logging.getLogger(__name__)

# Lines are read and checked in batches, the progress shown after each; each batch keeps
# only the columns its groups need until the file is read (ADR 030).
BATCH = 50_000
# The stored amount's scale; a ledger amount with more decimal places is refused, not rounded.
AMOUNT_PLACES = 8


@dataclass(frozen=True)
class Upload:
    name: str
    content: IO[bytes]


def _digest(content: IO[bytes]) -> tuple[str, int]:
    sha, size = hashlib.sha256(), 0
    content.seek(0)
    while chunk := content.read(1 << 20):
        sha.update(chunk)
        size += len(chunk)
    content.seek(0)
    return sha.hexdigest(), size


def import_create(
    *,
    organisation,
    kind: str,
    uploads: Sequence[Upload],
    via: str,
    by=None,
    replaces: Import | None = None,
    mapping: dict | None = None,
    sheet: str = "",
) -> Import:
    """A queued import holding the original files, each kept with its SHA-256 and size.

    `replaces`: an earlier done import of the same organisation that this one corrects;
    `mapping`: a column mapping (`ColumnMapping.to_dict()`) for a layout the reader does not
    know, remembered for the organisation once the import is done; `sheet`: the one sheet
    of a workbook to read.
    """
    if not uploads:
        raise ValueError("an import needs at least one file")
    if replaces is not None and (
        replaces.organisation_id != organisation.pk
        or replaces.kind != kind
        or replaces.state != State.DONE
    ):
        raise ValueError(f"import {replaces.pk} is not a finished import of this organisation")
    with transaction.atomic():
        record = Import.objects.create(
            organisation=organisation,
            kind=Kind(kind),
            via=Via(via),
            created_by=by,
            replaces=replaces,
            mapping=mapping,
            sheet=sheet,
        )
        for position, upload in enumerate(uploads):
            sha, size = _digest(upload.content)
            stored = ImportFile(
                import_record=record,
                position=position,
                name=upload.name[:255],
                sha256=sha,
                size=size,
            )
            stored.stored.save(Path(upload.name).name, File(upload.content), save=False)
            stored.save()
    return record


@contextmanager
def local_copy(stored: ImportFile) -> Iterator[Path]:
    """A path on this machine for the stored file: the ledger reader reads files by path."""
    try:
        yield Path(stored.stored.path)
        return
    except NotImplementedError:  # a storage without local paths (object storage)
        pass
    suffix = Path(stored.name).suffix
    with tempfile.NamedTemporaryFile(suffix=suffix) as copy:
        with stored.stored.open("rb") as source:
            shutil.copyfileobj(source, copy)
        copy.flush()
        yield Path(copy.name)


def _earlier_import(stored: ImportFile, seen: dict[str, Import]) -> Import | None:
    """The done import of the same organisation that already holds this very file."""
    if stored.sha256 in seen:
        return seen[stored.sha256]
    earlier = (
        ImportFile.objects.filter(
            sha256=stored.sha256,
            duplicate_of__isnull=True,
            replaced_by__isnull=True,
            import_record__organisation_id=stored.import_record.organisation_id,
            import_record__state=State.DONE,
        )
        .exclude(import_record_id=stored.import_record_id)
        .select_related("import_record")
        .first()
    )
    return earlier.import_record if earlier else None


class _SaveProblem(Exception):
    def __init__(self, problem: dict):
        super().__init__(problem["message"])
        self.problem = problem


# An amount with a non-zero digit after the eighth decimal place; one with more digits before
# the point than the groups' exact sums hold (`grouping.AMOUNT_DIGITS`).
_TOO_PRECISE = r"\.[0-9]{8}[0-9]*[1-9]"
_TOO_LARGE = rf"^-?0*[1-9][0-9]{{{grouping.AMOUNT_DIGITS}}}"


def _part(stored: ImportFile, sheet: str | None, frame: pl.DataFrame) -> pl.DataFrame:
    """The frame's lines as the groups need them (`grouping.part`); an amount the groups
    cannot sum exactly stops the import with its row."""
    for pattern, message in (
        (_TOO_PRECISE, f"has more than {AMOUNT_PLACES} decimal places"),
        (_TOO_LARGE, f"has more than {grouping.AMOUNT_DIGITS} digits before the point"),
    ):
        found = frame.filter(pl.col("amount").str.contains(pattern))
        if found.height:
            raise _SaveProblem(
                {
                    "file": stored.name,
                    "sheet": sheet,
                    "row": found["row"][0],
                    "column": "amount",
                    "message": f"{Decimal(found['amount'][0])} {message}",
                }
            )
    return grouping.part(frame, sheet or "")


@dataclass
class _FileGroups:
    """A checked ledger file's lines, summed (`grouping.groups`), and what it holds."""

    stored: ImportFile
    by_supplier: pl.DataFrame
    by_expense: pl.DataFrame
    reports: list[Report]


def _finish(record: Import, state: State, report: dict) -> Import:
    record.state = state
    record.report = report
    record.phase = ""
    record.finished_at = timezone.now()
    record.save(update_fields=["state", "report", "phase", "finished_at"])
    return record


def import_run(*, import_id: int, on_progress: Callable[[Import], None] | None = None) -> Import:
    """Read and check every file of a queued import once; keep all its lines (the import is
    done) or none.

    A file with any problem keeps nothing from any file and the import fails with the
    problems; a file already imported for the organisation adds nothing and is listed as
    such. Running an import that is not queued (a task delivered twice) changes nothing.
    """
    claimed = Import.objects.filter(pk=import_id, state=State.QUEUED).update(
        state=State.RUNNING, started_at=timezone.now(), phase="checking"
    )
    record = Import.objects.select_related("organisation").get(pk=import_id)
    if not claimed:
        return record
    # The lines of the text files, counted before reading, so progress can be shown as a
    # share while checking: an estimate (banner, blank and footer lines count too).
    record.rows_total = _estimated_rows(record) or None
    record.save(update_fields=["rows_total"])
    progress = on_progress or (lambda _record: None)
    progress(record)
    try:
        return _run(record, progress)
    except Exception as error:
        logger.exception("import %s stopped", record.pk)
        _forget_groups(record)
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
    """One pass over the files: each batch of lines is kept, as the columns its groups need,
    as soon as it is read and checked; each file's lines are summed into groups once it is
    read (ADR 030).

    Nothing is written until every file is read without a problem: the groups are saved in
    the transaction that marks the import done, so a failed import saves nothing and no
    figure ever sees part of an import. Once any file has a problem, lines are no longer
    kept, and the reading goes on to report every problem (ADR 023).
    """
    seen: dict[str, Import] = {}
    already = []
    summaries = []
    failed = False
    save_problems: list[dict] = []
    checked: list[_FileGroups] = []
    for stored in record.files.all():
        earlier = _earlier_import(stored, seen)
        if earlier is not None:
            stored.duplicate_of = earlier
            stored.save(update_fields=["duplicate_of"])
            already.append({"file": stored.name, "sha256": stored.sha256, "import": earlier.pk})
            continue
        seen[stored.sha256] = record
        parts: list[pl.DataFrame] = []
        reports: list[Report] = []
        with local_copy(stored) as path:
            tables, remembered = _parse(record, path, stored.name)
            for parsed in tables:
                report, problem = _check_table(
                    record, stored, parsed, parts, progress, keep=not failed
                )
                if problem is not None:
                    save_problems.append(problem)
                failed = failed or problem is not None or not report.ok
                reports.append(report)
                at_end = bool(parsed.layout and parsed.layout.header_at_end)
                summary = file_summary(report, header_at_end=at_end)
                if remembered is not None:
                    summary["layout"]["remembered_layout"] = remembered
                summaries.append(summary)
        if failed:
            checked = []
        else:
            by_supplier, by_expense = grouping.groups(parts)
            checked.append(_FileGroups(stored, by_supplier, by_expense, reports))
        del parts
    report_json = {"files": summaries, **totals(summaries), "already_imported": already}
    report_json["problems"] = [*report_json["problems"], *save_problems]
    record.report = report_json
    if failed:
        return _finish(record, State.FAILED, report_json)

    record.phase = "saving"
    record.rows_total = record.rows_done = sum(s["rows"] for s in summaries)
    record.save(update_fields=["phase", "rows_done", "rows_total", "report"])
    progress(record)
    with transaction.atomic():
        for groups in checked:
            _save_groups(record, groups)
        report_json["replaced"] = _replace_earlier(record)
        if record.mapping:
            ledger_layout_remember(
                organisation=record.organisation,
                mapping=ColumnMapping.from_dict(record.mapping),
                confirmed_in=record,
            )
        record = _finish(record, State.DONE, report_json)
    # A listener's failure (a figure that could not be recomputed) must not undo the import.
    for receiver, outcome in import_done.send_robust(sender=Import, record=record):
        if isinstance(outcome, Exception):
            logger.error("after import %s, %s failed: %s", record.pk, receiver, outcome)
    return record


def _check_table(
    record: Import,
    stored: ImportFile,
    parsed: ParsedFile,
    parts: list[pl.DataFrame],
    progress: Callable[[Import], None],
    *,
    keep: bool,
) -> tuple[Report, dict | None]:
    """Read and check one table in batches, showing the progress after each; while `keep`
    and the table has no problem, each batch's lines go to `parts` as their groups need them
    (the file's whole frame is let go once the table is read). The report, and the problem
    that stopped the keeping (an amount the groups cannot hold exactly), if any."""
    report, frames = checking_frames(parsed, size=BATCH)
    sheet = parsed.table.sheet if parsed.table else None
    rows_before = record.rows_done
    problem = None
    for frame in frames:
        if keep and problem is None and not report.problems:
            try:
                parts.append(_part(stored, sheet, frame))
            except _SaveProblem as failure:
                problem = failure.problem
        _progress(record, rows_before + report.rows, progress)
    _progress(record, rows_before + report.rows, progress)
    return report, problem


def _parse(record: Import, path: Path, name: str) -> tuple[list[ParsedFile], int | None]:
    """The file's tables as the import reads them (see ledger_parse)."""
    return ledger_parse(
        path,
        organisation_id=record.organisation_id,
        mapping=ColumnMapping.from_dict(record.mapping) if record.mapping else None,
        name=name,
        sheet=record.sheet or None,
    )


def ledger_parse(
    path: Path,
    *,
    organisation_id: int,
    mapping: ColumnMapping | None = None,
    name: str | None = None,
    sheet: str | None = None,
) -> tuple[list[ParsedFile], int | None]:
    """A ledger's tables, read with the given mapping if there is one; otherwise with the
    known column names, and when those find no layout, with the organisation's remembered
    layouts, newest first (the number of the one used is returned). An import and a dry run
    read a file the same way."""
    if mapping is not None:
        return parse(path, mapping=mapping, name=name, sheet=sheet), None
    tables = parse(path, name=name, sheet=sheet)
    if all(t.layout is not None for t in tables):
        return tables, None
    for layout in LedgerLayout.objects.filter(organisation_id=organisation_id):
        try:
            remembered = ColumnMapping.from_dict(layout.mapping)
        except (ValueError, TypeError, AttributeError):
            continue
        tried = parse(path, mapping=remembered, name=name, sheet=sheet)
        if tried and all(t.layout is not None and not t.problems for t in tried):
            return tried, layout.pk
    return tables, None


def ledger_layout_remember(*, organisation, mapping: ColumnMapping, confirmed_in: Import):
    """The organisation's remembered layout with this mapping (a person gave it: with
    --mapping, or on a refused import's page), made if it has none yet; tried on its next
    files whose layout the reader does not know (ledger_parse)."""
    data = mapping.to_dict()
    for layout in LedgerLayout.objects.filter(organisation=organisation):
        if layout.mapping == data:
            return layout
    return LedgerLayout.objects.create(
        organisation=organisation, mapping=data, confirmed_in=confirmed_in
    )


def _replace_earlier(record: Import) -> list[dict]:
    """Mark the files this import corrects as replaced, so their lines stop counting.

    A file replaces an earlier file of the same organisation and kind with the same name
    (letter case aside) whose payment dates overlap its own (from its first to its last
    payment, `ImportFile.first_date` and `last_date`), when the earlier one is still
    counted: the same monthly file published again corrected. An import the person chose as
    replaced (`Import.replaces`) has every file replaced. Runs in the transaction that marks
    this import done, so the figures never count both versions, nor neither.
    """
    replaced: dict[int, tuple[ImportFile, ImportFile | None]] = {}
    if record.replaces_id:
        for earlier in ImportFile.objects.filter(
            import_record_id=record.replaces_id, replaced_by__isnull=True
        ):
            replaced[earlier.pk] = (earlier, None)
    for stored in record.files.filter(duplicate_of__isnull=True, first_date__isnull=False):
        candidates = (
            ImportFile.objects.filter(
                name__iexact=stored.name,
                import_record__organisation_id=record.organisation_id,
                import_record__kind=record.kind,
                import_record__state=State.DONE,
                duplicate_of__isnull=True,
                replaced_by__isnull=True,
            )
            .filter(first_date__lte=stored.last_date, last_date__gte=stored.first_date)
            .exclude(import_record_id=record.pk)
            .exclude(sha256=stored.sha256)
        )
        for earlier in candidates:
            replaced[earlier.pk] = (earlier, stored)
    report = []
    for earlier, by_file in replaced.values():
        earlier.replaced_by = record
        earlier.save(update_fields=["replaced_by"])
        report.append(
            {
                "file": earlier.name,
                "import": earlier.import_record_id,
                "by_file": by_file.name if by_file else None,
                "reason": "same file name, overlapping dates" if by_file else "chosen",
            }
        )
    return sorted(report, key=lambda r: (r["import"], r["file"]))


def _estimated_rows(record: Import) -> int:
    """Line breaks in the import's CSV and text files, less one header line each; spreadsheets
    (whose rows cannot be counted without reading them) add nothing."""
    total = 0
    for stored in record.files.all():
        if Path(stored.name).suffix.lower() not in (".csv", ".txt", ".tsv"):
            continue
        lines = 0
        with stored.stored.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                lines += chunk.count(b"\n")
        total += max(lines - 1, 0)
    return total


def _progress(record: Import, rows_done: int, progress: Callable[[Import], None]) -> None:
    record.rows_done = rows_done
    record.save(update_fields=["rows_done"])
    progress(record)


def _save_groups(record: Import, groups: _FileGroups) -> None:
    """Save a checked file's groups and what it holds (its dates, lines and total)."""
    stored, reports = groups.stored, groups.reports
    earliest = [r.earliest for r in reports if r.earliest is not None]
    latest = [r.latest for r in reports if r.latest is not None]
    stored.first_date = min(earliest) if earliest else None
    stored.last_date = max(latest) if latest else None
    stored.lines = sum(r.rows_accepted for r in reports)
    stored.total = sum((r.total for r in reports), Decimal(0))
    stored.save(update_fields=["first_date", "last_date", "lines", "total"])
    owner = (
        pl.lit(record.pk, dtype=pl.Int64).alias("import_record_id"),
        pl.lit(stored.pk, dtype=pl.Int64).alias("source_file_id"),
        pl.lit(record.organisation_id, dtype=pl.Int64).alias("organisation_id"),
    )
    month = pl.col("month").dt.to_string("%Y-%m-%d")
    amount = pl.col("amount").cast(pl.String)
    _write(
        SpendGroup,
        groups.by_supplier.select(
            *owner,
            "sheet",
            month,
            "supplier_name",
            "company_number",
            "supplier_postcode",
            "lines",
            amount,
            "rows",
        ),
    )
    _write(
        ExpenseTypeTotal,
        groups.by_expense.select(*owner, "sheet", month, "expense_type", "lines", amount),
    )


def _forget_groups(record: Import) -> None:
    """An import that stopped keeps no groups (they are written in the transaction that
    marks it done, so only a failure after that leaves any)."""
    SpendGroup.objects.filter(import_record=record).delete()
    ExpenseTypeTotal.objects.filter(import_record=record).delete()


def _write(model, frame: pl.DataFrame) -> None:
    """Insert the frame's rows (its columns named as the table's): tens of thousands of
    groups for a million lines, so plain tuples (`executemany`) on SQLite and `COPY` of the
    frame written as CSV by polars on PostgreSQL, rather than a model instance each."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(c) for c in frame.columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Every value quoted, so that an empty text is an empty text and not NULL.
            copy_sql = f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv)"
            with cursor.cursor.copy(copy_sql) as copy:
                copy.write(frame.write_csv(include_header=False, quote_style="always"))
        else:
            marks = ", ".join(["%s"] * frame.width)
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", frame.rows())
