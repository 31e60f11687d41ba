"""Small helpers shared by the integration tests."""

from contextlib import contextmanager
from datetime import datetime
from html.parser import HTMLParser
from unittest.mock import patch
from zoneinfo import ZoneInfo

from socialvalue.charters.models import Charter, Indicator, Pledge, ReportingPeriod, Theme
from socialvalue.domain.periods import Period
from socialvalue.measurements import services

LONDON = ZoneInfo("Europe/London")


@contextmanager
def fixed_clock(*when: int):
    """Fix the clock at this London date-time (year, month, day[, hour, minute]): every
    timestamp saved (recorded_at, reviewed_at, changed_at) and today's date follow it."""
    moment = datetime(*when, tzinfo=LONDON)  # type: ignore[misc]
    with patch("django.utils.timezone.now", return_value=moment):
        yield moment


def charter_rows() -> dict:
    """Every charter row that a refused or invalid write must leave alone (with updated_at)."""
    return {
        "charters": list(Charter.objects.values().order_by("pk")),
        "periods": list(ReportingPeriod.objects.values().order_by("pk")),
        "themes": list(Theme.objects.values().order_by("pk")),
        "pledges": list(Pledge.objects.values().order_by("pk")),
        "indicators": list(Indicator.objects.values().order_by("pk")),
    }


def record_approved(*, lead, recorder, indicator, organisation, key, **reading):
    """Record a value for the period with this key (like "2023/24-Q1") and approve it."""
    measurement = services.measurement_record(
        actor=recorder,
        indicator=indicator,
        organisation=organisation,
        period=Period.from_key(key),
        reading=services.Reading(**reading),
    )
    services.measurement_approve(actor=lead, measurement=measurement)
    return measurement


class _TableParser(HTMLParser):
    """Collects the text of each body cell of one table, leaving out the headings that the
    responsive table pattern repeats in every cell for phones."""

    def __init__(self, table_id: str) -> None:
        super().__init__()
        self.table_id, self.depth, self.rows = table_id, 0, []
        self._cell: list[str] | None = None
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and (self.depth or attrs.get("id") == self.table_id):
            self.depth += 1
        if not self.depth:
            return
        if tag == "tr" and self.depth == 1:
            self.rows.append([])
        elif tag == "td" and self.depth == 1:
            self._cell = []
        elif tag == "span" and (
            self._hidden or "nhsuk-table-responsive__heading" in (attrs.get("class") or "")
        ):
            self._hidden += 1

    def handle_endtag(self, tag):
        if not self.depth:
            return
        if tag == "table":
            self.depth -= 1
        elif tag == "span" and self._hidden:
            self._hidden -= 1
        elif tag == "td" and self._cell is not None and self.depth == 1:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None and not self._hidden:
            self._cell.append(data)


def table_rows(html: str, table_id: str) -> list[tuple[str, ...]]:
    """The text of each cell, row by row, of the table with this id (body rows only)."""
    parser = _TableParser(table_id)
    parser.feed(html)
    return [tuple(row) for row in parser.rows if row]
