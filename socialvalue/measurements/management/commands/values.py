"""`socialvalue values sheet|import|approve`: values sheets and approving in bulk.

The sheet format is documented in docs/values-sheets.md.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from socialvalue.charters.models import Charter
from socialvalue.domain.periods import FinancialYear
from socialvalue.measurements import sheets
from socialvalue.organisations.acting import person_acting


class Command(BaseCommand):
    help = "Write a values sheet, import a filled-in one, or approve waiting values in bulk."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        sheet = sub.add_parser("sheet", help="Write a charter's values sheet for a year.")
        sheet.add_argument("code", help="The charter's code, such as RXN-SV.")
        sheet.add_argument("--year", required=True, help="Financial year, like 2023/24.")
        sheet.add_argument("--by", required=True, metavar="EMAIL", help="Whose rows to write.")
        sheet.add_argument("-o", "--output", required=True, help="File to write (.xlsx or .csv).")
        sheet.add_argument("--blank", action="store_true", help="Leave recorded values out.")
        load = sub.add_parser("import", help="Check a filled-in values sheet and record it.")
        load.add_argument("file", help="An .xlsx or .csv values sheet.")
        load.add_argument("--by", required=True, metavar="EMAIL", help="Who records the values.")
        load.add_argument(
            "--approve", action="store_true", help="Approve each value where --by may approve it."
        )
        load.add_argument("--dry-run", action="store_true", help="Check only; save nothing.")
        load.add_argument("--json", action="store_true", help="Print the outcome as JSON.")
        approve = sub.add_parser("approve", help="Approve the values waiting on a charter.")
        approve.add_argument("--charter", required=True, help="The charter's code.")
        approve.add_argument("--indicator", help="Only this indicator's values.")
        approve.add_argument("--by", required=True, metavar="EMAIL", help="Who approves.")
        approve.add_argument("--json", action="store_true", help="Print the outcome as JSON.")

    def handle(self, *args, action, **options):
        getattr(self, f"_{action}")(**options)

    def _charter(self, code: str) -> Charter:
        charter = Charter.objects.filter(code__iexact=code).select_related("organisation").first()
        if charter is None:
            raise CommandError(f"No charter with code {code}")
        return charter

    def _sheet(self, *, code, year, by, output, blank, **_):
        charter = self._charter(code)
        try:
            fy = FinancialYear.parse(year)
        except ValueError as error:
            raise CommandError(f"--year: {error}") from None
        if fy.start_year not in set(charter.periods.values_list("start_year", flat=True)):
            raise CommandError(f"{charter.code} does not report on {fy.label}")
        fmt = Path(output).suffix.lower().lstrip(".")
        if fmt not in sheets.FORMATS:
            raise CommandError(f"{output}: write a .xlsx or .csv file")
        download = sheets.values_sheet_download(
            charter=charter,
            actor=person_acting(by),
            year=fy,
            fmt=fmt,
            prefill=not blank,
            today=timezone.localdate(),
        )
        Path(output).write_bytes(download.content)
        self.stdout.write(f"Wrote {output}")

    def _import(self, *, file, by, approve, dry_run, json, **_):
        path = Path(file)
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror}") from None
        result = sheets.values_sheet_import(
            actor=person_acting(by),
            name=path.name,
            content=content,
            today=timezone.localdate(),
            approve=approve,
            dry_run=dry_run,
        )
        if json:
            self.stdout.write(_dumps(result.to_dict()))
        else:
            for problem in result.problems:
                if problem.row:
                    self.stderr.write(f"{file}:{problem.row}: {problem.column}: {problem.message}")
                else:
                    self.stderr.write(problem.message)
            self.stdout.write(_summary(result))
            for line in result.left_waiting:
                self.stdout.write(f"  left waiting: {line}")
        if result.problems:
            raise SystemExit(1)

    def _approve(self, *, charter, indicator, by, json, **_):
        found = self._charter(charter)
        chosen = None
        if indicator:
            chosen = found.indicators.filter(code=indicator).first()
            if chosen is None:
                raise CommandError(f"{found.code} has no indicator {indicator}")
        outcome = sheets.measurement_approve_waiting(
            actor=person_acting(by), charter=found, indicator=chosen
        )
        if json:
            self.stdout.write(
                _dumps(
                    {
                        "charter": found.code,
                        "approved": [_label(m) for m in outcome.approved],
                        "refused": [
                            {"value": _label(m), "reason": why} for m, why in outcome.refused
                        ],
                    }
                )
            )
            return
        count = len(outcome.approved)
        self.stdout.write(f"Approved {count} value{'' if count == 1 else 's'} on {found.code}")
        for m, why in outcome.refused:
            self.stdout.write(f"  not approved: {_label(m)}: {why}")


def _label(m) -> str:
    return f"{m.indicator.code} {m.organisation.code} {m.period.key} v{m.version}"


def _dumps(data) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)


def _summary(result: sheets.ImportResult) -> str:
    if result.problems:
        return (
            f"{result.file}: {len(result.problems)} problem"
            f"{'s' if len(result.problems) != 1 else ''}; nothing was saved"
        )
    verb = "would record" if result.dry_run else "recorded"
    text = (
        f"{result.file}: {result.rows_read} rows read; {verb} {result.changes_text}; "
        f"{result.unchanged} unchanged"
    )
    if result.approved:
        text += f"; approved {result.approved}"
    return text
