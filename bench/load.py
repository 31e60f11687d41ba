"""Load benchmark: a large data set on PostgreSQL, served by gunicorn, driven by signed-in clients.

    .venv/bin/python bench/load.py [--trusts 50] [--indicators 40] [--years 5] [--seconds 20]
                                   [--clients 1,20] [--workers 4] [--port 8765]
                                   [--database-url postgres://postgres@127.0.0.1:5432/sv_bench]

1. Builds the data set in its own database (dropped and made anew): TRUSTS trusts, each with a
   charter of INDICATORS indicators taken from the Lancashire seed charter (repeated to reach the
   number, every one reported monthly) and YEARS years of approved monthly values, written with
   bulk inserts. Each trust has a lead; every lead shares one password hash, so the benchmark's
   users cost one slow hash in all.
2. Works out and stores each trust's figures for the year in progress (untimed, as a site
   holds them once its pages have been read after the values last changed), collects the
   static files and serves the site with gunicorn on 127.0.0.1, as in production (debug off,
   persistent database connections, 4 sync workers, kept pages in a folder of the run's
   own), without HTTPS redirects (loopback only).
3. Drives it from a second process: for each number of clients, that many threads each sign in as
   a different trust's lead and request the dashboard, an indicator page and the charter page in
   turn, with no pause, for SECONDS seconds.
4. Times the status command (`socialvalue status CODE --year Y --json`) as a user runs it.

Prints one JSON line: for each number of clients, requests, errors and p50/p95/p99 milliseconds
per page; and the status command's timings. Traffic goes only to 127.0.0.1.
"""

import argparse
import dataclasses
import http.client
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PASSWORD = "bench-social-value"
TODAY = date(2026, 12, 1)  # the data set's "today": 2026/27 is the year in progress
PAGES = ("dashboard", "indicator", "charter")


def server_env(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "SOCIALVALUE_DEBUG": "false",
        "SOCIALVALUE_SECRET_KEY": "bench-only-" + "x" * 40,
        "SOCIALVALUE_ALLOWED_HOSTS": "127.0.0.1",
        "SOCIALVALUE_SSL_REDIRECT": "false",
        "SOCIALVALUE_SECURE_COOKIES": "false",
        "SOCIALVALUE_HSTS_SECONDS": "0",
        "SOCIALVALUE_DB_CONN_MAX_AGE": "600",
    }


# -- 1. The data set ---------------------------------------------------------------------------


def recreate_database(database_url: str) -> None:
    import psycopg

    name = database_url.rsplit("/", 1)[1]
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise SystemExit(f"Use a plain database name, not {name!r}")
    admin = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")


def existing_data(args) -> dict | None:
    """The data set already in the database, if it is the one asked for."""
    import psycopg

    try:
        with psycopg.connect(args.database_url) as conn:
            trusts = conn.execute(
                "SELECT count(*) FROM organisations_organisation WHERE code LIKE 'B%%'"
            ).fetchone()
            values = conn.execute("SELECT count(*) FROM measurements_measurement").fetchone()
            indicators = conn.execute(
                "SELECT count(*) FROM charters_indicator i JOIN charters_charter c "
                "ON c.id = i.charter_id WHERE c.code = 'B001-SV'"
            ).fetchone()
    except psycopg.Error:
        return None
    if (trusts and trusts[0]) != args.trusts or (indicators and indicators[0]) != args.indicators:
        return None
    return {
        "trusts": args.trusts,
        "indicators_per_trust": args.indicators,
        "values": values[0] if values else 0,
        "reused": True,
    }


def build(args) -> dict:
    import django

    os.environ.update(server_env(args.database_url))
    os.environ["DJANGO_SETTINGS_MODULE"] = "socialvalue.config.settings"
    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import transaction

    from socialvalue.charters.models import ReportingPeriod
    from socialvalue.charters.services import charter_load_spec
    from socialvalue.demo.loader import SEEDS, _reading  # the demo's plausible figures
    from socialvalue.domain.charterfile import iter_indicators, parse_charter
    from socialvalue.domain.periods import FinancialYear, Frequency
    from socialvalue.measurements.models import Measurement
    from socialvalue.measurements.services import _jsonable
    from socialvalue.organisations.models import Membership, Organisation, User
    from socialvalue.sources.models import Kind, Source

    call_command("migrate", verbosity=0)
    seed_file = SEEDS / "lancashire-teaching-hospitals-2023-24.yaml"
    seed = parse_charter(seed_file.read_text(encoding="utf-8"))
    seed_indicators = [i for _t, _p, i in iter_indicators(seed)]
    current = FinancialYear.containing(TODAY)
    years = [FinancialYear(current.start_year - n) for n in reversed(range(args.years))]
    password = make_password(PASSWORD)
    started = time.perf_counter()
    charters = []
    for t in range(args.trusts):
        code = f"B{t + 1:03d}"
        with transaction.atomic():
            org = Organisation.objects.create(code=code, name=f"Bench Trust {code}", kind="trust")
            email = f"lead@{code.lower()}.bench"
            lead = User.objects.create(email=email, username=email, password=password)
            Membership.objects.create(user=lead, organisation=org, role="lead")
            # The seed's indicators, repeated to the number asked for, every one monthly.
            picked = [
                dataclasses.replace(
                    seed_indicators[n % len(seed_indicators)],
                    code=f"I{n + 1:02d}",
                    frequency=Frequency.MONTHLY,
                    owner="",
                )
                for n in range(args.indicators)
            ]
            pledge = dataclasses.replace(seed.themes[0].pledges[0], indicators=tuple(picked))
            theme = dataclasses.replace(seed.themes[0], pledges=(pledge,))
            spec = dataclasses.replace(
                seed,
                code=f"{code}-SV",
                organisation=code,
                periods=(years[0].label,),
                themes=(theme,),
            )
            charter = charter_load_spec(spec=spec).charter
            for year in years[1:]:
                ReportingPeriod.objects.create(charter=charter, start_year=year.start_year)
            rows = []
            typed = Source.objects.create(
                organisation=org, kind=Kind.TYPED, label=f"Typed in by {lead}", recorded_by=lead
            )
            for indicator in charter.indicators.all():
                rng = random.Random(f"{code}:{indicator.code}")
                for year in years:
                    periods = [p for p in year.periods(indicator.frequency) if p.end < TODAY]
                    for index, period in enumerate(periods):
                        reading = _reading(
                            indicator,
                            period,
                            year,
                            Decimal("1.02"),
                            rng,
                            done=year != current,
                            last=index == len(periods) - 1,
                        )
                        rows.append(
                            Measurement(
                                indicator=indicator,
                                organisation=org,
                                frequency=indicator.frequency,
                                period_start=period.start,
                                period_end=period.end,
                                value=reading.value,
                                numerator=reading.numerator,
                                denominator=reading.denominator,
                                parts={k: _jsonable(v) for k, v in reading.parts.items()},
                                milestone_state=reading.milestone_state or "",
                                achieved_on=reading.achieved_on,
                                self_status=reading.self_status or "",
                                narrative=reading.narrative,
                                state="approved",
                                recorded_by=lead,
                                source=typed,
                            )
                        )
            Measurement.objects.bulk_create(rows, batch_size=2000)
        charters.append((code, charter.code))
    return {
        "trusts": args.trusts,
        "indicators_per_trust": args.indicators,
        "years": [y.label for y in years],
        "values": Measurement.objects.count(),
        "build_seconds": round(time.perf_counter() - started, 1),
    }


def settle(args) -> dict:
    """Each trust's figures for the year in progress worked out and stored (ADR 022), as a
    site holds them once its progress pages have been read after their values last changed
    (or after a release that changes the status engine). Untimed: the measured runs then
    read and do not write, as a site does between changes; a write would give every kept
    page a new key (ADR 029)."""
    import django

    os.environ.update(server_env(args.database_url))
    os.environ["DJANGO_SETTINGS_MODULE"] = "socialvalue.config.settings"
    django.setup()
    from django.utils import timezone

    from socialvalue.charters.models import Charter
    from socialvalue.domain.periods import FinancialYear
    from socialvalue.measurements.models import StoredAssessment
    from socialvalue.measurements.progress import charter_progress

    started = time.perf_counter()
    today = timezone.localdate()
    before = StoredAssessment.objects.order_by("-computed_at").values_list("computed_at").first()
    charters = Charter.objects.select_related("organisation").order_by("code")
    for charter in charters:
        charter_progress(charter, year=FinancialYear.containing(today), as_of=today)
    recomputed = StoredAssessment.objects.filter(
        computed_at__gt=before[0] if before else datetime.min.replace(tzinfo=UTC)
    ).count()
    return {
        "charters": len(charters),
        "figures_computed": recomputed,
        "seconds": round(time.perf_counter() - started, 1),
    }


# -- 3. The clients ----------------------------------------------------------------------------


class Client:
    """One signed-in person on one kept-alive connection."""

    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.conn.port}{path}"
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, text

    def sign_in(self, email: str) -> None:
        _status, page = self.request("GET", "/sign-in/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if token is None:
            raise RuntimeError("no CSRF token on the sign-in page")
        form = {"csrfmiddlewaretoken": token.group(1), "email": email, "password": PASSWORD}
        status, _ = self.request("POST", "/sign-in/", urlencode(form))
        if status != 302:
            raise RuntimeError(f"sign-in as {email} answered {status}")


def paths(code: str, indicator: int):
    year = TODAY.year if TODAY.month >= 4 else TODAY.year - 1
    label = f"{year}/{(year + 1) % 100:02d}"
    yield {
        "dashboard": f"/charters/{code}-SV/progress/?year={label}",
        "indicator": f"/charters/{code}-SV/indicators/I{indicator:02d}/?year={label}",
        "charter": f"/charters/{code}-SV/?year={label}",
    }


def drive(port: int, clients: int, seconds: float, trusts: int, indicators: int) -> dict:
    timings: dict[str, list[float]] = {page: [] for page in PAGES}
    errors = {page: 0 for page in PAGES}
    lock = threading.Lock()
    ready, go = threading.Barrier(clients + 1), threading.Event()
    deadline = [0.0]

    def run(n: int) -> None:
        code = f"B{n % trusts + 1:03d}"
        client = Client(port)
        client.sign_in(f"lead@{code.lower()}.bench")
        rng = random.Random(n)
        warm = next(paths(code, 1))
        for _ in range(4):  # warm the workers' templates and caches, untimed
            for page in PAGES:
                client.request("GET", warm[page])
        ready.wait()  # every client signed in
        go.wait()
        turn = 0
        while time.perf_counter() < deadline[0]:
            page = PAGES[turn % len(PAGES)]
            turn += 1
            path = next(paths(code, rng.randint(1, indicators)))[page]
            start = time.perf_counter()
            try:
                status, _ = client.request("GET", path)
            except (OSError, http.client.HTTPException):
                status = 0
                client = Client(port)
                client.sign_in(f"lead@{code.lower()}.bench")
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                if status == 200:
                    timings[page].append(elapsed)
                else:
                    errors[page] += 1

    threads = [threading.Thread(target=run, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    ready.wait()
    deadline[0] = time.perf_counter() + seconds
    go.set()
    for thread in threads:
        thread.join()
    return {
        "requests": sum(len(t) for t in timings.values()) + sum(errors.values()),
        "errors": sum(errors.values()),
        **{page: summary(timings[page]) | {"errors": errors[page]} for page in PAGES},
    }


def summary(values: list[float]) -> dict:
    if not values:
        return {"requests": 0}
    if len(values) == 1:
        return {"requests": 1, "p50": round(values[0], 1)}
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {
        "requests": len(values),
        "p50": round(cuts[49], 1),
        "p95": round(cuts[94], 1),
        "p99": round(cuts[98], 1),
    }


# -- 2 and 4. Serving, and the status command --------------------------------------------------


def wait_for(port: int, server: subprocess.Popen) -> None:
    for _ in range(200):
        if server.poll() is not None:
            raise SystemExit("gunicorn stopped before it answered")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/sign-in/")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("gunicorn did not answer within 20 seconds")


def time_status(env: dict, runs: int) -> dict:
    timings = []
    year = TODAY.year if TODAY.month >= 4 else TODAY.year - 1
    label = f"{year}/{(year + 1) % 100:02d}"
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            [BIN / "socialvalue", "status", "B001", "--year", label, "--json"],
            env=env,
            check=True,
            capture_output=True,
        )
        timings.append((time.perf_counter() - start) * 1000)
    return summary(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/sv_bench")
    parser.add_argument("--trusts", type=int, default=50)
    parser.add_argument("--indicators", type=int, default=40)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", default="1,20")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--status-runs", type=int, default=5)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="Keep a data set built before with the same numbers instead of building anew.",
    )
    parser.add_argument("--build-only", action="store_true", help="Build the data set and stop.")
    # The phases that run in their own processes.
    parser.add_argument("--phase", choices=["build", "settle", "drive"], help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.phase == "build":
        print(json.dumps(build(args)))
        return
    if args.phase == "settle":
        print(json.dumps(settle(args)))
        return
    if args.phase == "drive":
        results = {
            n: drive(args.port, int(n), args.seconds, args.trusts, args.indicators)
            for n in args.clients.split(",")
        }
        print(json.dumps(results))
        return

    env = server_env(args.database_url)
    me = [sys.executable, __file__, *sys.argv[1:]]
    data = existing_data(args) if args.reuse else None
    if data is None:
        recreate_database(args.database_url)
        built = subprocess.run(
            [*me, "--phase", "build"], env=env, check=True, stdout=subprocess.PIPE
        )
        data = json.loads(built.stdout)
    if args.build_only:
        print(json.dumps({"data": data}))
        return
    # A data set kept from before may predate the newest migrations.
    subprocess.run([BIN / "socialvalue", "migrate", "-v", "0"], env=env, check=True)
    subprocess.run(
        [BIN / "socialvalue", "collectstatic", "--no-input", "-v", "0"], env=env, check=True
    )
    # Kept pages (ADR 029, 031) in a folder of this run's own: none from an earlier run, and
    # none left after it.
    with tempfile.TemporaryDirectory(prefix="sv-bench-pages-") as pages:
        env["SOCIALVALUE_PAGE_CACHE_DIR"] = pages
        settled = subprocess.run(
            [*me, "--phase", "settle"], env=env, check=True, stdout=subprocess.PIPE
        )
        data["settled"] = json.loads(settled.stdout)
        server = subprocess.Popen(
            [
                BIN / "gunicorn",
                "socialvalue.config.wsgi:application",
                "--bind",
                f"127.0.0.1:{args.port}",
                "--workers",
                str(args.workers),
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=ROOT,
        )
        try:
            wait_for(args.port, server)
            driven = subprocess.run(
                [*me, "--phase", "drive"], env=env, check=True, stdout=subprocess.PIPE
            )
            clients = json.loads(driven.stdout)
        finally:
            server.terminate()
            server.wait(timeout=30)
        status = time_status(env, args.status_runs)
    result = {
        "machine": {"cores": os.cpu_count(), "gunicorn_workers": args.workers},
        "data": data,
        "seconds_per_run": args.seconds,
        "clients": clients,
        "status_cli": status,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
