"""Database sessions that bring the signed-in person with them: one statement per request.

Same data, same signing and same expiry rule as ``django.contrib.sessions.backends.db``, in a table
of our own (``UserSession``) that also holds the signed-in user's id. That column lets the read of
the session join the user and their profile, which every page needs: one statement instead of
three (the profile's join is prepared SQL, see crampwise/prepared_sql.py for why). The user read
here is handed to the authentication backend only for the request whose session named that very
user (accounts/middleware.py); Django's checks of the session (its hash of the password) still run.

A stored value is also checked and decoded once per process, not on every request: its signature
cannot change without the text changing, so the text is the cache key; every caller gets its own
copy, since a session is changed in place.
"""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict
from functools import lru_cache

from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import connections, router
from django.utils import timezone

from crampwise import prepared_sql

from .models import Profile, UserSession

DECODED_CACHE_SIZE = 4096  # sessions whose decoded data is kept; a few MB at most
_decoded: OrderedDict[str, dict] = OrderedDict()
_decoded_lock = threading.Lock()
_FLAT = (str, int, float, bool, type(None))


def _copy(data: dict) -> dict:
    """A copy the caller may change freely (values that are lists or dicts are copied too)."""
    return {key: value if isinstance(value, _FLAT) else copy.deepcopy(value) for key, value in data.items()}


class SessionStore(DatabaseSessionStore):
    # The person this session belongs to, read with it: (user, profile), or None.
    signed_in_rows = None

    @classmethod
    def get_model_class(cls):
        return UserSession

    def create_model_instance(self, data):
        session = super().create_model_instance(data)
        user_id = data.get(SESSION_KEY)
        session.user_id = int(user_id) if isinstance(user_id, str) and user_id.isdigit() else None
        return session

    def load(self):
        self.signed_in_rows = None
        if not self.session_key:
            self._session_key = None
            return {}
        alias = router.db_for_read(UserSession)
        connection = connections[alias]
        plan = _read_plan(alias)
        rows = prepared_sql.select_rows(alias, plan.sql, [
            self.session_key, connection.ops.adapt_datetimefield_value(timezone.now())])
        if not rows:
            self._session_key = None
            return {}
        data = self.decode(rows[0][0])
        user = plan.user.build(rows[0], connection)
        # Only when the signed session itself names this user (the column is a copy, kept for the join).
        if user is not None and data.get(SESSION_KEY) == str(user.pk):
            self.signed_in_rows = (user, plan.profile.build(rows[0], connection))
        return data

    def decode(self, session_data):
        with _decoded_lock:
            data = _decoded.get(session_data)
            if data is not None:
                _decoded.move_to_end(session_data)
        if data is None:
            data = super().decode(session_data)
            if not data:
                return data  # empty or not verifiable: nothing worth keeping
            with _decoded_lock:
                _decoded[session_data] = data
                while len(_decoded) > DECODED_CACHE_SIZE:
                    _decoded.popitem(last=False)
        return _copy(data)


class _ReadPlan:
    def __init__(self, alias: str):
        quote = connections[alias].ops.quote_name
        user_model = get_user_model()
        self.user = prepared_sql.RowReader(user_model, alias, start=1)
        self.profile = prepared_sql.RowReader(Profile, alias, start=self.user.end)
        sessions, users, profiles = (quote(m._meta.db_table) for m in (UserSession, user_model, Profile))

        def column(model, name):
            return quote(model._meta.get_field(name).column)

        self.sql = (
            f"SELECT {sessions}.{column(UserSession, 'session_data')}, {self.user.columns}, {self.profile.columns} "
            f"FROM {sessions} "
            f"LEFT JOIN {users} ON {users}.{quote(user_model._meta.pk.column)} = {sessions}.{column(UserSession, 'user')} "
            f"LEFT JOIN {profiles} ON {profiles}.{column(Profile, 'user')} = {users}.{quote(user_model._meta.pk.column)} "
            f"WHERE {sessions}.{column(UserSession, 'session_key')} = %s "
            f"AND {sessions}.{column(UserSession, 'expire_date')} > %s"
        )


@lru_cache(maxsize=8)
def _read_plan(alias: str) -> _ReadPlan:
    return _ReadPlan(alias)
