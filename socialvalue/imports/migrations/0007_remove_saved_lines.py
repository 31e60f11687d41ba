# The saved lines, converted into groups by 0006, are no longer kept (ADR 030): the kept
# original file is the record of every line.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0006_saved_lines_into_groups"),
    ]

    operations = [
        migrations.DeleteModel(name="SpendLine"),
    ]
