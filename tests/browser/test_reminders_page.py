"""The reminders page in a real Chromium: accessible, 320 px wide, push only when asked, calendar."""

from __future__ import annotations

import json
import os
import sys
import time
import types
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from playwright.sync_api import expect

from crampwise.reminders.models import CalendarFeed, PushSubscription
from tests.conftest import PASSWORD, make_user
from tests.reminders.web_helpers import b64url, browser_keys

pytestmark = pytest.mark.django_db(transaction=True)

# Set to a folder to keep the screens this test sees.
SHOTS = os.environ.get("CRAMPWISE_SHOTS", "")

# Counts permission questions from the first byte of every page (Playwright's init scripts run
# before the page's own, outside its CSP).
WATCH_PERMISSION = """
window.__permissionAsked = 0;
if (window.Notification) {
  const ask = Notification.requestPermission.bind(Notification);
  Notification.requestPermission = function () { window.__permissionAsked += 1; return ask(); };
}
"""


def fake_push_service(keys: dict) -> str:
    """An init script standing in for the browser's push service: subscribe answers at once."""
    body = json.dumps(
        {
            "endpoint": "https://push.example.net/send/browser-1",
            "expirationTime": None,
            "keys": keys,
        }
    )
    return """
window.__subscribeCalls = 0;
if (window.PushManager) {
  PushManager.prototype.subscribe = function (options) {
    window.__subscribeCalls += 1;
    window.__subscribeKeyLength = options.applicationServerKey.byteLength;
    const json = BODY;
    window.sessionStorage.setItem("fake-push-subscribed", "yes");
    return Promise.resolve({ endpoint: json.endpoint, toJSON: function () { return json; } });
  };
  // Like a real push service, the browser keeps its subscription across page loads.
  PushManager.prototype.getSubscription = function () {
    if (window.sessionStorage.getItem("fake-push-subscribed") !== "yes") return Promise.resolve(null);
    const json = BODY;
    return Promise.resolve({ endpoint: json.endpoint, toJSON: function () { return json; } });
  };
}
""".replace("BODY", body)


RECORD_SUBSCRIBE = """
window.__subscribeCalls = 0;
if (window.PushManager) {
  const real = PushManager.prototype.subscribe;
  PushManager.prototype.subscribe = function (options) {
    window.__subscribeCalls += 1;
    return real.call(this, options);
  };
}
"""


@pytest.fixture
def vapid(monkeypatch):
    """A server key pair's public half, as crampwise.reminders.vapid would give it."""
    point = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    )
    module = types.ModuleType("crampwise.reminders.vapid")
    module.public_key = lambda: b64url(point)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "crampwise.reminders.vapid", module)
    return b64url(point)


def log_in(page, url, username):
    page.goto(url + "/accounts/login/")
    page.locator("#id_login").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(url + "/")


def shoot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def test_the_page_is_accessible_narrow_and_asks_nothing_on_load(
    live_server, page, django_user_model, check_a11y, check_reflow
):
    user = make_user(django_user_model, "remi", time_zone="America/Chicago")
    page.context.add_init_script(WATCH_PERMISSION)
    log_in(page, live_server.url, "remi")
    page.get_by_role("link", name="Reminders").click()
    page.wait_for_url(live_server.url + "/settings/reminders/")
    expect(page.get_by_role("heading", name="Reminders", level=1)).to_be_visible()
    expect(page.get_by_role("button", name="Turn on notifications on this device")).to_be_visible()
    assert page.evaluate("window.__permissionAsked") == 0
    check_a11y(page, "reminders page")
    check_reflow(page)
    shoot(page, "reminders-390")

    page.get_by_label("Remind me in the evening").check()
    page.get_by_label("Evening time").fill("21:30")
    page.get_by_role("button", name="Save reminders").click()
    expect(page.get_by_text("Your reminders are saved.")).to_be_visible()
    expect(page.get_by_label("Evening time")).to_have_value("21:30")
    assert user.reminder_settings.evening_enabled

    page.set_viewport_size({"width": 1280, "height": 900})
    shoot(page, "reminders-1280")
    user.profile.night_mode = "on"
    user.profile.save()
    page.reload()
    check_a11y(page, "reminders page at night")
    shoot(page, "reminders-1280-night")
    page.set_viewport_size({"width": 390, "height": 844})
    shoot(page, "reminders-390-night")


PHONE = "https://push.example.net/send/phone-2"


def test_the_button_subscribes_through_the_service_worker(
    live_server, page, django_user_model, vapid, check_a11y
):
    """With the push service stood in for, the press asks once, subscribes, and lists the device."""
    user = make_user(django_user_model, "pusher")
    keys = browser_keys()
    page.context.grant_permissions(["notifications"], origin=live_server.url)
    page.context.add_init_script(WATCH_PERMISSION)
    page.context.add_init_script(fake_push_service(keys))
    log_in(page, live_server.url, "pusher")
    page.goto(live_server.url + "/settings/reminders/")
    assert page.evaluate("window.__permissionAsked") == 0
    page.get_by_role("button", name="Turn on notifications on this device").click()
    expect(page.locator("#push-status")).to_have_text("Notifications are on for this device.")
    assert page.evaluate("window.__permissionAsked") == 1
    assert page.evaluate("window.__subscribeCalls") == 1
    assert page.evaluate("window.__subscribeKeyLength") == 65  # the server key, as bytes
    stored = PushSubscription.objects.get(user=user)
    assert stored.endpoint == "https://push.example.net/send/browser-1"
    assert stored.p256dh == keys["p256dh"]
    expect(page.locator("#device-list")).to_contain_text("This device, added just now")
    check_a11y(page, "reminders page after subscribing")
    shoot(page, "reminders-subscribed")

    # Pressed again: the same row, and the page says so.
    page.get_by_role("button", name="Turn on notifications on this device").click()
    expect(page.locator("#push-status")).to_have_text("This device already gets notifications.")
    assert PushSubscription.objects.count() == 1

    # The device's own Remove button (added by the script) works without a reload.
    page.locator("#device-list").get_by_role("button", name="Remove").click()
    expect(page.get_by_text("That device will get no more reminders.")).to_be_visible()
    assert not PushSubscription.objects.exists()

    # This browser and another of the same person's: on a new visit the list marks which device
    # is this one, and only that one.
    for endpoint, agent in ((stored.endpoint, "This laptop"), (PHONE, "Phone browser")):
        PushSubscription.objects.create(
            user=user, endpoint=endpoint, p256dh=keys["p256dh"], auth=keys["auth"],
            user_agent=agent,
        )  # fmt: skip
    page.reload()
    expect(page.locator("#device-list .this-device")).to_have_count(1)
    mine = page.locator("#device-list li", has=page.locator(".this-device"))
    expect(mine).to_contain_text("This device · This laptop")
    check_a11y(page, "reminders page with this device marked")
    shoot(page, "reminders-this-device")


def test_headless_chromiums_own_push_service_fails_with_a_clear_message(
    live_server, page, django_user_model, vapid
):
    """The real subscribe: where headless Chromium has no push service, the page says what to do."""
    user = make_user(django_user_model, "headless")
    page.context.grant_permissions(["notifications"], origin=live_server.url)
    page.context.add_init_script(RECORD_SUBSCRIBE)
    log_in(page, live_server.url, "headless")
    page.goto(live_server.url + "/settings/reminders/")
    page.get_by_role("button", name="Turn on notifications on this device").click()
    status = page.locator("#push-status")
    expect(status).not_to_have_text("Asking your browser…", timeout=20_000)
    assert page.evaluate("window.__subscribeCalls") == 1  # the flow reached the browser's subscribe
    if PushSubscription.objects.filter(user=user).exists():
        expect(status).to_have_text("Notifications are on for this device.")
    else:
        expect(status).to_contain_text("cannot get notifications")
        expect(status).to_contain_text("Use the calendar below")


def test_without_a_server_key_the_page_says_push_is_not_set_up(
    live_server, page, django_user_model, monkeypatch
):
    module = types.ModuleType("crampwise.reminders.vapid")
    module.public_key = lambda: ""  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "crampwise.reminders.vapid", module)
    make_user(django_user_model, "nokey")
    page.context.grant_permissions(["notifications"], origin=live_server.url)
    log_in(page, live_server.url, "nokey")
    page.goto(live_server.url + "/settings/reminders/")
    page.get_by_role("button", name="Turn on notifications on this device").click()
    expect(page.locator("#push-status")).to_have_text(
        "Notifications are not set up on this server yet. Use the calendar below."
    )


def test_a_calendar_address_is_made_copied_and_revoked(
    live_server, page, django_user_model, check_a11y
):
    make_user(django_user_model, "cally", time_zone="Asia/Kolkata")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    log_in(page, live_server.url, "cally")
    page.goto(live_server.url + "/settings/reminders/")
    page.get_by_role("button", name="Make a calendar address").click()
    address = page.get_by_role("textbox", name="Calendar address")
    url = address.input_value()
    assert "/calendar/" in url and url.endswith(".ics")
    page.get_by_role("button", name="Copy the address").click()
    expect(page.locator(".copy-status")).to_contain_text("Copied.")
    check_a11y(page, "reminders page with a new calendar address")
    shoot(page, "reminders-calendar")
    feed = page.request.get(url)
    assert feed.status == 200 and "BEGIN:VCALENDAR" in feed.text()
    assert "X-WR-TIMEZONE:Asia/Kolkata" in feed.text()

    page.get_by_role("button", name="Turn off the calendar address").click()
    expect(page.get_by_text("The calendar address is turned off.")).to_be_visible()
    assert not CalendarFeed.objects.exists()
    assert page.request.get(url).status == 404


def service_worker(page, url):
    """The page's service worker, once it controls the page (Playwright can run code inside it)."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    for _ in range(100):
        if page.context.service_workers:
            return page.context.service_workers[0]
        time.sleep(0.1)
    pytest.fail("the service worker did not start")


def test_a_push_shows_its_notification_and_a_tap_opens_only_this_site(
    live_server, page, django_user_model
):
    """The worker's push handler shows the payload; its click handler keeps to this site's paths."""
    make_user(django_user_model, "notified")
    page.context.grant_permissions(["notifications"], origin=live_server.url)
    log_in(page, live_server.url, "notified")
    worker = service_worker(page, live_server.url)
    shown = worker.evaluate(
        """async () => {
        const payload = {title: "Time for bed", body: "Tonight: pack 2", url: "/checkin/?from=push",
                         tag: "evening"};
        const event = new PushEvent("push", {data: JSON.stringify(payload)});
        let done;
        event.waitUntil = (p) => { done = p; };
        self.dispatchEvent(event);
        await done;
        const list = await self.registration.getNotifications({tag: "evening"});
        return list.map((n) => ({title: n.title, body: n.body, url: n.data.url, tag: n.tag}));
    }"""
    )
    assert shown == [
        {
            "title": "Time for bed",
            "body": "Tonight: pack 2",
            "url": "/checkin/?from=push",
            "tag": "evening",
        }
    ]
    outside = worker.evaluate(
        """async () => {
        const event = new PushEvent("push", {data: JSON.stringify({title: "x", url: "https://evil.example/", tag: "t2"})});
        let done;
        event.waitUntil = (p) => { done = p; };
        self.dispatchEvent(event);
        await done;
        const list = await self.registration.getNotifications({tag: "t2"});
        return list[0].data.url;
    }"""
    )
    assert outside == "/"


def test_a_tap_on_a_reminder_takes_the_open_window_to_its_page(
    live_server, page, django_user_model
):
    make_user(django_user_model, "tapper")
    page.context.grant_permissions(["notifications"], origin=live_server.url)
    log_in(page, live_server.url, "tapper")
    worker = service_worker(page, live_server.url)
    for _ in range(100):
        if page.evaluate("navigator.serviceWorker.controller !== null"):
            break
        time.sleep(0.1)
    worker.evaluate(
        """async () => {
        await self.registration.showNotification("Morning", {tag: "morning",
            data: {url: "/checkin/?from=push"}});
        const [notification] = await self.registration.getNotifications({tag: "morning"});
        const event = new NotificationEvent("notificationclick", {notification});
        let done;
        event.waitUntil = (p) => { done = p; };
        self.dispatchEvent(event);
        await done;
    }"""
    )
    page.wait_for_url(live_server.url + "/checkin/?from=push")
