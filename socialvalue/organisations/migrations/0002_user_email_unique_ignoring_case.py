"""Email addresses are unique ignoring case: store them lower-cased, then constrain Lower(email).

If two people already share an address that differs only in case, the migration stops and
names them: which one to keep (their memberships, recorded values, reviews) is a decision
for a person, so they are merged by hand in the admin before migrating again.
"""

import django.db.models.functions.text
from django.db import migrations, models


def duplicates_ignoring_case(rows):
    """Groups of (id, email) rows whose addresses are equal ignoring case and spaces."""
    groups = {}
    for pk, email in rows:
        groups.setdefault((email or "").strip().lower(), []).append((pk, email))
    return {key: sorted(group) for key, group in groups.items() if len(group) > 1}


def lower_case_emails(apps, schema_editor):
    User = apps.get_model("organisations", "User")
    duplicates = duplicates_ignoring_case(User.objects.values_list("pk", "email"))
    if duplicates:
        lines = [
            f"  {key}: " + ", ".join(f"{email!r} (user id {pk})" for pk, email in group)
            for key, group in sorted(duplicates.items())
        ]
        raise RuntimeError(
            "Cannot make email addresses unique ignoring case: these people share an address "
            "that differs only in case:\n"
            + "\n".join(lines)
            + "\nMerge each pair by hand (move memberships to the one to keep, then deactivate or "
            "rename the other's email) and run `socialvalue migrate` again."
        )
    for user in User.objects.all():
        normalised = (user.email or "").strip().lower()
        if normalised != user.email:
            User.objects.filter(pk=user.pk).update(email=normalised)


class Migration(migrations.Migration):

    dependencies = [
        ("organisations", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(lower_case_emails, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("email"),
                name="user_email_unique_ignoring_case",
                violation_error_message="A person with this email address already exists",
            ),
        ),
    ]
