"""Flash messages in a signed cookie, as Django's default storage keeps them, signed once per text.

Django signs (serializes, compresses, HMACs) the cookie on every response that carries a message,
as after every morning check-in. The same messages always sign to the same cookie (this signer
has no timestamp), so the signed value is kept per message text and signing key. Everything else,
including the fallback to the session for messages too large for a cookie, is Django's
FallbackStorage.
"""

from __future__ import annotations

from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.messages.storage.session import SessionStorage

SIGNED_CACHE_SIZE = 2048  # distinct message lists kept; "Thank you. The night of ... is saved." and kin
_signed: dict[tuple, str] = {}


class SignedOnceCookieStorage(CookieStorage):
    def _encode_parts(self, messages, encode_empty=False):
        if not (messages or encode_empty):
            return None
        # Each part is one message already serialized to a JSON string: the list is its own key.
        key = (self.signer.key, self.signer.salt, self.signer.algorithm, tuple(messages))
        encoded = _signed.get(key)
        if encoded is None:
            encoded = super()._encode_parts(messages, encode_empty)
            if len(_signed) >= SIGNED_CACHE_SIZE:
                _signed.clear()  # rare; simpler than tracking use, and the next signing refills it
            _signed[key] = encoded
        return encoded


class MessageStorage(FallbackStorage):
    storage_classes = (SignedOnceCookieStorage, SessionStorage)
