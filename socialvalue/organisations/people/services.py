"""Writes to who belongs to an organisation, with which role. Only its administrators
(and platform administrators) may make them; an organisation always keeps an administrator."""

from django.db import transaction

from socialvalue.organisations.access import require_role
from socialvalue.organisations.models import Membership, Role, User


class MembershipChangeRefused(ValueError):
    """The change would leave the organisation without an administrator."""


def membership_change_role(*, actor: User, membership: Membership, role: Role) -> Membership:
    require_role(actor, membership.organisation, Role.ADMINISTRATOR)
    role = Role(role)
    with transaction.atomic():
        locked = Membership.objects.select_for_update().get(pk=membership.pk)
        if locked.role == Role.ADMINISTRATOR and role != Role.ADMINISTRATOR:
            _keep_an_administrator(locked)
        locked.role = role
        locked.save(update_fields=["role"])
    membership.role = locked.role
    return locked


def membership_remove(*, actor: User, membership: Membership) -> None:
    require_role(actor, membership.organisation, Role.ADMINISTRATOR)
    with transaction.atomic():
        locked = Membership.objects.select_for_update().get(pk=membership.pk)
        if locked.role == Role.ADMINISTRATOR:
            _keep_an_administrator(locked)
        locked.delete()


def _keep_an_administrator(membership: Membership) -> None:
    others = Membership.objects.filter(
        organisation_id=membership.organisation_id, role=Role.ADMINISTRATOR
    ).exclude(pk=membership.pk)
    if not others.exists():
        raise MembershipChangeRefused(
            f"{membership.organisation.name} must keep an administrator: "
            "give someone else the administrator role first"
        )
