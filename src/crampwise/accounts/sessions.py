"""Django's database sessions, read with SQL built once (the session is read on every request).

Same table, same data, same expiry rule as ``django.contrib.sessions.backends.db``; only the
read is cheaper (see crampwise/prepared_sql.py for why and how much).
"""

from __future__ import annotations

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.utils import timezone

from crampwise.prepared_sql import fetch_one


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self):
        if not self.session_key:
            self._session_key = None
            return None
        session = fetch_one(self.model, session_key=self.session_key, expire_date__gt=timezone.now())
        if session is None:
            self._session_key = None
        return session
