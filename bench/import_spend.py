"""Spend import benchmark: DuckDB's read of a ledger against the product's full import.

    .venv/bin/python bench/import_spend.py [--lines 1000000] [--suppliers 5000]
                                           [--databases sqlite,postgresql]
                                           [--postgres postgres://postgres@127.0.0.1:5432]

1. Generates a realistic ledger CSV in a temporary folder: LINES payment lines, cp1252, over
   one financial year (UK dates, `30/04/2023`), amounts as `£1,234.56` (about 3% credits in
   brackets), SUPPLIERS suppliers (some in capitals, some with a ledger ID before their
   name), most with a postcode in a real postcode district, expense types and areas.
2. The reference: DuckDB reads the file and sums the spend by supplier postcode area (the
   letters of the postcode), amounts parsed as exact decimals.
3. The product's full import, once per database (SQLite in a new file; PostgreSQL in a new
   database named spend_bench_<pid>, dropped after), each in its own process: the database
   is made and migrated, the organisation, its local area and a supplier register of half
   the suppliers and the Lancashire seed charter are set up (not timed); then timed:
   keeping the file, reading and checking every row, normalising, saving the lines as the
   groups the figures read (ADR 030) (`import_create` + `import_run`, as
   `socialvalue import spend` does, which recomputes the Lancashire charter's local-spend
   indicator, loaded for the organisation), and working out the spend summary (matching
   every supplier to the register, placing it, summing per year).

Prints one JSON line: the lines and megabytes, DuckDB's seconds, each database's import
seconds, its ratio to DuckDB, its process's CPU seconds (not the database server's) and its
peak memory (maximum resident set of its process).
"""

import argparse
import csv
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from socialvalue.domain.suppliers import normalise_name  # noqa: E402 (pure, no Django)

DISTRICTS = ROOT / "socialvalue" / "suppliers" / "data" / "postcode-districts.csv"
ORG = "RXN"
WORDS = [
    "Acme",
    "Alpha",
    "Bay",
    "Bridge",
    "Castle",
    "Cedar",
    "Central",
    "Coastal",
    "Crown",
    "Delta",
    "Eden",
    "Fell",
    "Forest",
    "Granite",
    "Harbour",
    "Heath",
    "Hill",
    "Lake",
    "Lune",
    "Maple",
    "Meadow",
    "North",
    "Oak",
    "Pennine",
    "Pine",
    "Red",
    "Ribble",
    "River",
    "Rose",
    "Stone",
    "Summit",
    "Valley",
    "West",
    "Wyre",
]
TRADES = [
    "Medical Supplies",
    "Healthcare Services",
    "Cleaning Services",
    "Catering",
    "Construction",
    "Consulting",
    "Pharmaceuticals",
    "Laundry Services",
    "Security",
    "Engineering",
    "Transport",
    "Training",
    "Print",
    "Estates",
]
FORMS = ("Ltd", "Limited", "PLC", "LLP", "CIC", "")
EXPENSES = (
    "Drugs",
    "Clinical Supplies",
    "Agency Staff",
    "Building Maintenance",
    "Utilities",
    "IT Services",
    "Catering",
    "Cleaning",
    "Consultancy",
    "Fixed Assets",
)
AREAS = ("Medicine", "Surgery", "Estates", "Pharmacy", "Corporate", "Women and Children")


def supplier_names(count: int, rng: random.Random) -> list[tuple[str, str, str]]:
    """(name as the ledger writes it, register name, postcode) for COUNT distinct suppliers."""
    with open(DISTRICTS, encoding="utf-8") as f:
        districts = [row["district"] for row in csv.DictReader(f)]
    seen, out = set(), []
    while len(out) < count:
        name = f"{rng.choice(WORDS)} {rng.choice(WORDS)} {rng.choice(TRADES)}"
        form = rng.choice(FORMS)
        if normalise_name(name) in seen:
            name = f"{name} {len(out)}"
        name = f"{name} {form}".strip()
        seen.add(normalise_name(name))
        unit = "".join(rng.choice("ABDEFGHJLNPQRSTUWXYZ") for _ in range(2))
        postcode = f"{rng.choice(districts)} {rng.randint(1, 9)}{unit}"
        if rng.random() < 0.1:
            postcode = ""  # no postcode in the ledger: could not be placed
        written = name.upper() if rng.random() < 0.3 else name
        if rng.random() < 0.1:
            written = f"UK{rng.randint(10**9, 10**10 - 1)} : {written}"
        out.append((written, name, postcode))
    return out


def generate(path: Path, lines: int, suppliers: int, seed: int = 14) -> None:
    rng = random.Random(seed)
    names = supplier_names(suppliers, rng)
    # A few suppliers take most of the spend, as in real ledgers.
    weights = [1 / (i + 1) ** 0.8 for i in range(len(names))]
    start = date(2023, 4, 1)
    chosen = rng.choices(names, weights=weights, k=lines)
    with open(path, "w", encoding="cp1252", newline="") as f:
        f.write("Spend over £25,000: Lancashire Teaching Hospitals NHS Foundation Trust\r\n\r\n")
        out = csv.writer(f, lineterminator="\r\n")
        out.writerow(
            [
                "Department Family",
                "Entity",
                "Date",
                "Expense Type",
                "Expense Area",
                "Supplier",
                "Supplier Postcode",
                "Transaction Number",
                "Amount",
            ]
        )
        for number, (written, _, postcode) in enumerate(chosen, start=100000):
            day = start + timedelta(days=rng.randrange(366))
            pence = int(rng.lognormvariate(10, 1.6)) + 1
            amount = f"£{pence // 100:,}.{pence % 100:02d}"
            if rng.random() < 0.03:
                amount = f"({amount})"
            out.writerow(
                [
                    "Department of Health",
                    "Lancashire Teaching Hospitals NHS Foundation Trust",
                    day.strftime("%d/%m/%Y"),
                    rng.choice(EXPENSES),
                    rng.choice(AREAS),
                    written,
                    postcode,
                    number,
                    amount,
                ]
            )


def register_file(path: Path, suppliers: int, seed: int = 14) -> None:
    """A supplier register of every other supplier, with SME flags."""
    rng = random.Random(seed)
    names = supplier_names(suppliers, rng)
    with open(path, "w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["Name", "Postcode", "SME", "VCFSE"])
        for i, (_, name, postcode) in enumerate(names):
            if i % 2 == 0:
                out.writerow([name, postcode, "yes" if i % 4 == 0 else "no", ""])


def duckdb_reference(path: Path) -> tuple[float, dict[str, str]]:
    import duckdb

    started = time.perf_counter()
    con = duckdb.connect()
    rows = con.execute(
        """
        select regexp_extract(upper("Supplier Postcode"), '^[A-Z]+') as area,
               sum(case when Amount like '(%'
                        then -cast(replace(replace(replace(replace(Amount, '(', ''), ')', ''),
                                   '£', ''), ',', '') as decimal(18, 2))
                        else cast(replace(replace(Amount, '£', ''), ',', '') as decimal(18, 2))
                   end) as spend
        from read_csv(?, encoding = 'latin-1', skip = 2, header = true, all_varchar = true)
        group by area order by area
        """,
        [str(path)],
    ).fetchall()
    elapsed = time.perf_counter() - started
    return elapsed, {area: str(spend) for area, spend in rows}


# --- the product's import, in a process of its own --------------------------------------------


def child(database_url: str, ledger: Path, register: Path, media: Path) -> None:
    """Run in a fresh process: set up (not timed), then time the full import."""
    os.environ["DATABASE_URL"] = database_url
    os.environ["SOCIALVALUE_DEBUG"] = "true"
    os.environ["SOCIALVALUE_MEDIA_ROOT"] = str(media)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialvalue.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from socialvalue.charters.services import charter_load_spec
    from socialvalue.domain.charterfile import parse_charter
    from socialvalue.domain.supplier_files import read_suppliers
    from socialvalue.imports.models import Kind, State, Via
    from socialvalue.imports.services import Upload, import_create, import_run
    from socialvalue.measurements.models import Measurement
    from socialvalue.organisations.models import Organisation
    from socialvalue.spend.services import spend_summary
    from socialvalue.suppliers.services import local_area_set, suppliers_import

    call_command("migrate", verbosity=0)
    organisation = Organisation.objects.create(code=ORG, name="Lancashire Teaching Hospitals")
    # The Lancashire charter: its local-spend indicator (ECON-02) is recomputed by the import.
    seed = (
        ROOT / "socialvalue" / "charters" / "seeds" / "lancashire-teaching-hospitals-2023-24.yaml"
    )
    charter_load_spec(spec=parse_charter(seed.read_text(encoding="utf-8"), path=str(seed)))
    local_area_set(organisation=organisation, choices=["E10000017"], by="bench")
    reading = read_suppliers(register)
    assert reading.ok, reading.problems[:3]
    suppliers_import(organisation=organisation, rows=reading.rows, file_name=register.name)

    started, cpu_started = time.perf_counter(), time.process_time()
    with open(ledger, "rb") as content:
        record = import_create(
            organisation=organisation,
            kind=Kind.SPEND,
            uploads=[Upload(ledger.name, content)],
            via=Via.CLI,
        )
    record = import_run(import_id=record.pk)
    imported, cpu_imported = time.perf_counter() - started, time.process_time() - cpu_started
    assert record.state == State.DONE, record.report.get("problems", [])[:3]
    summary = spend_summary(organisation)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    year = summary.years[0]
    values = Measurement.objects.filter(indicator__code="ECON-02").count()
    print(
        json.dumps(
            {
                "seconds": round(elapsed, 2),
                "import_seconds": round(imported, 2),
                "summary_seconds": round(elapsed - imported, 2),
                # CPU time of this process (not the database server's): steadier than the
                # wall clock on a machine shared with other work.
                "cpu_seconds": round(cpu, 2),
                "import_cpu_seconds": round(cpu_imported, 2),
                "lines": record.report["rows_accepted"],
                "total": str(year.total),
                "local_share": str(round(year.local_share.value or 0, 4)),
                "indicator_values": values,
                "unplaced_share": str(round(year.unplaced_share.value or 0, 4)),
                "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            }
        )
    )


def run_child(database_url: str, ledger: Path, register: Path, media: Path) -> dict:
    done = subprocess.run(
        [
            sys.executable,
            __file__,
            "--child",
            database_url,
            str(ledger),
            str(register),
            str(media),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if done.returncode != 0:
        raise SystemExit(f"the import failed on {database_url}:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def postgres(server: str, name: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as con:
        con.execute(sql.format(name=name))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--suppliers", type=int, default=5000)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        url, ledger, register, media = args.child
        child(url, Path(ledger), Path(register), Path(media))
        return

    folder = Path(tempfile.mkdtemp(prefix="spend-bench-"))
    try:
        ledger = folder / "ledger-2023-24.csv"
        register = folder / "suppliers.csv"
        suppliers = min(args.suppliers, max(args.lines // 4, 10))
        generate(ledger, args.lines, suppliers)
        register_file(register, suppliers)
        duck_seconds, by_area = duckdb_reference(ledger)
        result: dict = {
            "lines": args.lines,
            "suppliers": suppliers,
            "file_mb": round(ledger.stat().st_size / 1e6, 1),
            "duckdb_seconds": round(duck_seconds, 3),
            "duckdb_total": str(sum(Decimal(v) for v in by_area.values())),
            "postcode_areas": len(by_area),
            "cpus": os.cpu_count(),
        }
        for database in args.databases.split(","):
            media = folder / f"media-{database}"
            if database == "sqlite":
                url = f"sqlite:///{folder / 'bench.sqlite3'}"
                outcome = run_child(url, ledger, register, media)
            elif database == "postgresql":
                name = f"spend_bench_{os.getpid()}"
                postgres(args.postgres, name, "create database {name}")
                try:
                    outcome = run_child(f"{args.postgres}/{name}", ledger, register, media)
                finally:
                    postgres(args.postgres, name, "drop database if exists {name} with (force)")
            else:
                raise SystemExit(f"unknown database '{database}': sqlite or postgresql")
            outcome["ratio_to_duckdb"] = round(outcome["seconds"] / duck_seconds, 1)
            outcome["total_matches_duckdb"] = Decimal(outcome["total"]) == Decimal(
                result["duckdb_total"]
            )
            result[database] = outcome
        print(json.dumps(result))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
