"""Template context for every page: whether the navigation offers "People"."""

from socialvalue.organisations.access import administered_organisation_ids


def people_navigation(request) -> dict:
    user = getattr(request, "user", None)
    shows = bool(
        user is not None
        and user.is_authenticated
        and (user.is_superuser or administered_organisation_ids(user))
    )
    return {"shows_people": shows}
