"""`socialvalue import suppliers FILE... --org CODE [--dry-run] [--json] [--from-ledger]`.

A supplier file (CSV or XLSX, docs/suppliers.md) adds to and updates the register, all or
nothing. With --from-ledger the files are payment ledgers (docs/spend-files.md): their
suppliers are matched to the register and the unmatched ones added, unconfirmed, for a lead
to check on the suppliers page. Payments to individuals are counted, never named.
"""

import json as jsonlib
import sys
from pathlib import Path

from django.core.management.base import CommandError

from socialvalue.domain import ledger
from socialvalue.domain.supplier_files import read_suppliers
from socialvalue.organisations.models import Organisation
from socialvalue.suppliers import services
from socialvalue.suppliers.models import Supplier


def add_parser(sub) -> None:
    parser = sub.add_parser(
        "suppliers", help="A supplier register file (CSV, XLSX), or ledgers with --from-ledger."
    )
    parser.add_argument("file", nargs="+", help="A supplier file; with --from-ledger, ledgers.")
    parser.add_argument("--org", required=True, help="The organisation's ODS code, e.g. RXN.")
    parser.add_argument("--dry-run", action="store_true", help="Read and check; save nothing.")
    parser.add_argument("--json", action="store_true", help="Print one JSON object.")
    parser.add_argument(
        "--from-ledger",
        action="store_true",
        help="The files are payment ledgers: add their unmatched suppliers to the register.",
    )


def run(command, *, file, org, dry_run, json, from_ledger, **_) -> None:
    organisation = Organisation.objects.filter(code=org).first()
    if organisation is None:
        raise CommandError(f"No organisation has the code '{org}'.")
    if from_ledger:
        out, ok = _from_ledger(organisation, file, dry_run=dry_run)
    else:
        if len(file) != 1:
            raise CommandError("Give one supplier file (or --from-ledger with ledger files).")
        out, ok = _supplier_file(organisation, file[0], dry_run=dry_run)
    out = {"kind": "suppliers", "organisation": org, "dry_run": dry_run, "ok": ok, **out}
    if json:
        command.stdout.write(jsonlib.dumps(out, indent=2, ensure_ascii=False))
    else:
        for line in out.pop("summary"):
            command.stdout.write(line)
        for problem in out["problems"]:
            command.stderr.write(f"  {problem['text']}")
        if dry_run:
            command.stdout.write("Dry run: nothing was saved.")
    if not ok:
        sys.exit(1)


def _supplier_file(organisation, path: str, *, dry_run: bool) -> tuple[dict, bool]:
    reading = read_suppliers(Path(path), name=path)
    problems = [{**p.to_dict(), "text": str(p)} for p in reading.problems]
    rejected = len({p.row for p in reading.problems if p.row is not None})
    out = {
        "file": path,
        "rows": reading.rows_read,
        "rows_accepted": reading.rows_read - rejected,
        "rows_rejected": rejected,
        "created": 0,
        "updated": 0,
        "problems": problems,
        "problems_not_listed": reading.problems_left_out,
    }
    if not reading.ok:
        n = len(problems) + reading.problems_left_out
        out["summary"] = [f"{path}: refused, {n} problem{'s' if n != 1 else ''}; nothing saved"]
        return out, False
    if dry_run:
        known = set(Supplier.objects.of(organisation).values_list("normalised_name", flat=True))
        updated = sum(1 for r in reading.rows if r.normalised_name in known)
        out["created"], out["updated"] = len(reading.rows) - updated, updated
    else:
        result = services.suppliers_import(
            organisation=organisation, rows=reading.rows, file_name=Path(path).name
        )
        out["created"], out["updated"] = result.created, result.updated
    verb = "would add" if dry_run else "added"
    out["summary"] = [
        f"{path}: {reading.rows_read} suppliers read ({reading.layout}); {verb} "
        f"{out['created']}, {'would update' if dry_run else 'updated'} {out['updated']}"
    ]
    return out, True


def _from_ledger(organisation, paths: list[str], *, dry_run: bool) -> tuple[dict, bool]:
    problems, lines, names = [], [], []
    for path in paths:
        for parsed in ledger.parse(Path(path), name=path):
            report = ledger.validate(parsed)
            if not report.ok:
                problems += [{**p.to_dict(), "text": str(p)} for p in report.problems]
                continue
            names.append(Path(path).name)
            lines.extend(ledger.lines(parsed, report))
    out: dict = {"files": paths, "lines": len(lines), "problems": problems}
    if problems:
        out["summary"] = ["Refused: a ledger has problems (see docs/spend-files.md); nothing saved"]
        return out, False
    proposals = services.ledger_proposals(organisation=organisation, lines=lines)
    individuals = proposals.individuals
    out.update(
        {
            "lines_matched": sum(p.lines for p in proposals.matched),
            "new_suppliers": len([p for p in proposals.new if p.normalised_name]),
            "lines_to_new_suppliers": sum(p.lines for p in proposals.new),
            "lines_to_individuals": individuals.lines if individuals else 0,
        }
    )
    if not dry_run:
        services.suppliers_build_from_ledger(
            organisation=organisation, lines=lines, file_names=names
        )
    verb = "would be added" if dry_run else "added, unconfirmed"
    out["summary"] = [
        f"{len(lines)} ledger lines: {out['lines_matched']} matched to the register; "
        f"{out['new_suppliers']} new suppliers {verb} ({out['lines_to_new_suppliers']} lines); "
        f"{out['lines_to_individuals']} lines paid to individuals (names withheld)"
    ]
    return out, True
