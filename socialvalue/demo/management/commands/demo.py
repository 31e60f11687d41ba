"""`socialvalue demo`: load demo organisations, people, the seed charters and progress."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from socialvalue.demo.loader import DEMO_PASSWORD, PEOPLE, demo_load


class Command(BaseCommand):
    help = "Load the demo: organisations, people, both seed charters and a year of progress."

    def handle(self, *args, **options):
        result = demo_load(today=timezone.localdate())
        for charter in result.charters:
            self.stdout.write(f"Charter {charter.code}: {charter.indicators.count()} indicators")
        if result.already_loaded:
            self.stdout.write("Demo progress was already loaded; left as it is.")
        else:
            self.stdout.write(f"Recorded {result.measurements} demo values.")
        self.stdout.write("\nSign in at http://127.0.0.1:8000/sign-in/ with any of these")
        self.stdout.write(f"(password for all: {DEMO_PASSWORD}):")
        for email, _first, _last, org, role in PEOPLE:
            self.stdout.write(f"  {email:<24} {role.label} at {org}")
        self.stdout.write("  platform-admin@example.org  Platform administrator")
        self.stdout.write(
            "Administrators manage their organisation's people under People (/people/)."
        )
