"""Stored assessments (ADR 022): no page or status command ever shows a stale figure.

A trust's charter CH-STORE reports on 2023/24 with STORE-01, a quarterly count of at least
100 people, and STORE-02 beside it. "Today" is pinned to 20 January 2024: Q1 (April-June)
to Q3 (October-December) have closed, Q4 runs; with 30 days' grace Q1 and Q2 are overdue
when nothing is recorded, Q3 not yet (it falls overdue on 31 January).

Each write below is followed by a read of the dashboard, the indicator page and
`socialvalue status --json`, all of which read the store; each must show the hand-worked
figure for after the write, and the same figures as the engine run directly (store off).
"""

import functools
import html
import json
import re
from datetime import date
from decimal import Decimal
from unittest.mock import patch

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from socialvalue.charters.models import Charter
from socialvalue.charters.services import charter_update, indicator_save
from socialvalue.domain.periods import FinancialYear, Period
from socialvalue.domain.status import Thresholds
from socialvalue.domain.status import assess as real_assess
from socialvalue.measurements import services, stored
from socialvalue.measurements.models import Measurement, StoredAssessment
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
from tests.helpers import table_rows

TODAY = date(2024, 1, 20)
YEAR = "2023/24"


@pytest.fixture
def today():
    """Pin today's date (a test moves it with today.day = ...)."""

    class Clock:
        day = TODAY

    clock = Clock()
    with patch("django.utils.timezone.localdate", side_effect=lambda *a, **k: clock.day):
        yield clock


@pytest.fixture
def trust(cast, orgs):
    lead, owner = cast["rxn_lead"], cast["rxn_owner"]
    charter = CharterFactory(code="CH-STORE", organisation=orgs["RXN"], years=[2023])
    pledge = PledgeFactory(theme=ThemeFactory(charter=charter))
    store01 = IndicatorFactory(pledge=pledge, code="STORE-01", owner=owner, unit="people")
    store02 = IndicatorFactory(pledge=pledge, code="STORE-02", owner=owner, unit="people")
    return {"charter": charter, "01": store01, "02": store02, "lead": lead, "owner": owner}


def record(actor, indicator, org, key, value, reason=""):
    return services.measurement_record(
        actor=actor,
        indicator=indicator,
        organisation=org,
        period=Period.from_key(key),
        reading=services.Reading(value=Decimal(value)),
        reason=reason,
    )


def direct(charter, code):
    """The figures computed straight from the database as of (pinned) today, no store."""
    with patch.object(stored, "storable", return_value=False):
        progress = charter_progress(
            Charter.objects.select_related("organisation").get(pk=charter.pk),
            year=FinancialYear(2023),
            as_of=timezone.localdate(),
        )
    return next(i for i in progress.indicators if i.indicator.code == code)


def kept_read(client, url, **query):
    """The page served from the kept page: one query, the snapshot (ADR 032).

    Any commit in the database server gives a new snapshot, and test processes running
    beside this one commit all the time: a read is tried again until none came between it
    and the read before, which kept the page."""
    for _ in range(50):
        client.get(url, query)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, query)
        if len(queries) == 1:
            return response
    raise AssertionError(f"{url} was never served kept: {[q['sql'][:60] for q in queries]}")


def _without_nonce(response) -> str:
    """The page, less what differs on every draw: the CSP nonce and CSRF masks."""
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    text = response.content.decode()
    assert f'nonce="{nonce}"' in text  # each page carries its own request's nonce
    # Each draw masks the person's CSRF secret afresh; the tokens differ, the secret not.
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", text)
    return text.replace(nonce, "NONCE")


def shown(client, run_command, trust, code="STORE-01", org="RXN", kept=False):
    """What the dashboard, the indicator page and the status command show for the indicator;
    checked against the engine run directly. Returns the status command's entry.

    With `kept`, pages are kept (ADR 029): each is asked for twice, and the second time it
    must come from the kept page (one query: the snapshot), the same page."""
    charter = trust["charter"]
    if not kept:
        client.force_login(trust["lead"])
    # With pages kept, the lead stays signed in throughout (play_every_kind_of_write): the
    # same session and account, so only the writes can make a page be drawn again.
    dashboard = client.get(f"/charters/{charter.code}/progress/", {"year": YEAR})
    assert dashboard.status_code == 200
    page = client.get(f"/charters/{charter.code}/indicators/{code}/", {"year": YEAR})
    assert page.status_code == 200
    if kept:
        # The first reads stored the figures they computed: a write, so a new snapshot, and
        # the pages are drawn once more. From then on, nothing written, they are kept.
        for url, first in (
            (f"/charters/{charter.code}/progress/", dashboard),
            (f"/charters/{charter.code}/indicators/{code}/", page),
        ):
            assert _without_nonce(kept_read(client, url, year=YEAR)) == _without_nonce(first)
    exit_code, out, err = run_command("status", org, "--year", YEAR, "--json")
    assert exit_code == 0, err
    cli = next(i for c in json.loads(out)["charters"] for i in c["indicators"] if i["code"] == code)
    truth = direct(charter, code)
    assert cli["status"] == truth.assessment.status.value
    assert cli["explanation"] == truth.assessment.explanation
    explanation = html.escape(truth.assessment.explanation)
    dashboard_html, page_html = dashboard.content.decode(), page.content.decode()
    row = dashboard_html[dashboard_html.index(f'data-code="{code}"') :]
    row = row[: row.index("</tr>")]
    assert explanation in row
    assert explanation in page_html
    # The dashboard's "Overdue: ..." line, the same as the engine's.
    found = re.search(r"Overdue: ([^<]*)", row)
    assert (found.group(1) if found else "") == truth.overdue_text
    cli["overdue"] = truth.overdue_text
    return cli


def test_every_kind_of_write_is_shown_on_the_next_read(
    trust, orgs, client, run_command, today, tmp_path
):
    play_every_kind_of_write(trust, orgs, client, run_command, today, tmp_path, kept=False)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="pages are kept on PostgreSQL only")
def test_every_kind_of_write_is_shown_on_the_next_read_with_pages_kept(
    trust, orgs, client, run_command, today, tmp_path
):
    """The same writes, outside any transaction, as in production: pages are kept (ADR 029),
    and after every write the next read draws the page again, never the kept one."""
    play_every_kind_of_write(trust, orgs, client, run_command, today, tmp_path, kept=True)


def play_every_kind_of_write(trust, orgs, client, run_command, today, tmp_path, *, kept):
    owner, lead, rxn = trust["owner"], trust["lead"], orgs["RXN"]
    see = functools.partial(shown, kept=kept)
    if kept:
        client.force_login(lead)
        client.cookies["csrftoken"] = "k" * 32
    item = trust["01"]

    # Nothing recorded: no data; Q1 and Q2 overdue.
    before = see(client, run_command, trust)
    assert before["status"] == "no_data"
    assert before["overdue"] == "Q1 2023/24, Q2 2023/24"
    assert StoredAssessment.objects.filter(indicator=item, as_of=TODAY).count() == 1

    # Recorded (waiting): Q1 is no longer overdue; nothing counts yet.
    q1 = record(owner, item, rxn, "2023/24-Q1", 30)
    after = see(client, run_command, trust)
    assert after["status"] == "no_data"
    assert after["overdue"] == "Q2 2023/24"

    # Approved: 30 people counted.
    services.measurement_approve(actor=lead, measurement=q1)
    assert see(client, run_command, trust)["actual"] == 30

    # Corrected: the correction waits and the approved 30 still counts; approved, 40 counts.
    q1v2 = record(owner, item, rxn, "2023/24-Q1", 40, reason="Recount")
    assert see(client, run_command, trust)["actual"] == 30
    services.measurement_approve(actor=lead, measurement=q1v2)
    assert see(client, run_command, trust)["actual"] == 40

    # Returned: a returned value alone does not record its period, so Q2 is overdue again.
    q2 = record(owner, item, rxn, "2023/24-Q2", 20)
    assert "Q2 2023/24" not in see(client, run_command, trust)["overdue"]
    services.measurement_return(actor=lead, measurement=q2, comment="Wrong quarter")
    assert "Q2 2023/24" in see(client, run_command, trust)["overdue"]

    # Target edited: at least 200 people.
    item.refresh_from_db()
    indicator_save(
        actor=lead,
        pledge=item.pledge,
        indicator=item,
        code=item.code,
        title=item.title,
        unit=item.unit,
        frequency=item.frequency,
        source=item.source,
        owner=item.owner,
        target_kind="count",
        target_params={"value": 200},
    )
    edited = see(client, run_command, trust)
    assert edited["target_value"] == 200
    # Pace: 40 of the 150 expected by 31 December (0.27), below the default off-track
    # threshold of 0.75 (the forecast, Q1's 40 a quarter, 160 of 200, is 0.8).
    assert edited["status"] == "off_track"

    # Thresholds edited: off track only below 0.2, at risk below 0.5: 0.27 is at risk.
    charter = trust["charter"]
    charter_update(
        actor=lead,
        charter=charter,
        title=charter.title,
        years=[FinancialYear(2023)],
        definition="",
        mission="",
        thresholds=Thresholds(at_risk=Decimal("0.5"), off_track=Decimal("0.2")),
    )
    assert see(client, run_command, trust)["status"] == "at_risk"

    # Charter file loaded: the file sets the target back to at least 100 people. Pace 40 of
    # 75 expected (0.53, not below 0.5) and forecast 160 of 100: on track.
    path = tmp_path / "charter.yaml"
    assert run_command("charter", "export", charter.code, "-o", str(path))[0] == 0
    text = path.read_text(encoding="utf-8")
    assert text.count("value: 200") == 1
    path.write_text(text.replace("value: 200", "value: 100"), encoding="utf-8")
    code, _, err = run_command("charter", "load", str(path))
    assert code == 0, err
    loaded = see(client, run_command, trust)
    assert loaded["target_value"] == 100
    assert loaded["status"] == "on_track"

    # The date rolls into a new period: on 31 January Q3 falls overdue.
    assert "Q3 2023/24" not in loaded["overdue"]
    today.day = date(2024, 1, 31)
    assert "Q3 2023/24" in see(client, run_command, trust)["overdue"]
    # And into a new year: on 1 April 2024 2023/24 is over and 40 of 100 is missed.
    today.day = date(2024, 4, 1)
    assert see(client, run_command, trust)["status"] == "missed"
    assert StoredAssessment.objects.filter(indicator=item).get().as_of == date(2024, 4, 1)


def test_a_group_members_value_is_shown_on_the_group_charter(
    orgs, cast, client, run_command, today
):
    group, rt5, rp1 = orgs["LPT-NHFT"], orgs["RT5"], orgs["RP1"]
    lead = cast["group_lead"]
    charter = CharterFactory(code="CH-GROUP", organisation=group, years=[2023])
    item = IndicatorFactory(
        pledge=PledgeFactory(theme=ThemeFactory(charter=charter)),
        code="GRP-01",
        owner=cast["rp1_owner"],
    )
    client.force_login(lead)

    def group_figure():
        page = client.get(f"/charters/{charter.code}/indicators/GRP-01/", {"year": YEAR})
        assert page.status_code == 200
        code, out, err = run_command("status", "LPT-NHFT", "--year", YEAR, "--json")
        assert code == 0, err
        cli = json.loads(out)["charters"][0]["indicators"][0]
        truth = direct(charter, "GRP-01")
        assert cli["explanation"] == truth.assessment.explanation
        assert html.escape(truth.assessment.explanation) in page.content.decode()
        return cli, truth

    cli, _ = group_figure()
    assert cli["actual"] is None
    services.measurement_approve(
        actor=lead, measurement=record(cast["rt5_lead"], item, rt5, "2023/24-Q1", 30)
    )
    cli, truth = group_figure()
    assert cli["actual"] == 30
    assert {m.organisation.code: m.assessment.actual for m in truth.members} == {
        "RP1": None,
        "RT5": 30,
    }
    # The other member's value is added on the next read too: 30 + 45.
    services.measurement_approve(
        actor=lead, measurement=record(cast["rp1_owner"], item, rp1, "2023/24-Q1", 45)
    )
    assert group_figure()[0]["actual"] == 75
    # RT5's own figure on the group charter (stored for RT5 alone) follows its values too.
    out = run_command("status", "RT5", "--year", YEAR, "--json")[1]
    assert json.loads(out)["charters"][0]["indicators"][0]["actual"] == 30
    services.measurement_approve(
        actor=lead,
        measurement=record(cast["rt5_lead"], item, rt5, "2023/24-Q1", 35, reason="Recount"),
    )
    out = run_command("status", "RT5", "--year", YEAR, "--json")[1]
    assert json.loads(out)["charters"][0]["indicators"][0]["actual"] == 35
    assert StoredAssessment.objects.filter(indicator=item, organisation=rt5).exists()
    assert group_figure()[0]["actual"] == 80


def test_unchanged_figures_are_read_from_the_store_not_assessed_again(trust, orgs, client, today):
    services.measurement_approve(
        actor=trust["lead"],
        measurement=record(trust["owner"], trust["01"], orgs["RXN"], "2023/24-Q1", 30),
    )
    client.force_login(trust["lead"])
    url = f"/charters/{trust['charter'].code}/progress/?year={YEAR}"
    with patch("socialvalue.measurements.progress.assess", wraps=real_assess) as engine:
        assert client.get(url).status_code == 200
        assert engine.call_count == 2  # both indicators assessed and stored
        engine.reset_mock()
        assert client.get(url).status_code == 200
        assert engine.call_count == 0  # nothing changed: both read from the store
        # A value for STORE-02 recomputes STORE-02 alone.
        record(trust["owner"], trust["02"], orgs["RXN"], "2023/24-Q1", 5)
        assert client.get(url).status_code == 200
        assert engine.call_count == 1
    assert StoredAssessment.objects.filter(as_of=TODAY).count() == 2


def test_figures_for_another_date_are_computed_not_stored(trust, orgs, run_command, today):
    as_of = ("--as-of", "2023-12-01")
    code, _out, err = run_command("status", "RXN", "--year", YEAR, *as_of, "--json")
    assert code == 0, err
    assert not StoredAssessment.objects.exists()
    run_command("status", "RXN", "--year", YEAR, "--json")
    assert set(StoredAssessment.objects.values_list("as_of", flat=True)) == {TODAY}


def test_a_stored_row_from_another_engine_is_not_read(trust, orgs, client, today):
    client.force_login(trust["lead"])
    url = f"/charters/{trust['charter'].code}/indicators/STORE-01/?year={YEAR}"
    client.get(url)
    StoredAssessment.objects.update(payload=b"not a pickle")
    # The fingerprint still matches (same engine): a row that does not load is recomputed.
    page = client.get(url)
    assert page.status_code == 200
    assert "No data" in page.content.decode()
    with patch.object(stored, "engine_version", return_value="another release"):
        before = StoredAssessment.objects.get(indicator=trust["01"]).fingerprint
        client.get(url)
        assert StoredAssessment.objects.get(indicator=trust["01"]).fingerprint != before


# --- Item 5: the indicator page reads only its own indicator's values ----------------------


def build(code: str, indicators: int):
    org = OrganisationFactory(code=f"Q{code}")
    lead = UserFactory(email=f"lead@{code.lower()}.test")
    MembershipFactory(user=lead, organisation=org, role="lead")
    charter = CharterFactory(code=f"CH-{code}", organisation=org, years=[2022, 2023])
    pledge = PledgeFactory(theme=ThemeFactory(charter=charter))
    items = [
        IndicatorFactory(pledge=pledge, code=f"M-{n:02d}", frequency="monthly", owner=lead)
        for n in range(indicators)
    ]
    typed = Source.objects.create(organisation=org, kind=Kind.TYPED, label="Typed in")
    Measurement.objects.bulk_create(
        Measurement(
            source=typed,
            indicator=item,
            organisation=org,
            frequency="monthly",
            period_start=period.start,
            period_end=period.end,
            value=Decimal(10),
            state="approved",
            recorded_by=lead,
        )
        for item in items
        for year in (2022, 2023)
        for period in FinancialYear(year).periods("monthly")
    )
    return charter, lead


def indicator_page_queries(client, charter, lead) -> tuple[list[int], str]:
    client.force_login(lead)
    url = f"/charters/{charter.code}/indicators/M-00/?year={YEAR}"
    counts = []
    for _ in range(2):  # computed and stored, then read from the store
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(ctx))
        # No query reads every value of the charter: those on values name the indicator.
        for query in ctx.captured_queries:
            sql = query["sql"]
            if 'FROM "measurements_measurement"' in sql:
                assert '"indicator_id" IN' in sql or '"indicator_id" =' in sql, sql
    return counts, response.content.decode()


def test_indicator_page_queries_do_not_grow_with_the_charter(db, client, today):
    small, big = build("SMALL", 2), build("BIG", 12)
    small_counts, _ = indicator_page_queries(client, *small)
    big_counts, big_html = indicator_page_queries(client, *big)
    assert small_counts == big_counts
    assert big_counts[1] < big_counts[0]  # the second read computes nothing
    # History: the chosen year's 12 values, and a link to the other year's.
    history = big_html[big_html.index('id="history"') :]
    assert history.count("Version 1") == 12
    assert "March 2024" in history and "2022/23" not in history.split("</table>")[0]
    assert 'href="?year=2022/23#history-heading">2022/23</a>' in big_html


def test_with_the_store_turned_off_nothing_is_stored(trust, client, settings, today):
    settings.STORED_ASSESSMENTS = False
    client.force_login(trust["lead"])
    page = client.get(f"/charters/{trust['charter'].code}/progress/", {"year": YEAR})
    assert page.content.decode().count('data-code="STORE-') == 2
    assert not StoredAssessment.objects.exists()


def test_the_other_year_links_keep_the_moments_shown(db, client, today):
    charter, lead = build("MOMENT", 1)
    client.force_login(lead)
    page = client.get(
        f"/charters/{charter.code}/indicators/M-00/",
        {"year": YEAR, "as_of": "2023-12-31"},
    ).content.decode()
    assert 'href="?year=2022/23&amp;as_of=2023-12-31#history-heading"' in page


@pytest.mark.django_db
def test_a_waiting_version_with_a_newer_one_says_it_is_superseded(trust, cast, client):
    rxn = trust["charter"].organisation
    record(cast["rxn_owner"], trust["01"], rxn, "2023/24-Q1", 7)
    record(cast["rxn_owner"], trust["01"], rxn, "2023/24-Q1", 8, reason="Recount")
    client.force_login(cast["rxn_lead"])
    page = client.get(
        f"/charters/{trust['charter'].code}/indicators/STORE-01/", {"year": YEAR}
    ).content.decode()
    rows = table_rows(page, "history")
    assert [r[0].split("Version ")[1][:1] for r in rows] == ["2", "1"]
    assert "Superseded by version 2" in rows[1][3]
    assert "Superseded" not in rows[0][3]
