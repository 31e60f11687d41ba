"""Concurrent writes on SQLite, the default database: 20 people correcting one value at the
same moment all succeed, each getting its own version.

The test database of the rest of the suite is SQLite in memory, whose locking is not the
file's; so this runs the real settings in a separate process against a SQLite file, with
20 threads (each with its own connection, as under a threaded server) released together.
Before WAL, the busy timeout and IMMEDIATE transactions, 8-10 of the 20 failed with
"database is locked".
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = r"""
import json, threading
from decimal import Decimal

import django
django.setup()
from django.core.management import call_command
from django.db import connection, connections

call_command("migrate", verbosity=0)

from socialvalue.charters.models import Indicator
from socialvalue.domain.periods import Period
from socialvalue.measurements import services
from socialvalue.measurements.models import Measurement
from tests.factories import IndicatorFactory, MembershipFactory, UserFactory

lead = UserFactory(email="lead@rxn.test")
membership = MembershipFactory(user=lead, role="lead")
indicator = IndicatorFactory(pledge__theme__charter__organisation=membership.organisation)
period = Period.from_key("2023/24-Q1")
services.measurement_record(
    actor=lead, indicator=indicator, organisation=membership.organisation, period=period,
    reading=services.Reading(value=Decimal(0)),
)
journal = connection.cursor().execute("PRAGMA journal_mode").fetchone()[0]
connections.close_all()

start = threading.Barrier(20)
errors = []

def correct(n):
    try:
        start.wait()
        services.measurement_record(
            actor=lead, indicator=Indicator.objects.get(pk=indicator.pk),
            organisation=membership.organisation, period=period,
            reading=services.Reading(value=Decimal(n)), reason=f"Correction {n}",
        )
    except Exception as error:
        errors.append(f"{type(error).__name__}: {error}")
    finally:
        connection.close()

threads = [threading.Thread(target=correct, args=(n,)) for n in range(1, 21)]
for t in threads:
    t.start()
for t in threads:
    t.join()
rows = list(Measurement.objects.order_by("version").values_list("version", "supersedes__version"))
print(json.dumps({"journal": journal, "errors": errors, "rows": rows}))
"""


def test_twenty_simultaneous_corrections_of_one_value_all_succeed(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("SOCIALVALUE_") and k != "DATABASE_URL"
    }
    env.update(
        SOCIALVALUE_DEBUG="true",
        DATABASE_URL=f"sqlite:///{tmp_path / 'concurrent.sqlite3'}",
        SOCIALVALUE_MEDIA_ROOT=str(tmp_path / "media"),
        DJANGO_SETTINGS_MODULE="socialvalue.config.settings",
        PYTHONPATH=str(ROOT),
    )
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["journal"] == "wal"
    assert outcome["errors"] == []
    # The first value and 20 corrections: versions 1 to 21, each superseding the one before.
    assert outcome["rows"] == [[1, None]] + [[v, v - 1] for v in range(2, 22)]
