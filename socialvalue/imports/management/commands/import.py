"""`socialvalue import KIND FILE... --org CODE --dry-run [--json]`.

Workforce equality, outpatient and carbon files (recruitment, staff-survey, workforce,
outpatients, factors, paper) are read and reported by `socialvalue.imports.equality_cli`.
Saving these imports is not built yet, so only a dry run is allowed.
"""

from django.core.management.base import BaseCommand

from socialvalue.imports import equality_cli


class Command(BaseCommand):
    help = "Check workforce, outpatient and carbon files; only --dry-run for now."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="kind", required=True, metavar="KIND")
        equality_cli.add_parsers(sub)

    def handle(self, *args, kind, **options):
        if kind in equality_cli.KINDS:
            equality_cli.run(self, kind=kind, **options)
            return
        getattr(self, f"_{kind}")(**options)
