"""Fixtures of the API tests: tokens for the people of tests/conftest.py, and a clean throttle."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from crampwise.api.tokens import create_token


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Argon2 is slow on purpose; these tests make several accounts each and test no password."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_throttles():
    """Throttle counts live in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def owner_token(owner) -> str:
    return create_token(owner, "tests", "read-write")[1]


@pytest.fixture
def owner_headers(owner_token) -> dict:
    return bearer(owner_token)


@pytest.fixture
def api(client, owner_headers):
    """The test client, calling as the owner with a read-write token."""

    class Caller:
        def get(self, path, **kw):
            return client.get("/api/v1" + path, headers=owner_headers, **kw)

        def delete(self, path):
            return client.delete("/api/v1" + path, headers=owner_headers)

        def put(self, path, data):
            return client.put(
                "/api/v1" + path, data, content_type="application/json", headers=owner_headers
            )

        def post(self, path, data):
            return client.post(
                "/api/v1" + path, data, content_type="application/json", headers=owner_headers
            )

        def patch(self, path, data):
            return client.patch(
                "/api/v1" + path, data, content_type="application/json", headers=owner_headers
            )

    return Caller()


def fields(response) -> set:
    """The fields named by an error answer."""
    return {item["field"] for item in response.json()["detail"]}
