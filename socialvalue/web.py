"""Helpers that the views of several apps share: the charter a request may see, the year a
page shows, breadcrumbs.

They live here, beside the apps rather than in one of them, so that no app imports another
app's views (an import-linter contract keeps the views modules independent) and a helper is
found in one place. Reads here go through scoped querysets like any view (the scoping lint
checks this module too).
"""

from django.shortcuts import get_object_or_404
from django.utils import timezone

from socialvalue.charters.models import Charter
from socialvalue.charters.presenters import chosen_year

__all__ = ["breadcrumbs", "get_charter", "requested_year"]


def get_charter(request, code: str) -> Charter:
    """The charter with this code, if the user may see it; otherwise 404 (not 403), so
    another organisation's charters are not even confirmed to exist."""
    return get_object_or_404(
        Charter.objects.for_user(request.user).select_related("organisation"), code=code
    )


def requested_year(request, charter: Charter):
    """The reporting year a page shows: ?year= if the charter has it (see chosen_year)."""
    return chosen_year(charter, request.GET.get("year"), today=timezone.localdate())


def breadcrumbs(*items: tuple[str, str]) -> list[dict]:
    """Breadcrumb items for the layout, from (text, href) pairs."""
    return [{"text": text, "href": href} for text, href in items]
