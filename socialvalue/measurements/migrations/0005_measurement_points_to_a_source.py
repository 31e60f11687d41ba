"""Every value points to a Source (ADR 025): make one for each existing value from the
three fields it replaces (origin, source_ref and the values sheet's source)."""

import django.db.models.deletion
from django.db import migrations, models


def _name(user) -> str:
    # As User.__str__ says it; a migration's historical model has no __str__ of its own.
    full = f"{user.first_name} {user.last_name}".strip()
    return full or user.email


def make_sources(apps, schema_editor):
    Measurement = apps.get_model("measurements", "Measurement")
    Source = apps.get_model("sources", "Source")
    for m in Measurement.objects.select_related("recorded_by").iterator():
        if m.origin == "sheet":
            detail = m.source or {}
            source = Source.objects.create(
                organisation_id=m.organisation_id,
                kind="sheet",
                label=f"values sheet {m.source_ref}"[:300],
                recorded_by_id=m.recorded_by_id,
                method=m.method,
                inputs={k: detail[k] for k in ("file", "worksheet", "rows") if k in detail},
            )
        else:
            source = Source.objects.create(
                organisation_id=m.organisation_id,
                kind="typed",
                label=f"Typed in by {_name(m.recorded_by)}"[:300],
                recorded_by_id=m.recorded_by_id,
                method=m.method,
            )
        # The source was recorded with the value, not today.
        Source.objects.filter(pk=source.pk).update(recorded_at=m.recorded_at)
        Measurement.objects.filter(pk=m.pk).update(provenance=source)


class Migration(migrations.Migration):
    dependencies = [
        ("measurements", "0004_self_status_done_late"),
        ("sources", "0001_sources"),
    ]

    operations = [
        migrations.AddField(
            model_name="measurement",
            name="provenance",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="measurements",
                to="sources.source",
            ),
        ),
        migrations.RunPython(make_sources, migrations.RunPython.noop),
    ]
