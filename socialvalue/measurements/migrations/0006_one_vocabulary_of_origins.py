"""Drop the three overlapping origin fields now that each value has its Source (ADR 025);
a computed value has no person recording it."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("measurements", "0005_measurement_points_to_a_source"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveField(model_name="measurement", name="origin"),
        migrations.RemoveField(model_name="measurement", name="method"),
        migrations.RemoveField(model_name="measurement", name="source_ref"),
        migrations.RemoveField(model_name="measurement", name="source"),
        migrations.RenameField(model_name="measurement", old_name="provenance", new_name="source"),
        migrations.AlterField(
            model_name="measurement",
            name="source",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="measurements",
                to="sources.source",
            ),
        ),
        migrations.AlterField(
            model_name="measurement",
            name="recorded_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
    ]
