# A ledger's lines are kept as the groups its figures read (ADR 030); 0006 converts the saved
# lines, 0007 removes them.

import django.db.models.deletion
from django.db import migrations, models

import socialvalue.imports.models


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0004_import_read_again_with_confirmed_columns"),
        ("organisations", "0003_more_kinds_icb_and_reminder_settings"),
    ]

    operations = [
        # ImportFile.lines (below) is a count; the lines no longer answer to that name.
        migrations.AlterField(
            model_name="spendline",
            name="source_file",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="imports.importfile"),
        ),
        migrations.CreateModel(
            name="SpendGroup",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("sheet", models.TextField(blank=True)),
                ("month", models.DateField(help_text="The month's first day.")),
                ("supplier_name", models.TextField()),
                ("company_number", models.TextField(blank=True)),
                ("supplier_postcode", models.TextField(blank=True)),
                ("lines", models.PositiveIntegerField()),
                ("amount", socialvalue.imports.models.ExactDecimalField()),
                ("rows", models.TextField()),
                ("import_record", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="imports.import")),
                ("organisation", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="organisations.organisation")),
                ("source_file", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="spend_groups", to="imports.importfile")),
            ],
            options={
                "indexes": [models.Index(fields=["organisation", "month"], name="imports_spe_organis_99ede2_idx")],
            },
        ),
        migrations.CreateModel(
            name="ExpenseTypeTotal",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("sheet", models.TextField(blank=True)),
                ("month", models.DateField(help_text="The month's first day.")),
                ("expense_type", models.TextField(blank=True)),
                ("lines", models.PositiveIntegerField()),
                ("amount", socialvalue.imports.models.ExactDecimalField()),
                ("import_record", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="imports.import")),
                ("organisation", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="organisations.organisation")),
                ("source_file", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="expense_totals", to="imports.importfile")),
            ],
        ),
        migrations.AddField(
            model_name="importfile",
            name="first_date",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="importfile",
            name="last_date",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="importfile",
            name="lines",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="importfile",
            name="total",
            field=socialvalue.imports.models.ExactDecimalField(blank=True, null=True),
        ),
    ]
