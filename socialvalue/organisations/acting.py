"""Who a command acts as: the person its `--by EMAIL` names."""

from django.core.management.base import CommandError

from socialvalue.organisations.models import User


def person_acting(email: str) -> User:
    """The person with this address, signed in before or not; refused (as the command's
    error) when nobody has it or the account is deactivated."""
    person = User.objects.with_email(email).first()
    if person is None:
        raise CommandError(f"--by: no person with email {email}")
    if not person.is_active:
        raise CommandError(f"--by: {person.email} is deactivated")
    return person
