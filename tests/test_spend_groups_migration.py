"""The migration that turns saved ledger lines into groups (imports 0005 to 0007, ADR 030).

Hand figures, lines saved before the change (file, sheet, row: date, supplier as written,
amount, expense type):
  april.csv, row 2: 3 Apr 2023, Acme Ltd (company 01234567), 28,300.51, Drugs
  april.csv, row 3: 9 Apr 2023, Acme Ltd (company 01234567), -0.51, Drugs
  april.csv, row 4: 30 Apr 2023, Acme Ltd (company 01234567), 100.00, Cleaning
  april.csv, row 7: 12 Apr 2023, Acme Ltd (company 01234567), 0.00000001, Drugs
  april.csv, row 5: 2 May 2023, Bolt Ltd, 50.00, (none)
  book.xlsx, sheet 2023, row 2: 1 Jun 2023, Acme Ltd (company 01234567), 5.00, Drugs
  book.xlsx, sheet 2024, row 2: 1 Jun 2023, Acme Ltd (company 01234567), 7.00, Drugs
april.csv: Acme in April, rows 2–4 and 7, 4 lines, 28,400.00000001; Bolt in May, row 5, 50.00;
dates 3 April to 2 May, 5 lines, total 28,450.00000001; by expense type April Drugs
28,300.00000001 (3 lines), April Cleaning 100.00, May (none) 50.00. book.xlsx: a group per
sheet, 5.00 and 7.00, each row 2; 1 June both, 2 lines, 12.00. The organisation's spend in
2023-24: 28,462.00000001.
"""

from datetime import date
from decimal import Decimal as D

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from socialvalue.spend.services import expense_totals, line_groups, spend_summary
from tests.factories import OrganisationFactory

BEFORE = [("imports", "0004_import_read_again_with_confirmed_columns")]
AFTER = [("imports", "0007_remove_saved_lines")]
ACME = ("Acme Ltd", "01234567")


@pytest.mark.django_db(transaction=True)
def test_the_migration_turns_saved_lines_into_groups_and_the_figures_stay_the_same():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        old = executor.loader.project_state(BEFORE).apps
        organisation = OrganisationFactory(code="MIG", name="Migrated Trust")
        org = old.get_model("organisations", "Organisation").objects.get(pk=organisation.pk)
        record = old.get_model("imports", "Import").objects.create(
            organisation=org, kind="spend", state="done", via="cli"
        )
        files = old.get_model("imports", "ImportFile")
        april = files.objects.create(
            import_record=record, position=0, name="april.csv", sha256="a" * 64, size=1
        )
        book = files.objects.create(
            import_record=record, position=1, name="book.xlsx", sha256="b" * 64, size=1
        )
        line = old.get_model("imports", "SpendLine")
        for stored, sheet, row, day, (name, company), amount, expense in [
            (april, "", 2, date(2023, 4, 3), ACME, "28300.51", "Drugs"),
            (april, "", 3, date(2023, 4, 9), ACME, "-0.51", "Drugs"),
            (april, "", 4, date(2023, 4, 30), ACME, "100.00", "Cleaning"),
            (april, "", 7, date(2023, 4, 12), ACME, "0.00000001", "Drugs"),
            (april, "", 5, date(2023, 5, 2), ("Bolt Ltd", ""), "50.00", ""),
            (book, "2023", 2, date(2023, 6, 1), ACME, "5.00", "Drugs"),
            (book, "2024", 2, date(2023, 6, 1), ACME, "7.00", "Drugs"),
        ]:
            line.objects.create(
                import_record=record,
                source_file=stored,
                organisation=org,
                sheet=sheet,
                row=row,
                date=day,
                amount=D(amount),
                supplier_raw=name,
                supplier_name=name,
                company_number=company,
                expense_type=expense,
                transaction_number=f"T{row}",
            )

        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
        new = executor.loader.project_state(AFTER).apps
        with pytest.raises(LookupError):
            new.get_model("imports", "SpendLine")
        groups = {
            (g.source_file_id, g.sheet, g.month, g.supplier_name): (
                g.company_number,
                g.amount,
                g.lines,
                g.rows,
            )
            for g in new.get_model("imports", "SpendGroup").objects.all()
        }
        assert groups == {
            (april.pk, "", date(2023, 4, 1), "Acme Ltd"): (
                "01234567",
                D("28400.00000001"),
                4,
                "2–4, 7",
            ),
            (april.pk, "", date(2023, 5, 1), "Bolt Ltd"): ("", D("50.00"), 1, "5"),
            (book.pk, "2023", date(2023, 6, 1), "Acme Ltd"): ("01234567", D("5.00"), 1, "2"),
            (book.pk, "2024", date(2023, 6, 1), "Acme Ltd"): ("01234567", D("7.00"), 1, "2"),
        }
        expenses = {
            (e.source_file_id, e.month, e.expense_type): (e.amount, e.lines)
            for e in new.get_model("imports", "ExpenseTypeTotal").objects.all()
        }
        assert expenses[(april.pk, date(2023, 4, 1), "Drugs")] == (D("28300.00000001"), 3)
        assert expenses[(april.pk, date(2023, 4, 1), "Cleaning")] == (D("100.00"), 1)
        assert expenses[(april.pk, date(2023, 5, 1), "")] == (D("50.00"), 1)
        kept = {f.pk: f for f in new.get_model("imports", "ImportFile").objects.all()}
        assert (kept[april.pk].first_date, kept[april.pk].last_date) == (
            date(2023, 4, 3),
            date(2023, 5, 2),
        )
        assert (kept[april.pk].lines, kept[april.pk].total) == (5, D("28450.00000001"))
        assert (kept[book.pk].first_date, kept[book.pk].lines, kept[book.pk].total) == (
            date(2023, 6, 1),
            2,
            D("12.00"),
        )
        # The figures read the groups as they read the lines.
        (year,) = spend_summary(organisation).years
        assert (year.total, year.lines) == (D("28462.00000001"), 7)
        june = [g for g in line_groups(organisation, by_file=True) if g.month.month == 6]
        assert [(g.amount, g.lines, g.rows) for g in june] == [(D("12.00"), 2, "2, 2")]
        assert expense_totals(organisation)["Drugs"] == D("28312.00000001")
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
