"""A first week, as a person lives it, in a real browser, with axe on every page."""

from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from crampwise.diary.models import Episode, Night

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a long night of cramps 2026"


def test_sign_up_log_a_cramp_check_in_and_export(
    live_server, page, check_a11y, check_reflow, tmp_path
):
    """Sign up, set the profile, log a cramp in night mode, finish it, check in, see history, export."""
    url = live_server.url
    page.goto(url + "/")
    check_a11y(page, "landing")
    check_reflow(page)
    page.get_by_role("link", name="Create an account").click()
    check_a11y(page, "sign-up")
    page.locator("#id_username").fill("margaret")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Create an account").click()
    page.wait_for_url(url + "/")

    # Profile: time zone and a bedtime window.
    page.get_by_role("link", name="Profile").click()
    check_a11y(page, "profile")
    page.get_by_label("Year of birth").fill("1951")
    page.get_by_label("Your time zone").fill("Europe/London")
    # A bedtime window that has not begun yet, whatever the hour the test runs at: night mode is
    # then off until the person turns it on (the window itself: tests/accounts/test_night_window.py).
    london_now = timezone.now().astimezone(ZoneInfo("Europe/London"))
    page.locator("#id_bedtime").fill((london_now + timedelta(hours=6)).strftime("%H:%M"))
    page.locator("#id_wake_time").fill((london_now + timedelta(hours=7)).strftime("%H:%M"))
    page.get_by_role("button", name="Save profile").click()
    page.get_by_text("Your profile is saved.").wait_for()

    # 3 a.m.: night mode on, one big button.
    page.goto(url + "/")
    page.get_by_role("button", name="Turn night mode on").click()
    assert page.evaluate("document.documentElement.classList.contains('night')")
    check_a11y(page, "home in night mode")
    button = page.get_by_role("button", name="Cramp now")
    box = button.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44
    button.click()
    page.get_by_role("heading", name="Cramp logged").wait_for()
    check_a11y(page, "episode in night mode")
    check_reflow(page)
    page.locator("#id_muscle").get_by_text("Calf", exact=True).click()
    page.get_by_text("Left", exact=True).click()
    page.locator("label[for=id_pain_7]").click()
    page.get_by_text("Stretched it").click()
    # Pretend the cramp started three minutes ago, so the saved duration is visible.
    Episode.objects.update(started_at=timezone.now() - timedelta(minutes=3))
    page.get_by_role("button", name="It's over").click()
    page.get_by_text(re.compile("The cramp lasted 3 min")).wait_for()
    page.get_by_role("button", name="Turn night mode off").click()

    # Morning check-in for that night, pre-filled with the logged cramp.
    episode = Episode.objects.get()
    page.goto(f"{url}/history/{episode.night.isoformat()}/edit/")
    check_a11y(page, "check-in")
    check_reflow(page)
    assert page.locator("input[name=cramps][value='1']").is_checked()
    assert page.locator("input[name=worst_pain][value='7']").is_checked()
    page.locator("label[for=id_sleep_quality_2]").click()
    page.locator("fieldset:has-text('stretch your legs') label:has-text('Yes')").click()
    page.get_by_label("Alcohol units yesterday").fill("2")
    page.get_by_role("button", name="Save this night").click()
    night = Night.objects.get(night=episode.night)
    assert night.cramps == 1 and night.sleep_quality == 3 and night.factors["stretched"] is True

    # History shows it.
    page.goto(f"{url}/history/?year={episode.night.year}&month={episode.night.month}")
    check_a11y(page, "history")
    check_reflow(page)
    assert page.get_by_role("link", name=re.compile(f"^{episode.night.day} 1 cramp$")).count() == 1

    # Export CSV.
    with page.expect_download() as info:
        page.get_by_role("link", name="Export CSV").click()
    path = tmp_path / "nights.csv"
    info.value.save_as(path)
    lines = path.read_text().splitlines()
    assert lines[0].startswith("night,cramps,")
    assert lines[1].startswith(f"{episode.night.isoformat()},1,7,")

    for name in ("Medicines", "Check-in"):
        page.get_by_role("link", name=name).first.click()
        check_a11y(page, name)
        check_reflow(page)


def test_the_keyboard_alone_can_log_a_cramp(live_server, page, django_user_model):
    """Skip link, Tab to “Cramp now”, Enter: the cramp is stored."""
    from tests.conftest import PASSWORD as pw
    from tests.conftest import make_user

    make_user(django_user_model, "kb")
    page.goto(live_server.url + "/accounts/login/")
    page.locator("#id_login").fill("kb")
    page.locator("#id_password").fill(pw)
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + "/")
    # The skip link is the first stop; from the content, "Cramp now" is the next one.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to content"
    page.keyboard.press("Enter")
    for _ in range(3):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Cramp now":
            break
    else:
        pytest.fail("Tab never reached the Cramp now button after the skip link")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Cramp logged").wait_for()
    assert Episode.objects.filter(user__username="kb").count() == 1
