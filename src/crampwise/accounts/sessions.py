"""Django's database sessions, read with SQL built once (the session is read on every request).

Same table, same data, same expiry rule as ``django.contrib.sessions.backends.db``; only the
read is cheaper (see crampwise/prepared_sql.py for why and how much):
- one column, ``session_data``, is read, with prepared SQL, and only while unexpired;
- a stored value is checked and decoded once per process, not on every request. Its signature
  cannot change without the text changing, so the text is the cache key; every caller gets its
  own copy, since a session is changed in place.
"""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.utils import timezone

from crampwise.prepared_sql import fetch_values

DECODED_CACHE_SIZE = 4096  # sessions whose decoded data is kept; a few MB at most
_decoded: OrderedDict[str, dict] = OrderedDict()
_decoded_lock = threading.Lock()
_FLAT = (str, int, float, bool, type(None))


def _copy(data: dict) -> dict:
    """A copy the caller may change freely (values that are lists or dicts are copied too)."""
    return {key: value if isinstance(value, _FLAT) else copy.deepcopy(value) for key, value in data.items()}


class SessionStore(DatabaseSessionStore):
    def load(self):
        if not self.session_key:
            self._session_key = None
            return {}
        rows = fetch_values(self.model, ("session_data",), session_key=self.session_key,
                            expire_date__gt=timezone.now())
        if not rows:
            self._session_key = None
            return {}
        return self.decode(rows[0][0])

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
