"""Which progress pages apply to a person: a viewer who owns nothing and may record nothing
is not offered "My indicators" or "Waiting for approval", and those pages refuse them with
a page saying why (403) rather than an empty list."""

from socialvalue.charters.models import Indicator
from socialvalue.organisations.access import memberships_of
from socialvalue.organisations.models import ROLE_RANK, Role


def records_or_approves(user) -> bool:
    """Whether the user records values anywhere (contributor) or approves them (lead)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return any(ROLE_RANK[Role(m.role)] >= ROLE_RANK[Role.CONTRIBUTOR] for m in memberships_of(user))


def shows_my_indicators(user) -> bool:
    return records_or_approves(user) or (
        user.is_authenticated and Indicator.objects.for_user(user).owned_by(user).exists()
    )


def shows_approvals(user) -> bool:
    return records_or_approves(user)


def progress_navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None:
        return {"shows_mine": False, "shows_approvals": False}
    return {"shows_mine": shows_my_indicators(user), "shows_approvals": shows_approvals(user)}
