"""Whole pages kept for the person who asked, while the database has not changed (ADR 029,
031, 032).

A kept page is found under a key made of:

- the database's snapshot (PostgreSQL's `pg_current_snapshot()`), read before anything in the
  request reads the database (the session and the person included). Two reads with the same
  snapshot see exactly the same committed rows, in every table, so a page kept under a
  snapshot is the page any later request with that snapshot would draw; any commit anywhere
  (a value recorded, approved or returned, a target edited, a person's role changed, a
  session signed out, figures stored) gives a new snapshot and so new keys. Nothing has to
  announce a change, and nothing can forget to;
- the person's session cookie and CSRF cookie: a session stands for one person, and only a
  write can change which, or end it before its time; a form's token on a kept page is good
  for the CSRF cookie it was drawn with;
- the address with its query (year, as_of, known_on) and today's date (the status of a
  day, and the periods due, change at midnight);
- the database (host, port, name) and the release (`release`: the code, templates, static
  files and settings that draw a page), so that two sites or two releases never share a page.

A kept page is served only before its session's expiry (read when the page was kept), the
one change to who may see it that no write makes. Serving it reads the snapshot and one
file: the session, the person and the rest of the request's work are skipped
(`KeptPages`, a middleware placed before the session's), and the page is served with the
headers it was drawn with and the request's own CSP nonce.

A page is drawn again, and not kept, whenever that cannot hold: not PostgreSQL (SQLite's
stands in only for trying the product out), inside a transaction (its own writes do not
show in the snapshot), a message waiting to be shown (in the session or its own cookie), no
session or CSRF cookie, a person not signed in, a response that is not a plain 200 HTML
page or that sets a cookie (other than renewing the same CSRF cookie).

Pages are kept in files (Django's file-based cache, the "pages" cache, in
`PAGE_CACHE_DIR`) shared by every worker process of the server (ADR 031): a page one worker
drew is served by the others.
"""

from __future__ import annotations

import hashlib
import random
import secrets
from dataclasses import dataclass
from datetime import datetime
from functools import cache, wraps
from importlib import metadata
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.cache import caches
from django.core.cache.backends.filebased import FileBasedCache
from django.db import connection
from django.http import HttpResponse
from django.middleware.csp import get_nonce
from django.urls import Resolver404, resolve
from django.utils import timezone

__all__ = ["KeptPages", "PageFiles", "database_snapshot", "kept_page"]

# Stands in for the CSP nonce in a kept page; unguessable, so no page text can hold it.
_NONCE_MARK = "kept-page-nonce-" + secrets.token_hex(16)
# Sessions that are rows of the database (so ending one is a write) and remember the
# expiry of the row read (config/sessions.py): with any other engine no page is kept.
_SESSION_ENGINE = "socialvalue.config.sessions"


class PageFiles(FileBasedCache):
    """Django's file-based cache, for kept pages (ADR 031), that lists its folder to keep
    it under MAX_ENTRIES once every CULL_EVERY pages a process keeps, not at every one:
    listing a folder of a thousand pages costs about 2 ms, a tenth of drawing a page. The
    folder may hold up to CULL_EVERY pages more per process meanwhile; a page removed is
    drawn again when next asked for."""

    CULL_EVERY = 100

    def __init__(self, dir, params):
        super().__init__(dir, params)
        self._kept_since_cull = 0

    def _cull(self):
        self._kept_since_cull += 1
        if self._kept_since_cull < self.CULL_EVERY:
            return
        self._kept_since_cull = 0
        files = self._list_cache_files()
        if len(files) < self._max_entries:
            return
        # Down to MAX_ENTRIES less a third of it (Django frees a third of the entries at a
        # time), whatever the folder grew to between two listings.
        spare = self._max_entries // self._cull_frequency
        for name in random.sample(files, len(files) - self._max_entries + spare):
            self._delete(name)


def database_snapshot() -> str | None:
    """The database's current snapshot as text, or None where pages are not kept."""
    if not settings.PAGE_CACHE or connection.vendor != "postgresql" or connection.in_atomic_block:
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_snapshot()::text")
        return cursor.fetchone()[0]


@cache
def release() -> str:
    """This release's digest (see `code_digest`), with its settings, read once per process."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(
        code_digest(package, Path(settings.STATIC_ROOT) / "staticfiles.json").encode()
    )
    for name in sorted(n for n in dir(settings) if n.isupper()):
        value = getattr(settings, name)
        if _plain(value):
            digest.update(f"{name}={value!r}".encode())
    return digest.hexdigest()


def _plain(value) -> bool:
    """Plain data, whose text is the same in every process (no object's address in it)."""
    if isinstance(value, str | int | float | bool | Path) or value is None:
        return True
    if isinstance(value, list | tuple):
        return all(_plain(v) for v in value)
    if isinstance(value, dict):
        return all(_plain(k) and _plain(v) for k, v in value.items())
    return False


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
    database = connection.settings_dict
    parts = (
        release(),
        database["HOST"],
        database["PORT"],
        database["NAME"],
        snapshot,
        request.COOKIES.get(settings.SESSION_COOKIE_NAME),
        request.COOKIES.get(settings.CSRF_COOKIE_NAME),
        request.get_full_path(),
        timezone.localdate().isoformat(),
    )
    return "page:" + hashlib.sha256(repr(parts).encode()).hexdigest()


@dataclass(frozen=True)
class _Kept:
    text: str  # the page, its CSP nonce replaced by _NONCE_MARK
    headers: tuple[tuple[str, str], ...]
    session_expires: datetime


def kept_page(view):
    """Mark a view whose pages may be kept (see the module). The page is kept only when the
    person is signed in and has no message waiting, which only the view's request knows."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        request.page_keepable = bool(
            request.user.is_authenticated and not len(messages.get_messages(request))
        )
        return view(request, *args, **kwargs)

    wrapper.keeps_page = True
    return wrapper


class KeptPages:
    """Serve a kept page before the session and the person are read; keep the pages of
    views marked `kept_page` (see the module)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        snapshot = self._snapshot(request)
        if snapshot is None:
            return self.get_response(request)
        cache_ = caches["pages"]
        key = _key(request, snapshot)
        nonce = get_nonce(request)
        nonce = str(nonce) if nonce is not None else None
        kept = cache_.get(key)
        if isinstance(kept, _Kept) and timezone.now() < kept.session_expires:
            text = kept.text.replace(_NONCE_MARK, nonce) if nonce else kept.text
            response = HttpResponse(text)
            for header, value in kept.headers:
                response[header] = value
            response["Content-Length"] = str(len(response.content))
            return response
        response = self.get_response(request)
        expires = self._keepable(request, response)
        if expires is not None:
            text = response.content.decode(response.charset)
            if nonce:
                text = text.replace(nonce, _NONCE_MARK)
            headers = tuple(
                (h, v) for h, v in response.items() if h.lower() not in ("content-length",)
            )
            cache_.set(key, _Kept(text=text, headers=headers, session_expires=expires))
        return response

    @staticmethod
    def _snapshot(request) -> str | None:
        """The snapshot to key the page by, or None when this request's page is not kept."""
        cookies = request.COOKIES
        if (
            not settings.PAGE_CACHE
            or request.method != "GET"
            or settings.SESSION_ENGINE != _SESSION_ENGINE
            or settings.SESSION_COOKIE_NAME not in cookies
            or settings.CSRF_COOKIE_NAME not in cookies
            # Messages stored in their own cookie (Django's CookieStorage, emptied when shown).
            or cookies.get("messages")
        ):
            return None
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
        if not getattr(match.func, "keeps_page", False):
            return None
        return database_snapshot()

    @staticmethod
    def _keepable(request, response) -> datetime | None:
        """The session's expiry, when the page drawn may be kept; otherwise None."""
        if not getattr(request, "page_keepable", False):
            return None
        if (
            response.status_code != 200
            or response.streaming
            or not response.get("Content-Type", "").startswith("text/html")
        ):
            return None
        csrf = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
        for name, morsel in response.cookies.items():
            # Django sends the CSRF cookie again, unchanged, to renew it; any other cookie,
            # or a new CSRF secret, belongs to this response alone.
            if name != settings.CSRF_COOKIE_NAME or morsel.value != csrf:
                return None
        session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        if getattr(getattr(request, "session", None), "session_key", None) != session_key:
            return None
        # The expiry of the session's row, as Django read it for this request.
        return request.session.expires_at
