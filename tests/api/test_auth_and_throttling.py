"""Sessions need CSRF for changes; tokens are checked, scoped and throttled; so are addresses."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django.utils import timezone

from crampwise.api.models import AccessToken
from crampwise.api.tokens import create_token, hash_token
from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db


@pytest.fixture
def strict_client(owner):
    """A logged-in browser whose changes are CSRF-checked as in production."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(owner)
    return browser


def test_a_session_reads_without_csrf_but_needs_it_to_write(strict_client):
    """GET works with the cookie alone; PUT needs the X-CSRFToken header."""
    assert strict_client.get("/api/v1/nights").status_code == 200
    refused = strict_client.put(
        "/api/v1/nights/2026-11-20", {"cramps": 0}, content_type="application/json"
    )
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"][0]["message"]
    secret = _get_new_csrf_string()
    strict_client.cookies["csrftoken"] = secret
    allowed = strict_client.put(
        "/api/v1/nights/2026-11-20",
        {"cramps": 0},
        content_type="application/json",
        headers={"X-CSRFToken": secret},
    )
    assert allowed.status_code == 200


def test_a_token_needs_no_csrf(client, owner_headers):
    """Tokens are not sent by browsers on their own, so they need no CSRF token."""
    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.put(
        "/api/v1/nights/2026-11-20",
        {"cramps": 0},
        content_type="application/json",
        headers=owner_headers,
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    "header",
    [
        "Bearer cw_not-a-real-token",
        "Bearer ",
        "Basic YWxpY2U6cGFzcw==",
        "cw_nothing",
        "Bearer " + "x" * 5000,
    ],
)
def test_anything_but_a_valid_token_is_a_401(client, owner, header):
    """Wrong schemes, unknown tokens and junk are refused alike."""
    response = client.get("/api/v1/nights", headers={"Authorization": header})
    assert response.status_code == 401 and response.json()["detail"][0]["field"] is None


def test_a_closed_account_s_token_stops_working(client, owner, owner_headers):
    """A deactivated account's tokens are refused."""
    owner.is_active = False
    owner.save()
    assert client.get("/api/v1/nights", headers=owner_headers).status_code == 401


def test_tokens_are_stored_only_as_a_hash(owner):
    """The database holds the SHA-256 and a short prefix, never the token."""
    made, secret = create_token(owner, "phone", "read")
    stored = AccessToken.objects.get(pk=made.pk)
    assert stored.token_hash == hash_token(secret) and secret not in stored.token_hash
    assert secret.startswith(stored.prefix) and len(stored.prefix) < len(secret) // 3
    assert len(secret) >= 40


def test_the_last_use_is_recorded_to_the_minute(client, owner):
    """last_used_at is set on use and not rewritten within the minute."""
    made, secret = create_token(owner, "phone", "read")
    client.get("/api/v1/nights", headers=bearer(secret))
    first = AccessToken.objects.get(pk=made.pk).last_used_at
    assert first is not None and timezone.now() - first < timedelta(seconds=10)
    client.get("/api/v1/nights", headers=bearer(secret))
    assert AccessToken.objects.get(pk=made.pk).last_used_at == first


def test_each_token_has_its_own_budget(client, owner, settings):
    """Past the per-token rate, a token gets 429 with Retry-After; another token does not."""
    settings.API_RATE_PER_TOKEN = "3/min"
    first, second = bearer(create_token(owner, "a")[1]), bearer(create_token(owner, "b")[1])
    statuses = [client.get("/api/v1/nights", headers=first).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = client.get("/api/v1/nights", headers=first)
    assert int(limited["Retry-After"]) > 0 and limited.json()["detail"][0]["message"]
    assert client.get("/api/v1/nights", headers=second).status_code == 200


def test_an_address_is_throttled_even_when_it_is_refused(client, owner, settings):
    """Failed attempts count against the IP address, so guessing tokens is throttled too."""
    settings.API_RATE_PER_IP = "3/min"
    wrong = {"Authorization": "Bearer cw_guess"}
    statuses = [client.get("/api/v1/nights", headers=wrong).status_code for _ in range(4)]
    assert statuses == [401, 401, 401, 429]
    assert client.get("/api/v1/nights", headers=wrong, REMOTE_ADDR="10.9.8.7").status_code == 401


def test_a_forged_forwarded_for_header_does_not_escape_the_limit(client, owner, settings):
    """X-Forwarded-For is trusted only behind a proxy; otherwise the real address counts."""
    settings.API_RATE_PER_IP = "2/min"
    codes = [
        client.get("/api/v1/ping", headers={"X-Forwarded-For": f"10.0.0.{i}"}).status_code
        for i in range(3)
    ]
    assert codes == [200, 200, 429]


def test_the_ping_needs_no_login(client):
    """/ping answers anyone, so a client can check the address."""
    assert client.get("/api/v1/ping").json() == {"status": "ok"}


def test_the_default_rates_are_the_documented_ones():
    """docs/api.md states the defaults the code uses."""
    from pathlib import Path

    from crampwise.api.throttles import DEFAULT_RATE_PER_IP, DEFAULT_RATE_PER_TOKEN

    docs = (Path(__file__).resolve().parents[2] / "docs" / "api.md").read_text()
    assert f"`{DEFAULT_RATE_PER_TOKEN}`" in docs and f"`{DEFAULT_RATE_PER_IP}`" in docs


def test_a_malformed_rate_is_reported_by_the_system_check(settings):
    """`crampwise manage check` names the setting before a request would fail on it."""
    from crampwise.api.checks import check_api_rates

    assert check_api_rates() == []
    settings.API_RATE_PER_IP = "lots"
    errors = check_api_rates()
    assert len(errors) == 1 and "CRAMPWISE_API_RATE_PER_IP" in errors[0].msg
