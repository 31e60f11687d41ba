"""Pages kept while the database is unchanged (ADR 029): who gets a kept page, and when a
page is drawn afresh. The writes themselves are played in test_stored_assessments.py
(every kind of write is shown on the next read, with pages kept)."""

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.contrib.sessions.models import Session
from django.core.cache.backends import locmem
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from socialvalue.config import pagecache
from socialvalue.config.pagecache import database_snapshot
from socialvalue.config.sessions import SessionStore
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
        assert queries_for(client, url, year=YEAR)[0] > 1
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
    assert count > 1 and "Approved" in page and "nhsuk-notification-banner" in page
    assert "nhsuk-notification-banner" not in kept_read(client, url, year=YEAR).content.decode()


def _as_a_fresh_worker():
    """Forget everything this process keeps in memory, as another gunicorn worker would
    know nothing of it: only what is kept outside the process remains."""
    for store in (locmem._caches, locmem._expire_info, locmem._locks):
        store.clear()


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_page_kept_by_one_worker_is_served_by_the_others(trust, cast, client, settings):  # noqa: F811
    url = f"/charters/{trust['charter'].code}/indicators/STORE-01/"
    client.force_login(cast["rxn_lead"])
    client.cookies["csrftoken"] = "w" * 32
    for _ in range(50):  # other test processes commit, and so change the snapshot
        drawn = kept_read(client, url, year=YEAR).content.decode()
        _as_a_fresh_worker()
        with CaptureQueriesContext(connection) as queries:
            served = client.get(url, {"year": YEAR})
        if len(queries) == 1:
            break
    else:
        raise AssertionError("a page kept by one process was never served by another")
    assert served.content.decode().split("nonce")[0] == drawn.split("nonce")[0]
    folder = Path(settings.CACHES["pages"]["LOCATION"])
    assert [p for p in folder.iterdir() if p.suffix == ".djcache"]


def test_a_kept_page_belongs_to_one_session_release_and_database(monkeypatch):
    request = RequestFactory().get("/charters/RXN-SV/progress/", {"year": YEAR})
    request.COOKIES.update(sessionid="s" * 32, csrftoken="c" * 32)
    key = pagecache._key(request, "100:100:")
    assert pagecache._key(request, "100:100:") == key
    assert pagecache._key(request, "100:101:") != key
    for cookie in ("sessionid", "csrftoken"):
        other = RequestFactory().get("/charters/RXN-SV/progress/", {"year": YEAR})
        other.COOKIES.update({"sessionid": "s" * 32, "csrftoken": "c" * 32, cookie: "o" * 32})
        assert pagecache._key(other, "100:100:") != key
    monkeypatch.setattr(pagecache, "release", lambda: "a later release")
    assert pagecache._key(request, "100:100:") != key
    monkeypatch.undo()
    monkeypatch.setitem(connection.settings_dict, "NAME", "another_database")
    assert pagecache._key(request, "100:100:") != key


def test_the_release_digest_changes_with_the_code_templates_or_static_files(tmp_path):
    package, manifest = tmp_path / "app", tmp_path / "staticfiles.json"
    (package / "jinja2").mkdir(parents=True)
    (package / "views.py").write_text("def page(): ...\n")
    (package / "jinja2" / "page.jinja").write_text("<p>{{ figure }}</p>")
    (package / "notes.txt").write_text("not code")
    first = pagecache.code_digest(package, manifest)
    assert pagecache.code_digest(package, manifest) == first and len(first) == 64
    (package / "notes.txt").write_text("still not code")
    assert pagecache.code_digest(package, manifest) == first
    digests = {first}
    for change in (
        lambda: (package / "jinja2" / "page.jinja").write_text("<p>{{ figure }} people</p>"),
        lambda: (package / "views.py").write_text("def page(): return 1\n"),
        lambda: manifest.write_text('{"paths": {"app.css": "app.1a2b.css"}}'),
    ):
        change()
        digests.add(pagecache.code_digest(package, manifest))
    assert len(digests) == 4
    assert len(pagecache.release()) == 64


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_kept_page_is_served_with_the_headers_it_was_drawn_with(trust, cast, client):  # noqa: F811
    url = f"/charters/{trust['charter'].code}/progress/"
    client.force_login(cast["rxn_lead"])
    client.cookies["csrftoken"] = "h" * 32
    drawn = client.get(url, {"year": YEAR})
    kept = kept_read(client, url, year=YEAR)
    for header in ("Content-Type", "Cache-Control", "X-Frame-Options", "Vary"):
        assert kept[header] == drawn[header]
    assert "no-store" in kept["Cache-Control"]
    assert int(kept["Content-Length"]) == len(kept.content)
    # The request's own nonce, in the header and in the page.
    nonce = re.search(r"'nonce-([^']+)'", kept["Content-Security-Policy"]).group(1)
    assert nonce not in drawn.content.decode() and f'nonce="{nonce}"' in kept.content.decode()


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_session_signed_out_elsewhere_gets_no_kept_page(trust, cast, client):  # noqa: F811
    url = f"/charters/{trust['charter'].code}/indicators/STORE-01/"
    client.force_login(cast["rxn_lead"])
    client.cookies["csrftoken"] = "o" * 32
    kept_read(client, url, year=YEAR)
    Session.objects.filter(session_key=client.cookies["sessionid"].value).delete()
    response = client.get(url, {"year": YEAR})
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")


@pytest.mark.django_db
def test_a_kept_page_is_not_served_after_its_session_expires(monkeypatch, settings):
    """The one change to who may see a page that no write makes: time passing."""
    settings.PAGE_CACHE = True
    noon = datetime(2026, 12, 1, 12, tzinfo=UTC)
    clock = {"now": noon}
    monkeypatch.setattr(timezone, "now", lambda: clock["now"])
    monkeypatch.setattr(pagecache, "database_snapshot", lambda: "5:5:")
    drawn = []

    def draw(request):
        request.page_keepable = True
        # The session as Django read it, its row ending a minute after noon.
        request.session = SimpleNamespace(
            session_key="k" * 32, expires_at=noon + timedelta(minutes=1)
        )
        drawn.append(request)
        return HttpResponse(f"<p>Page {len(drawn)}</p>")

    keeper = pagecache.KeptPages(draw)

    def get():
        request = RequestFactory().get("/charters/RXN-SV/progress/")
        request.COOKIES.update({"sessionid": "k" * 32, "csrftoken": "c" * 32})
        return keeper(request).content.decode()

    assert [get(), get()] == ["<p>Page 1</p>", "<p>Page 1</p>"]  # drawn, then kept
    clock["now"] = noon + timedelta(minutes=2)  # the same day, the session over
    assert get() == "<p>Page 2</p>"
    assert len(drawn) == 2


def test_the_page_folder_is_kept_near_its_size_listed_every_hundred_pages(tmp_path):
    files = pagecache.PageFiles(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 10}})
    for n in range(250):
        files.set(f"page-{n}", f"<p>{n}</p>")
        kept = len(list(tmp_path.glob("*.djcache")))
        # Listed (and culled to two thirds) once every 100 pages: never past 10 + 100.
        assert kept <= 10 + pagecache.PageFiles.CULL_EVERY
    assert kept < 250
    assert files.get("page-249") == "<p>249</p>"


@pytest.mark.django_db
def test_the_session_read_for_a_request_keeps_its_expiry(cast, client):
    client.force_login(cast["rxn_lead"])
    key = client.cookies["sessionid"].value
    row = Session.objects.get(session_key=key)
    store = SessionStore(key)
    assert store.expires_at is None
    assert store.get("_auth_user_id") == str(cast["rxn_lead"].pk)
    assert store.expires_at == row.expire_date
    Session.objects.filter(session_key=key).delete()
    gone = SessionStore(key)
    assert gone.get("_auth_user_id") is None and gone.expires_at is None
