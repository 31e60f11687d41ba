"""`socialvalue remind [--as-of DATE] [--dry-run]`: the daily reminder emails."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from socialvalue.reminders.services import reminders_send


class Command(BaseCommand):
    help = (
        "Email owners their overdue periods and leads the values waiting for their approval. "
        "Meant to run once a day (see docs/cli.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--as-of", help="The date to remind as of, YYYY-MM-DD (default: today)."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="List who would get what; send nothing."
        )

    def handle(self, *args, as_of=None, dry_run=False, **options):
        day = timezone.localdate()
        if as_of:
            try:
                day = date.fromisoformat(as_of)
            except ValueError:
                raise CommandError(
                    f"--as-of: {as_of!r} is not a date; write it as YYYY-MM-DD"
                ) from None
        report = reminders_send(as_of=day, dry_run=dry_run)
        verb = "would send" if dry_run else "sent"
        if report.overdue_off:
            self.stdout.write("Overdue reminders are off (SOCIALVALUE_REMIND_OVERDUE=false)")
        for digest in report.overdue:
            n = digest.period_count
            self.stdout.write(
                f"{digest.user.email}: {verb} overdue reminder "
                f"({n} {'period' if n == 1 else 'periods'} of {len(digest.items)} "
                f"{'indicator' if len(digest.items) == 1 else 'indicators'})"
            )
        if report.approvals_off:
            self.stdout.write("Approval reminders are off (SOCIALVALUE_REMIND_APPROVALS=false)")
        for summary in report.approvals:
            n = len(summary.waiting)
            self.stdout.write(
                f"{summary.user.email}: {verb} approvals reminder "
                f"({n} {'value' if n == 1 else 'values'} waiting)"
            )
        total = len(report.overdue) + len(report.approvals)
        self.stdout.write(
            f"{day.isoformat()}: {verb} {total} {'email' if total == 1 else 'emails'}"
        )
