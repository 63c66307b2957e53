"""3 a.m. in the person's own zone: sign-up takes the browser's zone, night mode is on, and the
cramp page shows the local time with "It's over" on the first phone screen."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.utils import timezone

from crampwise.core.timefmt import local_time
from crampwise.core.zones import zone_table
from crampwise.diary.models import Episode

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a long night of cramps 2026"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
# Set to a folder to keep the screens this test sees (docs/screenshots/ holds the chosen ones).
SHOTS = os.environ.get("CRAMPWISE_SCREENSHOT_DIR")


def zone_where_it_is(hour: int, now: datetime) -> str:
    """A real, canonical zone whose clock differs from UTC and shows ``hour`` now (or the hour
    after): the server's clock is real, so the browser is sent to the place where it is 3 a.m.
    rather than faking time. Between 03:00 and 04:00 UTC only UTC+0 zones show 3 a.m., and a page
    showing UTC would pass for local there, so the test then goes where it is 4 a.m."""
    for wanted in (hour, hour + 1):
        for name in zone_table().zones:
            if int(local_time(now, name)[:2]) == wanted and local_time(now, name) != local_time(
                now, "Etc/UTC"
            ):
                return name
    raise AssertionError(f"no zone at {hour}:00")  # every UTC hour has one (offsets -11 to +14)


def shoot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=False)


@pytest.fixture
def night_page(browser):
    now = timezone.now().astimezone(UTC)
    zone = zone_where_it_is(3, now)
    context = browser.new_context(viewport=PHONE, locale="en-GB", timezone_id=zone)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.clock.install(time=now)  # the browser's clock is the server's: 3 a.m. there
    yield page, zone
    context.close()


def test_sign_up_at_3_am_lands_in_night_mode_and_the_cramp_page_shows_local_time(
    live_server, night_page, check_a11y, django_user_model
):
    """A browser in a non-UTC zone at its 3 a.m.: zone taken at sign-up, night mode, local time."""
    page, zone = night_page
    url = live_server.url
    page.goto(url + "/accounts/signup/")
    box = page.locator("#id_time_zone")
    assert box.input_value() == zone  # filled in from the browser, shown to the person
    assert re.search(
        r"The time there now: 0[34]:\d\d", page.locator("#id_time_zone_now").inner_text()
    )
    check_a11y(page, "sign-up with the zone filled in")
    page.locator("#id_username").fill("nightowl")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.locator("#id_password2").press("Enter")
    page.wait_for_url(url + "/")
    assert django_user_model.objects.get(username="nightowl").profile.time_zone == zone

    assert page.evaluate("document.documentElement.classList.contains('night')")
    # A brand-new account is never asked about a night before it existed, least of all at 3 a.m.
    assert page.get_by_text("Morning check-in").count() == 0
    check_a11y(page, "home at 3 a.m.")
    shoot(page, "home-night-390")
    page.get_by_role("button", name="Cramp now").click()
    page.get_by_role("heading", name="Cramp logged").wait_for()

    episode = Episode.objects.get()
    shown = local_time(episode.started_at, zone)
    assert shown[:2] in ("03", "04")
    page.get_by_text(f"Started at {shown}.").wait_for()
    utc_shown = local_time(episode.started_at, "Etc/UTC")
    assert page.get_by_text(f"Started at {utc_shown}.").count() == 0

    over = page.get_by_role("button", name="It's over").bounding_box()
    assert over["y"] + over["height"] <= PHONE["height"], f"It's over ends at {over}"
    for details in ("#id_muscle", "#id_pain"):  # where, and how bad: above the button
        box = page.locator(details).bounding_box()
        assert box["y"] + box["height"] <= over["y"], f"{details} is not above It's over"
    check_a11y(page, "cramp page at night")
    shoot(page, "cramp-night-390")

    # The relief guide is one tap away, and its muscle choice is the answer to "Where?".
    page.get_by_role("link", name="What helps now: stretches").click()
    page.evaluate("window.stillHere = true")
    page.locator("#relief").get_by_role("link", name="Foot", exact=True).click()
    assert page.evaluate("window.stillHere === true")  # no page load
    assert page.locator("input[name=muscle]:checked").evaluate_all(
        "els => els.map(e => e.value)"
    ) == ["foot"]
    assert page.locator("[data-stretch=foot]").is_visible()
    assert not page.locator("[data-stretch=calf]").is_visible()
    check_a11y(page, "relief guide")

    page.set_viewport_size(DESKTOP)
    page.evaluate("window.scrollTo(0, 0)")
    shoot(page, "cramp-night-1280")
    page.set_viewport_size(PHONE)
    page.get_by_role("button", name="It's over").click()
    messages = page.locator(".messages .message")
    messages.first.wait_for()
    assert messages.count() == 1
    assert re.fullmatch(
        r"Saved\. The cramp lasted \d+ seconds?\. Sleep well\.", messages.inner_text()
    )
    assert Episode.objects.get().muscle == "foot"


def test_the_cramp_page_by_day_is_accessible_at_both_widths(
    live_server, page, check_a11y, django_user_model
):
    """Day theme: "It's over" on the first screen at 390x844; axe clean at 390 and 1280."""
    from tests.conftest import PASSWORD as USER_PASSWORD
    from tests.conftest import make_user

    user = make_user(django_user_model, "daytime", time_zone="Europe/London")
    user.profile.night_mode = "off"
    user.profile.save()
    url = live_server.url
    page.goto(url + "/accounts/login/")
    page.locator("#id_login").fill("daytime")
    page.locator("#id_password").fill(USER_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(url + "/")
    page.get_by_role("button", name="Cramp now").click()
    page.get_by_role("heading", name="Cramp logged").wait_for()
    over = page.get_by_role("button", name="It's over").bounding_box()
    assert over["y"] + over["height"] <= PHONE["height"]
    check_a11y(page, "cramp page by day at 390")
    shoot(page, "cramp-390")
    page.set_viewport_size(DESKTOP)
    check_a11y(page, "cramp page by day at 1280")
    shoot(page, "cramp-1280")
