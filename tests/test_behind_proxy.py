"""Behind a reverse proxy, sign-in limits count each visitor's address, not the proxy's."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PRINT_COUNT = (
    "import django; django.setup(); from django.conf import settings; "
    "print(getattr(settings, 'ALLAUTH_TRUSTED_PROXY_COUNT', 0))"
)


@pytest.mark.parametrize(("behind", "count"), [("true", "1"), ("false", "0")])
def test_behind_proxy_trusts_one_proxy_for_allauth(tmp_path, behind, count):
    """CRAMPWISE_BEHIND_PROXY tells allauth to take the address our proxy appended, and only then."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CRAMPWISE_")} | {
        "CRAMPWISE_DATA_DIR": str(tmp_path),
        "CRAMPWISE_BEHIND_PROXY": behind,
        "DJANGO_SETTINGS_MODULE": "crampwise.settings",
    }
    out = subprocess.run(
        [sys.executable, "-c", PRINT_COUNT], env=env, capture_output=True, text=True, timeout=120
    )
    assert out.stdout.strip() == count, out.stderr[-2000:]


def test_one_visitors_failed_sign_ins_do_not_lock_out_another(client, settings, empty_cache):
    """Ten failed sign-ins from one address behind the proxy refuse that address, not the next."""
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

    def sign_in(username: str, address: str) -> str:
        # The first entry is the visitor's own claim, the last the one the proxy added.
        forwarded = f"10.9.9.9, {address}"
        response = client.post(
            reverse("account_login"),
            {"login": username, "password": "wrong"},
            HTTP_X_FORWARDED_FOR=forwarded,
        )
        return response.content.decode()

    for i in range(10):
        assert "not correct" in sign_in(f"guess{i}", "203.0.113.7")
    assert "Too many failed login attempts" in sign_in("guess10", "203.0.113.7")
    assert "not correct" in sign_in("guess11", "198.51.100.20")
