"""Offline logging: entries wait on the phone and reach the server exactly once."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from crampwise.diary.models import Episode, Night
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, url, username):
    page.goto(url + "/accounts/login/")
    page.locator("#id_login").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(url + "/")


def install_service_worker(page, url):
    """Wait for the worker, then visit the night pages once so that it keeps them."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    # The page's own CSP forbids eval, so poll from Python rather than with wait_for_function.
    for _ in range(100):
        if page.evaluate("navigator.serviceWorker.controller !== null"):
            break
        time.sleep(0.1)
    page.goto(url + "/checkin/")
    page.goto(url + "/")


def waiting(page) -> str:
    return page.locator("#outbox-status").inner_text()


def test_two_cramps_and_a_checkin_made_offline_are_stored_once(
    live_server, page, django_user_model, check_a11y
):
    """Offline: two taps and a check-in wait; online again: each is stored exactly once."""
    make_user(django_user_model, "offline")
    url = live_server.url
    log_in(page, url, "offline")
    install_service_worker(page, url)

    page.context.set_offline(True)
    page.get_by_role("button", name="Cramp now").click()
    expect(page.locator("#outbox-status")).to_contain_text("(1)")
    page.get_by_role("button", name="Cramp now").click()
    expect(page.locator("#outbox-status")).to_contain_text("(2)")
    check_a11y(page, "home with waiting entries")
    assert Episode.objects.count() == 0

    page.goto(url + "/checkin/")  # from the service worker's copy
    page.locator("label[for=id_cramps_2]").click()
    page.locator("label[for=id_sleep_quality_1]").click()
    page.get_by_role("button", name="Save this night").click()
    expect(page.locator("#outbox-status")).to_contain_text("(3)")
    assert Night.objects.filter(checked_in_at__isnull=False).count() == 0

    page.context.set_offline(False)
    expect(page.locator("#outbox-status")).to_contain_text("Sent: 3")
    assert Episode.objects.count() == 2
    night = Night.objects.get(checked_in_at__isnull=False)
    assert night.reported_cramps == 2 and night.sleep_quality == 2

    # A reload flushes again: nothing is sent twice.
    page.reload()
    page.evaluate("window.crampwiseOutbox.flush()")
    assert page.evaluate("window.crampwiseOutbox.all().then(e => e.length)") == 0
    assert Episode.objects.count() == 2
    assert Night.objects.filter(checked_in_at__isnull=False).count() == 1


def test_a_logged_out_phone_keeps_its_queue_until_the_next_login(
    live_server, page, django_user_model
):
    """The session ends while entries wait: nothing is lost, and they go after logging in again."""
    make_user(django_user_model, "expired")
    url = live_server.url
    log_in(page, url, "expired")
    install_service_worker(page, url)
    page.context.set_offline(True)
    page.get_by_role("button", name="Cramp now").click()
    expect(page.locator("#outbox-status")).to_contain_text("(1)")
    page.context.clear_cookies()  # the session expired
    page.context.set_offline(False)
    page.evaluate("window.crampwiseOutbox.flush()")
    assert page.evaluate("window.crampwiseOutbox.all().then(e => e.length)") == 1
    assert Episode.objects.count() == 0
    log_in(page, url, "expired")
    expect(page.locator("#outbox-status")).to_contain_text("Sent: 1")
    assert Episode.objects.filter(user__username="expired").count() == 1
