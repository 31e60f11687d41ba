"""Display values for the import pages: states in words, money, dates and problems."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone

from socialvalue.domain.ledger import ColumnMapping, DateOrder, Field
from socialvalue.domain.suppliers import looks_like_individual
from socialvalue.imports.forms import FIELD_LABELS, ColumnsForm
from socialvalue.imports.layouts import RefusedColumns, files_without_layout
from socialvalue.imports.models import Import, LedgerLayout, State


def money(text: str | None) -> str:
    amount = Decimal(text or 0)
    return f"£{amount:,.2f}" if amount >= 0 else f"−£{-amount:,.2f}"


def day(text: str | None) -> str:
    return date.fromisoformat(text).strftime("%-d %B %Y") if text else ""


def where(problem: dict) -> str:
    parts = [problem.get("file") or ""]
    if problem.get("sheet"):
        parts.append(f"sheet {problem['sheet']}")
    if problem.get("row") is not None:
        parts.append(f"row {problem['row']}")
    if problem.get("column"):
        parts.append(f"column {problem['column']}")
    return ", ".join(p for p in parts if p)


STATE_TAGS = {
    State.QUEUED: "nhsuk-tag--grey",
    State.RUNNING: "nhsuk-tag--blue",
    State.DONE: "nhsuk-tag--green",
    State.FAILED: "nhsuk-tag--red",
}


@dataclass(frozen=True)
class ImportPresenter:
    record: Import

    @property
    def title(self) -> str:
        return f"Import {self.record.pk}"

    @property
    def state(self) -> str:
        return State(self.record.state).label

    @property
    def state_tag(self) -> str:
        return STATE_TAGS[State(self.record.state)]

    @property
    def created(self) -> str:
        return timezone.localtime(self.record.created_at).strftime("%-d %B %Y %H:%M")

    @property
    def by(self) -> str:
        user = self.record.created_by
        return (user.get_full_name() or user.email) if user else "Command line"

    @property
    def file_names(self) -> str:
        return ", ".join(f.name for f in self.record.files.all())

    @property
    def progress_text(self) -> str:
        r = self.record
        if r.state == State.QUEUED:
            return "Waiting to start"
        if r.phase == "saving" and r.rows_total:
            return f"Saving: {r.rows_done:,} of {r.rows_total:,} rows"
        if r.rows_total:
            return f"Checking the files: {r.rows_done:,} of about {r.rows_total:,} rows read"
        return f"Checking the files: {r.rows_done:,} rows read"

    @property
    def report(self) -> dict:
        return self.record.report or {}

    @property
    def figures(self) -> list[tuple[str, str]]:
        report = self.report
        if not report.get("files") and not report.get("already_imported"):
            return []
        rows = [
            ("Rows read", f"{report.get('rows', 0):,}"),
            ("Rows accepted", f"{report.get('rows_accepted', 0):,}"),
            ("Rows with problems", f"{report.get('rows_rejected', 0):,}"),
        ]
        if self.record.state == State.DONE:
            rows.append(("Total", money(report.get("total_amount"))))
            if report.get("earliest"):
                rows.append(("Dates", f"{day(report['earliest'])} to {day(report['latest'])}"))
        return rows

    @property
    def files(self) -> list[dict]:
        out = []
        for f in self.report.get("files", []):
            skipped = sum(f.get("rows_skipped", {}).values())
            out.append(
                {
                    "name": f["file"] + (f" (sheet {f['sheet']})" if f.get("sheet") else ""),
                    "outcome": "Accepted" if f["ok"] else "Refused",
                    "rows": f"{f['rows']:,}",
                    "skipped": f"{skipped:,}",
                    "total": money(f["total_amount"]) if f["ok"] else "",
                    "dates": f"{day(f['earliest'])} to {day(f['latest'])}"
                    if f["ok"] and f.get("earliest")
                    else "",
                }
            )
        return out

    @property
    def replaced(self) -> list[dict]:
        return self.report.get("replaced", [])

    @property
    def replaced_by(self) -> list:
        return [f for f in self.record.files.all() if f.replaced_by_id]

    @property
    def already_imported(self) -> list[dict]:
        return self.report.get("already_imported", [])

    @property
    def problems(self) -> list[dict]:
        return [
            {"where": where(p), "message": p["message"]} for p in self.report.get("problems", [])
        ]

    @property
    def retries(self) -> list[int]:
        """The imports that read this one's files again, with the columns a lead confirmed."""
        return [r.pk for r in self.record.retries.all()]

    @property
    def without_layout(self) -> list[str]:
        """The files whose columns the page asks about: none once they were read again."""
        if self.retries:
            return []
        return files_without_layout(self.record)


SAMPLES_SHOWN = 3
WITHHELD = "names of people not shown"


def samples(values: tuple[str, ...]) -> str:
    """A few values of a column, leaving out any that may be a person's name (payments to
    individuals are never shown): the column is unknown, so every value is checked."""
    if not values:
        return "none below the header"
    shown = [v for v in values if not looks_like_individual(v)][:SAMPLES_SHOWN]
    if not shown:
        return WITHHELD
    withheld = len(shown) < min(len(values), SAMPLES_SHOWN)
    return ", ".join(shown) + (f" ({WITHHELD})" if withheld else "")


@dataclass(frozen=True)
class ColumnsPresenter:
    """The page that asks which column of a refused ledger holds which field."""

    record: Import
    refused: RefusedColumns
    form: ColumnsForm

    @property
    def title(self) -> str:
        return f"Import {self.record.pk}: tell us which column is which"

    @property
    def file(self) -> str:
        table = self.refused.table
        return table.file + (f" (sheet {table.sheet})" if table.sheet else "")

    @property
    def header_row(self) -> int:
        return self.refused.table.header_row

    @property
    def columns(self) -> list[dict]:
        return [
            {"field": bound, "samples": samples(self.form.columns[bound.name].samples)}
            for bound in self.form.column_fields()
        ]

    @property
    def group_errors(self) -> list[str]:
        return list(self.form.non_field_errors())

    @property
    def error_items(self) -> list[dict]:
        """The error summary, in the page's order: the missing fields (linked to the group
        of columns), then each column's problem (linked to its select)."""
        items = [{"text": e, "href": "#columns"} for e in self.group_errors]
        for bound in [*self.form.column_fields(), self.form["date_order"]]:
            for error in bound.errors:
                anchor = f"id_{bound.name}" if bound.name != "date_order" else "id_date_order"
                items.append({"text": error, "href": f"#{anchor}"})
        return items


@dataclass(frozen=True)
class LayoutPresenter:
    """A remembered layout in the list of an organisation's layouts."""

    layout: LedgerLayout

    @property
    def organisation(self) -> str:
        return self.layout.organisation.code

    @property
    def columns(self) -> str:
        try:
            mapping = ColumnMapping.from_dict(self.layout.mapping)
        except (ValueError, TypeError, AttributeError):
            return "(not a column mapping)"
        # In the fields' own order: a JSON column need not keep its keys' order (PostgreSQL's
        # jsonb does not).
        parts = [
            f"{FIELD_LABELS[field]}: "
            + (
                f"'{mapping.columns[field.value]}'"
                if mapping.has_header
                else f"column {mapping.columns[field.value]}"
            )
            for field in Field
            if field.value in mapping.columns
        ]
        if not mapping.has_header:
            parts.append("no header row")
        if mapping.date_order:
            parts.append(
                "dates day first"
                if mapping.date_order == DateOrder.DAY_FIRST
                else "dates month first"
            )
        return "; ".join(parts)

    @property
    def confirmed(self) -> str:
        when = timezone.localtime(self.layout.created_at).strftime("%-d %B %Y")
        return when + (
            f", import {self.layout.confirmed_in_id}" if self.layout.confirmed_in_id else ""
        )
