"""Pages kept while the database is unchanged (ADR 029): who gets a kept page, and when a
page is drawn afresh. The writes themselves are played in test_stored_assessments.py
(every kind of write is shown on the next read, with pages kept)."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from socialvalue.config.pagecache import database_snapshot
from tests.test_stored_assessments import (  # noqa: F401 (trust is a fixture)
    YEAR,
    kept_read,
    record,
    trust,
)

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="pages are kept on PostgreSQL only"
)


def queries_for(client, url, **query) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, query)
    assert response.status_code == 200
    return len(queries), response.content.decode()


@pytest.mark.django_db
def test_no_page_is_kept_inside_a_transaction_or_on_sqlite():
    with transaction.atomic():
        assert database_snapshot() is None


@pytest.mark.django_db(transaction=True)
def test_the_snapshot_is_read_only_on_postgresql():
    snapshot = database_snapshot()
    if connection.vendor == "postgresql":
        xmin, xmax, _running = snapshot.split(":")
        assert int(xmin) <= int(xmax)
    else:
        assert snapshot is None


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_each_person_gets_only_their_own_kept_page(trust, cast, client):  # noqa: F811
    url = f"/charters/{trust['charter'].code}/progress/"
    pages = {}
    for person in ("rxn_lead", "rxn_viewer"):
        client.force_login(cast[person])
        client.cookies["csrftoken"] = "p" * 32
        pages[person] = kept_read(client, url, year=YEAR).content.decode()
    for person, other in (("rxn_lead", "rxn_viewer"), ("rxn_viewer", "rxn_lead")):
        assert str(cast[person]) in pages[person]
        assert str(cast[other]) not in pages[person]


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_page_is_drawn_afresh_without_a_csrf_cookie_or_with_a_message(trust, cast, client):  # noqa: F811
    url = f"/charters/{trust['charter'].code}/indicators/STORE-01/"
    client.force_login(cast["rxn_lead"])
    # No CSRF cookie yet: a kept page's forms would carry a token for another secret.
    for _ in range(3):
        assert queries_for(client, url, year=YEAR)[0] > 3
    client.cookies["csrftoken"] = "m" * 32
    kept_read(client, url, year=YEAR)
    # Approving a value leaves a message for the next page: it is drawn with the message,
    # once, and not kept with it.
    value = record(cast["rxn_owner"], trust["01"], trust["charter"].organisation, "2023/24-Q1", 7)
    approved = client.post(
        f"/values/{value.pk}/review/",
        {"decision": "approved", "comment": "", "next": f"{url}?year={YEAR}"},
    )
    assert approved.status_code == 302
    count, page = queries_for(client, url, year=YEAR)
    assert count > 3 and "Approved" in page and "nhsuk-notification-banner" in page
    assert "nhsuk-notification-banner" not in kept_read(client, url, year=YEAR).content.decode()
