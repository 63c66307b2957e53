"""Flash messages in a signed cookie, as Django's default storage keeps them, signed once per text.

Django serializes, compresses, signs and size-checks the cookie on every response that carries a
message, as after every morning check-in. The same messages always give the same cookie (this
signer has no timestamp), so the finished cookie value is kept per list of messages and signing key.
Only lists that fit whole in the cookie are kept; anything else (too large, so partly left to the
session) is Django's FallbackStorage at work, unchanged.
"""

from __future__ import annotations

from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.messages.storage.session import SessionStorage
from django.utils.safestring import SafeData

STORED_CACHE_SIZE = 2048  # distinct message lists kept; "Thank you. The night of ... is saved." and kin
_stored: dict[tuple, str] = {}


class SignedOnceCookieStorage(CookieStorage):
    def _store(self, messages, response, remove_oldest=True, *args, **kwargs):
        if not messages:
            return super()._store(messages, response, remove_oldest, *args, **kwargs)
        # Everything the cookie is made of: the key and how it signs, the size limit, each message.
        key = (self.signer.key, self.signer.salt, self.signer.algorithm, self.max_cookie_size,
               tuple((m.level, str(m.message), m.extra_tags, isinstance(m.message, SafeData)) for m in messages))
        value = _stored.get(key)
        if value is not None:
            self._update_cookie(value, response)
            return []
        unstored = super()._store(messages, response, remove_oldest, *args, **kwargs)
        if not unstored:
            if len(_stored) >= STORED_CACHE_SIZE:
                _stored.clear()  # rare; simpler than tracking use, and the next message refills it
            _stored[key] = response.cookies[self.cookie_name].value
        return unstored


class MessageStorage(FallbackStorage):
    storage_classes = (SignedOnceCookieStorage, SessionStorage)
