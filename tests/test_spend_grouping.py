"""The spend figures summed in the database (`line_groups`, ADR 026) against independent sums.

A ledger big enough to be read by columns and saved in several batches is imported; the saved
lines, the spend summary and the grouping equal sums worked out here from the file with the
csv module; a second import and a deleted import change the figures (the grouping kept from
the call before is not reused for other lines); amounts SQLite cannot sum exactly are summed
line by line.
"""

import csv
from collections import defaultdict
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from socialvalue.imports import services as import_services
from socialvalue.imports.models import Import, SpendLine
from socialvalue.spend import services
from socialvalue.spend.services import line_groups, spend_summary

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


def test_saved_lines_and_figures_equal_sums_worked_out_from_the_file(orgs, tmp_path, small_batches):
    rxn = orgs["RXN"]
    expected = ledger(tmp_path / "big.csv", 3000)
    run(tmp_path / "big.csv", "--org", "RXN")
    total = sum(expected.values())
    assert SpendLine.objects.filter(organisation=rxn).count() == 3000
    saved = sum(SpendLine.objects.filter(organisation=rxn).values_list("amount", flat=True))
    assert saved == total
    rows = sorted(SpendLine.objects.filter(organisation=rxn).values_list("row", flat=True))
    assert rows == list(range(3, 3003))  # banner in row 1, header in row 2
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
    saved_line = SpendLine.objects.get(organisation=rxn, row=4)
    assert (saved_line.supplier_name, saved_line.supplier_ledger_id) == (
        "Bay Care Ltd",
        "UK0479435601",
    )


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


def test_amounts_sqlite_cannot_sum_exactly_are_summed_line_by_line(orgs, tmp_path, monkeypatch):
    rxn = orgs["RXN"]
    expected = sum(ledger(tmp_path / "a.csv", 300).values())
    run(tmp_path / "a.csv", "--org", "RXN")
    by_database = {(g.month, g.name, g.file_id): g.amount for g in line_groups(rxn, by_file=True)}
    # Every amount counts as too large for the database's sum: the same groups, in Python.
    monkeypatch.setattr(services, "_SQLITE_EXACT_BELOW", Decimal(0))
    monkeypatch.setattr(services, "_last_grouping", None)
    in_python = {(g.month, g.name, g.file_id): g.amount for g in line_groups(rxn, by_file=True)}
    assert in_python == by_database
    assert sum(in_python.values()) == expected
