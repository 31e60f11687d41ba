"""The groups a ledger is kept as (ADR 030) and the figures read from them, against
independent sums.

A ledger big enough to be read by columns and in several batches is imported; the saved
groups, the spend summary and `line_groups` equal sums worked out here from the file with the
csv module; a second import and a deleted import change the figures; amounts a binary float
cannot hold are summed exactly on every database.
"""

import csv
from collections import defaultdict
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from socialvalue.imports import services as import_services
from socialvalue.imports.models import Import, ImportFile, SpendGroup
from socialvalue.spend.services import expense_totals, line_groups, spend_summary
from tests.test_import_jobs import row_numbers

SUPPLIERS = ["Acme Ltd", "UK0479435601 : Bay Care Ltd", "KINGS COLLEGE LONDON:03529700"]


def ledger(path, lines: int, start: int = 0) -> dict:
    """Write a cp1252 ledger; return the sums worked out here, by month and supplier text."""
    sums: dict = defaultdict(Decimal)
    with path.open("w", encoding="cp1252", newline="") as f:
        out = csv.writer(f, lineterminator="\r\n")
        out.writerow(["Spend over £25,000"])
        out.writerow(["Date", "Supplier", "Amount", "Expense Type"])
        for i in range(start, start + lines):
            pence = (i * 7919) % 5_000_000 + 1
            text = f"£{pence // 100:,}.{pence % 100:02d}"
            if i % 17 == 0:
                text, pence = f"({text})", -pence
            day = date(2023, 4 + i % 9, 1 + i % 28)
            supplier = SUPPLIERS[i % 3]
            out.writerow([day.strftime("%d/%m/%Y"), supplier, text, f"Type {i % 4}"])
            sums[(day.replace(day=1), supplier)] += Decimal(pence) / 100
    return sums


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("import", "spend", *map(str, args), stdout=out, stderr=err)
    return out.getvalue()


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(import_services, "BATCH", 400)


def test_saved_groups_and_figures_equal_sums_worked_out_from_the_file(
    orgs, tmp_path, small_batches
):
    rxn = orgs["RXN"]
    expected = ledger(tmp_path / "big.csv", 3000)
    run(tmp_path / "big.csv", "--org", "RXN")
    total = sum(expected.values())
    groups = SpendGroup.objects.filter(organisation=rxn)
    # 9 months, each with one supplier (both follow the line's number modulo 9 and 3).
    assert groups.count() == 9
    assert sum(g.lines for g in groups) == 3000
    assert sum(g.amount for g in groups) == total
    rows = sorted(r for g in groups for r in row_numbers(g.rows))
    assert rows == list(range(3, 3003))  # banner in row 1, header in row 2
    # Acme Ltd's April lines are every ninth line from the first (i % 9 == 0): rows 3, 12, …
    acme = groups.get(supplier_name="Acme Ltd", month=date(2023, 4, 1))
    assert acme.lines == 334 and row_numbers(acme.rows) == list(range(3, 3003, 9))
    assert acme.amount == expected[(date(2023, 4, 1), "Acme Ltd")]
    # The ledger ID is taken out of the name, as the reader cleans it.
    assert groups.filter(supplier_name="Bay Care Ltd").count() == 3
    kept = ImportFile.objects.get()
    assert (kept.first_date, kept.last_date) == (date(2023, 4, 1), date(2023, 12, 28))
    assert (kept.lines, kept.total) == (3000, total)
    (year,) = spend_summary(rxn).years
    assert year.total == total
    assert year.lines == 3000
    by_month_and_name = defaultdict(Decimal)
    for group in line_groups(rxn):
        # The register is empty: the grouping's names are the cleaned ledger names.
        by_month_and_name[group.month] += group.amount
    by_month = defaultdict(Decimal)
    for (month, _), amount in expected.items():
        by_month[month] += amount
    assert dict(by_month_and_name) == dict(by_month)
    # Spend by expense type: "Type {i % 4}".
    by_type = defaultdict(Decimal)
    for i in range(3000):
        pence = (i * 7919) % 5_000_000 + 1
        by_type[f"Type {i % 4}"] += Decimal(-pence if i % 17 == 0 else pence) / 100
    assert expense_totals(rxn) == dict(by_type)


def test_a_second_import_and_a_deleted_one_change_the_figures(orgs, tmp_path, small_batches):
    rxn = orgs["RXN"]
    first = sum(ledger(tmp_path / "a.csv", 900).values())
    second = sum(ledger(tmp_path / "b.csv", 500, start=900).values())
    run(tmp_path / "a.csv", "--org", "RXN")
    assert spend_summary(rxn).years[0].total == first
    run(tmp_path / "b.csv", "--org", "RXN")
    assert spend_summary(rxn).years[0].total == first + second
    Import.objects.filter(organisation=rxn).order_by("pk").last().delete()
    assert spend_summary(rxn).years[0].total == first


def test_amounts_a_binary_float_cannot_hold_are_summed_exactly(orgs, tmp_path):
    # 17 significant digits and more: a float (SQLite's decimal column) would lose the pennies.
    path = tmp_path / "large.csv"
    path.write_text(
        "Date,Supplier,Amount\n"
        "13/04/2023,Acme Ltd,12345678901234.12345678\n"
        "14/04/2023,Acme Ltd,0.00000001\n"
        "15/04/2023,Acme Ltd,9999999999.99\n"
        "15/05/2023,Acme Ltd,-0.01\n",
        encoding="utf-8",
    )
    run(path, "--org", "RXN")
    april, may = line_groups(orgs["RXN"], by_file=True)
    assert (april.amount, april.lines, april.rows) == (
        Decimal("12355678901234.11345679"),
        3,
        "2–4",
    )
    assert (may.amount, may.lines, may.rows) == (Decimal("-0.01"), 1, "5")
    assert ImportFile.objects.get().total == Decimal("12355678901234.10345679")
