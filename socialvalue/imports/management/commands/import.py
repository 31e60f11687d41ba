"""`socialvalue import KIND FILE... --org CODE [--dry-run] [--json]`.

Payment ledgers (`spend`) are read here; workforce equality, outpatient and carbon files
(recruitment, staff-survey, workforce, outpatients, factors, paper) by
`socialvalue.imports.equality_cli`.

Reading and checking are done by the pure `socialvalue.domain.ledger`; the accepted files
are described in docs/spend-files.md. Without --dry-run, spend files are saved as an import
(`socialvalue.imports.services`), run in this process with its progress on stderr.
"""

import json
import sys
from contextlib import ExitStack
from decimal import Decimal
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from socialvalue.domain.ledger import ColumnMapping, Report, validate
from socialvalue.imports import equality_cli
from socialvalue.imports.models import Import, Kind, State, Via
from socialvalue.imports.services import Upload, import_create, import_run, ledger_parse
from socialvalue.imports.spend_report import file_summary, totals
from socialvalue.organisations.models import Organisation
from socialvalue.suppliers import cli as suppliers_cli


def _money(amount: Decimal) -> str:
    return f"£{amount:,.2f}" if amount >= 0 else f"−£{-amount:,.2f}"


def _where(problem: dict) -> str:
    where = (problem["file"] or "") + (f"[{problem['sheet']}]" if problem.get("sheet") else "")
    if problem.get("row") is not None:
        where += f":{problem['row']}"
    if problem.get("column"):
        where += f":{problem['column']}"
    return where


def _count(n: int, noun: str = "problem") -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


class Command(BaseCommand):
    help = "Import payment ledger files (see docs/spend-files.md), or only check them."

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
        spend.add_argument(
            "--replaces",
            type=int,
            metavar="IMPORT",
            help="The number of an earlier import these files correct: its lines stop counting.",
        )
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

    def _spend(self, *, file, org, dry_run, json, mapping, sheet, replaces=None, **_):
        organisation = Organisation.objects.filter(code=org).first()
        if organisation is None:
            raise CommandError(f"No organisation has the code '{org}'.")
        if not dry_run:
            self._save_spend(
                organisation, file, as_json=json, mapping=mapping, sheet=sheet, replaces=replaces
            )
            return
        column_mapping = self._mapping(mapping) if mapping else None
        summaries = []
        for path in file:
            tables, _ = ledger_parse(
                Path(path),
                organisation_id=organisation.pk,
                mapping=column_mapping,
                sheet=sheet,
                name=path,
            )
            for parsed in tables:
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

    def _save_spend(self, organisation, paths, *, as_json, mapping, sheet, replaces) -> None:
        column_mapping = self._mapping(mapping).to_dict() if mapping else None
        earlier = None
        if replaces is not None:
            earlier = Import.objects.filter(
                pk=replaces, organisation=organisation, kind=Kind.SPEND, state=State.DONE
            ).first()
            if earlier is None:
                raise CommandError(
                    f"--replaces {replaces}: no finished spend import of {organisation.code} "
                    "has that number."
                )
        missing = [p for p in paths if not Path(p).is_file()]
        if missing:
            raise CommandError(f"{missing[0]}: no such file")
        with ExitStack() as stack:
            uploads = [Upload(Path(p).name, stack.enter_context(Path(p).open("rb"))) for p in paths]
            record = import_create(
                organisation=organisation,
                kind=Kind.SPEND,
                uploads=uploads,
                via=Via.CLI,
                replaces=earlier,
                mapping=column_mapping,
                sheet=sheet or "",
            )
        record = import_run(import_id=record.pk, on_progress=self._progress)
        report = record.report
        if as_json:
            out = {"organisation": organisation.code, "dry_run": False, "import": record.pk}
            out |= {"state": record.state, **report}
            self.stdout.write(json.dumps(out, indent=2, ensure_ascii=False))
        else:
            for summary in report.get("files", []):
                self._print_saved(summary)
            for earlier in report.get("already_imported", []):
                self.stdout.write(
                    f"{earlier['file']}: already imported in import {earlier['import']}; "
                    "nothing added"
                )
            for old in report.get("replaced", []):
                self.stdout.write(
                    f"{old['file']} of import {old['import']}: replaced by this import "
                    f"({old['reason']}); its lines no longer count"
                )
            for problem in report.get("problems", []):
                if problem.get("file") is None:
                    self.stderr.write(f"  {problem['message']}")
            if record.state == State.DONE:
                self.stdout.write(
                    f"Import {record.pk}: done, {_count(report.get('rows_accepted', 0), 'line')} "
                    f"saved, total {_money(Decimal(report.get('total_amount', '0')))}."
                )
            else:
                self.stdout.write(f"Import {record.pk}: failed; nothing was saved.")
        if record.state != State.DONE:
            sys.exit(1)

    def _progress(self, record) -> None:
        if record.phase == "saving" and record.rows_total:
            self.stderr.write(f"Saving: {record.rows_done:,} of {record.rows_total:,} rows")
        elif record.phase == "checking" and record.rows_total:
            self.stderr.write(
                f"Checking: {record.rows_done:,} of about {record.rows_total:,} rows read"
            )
        elif record.phase == "checking":
            self.stderr.write(f"Checking: {record.rows_done:,} rows read")

    def _print_saved(self, summary: dict) -> None:
        name = summary["file"] + (f" [{summary['sheet']}]" if summary["sheet"] else "")
        if summary["ok"]:
            self.stdout.write(
                f"{name}: {_count(summary['rows'], 'row')}, "
                f"total {_money(Decimal(summary['total_amount']))}, "
                f"{summary['earliest']} to {summary['latest']}"
            )
            return
        problems = len(summary["problems"]) + summary["problems_not_listed"]
        self.stdout.write(
            f"{name}: refused, {_count(problems)} ({_count(summary['rows'], 'row')} read, "
            f"{summary['rows_rejected']} with problems)"
        )
        for p in summary["problems"]:
            self.stderr.write(f"  {_where(p)}: {p['message']}")
        if summary["problems_not_listed"]:
            self.stderr.write(f"  … and {summary['problems_not_listed']} more problems")

    def _mapping(self, path: str) -> ColumnMapping:
        try:
            return ColumnMapping.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))
        except FileNotFoundError:
            raise CommandError(f"{path}: no such file") from None
        except (ValueError, AttributeError, TypeError) as error:
            raise CommandError(f"{path}: not a column mapping ({error})") from None

    def _print_json(self, org: str, files: list[dict]) -> None:
        out = {"organisation": org, "dry_run": True, "files": files, **totals(files)}
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
