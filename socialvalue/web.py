"""Helpers that the views of several apps share: the charter a request may see, the year a
page shows, breadcrumbs.

They live here, beside the apps rather than in one of them, so that no app imports another
app's views (an import-linter contract keeps the views modules independent) and a helper is
found in one place. Reads here go through scoped querysets like any view (the scoping lint
checks this module too).
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.contrib import messages
from django.db.models import prefetch_related_objects
from django.shortcuts import get_object_or_404
from django.utils import timezone

from socialvalue.charters.history import read_as_of, read_known_on
from socialvalue.charters.models import Charter, Indicator
from socialvalue.charters.presenters import chosen_year

__all__ = [
    "Moments",
    "breadcrumbs",
    "get_charter",
    "get_indicator",
    "requested_moments",
    "requested_year",
]


def get_charter(request, code: str) -> Charter:
    """The charter with this code, if the user may see it; otherwise 404 (not 403), so
    another organisation's charters are not even confirmed to exist."""
    return get_object_or_404(
        # Its years too: every charter page reads them, some more than once.
        Charter.objects.for_user(request.user)
        .select_related("organisation")
        .prefetch_related("periods"),
        code=code,
    )


def get_indicator(request, code: str, indicator_code: str, *related: str) -> Indicator:
    """The indicator with this code on the charter with this code, if the user may see the
    charter; otherwise 404, as get_charter. Read in one query with its charter and the
    charter's organisation (and `related`), then the charter's years, as get_charter reads
    them: one query fewer than get_charter and then the indicator."""
    indicator = get_object_or_404(
        Indicator.objects.for_user(request.user).select_related("charter__organisation", *related),
        charter__code=code,
        code=indicator_code,
    )
    prefetch_related_objects([indicator.charter], "periods")
    return indicator


def requested_year(request, charter: Charter, *, today: date | None = None):
    """The reporting year a page shows: ?year= if the charter has it (see chosen_year);
    otherwise the one containing `today` (the page's judged-at date, default today)."""
    return chosen_year(charter, request.GET.get("year"), today=today or timezone.localdate())


@dataclass(frozen=True)
class Moments:
    """The two dates a status page is shown for (ADR 021): the date it is judged at, and
    the moment of knowledge (None: now)."""

    as_of: date
    known_on: datetime | None
    today: date

    @property
    def in_the_past(self) -> bool:
        return self.known_on is not None or self.as_of != self.today

    def query(self) -> dict[str, str]:
        """The query parameters that keep these dates on a link."""
        result = {}
        if self.as_of != self.today:
            result["as_of"] = self.as_of.isoformat()
        if self.known_on is not None:
            result["known_on"] = self.known_on.isoformat(timespec="seconds")
        return result


def requested_moments(request) -> Moments:
    """?as_of=DATE and ?known_on=DATE or DATE-TIME, default today and now. A bad one is
    said on the page (which names the parameter) and left out."""
    today = timezone.localdate()
    as_of, known_on = today, None
    if text := request.GET.get("as_of", "").strip():
        try:
            as_of = read_as_of(text)
        except ValueError as error:
            messages.error(request, f"as_of: {error}; showing today")
    if text := request.GET.get("known_on", "").strip():
        try:
            known_on = read_known_on(text)
        except ValueError as error:
            messages.error(request, f"known_on: {error}; showing what is known now")
    return Moments(as_of=as_of, known_on=known_on, today=today)


def breadcrumbs(*items: tuple[str, str]) -> list[dict]:
    """Breadcrumb items for the layout, from (text, href) pairs."""
    return [{"text": text, "href": href} for text, href in items]
