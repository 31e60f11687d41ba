"""Who may do what, for which organisation.

Every view asks here before reading or writing an organisation's data (see ADR 003).
A membership grants its role at that organisation. It also grants read access one step
along the group relation: a member trust's people see their group's roll-up, and a group's
people see its member trusts; neither grants any write access across the relation.
"""

from django.core.exceptions import PermissionDenied

from socialvalue.organisations.models import ROLE_RANK, Membership, Organisation, Role, User


def role_at(user, organisation: Organisation) -> Role | None:
    """The user's effective role at the organisation, or None if they have no access."""
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return Role.ADMINISTRATOR
    roles = {m.organisation_id: Role(m.role) for m in memberships_of(user)}
    if organisation.pk in roles:
        return roles[organisation.pk]
    related = {organisation.parent_id} | set(
        organisation.members.values_list("pk", flat=True) if organisation.is_group else ()
    )
    if related & roles.keys():
        return Role.VIEWER
    return None


def has_role(user, organisation: Organisation, role: Role) -> bool:
    actual = role_at(user, organisation)
    return actual is not None and ROLE_RANK[actual] >= ROLE_RANK[role]


def require_role(user, organisation: Organisation, role: Role) -> None:
    if not has_role(user, organisation, role):
        raise PermissionDenied(f"You need the {role.label.lower()} role at {organisation.code}")


def organisations_led_by(user):
    """Organisations where the user may create and edit charters (lead or administrator)."""
    if user.is_superuser:
        return Organisation.objects.all()
    leading = Membership.objects.filter(user=user).at_least(Role.LEAD)
    return Organisation.objects.filter(memberships__in=leading).distinct()


def administered_organisation_ids(user) -> set[int]:
    """Organisations where the user holds the administrator role (for the admin site)."""
    if not user.is_authenticated or not user.is_active:
        return set()
    return {m.organisation_id for m in memberships_of(user) if m.role == Role.ADMINISTRATOR}


def may_invite(user) -> bool:
    """Whether the user leads or administers anything, so may invite people to it."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return any(ROLE_RANK[Role(m.role)] >= ROLE_RANK[Role.LEAD] for m in memberships_of(user))


def memberships_of(user) -> list[Membership]:
    # Cached on the user object for the request: access checks run many times per page.
    cached = getattr(user, "_socialvalue_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user))
        user._socialvalue_memberships = cached
    return cached


def people_of(organisation: Organisation):
    """People who belong to the organisation or, for a group, to any of its members."""
    return (
        User.objects.filter(memberships__organisation__in=organisation.with_members())
        .distinct()
        .order_by("first_name", "last_name")
    )


def administered_organisations(user):
    """Organisations whose people the user manages on the People pages: where they hold
    the administrator role, or every organisation for a platform administrator."""
    if not user.is_authenticated or not user.is_active:
        return Organisation.objects.none()
    if user.is_superuser:
        return Organisation.objects.all()
    return Organisation.objects.filter(pk__in=administered_organisation_ids(user))
