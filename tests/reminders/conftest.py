from __future__ import annotations

import pytest

from tests.reminders.pushservice import FakePushService, Subscriber


@pytest.fixture
def push_service():
    with FakePushService() as service:
        yield service


@pytest.fixture
def loopback_push(settings):
    """Admit the fake push service's http://127.0.0.1 endpoints."""
    settings.PUSH_ALLOW_HTTP_LOOPBACK = True
    return settings


@pytest.fixture
def subscriber():
    return Subscriber()
