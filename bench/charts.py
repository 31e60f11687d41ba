"""How long a chart takes to draw, alone and on its page (ADR 028).

    .venv/bin/python bench/charts.py [--requests 20]

Draws the two page charts (a year of monthly bars, a year of quarterly bars for three parts,
the dashboard's statuses for six themes) `--requests` times each, then serves the demo's
indicator page and dashboard as often through Django's test client, signed in as the demo's
lead, on a new SQLite database in a temporary directory. Django's cache is emptied before every
draw and every request, as in the load benchmark, where each trust's chart is a different one.
Prints one JSON line: the median wall-clock and CPU milliseconds of this process for each.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TODAY = date(2026, 11, 15)  # the demo's current year is 2026/27; 2025/26 is complete
MONTHS = ["Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar"]


def _timed(function, times: int) -> dict[str, float]:
    from django.core.cache import cache

    walls, cpus = [], []
    for _ in range(times):
        cache.clear()
        wall, cpu = time.perf_counter(), time.process_time()
        function()
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return {
        "wall_p50": round(statistics.median(walls), 2),
        "cpu_p50": round(statistics.median(cpus), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="sv-charts-")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ["SOCIALVALUE_DEBUG"] = "true"
    os.environ["SOCIALVALUE_ALLOWED_HOSTS"] = "testserver"
    os.environ["DJANGO_SETTINGS_MODULE"] = "socialvalue.config.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from socialvalue.demo.loader import demo_load
    from socialvalue.measurements.charts import ChartRow, status_by_theme_svg, trend_svg
    from socialvalue.organisations.models import User

    monthly = [
        ChartRow(f"{m} {2026 if n < 9 else 2027}", "value", Decimal(40 + 7 * n))
        for n, m in enumerate(MONTHS)
    ]
    parts = [
        ChartRow(f"Q{q}", part, Decimal(q * 10 + n))
        for q in range(1, 5)
        for n, part in enumerate(("research", "innovation", "training"))
    ]
    statuses = ["Achieved", "On track", "At risk", "Off track", "No data", "Not yet due"]
    counts = [
        (f"Theme {t}: a title of a usual length", status, 1 + (t + n) % 3)
        for t in range(6)
        for n, status in enumerate(statuses)
    ]
    drawn = {
        "monthly trend": _timed(
            lambda: trend_svg(monthly, title="ECON-01 by period, 2026/27", y_title="people"),
            args.requests,
        ),
        "parts trend": _timed(
            lambda: trend_svg(parts, title="SOC-02 by period, 2026/27", y_title="projects"),
            args.requests,
        ),
        "statuses by theme": _timed(
            lambda: status_by_theme_svg(counts, title="Indicators by status and theme, 2026/27"),
            args.requests,
        ),
    }

    call_command("migrate", verbosity=0)
    demo_load(today=TODAY)
    client = Client()
    client.force_login(User.objects.get(email="lead@rxn.example"))
    served = {}
    for page, url in {
        "indicator page": "/charters/RXN-SV/indicators/ECON-01/?year=2025/26",
        "dashboard": "/charters/RXN-SV/progress/?year=2025/26",
    }.items():
        response = client.get(url)  # untimed: stores the figures, loads the templates
        if response.status_code != 200 or b"<svg" not in response.content:
            raise SystemExit(f"{url} answered {response.status_code} without a chart")
        served[page] = _timed(lambda url=url: client.get(url), args.requests)
    print(
        json.dumps(
            {
                "load_average": os.getloadavg(),
                "cores": os.cpu_count(),
                "requests": args.requests,
                "drawn": drawn,
                "served": served,
            }
        )
    )


if __name__ == "__main__":
    main()
