"""Shared fixtures: the people of every access test, and CI's rule that nothing may be skipped."""

from __future__ import annotations

import os
import shutil

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"
ON_POSTGRES = os.environ.get("CRAMPWISE_DATABASE_URL", "").startswith(
    ("postgres://", "postgresql://")
)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI a skipped browser test, or a skipped PostgreSQL test on the PostgreSQL run, fails."""
    outcome = yield
    report = outcome.get_result()
    if not (IN_CI and report.skipped):
        return
    if item.get_closest_marker("browser") or (ON_POSTGRES and item.get_closest_marker("postgres")):
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, which counts as a failure: {report.longrepr}"


PASSWORD = "correct horse battery staple 42"


def make_user(
    django_user_model, username: str, clinician: bool = False, time_zone: str = "Europe/London"
):
    user = django_user_model.objects.create_user(username=username, password=PASSWORD)
    user.profile.time_zone = time_zone
    user.profile.is_clinician = clinician
    user.profile.save()
    return user


@pytest.fixture
def empty_cache():
    """Rate limits count in Django's cache: each test that counts starts, and leaves, it empty."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def owner(django_user_model):
    return make_user(django_user_model, "alice")


@pytest.fixture
def other_patient(django_user_model):
    return make_user(django_user_model, "bob")


@pytest.fixture
def clinician(django_user_model):
    return make_user(django_user_model, "dr_carol", clinician=True)


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    return client


CHROMIUM = os.environ.get("CRAMPWISE_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


# One Chromium for the whole run: Playwright's sync API cannot start a second instance while the
# first one's event loop is alive, so every browser test (in any folder) shares this one.
@pytest.fixture(scope="session")
def browser():
    os.environ.setdefault(
        "DJANGO_ALLOW_ASYNC_UNSAFE", "true"
    )  # Playwright's sync API runs an event loop
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield instance
        instance.close()
