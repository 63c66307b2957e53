"""Fixtures of the series tests."""

from __future__ import annotations

import pytest

from tests.series.builders import protocol_for
from tests.trials.conftest import syllables_without_downloads  # noqa: F401  # shared fixture


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Argon2 is slow on purpose; these tests make many accounts and never test passwords.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def protocol(clinician):
    return protocol_for(clinician)


@pytest.fixture
def blinded_protocol(clinician):
    return protocol_for(clinician, title="Blinded magnesium", blinded=True)
