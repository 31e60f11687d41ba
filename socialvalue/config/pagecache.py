"""Whole pages kept for the person who asked, while the database has not changed (ADR 029).

A kept page is found under a key made of:

- the database's snapshot (PostgreSQL's `pg_current_snapshot()`), read before the page reads
  anything else. Two reads with the same snapshot see exactly the same committed rows, in
  every table, so a page kept under a snapshot is the page any later request with that
  snapshot would draw; any commit anywhere (a value recorded, approved or returned, a
  target edited, a person's role changed, figures stored) gives a new snapshot and so new
  keys. Nothing has to announce a change, and nothing can forget to;
- the person: their account's every field, the session and the CSRF cookie (so a form's
  token on a kept page is good for them);
- the address with its query (year, as_of, known_on) and today's date (the status of a
  day, and the periods due, change at midnight);

and the page is drawn again, not kept, whenever that cannot hold: not PostgreSQL (SQLite's
stands in only for trying the product out), inside a transaction (its own writes do not
show in the snapshot), a message waiting to be shown, no CSRF cookie yet, a response that
is not a plain 200 HTML page or that sets a cookie. Each page's CSP nonce is replaced by
the request's own when it is served.

Pages are kept in files (Django's file-based cache, the "pages" cache, in
`PAGE_CACHE_DIR`) shared by every worker process of the server (ADR 031): a page one worker
drew is served by the others. The key also names the database, so two sites, or two test
databases, sharing a folder never share a page, and the release (a digest of this
application's code and templates, and the versions of Django and the NHS.UK templates, and
the static files' manifest), so a page drawn by an older release is never served by a newer.
"""

from __future__ import annotations

import hashlib
import secrets
from functools import cache, wraps
from importlib import metadata
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse
from django.middleware.csp import get_nonce
from django.utils import timezone

__all__ = ["database_snapshot", "kept_page"]

# Stands in for the CSP nonce in a kept page; unguessable, so no page text can hold it.
_NONCE_MARK = "kept-page-nonce-" + secrets.token_hex(16)


def database_snapshot() -> str | None:
    """The database's current snapshot as text, or None where pages are not kept."""
    if not settings.PAGE_CACHE or connection.vendor != "postgresql" or connection.in_atomic_block:
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_snapshot()::text")
        return cursor.fetchone()[0]


@cache
def release() -> str:
    """This release's digest (see `code_digest`), read once per process."""
    package = Path(__file__).resolve().parent.parent
    return code_digest(package, Path(settings.STATIC_ROOT) / "staticfiles.json")


def code_digest(package: Path, manifest: Path) -> str:
    """A digest of what draws a page: the package's code and templates, Django's and the
    NHS.UK templates' versions, and the static files' manifest (the hashed names of the
    styles and scripts a page links to), when there is one."""
    digest = hashlib.sha256()
    for path in sorted([*package.rglob("*.py"), *package.rglob("*.jinja")]):
        digest.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes())
    for name in ("django", "nhsuk-frontend-jinja"):
        digest.update(f"{name}={metadata.version(name)}".encode())
    if manifest.is_file():
        digest.update(manifest.read_bytes())
    return digest.hexdigest()


def _key(request, snapshot: str) -> str:
    user = request.user
    person = [getattr(user, f.attname) for f in user._meta.concrete_fields]
    database = connection.settings_dict
    parts = (
        release(),
        database["HOST"],
        database["PORT"],
        database["NAME"],
        snapshot,
        repr(person),
        request.session.session_key,
        request.COOKIES.get(settings.CSRF_COOKIE_NAME),
        request.get_full_path(),
        timezone.localdate().isoformat(),
    )
    return "page:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def kept_page(view):
    """Serve the view's page from the pages cache while it holds (see the module)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if (
            request.method != "GET"
            or not request.user.is_authenticated
            or settings.CSRF_COOKIE_NAME not in request.COOKIES
            or len(messages.get_messages(request))
        ):
            return view(request, *args, **kwargs)
        snapshot = database_snapshot()
        if snapshot is None:
            return view(request, *args, **kwargs)
        lazy_nonce = get_nonce(request)
        nonce = str(lazy_nonce) if lazy_nonce is not None else None
        cache = caches["pages"]
        key = _key(request, snapshot)
        kept = cache.get(key)
        if kept is not None:
            content_type, text = kept
            if nonce:
                text = text.replace(_NONCE_MARK, nonce)
            return HttpResponse(text, content_type=content_type)
        response = view(request, *args, **kwargs)
        content_type = response.get("Content-Type", "")
        if (
            response.status_code == 200
            and not response.streaming
            and content_type.startswith("text/html")
            and not response.cookies
        ):
            text = response.content.decode(response.charset)
            if nonce:
                text = text.replace(nonce, _NONCE_MARK)
            cache.set(key, (content_type, text))
        return response

    return wrapper
