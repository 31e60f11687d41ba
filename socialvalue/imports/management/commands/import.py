"""`socialvalue import KIND FILE... --org CODE --dry-run [--json]`.

Payment ledgers (`spend`) are read here; workforce equality, outpatient and carbon files
(recruitment, staff-survey, workforce, outpatients, factors, paper) by
`socialvalue.imports.equality_cli`.

Reading and checking are done by the pure `socialvalue.domain.ledger`; the accepted files
are described in docs/spend-files.md. Saving spend imports is not built yet, so only a dry
run is allowed.
"""

import json
import sys
from decimal import Decimal
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from socialvalue.domain.ledger import ColumnMapping, Report, parse, validate
from socialvalue.imports import equality_cli
from socialvalue.organisations.models import Organisation
from socialvalue.suppliers import cli as suppliers_cli


def _money(amount: Decimal) -> str:
    return f"£{amount:,.2f}" if amount >= 0 else f"−£{-amount:,.2f}"


def _count(n: int, noun: str = "problem") -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


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


class Command(BaseCommand):
    help = "Check payment ledger files (see docs/spend-files.md); only --dry-run for now."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="kind", required=True, metavar="KIND")
        spend = sub.add_parser("spend", help="Payment ledgers: spend over £25,000 files, AP data.")
        spend.add_argument("file", nargs="+", help="A ledger file: CSV, XLSX or XLS.")
        spend.add_argument("--org", required=True, help="The organisation's ODS code, e.g. RXN.")
        spend.add_argument(
            "--dry-run", action="store_true", help="Read and check the files; save nothing."
        )
        spend.add_argument("--json", action="store_true", help="Print one JSON object.")
        spend.add_argument(
            "--mapping",
            help="A JSON file with the column mapping for a layout the reader does not know.",
        )
        spend.add_argument("--sheet", help="Read only this sheet of a workbook.")
        # Workforce equality, outpatient and carbon files.
        equality_cli.add_parsers(sub)
        # The supplier register (socialvalue/suppliers).
        suppliers_cli.add_parser(sub)

    def handle(self, *args, kind, **options):
        if kind in equality_cli.KINDS:
            equality_cli.run(self, kind=kind, **options)
            return
        if kind == "suppliers":
            suppliers_cli.run(self, **options)
            return
        getattr(self, f"_{kind}")(**options)

    def _spend(self, *, file, org, dry_run, json, mapping, sheet, **_):
        if not Organisation.objects.filter(code=org).exists():
            raise CommandError(f"No organisation has the code '{org}'.")
        if not dry_run:
            raise CommandError(
                "Saving spend imports is not built yet: nothing was saved. "
                "Run again with --dry-run to check the files."
            )
        column_mapping = self._mapping(mapping) if mapping else None
        summaries = []
        for path in file:
            for parsed in parse(Path(path), mapping=column_mapping, sheet=sheet, name=path):
                report = validate(parsed)
                at_end = bool(parsed.layout and parsed.layout.header_at_end)
                summaries.append((report, file_summary(report, header_at_end=at_end)))
        if json:
            self._print_json(org, [s for _, s in summaries])
        else:
            for report, summary in summaries:
                self._print_text(report, summary)
            self.stdout.write("Dry run: nothing was saved.")
        if any(not r.ok for r, _ in summaries):
            sys.exit(1)

    def _mapping(self, path: str) -> ColumnMapping:
        try:
            return ColumnMapping.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))
        except FileNotFoundError:
            raise CommandError(f"{path}: no such file") from None
        except (ValueError, AttributeError, TypeError) as error:
            raise CommandError(f"{path}: not a column mapping ({error})") from None

    def _print_json(self, org: str, files: list[dict]) -> None:
        accepted = [f for f in files if f["ok"]]
        earliest = [f["earliest"] for f in accepted if f["earliest"]]
        latest = [f["latest"] for f in accepted if f["latest"]]
        out = {
            "organisation": org,
            "dry_run": True,
            "files": files,
            "rows": sum(f["rows"] for f in files),
            "rows_accepted": sum(f["rows_accepted"] for f in files),
            "rows_rejected": sum(f["rows_rejected"] for f in files),
            "total_amount": str(sum((Decimal(f["total_amount"]) for f in accepted), Decimal(0))),
            "earliest": min(earliest) if earliest else None,
            "latest": max(latest) if latest else None,
            "problems": [p for f in files for p in f["problems"]],
        }
        self.stdout.write(json.dumps(out, indent=2, ensure_ascii=False))

    def _print_text(self, report: Report, summary: dict) -> None:
        name = report.file + (f" [{report.sheet}]" if report.sheet else "")
        layout = summary["layout"]
        if report.ok:
            self.stdout.write(
                f"{name}: {_count(report.rows, 'row')}, total {_money(report.total)}, "
                f"{summary['earliest']} to {summary['latest']}; credits: "
                f"{_count(report.credit_rows, 'row')}, {_money(report.credits)}"
            )
        else:
            self.stdout.write(
                f"{name}: refused, {_count(len(report.problems) + report.problems_left_out)} "
                f"({_count(report.rows, 'row')} read, {report.rows_rejected} with problems)"
            )
        if layout["columns"]:
            columns = "; ".join(f"{k} ← {v}" for k, v in layout["columns"].items())
            header = layout["header_row"]
            if header is None:
                place = "no header row (columns from the mapping)"
            elif layout["header_at_end"]:
                place = f"header row {header}, at the end of the file (the rows above are data)"
            else:
                place = f"header row {header}"
            self.stdout.write(f"  layout: {place}; {columns}")
            if layout["date_order"]:
                self.stdout.write(f"  dates: {layout['date_order']}")
            if layout["unmapped_headers"]:
                self.stdout.write("  not used: " + ", ".join(layout["unmapped_headers"]))
        if report.skipped:
            skipped = ", ".join(f"{n} {reason}" for reason, n in sorted(report.skipped.items()))
            self.stdout.write(f"  skipped rows: {skipped}")
        for problem in report.problems:
            self.stderr.write(f"  {problem}")
        if report.problems_left_out:
            self.stderr.write(f"  … and {report.problems_left_out} more problems")
