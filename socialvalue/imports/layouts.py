"""Column layouts a lead confirms in the web app for a ledger the reader could not map.

A spend import refused because its header row names no column the alias list knows for the
date, the supplier or the amount keeps its files; `refused_columns` reads the first such
file's header row and a few values of each column for its page to ask which column is which.
`ledger_layout_confirm` remembers the answer for the organisation as a `LedgerLayout` (the
`ColumnMapping` the command line's `--mapping` gives, stored the same way) and queues a new
import of the same files, which the import service reads with it like any remembered layout;
the organisation's next files with those column names go in without asking. See
docs/spend-files.md and ADR 027.
"""

import logging
from contextlib import ExitStack
from dataclasses import dataclass

from django.db import transaction

from socialvalue.domain.ledger import ColumnMapping
from socialvalue.domain.ledger.headers import TableHeaders, table_headers
from socialvalue.domain.ledger.ledgerfile import HEADER_SEARCH_ROWS
from socialvalue.imports.models import Import, ImportFile, Kind, LedgerLayout, State, Via
from socialvalue.imports.services import (
    Upload,
    import_create,
    ledger_layout_remember,
    local_copy,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RefusedColumns:
    """A file of a failed import in which the reader found no layout, and its header row."""

    stored: ImportFile
    table: TableHeaders


def files_without_layout(record: Import) -> list[str]:
    """The names of the files (or sheets) of a failed spend import in which the reader found
    no column for a required field, from its report: no file needs reading."""
    return list(dict.fromkeys(f["file"] for f in _summaries_without_layout(record)))


def _summaries_without_layout(record: Import) -> list[dict]:
    if record.kind != Kind.SPEND or record.state != State.FAILED:
        return []
    report = record.report or {}
    return [
        f
        for f in report.get("files", [])
        if not f.get("ok") and not (f.get("layout") or {}).get("columns") and not _header_too_low(f)
    ]


def _header_too_low(summary: dict) -> bool:
    """A header row below the first rows (in the middle of the data) is refused for where it
    is, not for its names: saying which column is which would not help."""
    rows = [p["row"] for p in summary.get("problems", [])[:1] if p.get("row") is not None]
    return bool(rows) and rows[0] > HEADER_SEARCH_ROWS


def refused_columns(record: Import) -> RefusedColumns | None:
    """The first file of the import without a layout that has a row of column names, with
    those names and a few values of each; None when there is none to ask about. Of a
    workbook's sheets, the one whose header names the most columns (not a cover sheet).

    Where the reader found a row naming some fields but not all that are required, its
    problem gives that row, and that row is the one asked about."""
    summaries = _summaries_without_layout(record)
    for stored in record.files.all():
        mine = [s for s in summaries if s["file"] == stored.name]
        if not mine:
            continue
        header_rows = {
            s.get("sheet"): p["row"]
            for s in mine
            for p in s.get("problems", [])[:1]
            if p.get("row") is not None
        }
        with local_copy(stored) as path:
            tables = table_headers(
                path, name=stored.name, sheet=record.sheet or None, header_rows=header_rows
            )
        if tables:
            return RefusedColumns(stored, max(tables, key=lambda t: len(t.columns)))
    return None


def ledger_layout_confirm(*, record: Import, mapping: ColumnMapping, by) -> Import:
    """Remember the columns a lead confirmed for a refused import's file, and queue a new
    import of that import's files, which reads them with it (the caller enqueues it).

    The new import is an upload like any other (all or nothing, the same background job),
    correcting the import the refused one named, if any, and reading the same sheet.
    """
    if record.kind != Kind.SPEND or record.state != State.FAILED:
        raise ValueError(f"import {record.pk} is not a failed ledger import")
    with transaction.atomic():
        if record.retries.exists():
            raise ValueError(f"the files of import {record.pk} were already imported again")
        layout = ledger_layout_remember(
            organisation=record.organisation, mapping=mapping, confirmed_in=record
        )
        with ExitStack() as stack:
            uploads = [
                Upload(stored.name, stack.enter_context(stored.stored.open("rb")))
                for stored in record.files.all()
            ]
            again = import_create(
                organisation=record.organisation,
                kind=Kind.SPEND,
                uploads=uploads,
                via=Via.WEB,
                by=by,
                replaces=record.replaces,
                sheet=record.sheet,
            )
        again.retry_of = record
        again.save(update_fields=["retry_of"])
    logger.info(
        "layout %s confirmed for %s on import %s; import %s reads its files again",
        layout.pk,
        record.organisation.code,
        record.pk,
        again.pk,
    )
    return again


def ledger_layout_forget(*, layout: LedgerLayout, by) -> None:
    """Stop trying the layout on the organisation's next files. Imports that used it keep
    their lines and their report (which names the layout's number)."""
    logger.info(
        "layout %s of organisation %s forgotten by user %s",
        layout.pk,
        layout.organisation_id,
        by.pk,
    )
    layout.delete()
