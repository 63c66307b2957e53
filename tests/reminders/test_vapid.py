"""The server's VAPID key: generated once, owner-only, or taken from the settings."""

from __future__ import annotations

import base64
import stat
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from py_vapid import Vapid02

from crampwise.reminders import vapid


@pytest.fixture
def fresh_keys(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.VAPID_PRIVATE_KEY = ""
    settings.VAPID_PUBLIC_KEY = ""
    vapid.keys.cache_clear()
    yield settings
    vapid.keys.cache_clear()


def raw(key: str) -> bytes:
    return base64.urlsafe_b64decode(key + "=" * (-len(key) % 4))


def test_a_key_is_generated_once_into_the_data_dir_readable_by_its_owner_only(fresh_keys):
    first = vapid.public_key()
    path = Path(fresh_keys.DATA_DIR) / vapid.KEY_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(raw(first)) == 65 and raw(first)[0] == 4  # an uncompressed P-256 point
    vapid.keys.cache_clear()
    assert vapid.public_key() == first  # kept, not replaced: subscriptions depend on it


def test_a_key_set_by_setting_is_used(fresh_keys):
    own = Vapid02()
    own.generate_keys()
    fresh_keys.VAPID_PRIVATE_KEY = own.private_pem().decode()
    expected = vapid._public(own)
    fresh_keys.VAPID_PUBLIC_KEY = expected
    assert vapid.public_key() == expected
    assert not (Path(fresh_keys.DATA_DIR) / vapid.KEY_FILE).exists()


def test_a_public_key_that_does_not_match_is_refused(fresh_keys):
    own, other = Vapid02(), Vapid02()
    own.generate_keys()
    other.generate_keys()
    fresh_keys.VAPID_PRIVATE_KEY = own.private_pem().decode()
    fresh_keys.VAPID_PUBLIC_KEY = vapid._public(other)
    with pytest.raises(ImproperlyConfigured, match="CRAMPWISE_VAPID_PUBLIC_KEY"):
        vapid.public_key()


def test_a_broken_private_key_names_the_setting(fresh_keys):
    fresh_keys.VAPID_PRIVATE_KEY = "not a key"
    with pytest.raises(ImproperlyConfigured, match="CRAMPWISE_VAPID_PRIVATE_KEY"):
        vapid.public_key()


def test_plain_http_endpoints_are_refused_unless_a_local_test_service_is_allowed(
    settings, monkeypatch
):
    import socket

    from crampwise.reminders.delivery import endpoint_allowed

    # No lookups from tests: the push service's name resolves to a public address.
    public = [(None, None, None, "", ("142.250.0.1", 443))]
    monkeypatch.setattr(socket, "getaddrinfo", lambda *args, **kwargs: public)
    settings.PUSH_ALLOW_HTTP_LOOPBACK = False
    assert endpoint_allowed("https://fcm.googleapis.com/fcm/send/abc")
    assert not endpoint_allowed("http://127.0.0.1:9000/push/abc")
    settings.PUSH_ALLOW_HTTP_LOOPBACK = True
    assert endpoint_allowed("http://127.0.0.1:9000/push/abc")
    assert not endpoint_allowed("http://push.example.org/abc")
