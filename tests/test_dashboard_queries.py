"""The dashboard's database work does not grow with the number of indicators or values.

Two charters of the same shape, 5 and 40 monthly count indicators, each with five years
(2019/20 to 2023/24) of approved monthly values: 60 rows per indicator, 2,400 for the big one.
"""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from socialvalue.charters.models import Charter
from socialvalue.domain.periods import FinancialYear
from socialvalue.measurements.models import Measurement
from socialvalue.measurements.progress import charter_progress
from socialvalue.sources.models import Kind, Source
from tests.factories import (
    CharterFactory,
    IndicatorFactory,
    MembershipFactory,
    OrganisationFactory,
    PledgeFactory,
    ThemeFactory,
    UserFactory,
)

YEARS = range(2019, 2024)
DASHBOARD_BOUND = 20
# Indicators, counted values, recorded periods and waiting counts: one query each.
PROGRESS_BOUND = 4


def build(code: str, indicators: int):
    org = OrganisationFactory(code=f"Q{code}")
    lead = UserFactory(email=f"lead@{code.lower()}.test")
    MembershipFactory(user=lead, organisation=org, role="lead")
    charter = CharterFactory(code=f"CH-{code}", organisation=org, years=list(YEARS))
    themes = [ThemeFactory(charter=charter, title=f"Theme {n}") for n in range(2)]
    items = [
        IndicatorFactory(
            pledge=PledgeFactory(theme=themes[n % 2]),
            code=f"M-{n:02d}",
            frequency="monthly",
            target_params={"value": 1200},
            owner=lead,
        )
        for n in range(indicators)
    ]
    typed = Source.objects.create(organisation=org, kind=Kind.TYPED, label="Typed in")
    rows = [
        Measurement(
            source=typed,
            indicator=item,
            organisation=org,
            frequency="monthly",
            period_start=period.start,
            period_end=period.end,
            value=Decimal(100),
            state="approved",
            recorded_by=lead,
        )
        for item in items
        for year in YEARS
        for period in FinancialYear(year).periods("monthly")
    ]
    # One correction waiting for approval per indicator, for March 2024.
    rows += [
        Measurement(
            source=typed,
            indicator=item,
            organisation=org,
            frequency="monthly",
            period_start=date(2024, 3, 1),
            period_end=date(2024, 3, 31),
            version=2,
            reason="Recount",
            value=Decimal(90),
            state="submitted",
            recorded_by=lead,
        )
        for item in items
    ]
    Measurement.objects.bulk_create(rows, batch_size=1000)
    return charter, lead


@pytest.fixture
def charters(db):
    small = build("SMALL", 5)
    big = build("BIG", 40)
    assert Measurement.objects.filter(indicator__charter=big[0], state="approved").count() == 2400
    return small, big


def dashboard_queries(client, charter, lead) -> tuple[int, str]:
    client.force_login(lead)
    url = f"/charters/{charter.code}/progress/?year=2023/24"
    client.get(url)  # warm up anything cached per process
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx), response.content.decode()


def test_dashboard_query_count_does_not_grow_with_indicators(client, charters):
    (small, small_lead), (big, big_lead) = charters
    small_count, small_html = dashboard_queries(client, small, small_lead)
    big_count, big_html = dashboard_queries(client, big, big_lead)

    # The pages really show the data: 12 x 100 = 1,200 a year, the target exactly.
    assert small_html.count('data-code="M-') == 5
    assert big_html.count('data-code="M-') == 40
    assert "<strong>40</strong> values waiting for approval" in big_html
    assert "Target met: 1,200 of 1,200 people" in big_html

    assert big_count == small_count
    assert big_count < DASHBOARD_BOUND


def test_charter_progress_query_count_is_fixed(charters):
    (small, _), (big, _) = charters
    # Every value recorded by midday on 15 January 2024: January's figure to date was
    # recorded while January ran, so it counts as of that day (ADR 021).
    Measurement.objects.update(recorded_at=datetime(2024, 1, 15, 12, tzinfo=UTC))
    counts = []
    for charter in (small, big):
        fresh = Charter.objects.select_related("organisation").get(pk=charter.pk)
        with CaptureQueriesContext(connection) as ctx:
            progress = charter_progress(fresh, year=FinancialYear(2023), as_of=date(2024, 1, 15))
        counts.append(len(ctx))
        # As of 15 January only April to January have begun: actual 10 x 100 = 1,000, with
        # January's figure to date. Expected over the same span: 9 closed months and 15 of
        # January's 31 days, 1,200 x (9/12 + 1/12 x 15/31) = 948.39 (February and March
        # have not begun on 15 January, so do not count).
        first = progress.indicators[0].assessment
        assert first.actual == 1000
        assert first.expected_to_date.quantize(Decimal("0.01")) == Decimal("948.39")
        assert first.status.value == "on_track"
        assert progress.waiting == len(progress.indicators)
    assert len(counts) == 2 and counts[0] == counts[1]
    assert counts[1] <= PROGRESS_BOUND


def test_indicator_page_query_count_does_not_grow_with_its_history(client, charters):
    """Each history row names where its figure was published (its citation) and, for a
    correction, what the version it corrects said: read with the rows, not row by row."""
    (small, lead), _ = charters
    Source.objects.filter(organisation=small.organisation).update(citation="Annual report, p. 4")
    many, one = (small.indicators.get(code=c) for c in ("M-00", "M-01"))
    # M-01 keeps two months of 2023/24, April and March; M-00 all twelve. Each keeps its
    # March correction, which now corrects version 1 of March.
    Measurement.objects.filter(
        indicator=one, period_start__gte=date(2023, 5, 1), period_start__lt=date(2024, 3, 1)
    ).delete()
    Measurement.objects.filter(indicator=one, period_start__year__lt=2023).delete()
    for item in (many, one):
        march = Measurement.objects.get(indicator=item, period_start=date(2024, 3, 1), version=1)
        Measurement.objects.filter(indicator=item, version=2).update(supersedes=march)
    client.force_login(lead)
    counts, pages = [], []
    for item in (many, one):
        url = f"/charters/{small.code}/indicators/{item.code}/?year=2023/24"
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        counts.append(len(ctx))
        pages.append(response.content.decode())
    assert pages[0].count("(source: Annual report, p. 4)") == 14  # 13 rows and the corrected
    # With the indicator's unit (the factory's "people"), as the value itself.
    assert "Corrects version 1, which said: 100 people (source: Annual report, p. 4)" in pages[0]
    assert pages[1].count("(source: Annual report, p. 4)") == 4  # 3 rows and the corrected
    assert counts[0] == counts[1]


def test_with_nothing_waiting_the_waiting_counts_are_not_read(client, charters):
    """The counts read for the stored figures (ADR 022) say when no value waits for
    approval: then the live count of waiting values is skipped, and none are shown."""
    _, (big, big_lead) = charters
    waiting_count, waiting_html = dashboard_queries(client, big, big_lead)
    Measurement.objects.filter(indicator__charter=big, state="submitted").update(state="approved")
    count, html = dashboard_queries(client, big, big_lead)
    assert "<strong>40</strong> values waiting for approval" in waiting_html
    assert "<strong>0</strong> values waiting for approval" in html
    assert count == waiting_count - 1
