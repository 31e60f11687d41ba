"""`socialvalue charter validate|load|export|show`: charters as files.

The file format is documented in docs/charter-files.md.
"""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from socialvalue.charters.models import Charter
from socialvalue.charters.services import (
    CharterLoadError,
    charter_file_via,
    charter_load_spec,
    charter_to_spec,
)
from socialvalue.domain.charterfile import (
    CharterFileError,
    dump_charter,
    oversize_problem,
    parse_charter,
    spec_to_dict,
)
from socialvalue.organisations.access import has_role
from socialvalue.organisations.acting import person_acting
from socialvalue.organisations.models import Organisation, Role


class Command(BaseCommand):
    help = "Validate, load, export or show a charter file (see docs/charter-files.md)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        validate = sub.add_parser("validate", help="Check a charter file; print every problem.")
        validate.add_argument("file", nargs="+", help="Path to a charter file (YAML).")
        load = sub.add_parser("load", help="Create or update the charter a file describes.")
        load.add_argument("file", nargs="+", help="Path to a charter file (YAML).")
        load.add_argument(
            "--by",
            metavar="EMAIL",
            help="Who is making the change: a lead of each charter's organisation, named in "
            "the charter's history (without it, the history names the file only).",
        )
        export = sub.add_parser("export", help="Write a charter back out as a file.")
        export.add_argument("code", help="The charter's code, such as RXN-SV.")
        export.add_argument("-o", "--output", help="File to write (default: standard output).")
        show = sub.add_parser("show", help="Print a charter.")
        show.add_argument("code", help="The charter's code, such as RXN-SV.")
        show.add_argument("--json", action="store_true", help="Print JSON (the only format).")

    def handle(self, *args, action, **options):
        getattr(self, f"_{action}")(**options)

    def _read(self, path: str):
        try:
            if too_big := oversize_problem(Path(path).stat().st_size, path=path):
                raise CharterFileError([too_big])
            text = Path(path).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise CommandError(f"{path}: no such file") from None
        except UnicodeDecodeError as error:
            raise CommandError(
                f"{path}: not UTF-8 text ({error.reason} at byte {error.start})"
            ) from None
        return parse_charter(text, path=path)

    def _validate(self, *, file, **_):
        failed = False
        for path in file:
            try:
                spec = self._read(path)
            except CharterFileError as error:
                failed = True
                for problem in error.problems:
                    self.stderr.write(str(problem))
                continue
            count = sum(len(p.indicators) for t in spec.themes for p in t.pledges)
            self.stdout.write(f"{path}: valid ({len(spec.themes)} themes, {count} indicators)")
        if failed:
            sys.exit(1)

    def _load(self, *, file, by=None, **_):
        person = person_acting(by) if by else None
        specs = []
        problems = []
        for path in file:
            try:
                specs.append((path, self._read(path)))
            except CharterFileError as error:
                problems.extend(str(p) for p in error.problems)
        if person is not None:
            for path, spec in specs:
                organisation = Organisation.objects.filter(code=spec.organisation).first()
                # An unknown organisation is reported by the load itself, with how to add it.
                if organisation is not None and not has_role(person, organisation, Role.LEAD):
                    problems.append(
                        f"{path}: --by: {person.email} is not a lead of {organisation.code}, "
                        f"so cannot change its charter"
                    )
        if problems:
            for line in problems:
                self.stderr.write(line)
            sys.exit(1)
        lines = []
        try:
            # One transaction for all files: a refusal in any leaves every charter as it was.
            with transaction.atomic():
                for path, spec in specs:
                    try:
                        result = charter_load_spec(
                            spec=spec, actor=person, via=charter_file_via(Path(path).name)
                        )
                    except CharterLoadError as error:
                        for line in error.problems:
                            self.stderr.write(f"{path}: {line}")
                        raise
                    verb = (
                        "created"
                        if result.created
                        else ("updated" if result.changed else "unchanged")
                    )
                    lines.append(f"{path}: charter {spec.code} {verb} ({result.changed} changes)")
        except CharterLoadError:
            sys.exit(1)
        for line in lines:
            self.stdout.write(line)

    def _charter(self, code: str) -> Charter:
        charter = Charter.objects.filter(code=code).first()
        if charter is None:
            raise CommandError(f"No charter with code {code}")
        return charter

    def _export(self, *, code, output=None, **_):
        text = dump_charter(charter_to_spec(self._charter(code)))
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stdout.write(f"Wrote {output}")
        else:
            self.stdout.write(text, ending="")

    def _show(self, *, code, **_):
        charter = self._charter(code)
        data = spec_to_dict(charter_to_spec(charter))
        # The file names the owner; show also lists who reports on it (a group's members).
        data["organisations"] = [o.code for o in charter.organisation.with_members()]
        self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))
