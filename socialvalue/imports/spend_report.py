"""The report of reading payment ledgers, as plain JSON: one summary per file and the figures
over all files. The dry run prints it; a saving import keeps it on the import record."""

from decimal import Decimal

from socialvalue.domain.ledger import Report


def file_summary(report: Report, *, header_at_end: bool = False) -> dict:
    layout = report.layout
    return {
        "file": report.file,
        "sheet": report.sheet,
        "ok": report.ok,
        "layout": {
            "header_row": layout.header_row if layout else None,
            "header_at_end": header_at_end,
            "from_mapping": bool(layout and layout.explicit),
            "columns": layout.describe() if layout else {},
            "unmapped_headers": list(layout.unmapped) if layout else [],
            "ignored_headers": list(layout.ignored) if layout else [],
            "date_order": report.date_order.value if report.date_order else None,
        },
        "rows": report.rows,
        "rows_accepted": report.rows_accepted,
        "rows_rejected": report.rows_rejected,
        "rows_skipped": dict(report.skipped),
        "total_amount": str(report.total),
        "credits": {"rows": report.credit_rows, "amount": str(report.credits)},
        "earliest": report.earliest.isoformat() if report.earliest else None,
        "latest": report.latest.isoformat() if report.latest else None,
        "problems": [p.to_dict() for p in report.problems],
        "problems_not_listed": report.problems_left_out,
    }


def totals(files: list[dict]) -> dict:
    """The figures over all files; amounts and dates only from the files that were accepted."""
    accepted = [f for f in files if f["ok"]]
    earliest = [f["earliest"] for f in accepted if f["earliest"]]
    latest = [f["latest"] for f in accepted if f["latest"]]
    return {
        "rows": sum(f["rows"] for f in files),
        "rows_accepted": sum(f["rows_accepted"] for f in files),
        "rows_rejected": sum(f["rows_rejected"] for f in files),
        "total_amount": str(sum((Decimal(f["total_amount"]) for f in accepted), Decimal(0))),
        "earliest": min(earliest) if earliest else None,
        "latest": max(latest) if latest else None,
        "problems": [p for f in files for p in f["problems"]],
    }
