"""Helpers of the reminders web and API tests (not a conftest: the worker's tests share the folder)."""

from __future__ import annotations

import base64
import json
from datetime import datetime

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.core.cache import cache
from django.utils import timezone

from crampwise.api.tokens import create_token


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def browser_keys() -> dict:
    """Keys as a browser makes them: a fresh P-256 public point and a 16-byte secret."""
    point = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    )
    return {"p256dh": b64url(point), "auth": b64url(b"0123456789abcdef")}


def subscription(endpoint: str = "https://push.example.net/send/abc123", **keys) -> dict:
    return {"endpoint": endpoint, "expirationTime": None, "keys": {**browser_keys(), **keys}}


def bearer(user, scope: str = "read-write") -> dict:
    return {"Authorization": f"Bearer {create_token(user, 'tests', scope)[1]}"}


class Caller:
    """The test client calling /api/v1 with a token's headers."""

    def __init__(self, client, headers: dict):
        self.client, self.headers = client, headers

    def get(self, path):
        return self.client.get("/api/v1" + path, headers=self.headers)

    def delete(self, path):
        return self.client.delete("/api/v1" + path, headers=self.headers)

    def send(self, method: str, path: str, data):
        return getattr(self.client, method)(
            "/api/v1" + path,
            json.dumps(data),
            content_type="application/json",
            headers=self.headers,
        )

    def put(self, path, data):
        return self.send("put", path, data)

    def post(self, path, data=None):
        return self.send("post", path, data if data is not None else {})

    def patch(self, path, data):
        return self.send("patch", path, data)


def fields(response) -> set:
    return {item["field"] for item in response.json()["detail"]}


def freeze(monkeypatch, moment: datetime) -> None:
    """Make ``timezone.now()`` answer ``moment`` everywhere the reminders code asks."""
    monkeypatch.setattr(timezone, "now", lambda: moment)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_throttles():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api(client, owner):
    return Caller(client, bearer(owner))


@pytest.fixture
def other_api(client, other_patient):
    return Caller(client, bearer(other_patient))


@pytest.fixture
def clinician_api(client, clinician):
    return Caller(client, bearer(clinician))


@pytest.fixture
def anonymous_api(client):
    return Caller(client, {})
