"""Stored assessments on and off, page by page, in one process (docs/performance.md).

    .venv/bin/python bench/pages.py [--database-url URL] [--trust B001] [--requests 20]

Uses a data set built by `bench/load.py` (`--build-only`, or any run). Serves the dashboard,
an indicator page and the charter page of one trust through Django's test client, signed in as
its lead, with stored assessments on and off in turn for the same request, and prints one
JSON line: the median wall-clock and CPU milliseconds of this process per page and mode. Each
measured request follows an untimed one for the same page, so the figures compare the work the
store saves (charts take under a millisecond to draw, ADR 028).
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/sv_bench")
    parser.add_argument("--trust", default="B001")
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()

    from load import server_env

    os.environ.update(server_env(args.database_url))
    os.environ["SOCIALVALUE_ALLOWED_HOSTS"] = "testserver"
    os.environ["DJANGO_SETTINGS_MODULE"] = "socialvalue.config.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from socialvalue.charters.models import Charter
    from socialvalue.organisations.models import User

    charter = Charter.objects.get(organisation__code=args.trust)
    codes = list(charter.indicators.values_list("code", flat=True))
    client = Client()
    client.force_login(User.objects.get(email=f"lead@{args.trust.lower()}.bench"))
    pages = {
        "dashboard": lambda n: f"/charters/{charter.code}/progress/",
        "indicator": lambda n: f"/charters/{charter.code}/indicators/{codes[n % len(codes)]}/",
        "charter": lambda n: f"/charters/{charter.code}/",
    }
    timings: dict[str, tuple[list[float], list[float]]] = {}
    for page, url in pages.items():
        for n in range(args.requests):
            for stored in (True, False):
                settings.STORED_ASSESSMENTS = stored
                client.get(url(n))  # untimed: stores the figures
                wall, cpu = time.perf_counter(), time.process_time()
                response = client.get(url(n))
                wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
                if response.status_code != 200:
                    raise SystemExit(f"{url(n)} answered {response.status_code}")
                key = f"{page} {'stored' if stored else 'computed'}"
                walls, cpus = timings.setdefault(key, ([], []))
                walls.append(wall * 1000)
                cpus.append(cpu * 1000)
    print(
        json.dumps(
            {
                "load_average": os.getloadavg(),
                "cores": os.cpu_count(),
                "requests": args.requests,
                "pages": {
                    key: {
                        "wall_p50": round(statistics.median(walls), 1),
                        "cpu_p50": round(statistics.median(cpus), 1),
                    }
                    for key, (walls, cpus) in timings.items()
                },
            }
        )
    )


if __name__ == "__main__":
    main()
