"""Convert every saved ledger line into the groups the figures read (ADR 030): per file and
sheet, month and supplier as written, their exact sum, number and rows; per file and sheet,
month and expense type, their sum and number; and each file's first and last payment date,
lines and total. The next migration removes the lines.

The grouping is written out here rather than imported, so that this migration keeps doing
what it did when the code around it changes. Going back leaves the lines' table empty: a
line's own fields cannot be made again from its group (the kept files can be imported again).
"""

from decimal import Decimal

from django.db import migrations

BATCH = 5_000


def _ranges(rows):
    """[2, 3, 4, 9] as "2–4, 9", as `socialvalue.domain.spend.row_ranges` writes them."""
    ordered = sorted(set(rows))
    parts = []
    start = previous = ordered[0]
    for n in ordered[1:]:
        if n == previous + 1:
            previous = n
            continue
        parts.append(str(start) if start == previous else f"{start}–{previous}")
        start = previous = n
    parts.append(str(start) if start == previous else f"{start}–{previous}")
    return ", ".join(parts)


def lines_into_groups(apps, schema_editor):
    SpendLine = apps.get_model("imports", "SpendLine")
    SpendGroup = apps.get_model("imports", "SpendGroup")
    ExpenseTypeTotal = apps.get_model("imports", "ExpenseTypeTotal")
    ImportFile = apps.get_model("imports", "ImportFile")
    with_lines = SpendLine.objects.values_list("source_file_id", flat=True).distinct()
    for stored in ImportFile.objects.filter(pk__in=list(with_lines)).order_by("pk"):
        by_supplier: dict = {}
        by_expense: dict = {}
        first = last = None
        count, total = 0, Decimal(0)
        owner = None
        lines = (
            SpendLine.objects.filter(source_file_id=stored.pk)
            .order_by("sheet", "row")
            .values_list(
                "import_record_id",
                "organisation_id",
                "sheet",
                "row",
                "date",
                "amount",
                "supplier_name",
                "company_number",
                "supplier_postcode",
                "expense_type",
            )
        )
        for record, organisation, sheet, row, day, amount, name, company, postcode, expense in (
            lines.iterator(chunk_size=10_000)
        ):
            owner = (record, organisation)
            month = day.replace(day=1)
            group = by_supplier.setdefault(
                (sheet, month, name, company, postcode), [Decimal(0), 0, []]
            )
            group[0] += amount
            group[1] += 1
            group[2].append(row)
            kind = by_expense.setdefault((sheet, month, expense), [Decimal(0), 0])
            kind[0] += amount
            kind[1] += 1
            first = day if first is None else min(first, day)
            last = day if last is None else max(last, day)
            count += 1
            total += amount
        record, organisation = owner
        common = {
            "import_record_id": record,
            "source_file_id": stored.pk,
            "organisation_id": organisation,
        }
        SpendGroup.objects.bulk_create(
            (
                SpendGroup(
                    **common,
                    sheet=sheet,
                    month=month,
                    supplier_name=name,
                    company_number=company,
                    supplier_postcode=postcode,
                    lines=n,
                    amount=amount,
                    rows=_ranges(rows),
                )
                for (sheet, month, name, company, postcode), (amount, n, rows) in by_supplier.items()
            ),
            batch_size=BATCH,
        )
        ExpenseTypeTotal.objects.bulk_create(
            (
                ExpenseTypeTotal(
                    **common, sheet=sheet, month=month, expense_type=expense, lines=n, amount=amount
                )
                for (sheet, month, expense), (amount, n) in by_expense.items()
            ),
            batch_size=BATCH,
        )
        stored.first_date, stored.last_date = first, last
        stored.lines, stored.total = count, total
        stored.save(update_fields=["first_date", "last_date", "lines", "total"])


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0005_lines_kept_as_groups"),
    ]

    operations = [
        migrations.RunPython(lines_into_groups, migrations.RunPython.noop),
    ]
