"""Sessions: Django's database sessions, remembering when the one read ends.

A kept page (ADR 032) is served only until its session's expiry, read when the page is
kept; the session's row was read a moment before by Django itself, so its expiry is kept
from that read (`expires_at`) rather than asked for again.
"""

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

__all__ = ["SessionStore"]


class SessionStore(DatabaseSessionStore):
    expires_at = None  # the expiry of the session's row, once it has been read

    def _get_session_from_db(self):
        row = super()._get_session_from_db()
        self.expires_at = row.expire_date if row is not None else None
        return row

    async def _aget_session_from_db(self):
        row = await super()._aget_session_from_db()
        self.expires_at = row.expire_date if row is not None else None
        return row
