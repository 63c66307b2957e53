"""The screens a person uses every day, in a real browser: sizes, words, layout, axe and reflow."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from crampwise.diary import services
from crampwise.diary.models import Night
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, url: str, username: str) -> None:
    page.goto(url + "/accounts/login/")
    page.locator("#id_login").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(url + "/")


def assert_target_size(locator, what: str) -> None:
    box = locator.bounding_box()
    assert box is not None, f"{what} is not shown"
    assert box["width"] >= 44 and box["height"] >= 44, f"{what} is {box['width']}x{box['height']}"


def test_sign_up_and_log_in_use_the_landing_pages_words_and_large_buttons(
    live_server, page, check_a11y, check_reflow, django_user_model
):
    """Both entrance pages say "Create an account" and "Log in"; their buttons are >= 44x44 px."""
    url = live_server.url
    page.goto(url + "/")
    page.get_by_role("link", name="Create an account").click()
    page.get_by_role("heading", name="Create an account", level=1).wait_for()
    assert_target_size(page.get_by_role("button", name="Create an account"), "sign-up button")
    check_a11y(page, "sign-up")
    check_reflow(page)
    page.get_by_role("link", name="Log in").click()
    page.get_by_role("heading", name="Log in", level=1).wait_for()
    assert_target_size(page.get_by_role("button", name="Log in"), "log-in button")
    assert page.get_by_role("link", name="Create an account").is_visible()
    check_a11y(page, "log-in")
    check_reflow(page)
    make_user(django_user_model, "ruth")
    log_in(page, url, "ruth")


def test_a_nights_page_speaks_words_not_column_names(
    live_server, page, check_a11y, check_reflow, django_user_model
):
    """ "Glasses of fluid: 6", never "fluid_glasses"."""
    user = make_user(django_user_model, "ruth")
    night = services.last_night(user)
    services.save_night(
        user,
        night,
        reported_cramps=2,
        sleep_quality=4,
        factors={"fluid_glasses": 6, "stretched": True, "hours_on_feet": 3.5},
    )
    log_in(page, live_server.url, "ruth")
    page.goto(f"{live_server.url}/history/{night.isoformat()}/")
    text = page.locator("main").inner_text()
    assert "Glasses of fluid: 6" in text
    assert "Stretched before bed: yes" in text
    assert "Sleep: Good" in text
    for column in ("fluid_glasses", "hours_on_feet", "stretched:", "_"):
        assert column not in text
    check_a11y(page, "night page")
    check_reflow(page)


def test_check_in_puts_each_number_question_on_its_own_line_on_a_desktop(
    live_server, page, check_a11y, check_reflow, django_user_model
):
    """At 1280 px each number question's label sits above its own box, below the previous box."""
    make_user(django_user_model, "ruth")
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, live_server.url, "ruth")
    page.goto(live_server.url + "/checkin/")
    numbers = page.locator("form.stack > input[type=number]")
    assert numbers.count() >= 5  # exact count, minutes awake, and the four count factors
    previous_bottom = 0.0
    for i in range(numbers.count()):
        box = numbers.nth(i).bounding_box()
        label = page.locator(f"label[for={numbers.nth(i).get_attribute('id')}]").bounding_box()
        assert label["y"] + label["height"] <= box["y"] + 1, "a label beside its box, not above"
        assert label["y"] >= previous_bottom - 1, "two number questions share a line"
        previous_bottom = box["y"] + box["height"]
    check_a11y(page, "check-in at 1280 px")
    page.set_viewport_size({"width": 390, "height": 844})
    check_reflow(page)


def test_history_grades_the_colour_and_shows_a_logged_night_as_not_confirmed(
    live_server, page, check_a11y, check_reflow, django_user_model
):
    """1 cramp and 3 cramps get different shades; a night known only from the night log has its own
    cell that links to its check-in, and the next check-in offers to confirm it."""
    user = make_user(django_user_model, "ruth")
    # Three nights in the middle of last month: all in one calendar, all over, within the
    # check-in's look-back window.
    one = (services.last_night(user).replace(day=1) - timedelta(days=1)).replace(day=10)
    three, logged = one + timedelta(days=1), one + timedelta(days=2)
    services.save_night(user, one, reported_cramps=1)
    services.save_night(user, three, reported_cramps=3)
    services.log_episode(user, started_at=_in_night(user, logged))
    services.log_episode(user, started_at=_in_night(user, logged, minutes=40))
    assert Night.objects.get(user=user, night=logged).reported_cramps is None
    log_in(page, live_server.url, "ruth")
    page.goto(f"{live_server.url}/history/?year={logged.year}&month={logged.month}")

    def colour(night):
        cell = page.locator(f"td:has(a[href$='/{night.isoformat()}/'])")
        return cell.evaluate("el => getComputedStyle(el).backgroundColor")

    assert colour(one) != colour(three)
    cell = page.locator(f"td.day-unconfirmed:has(a[href$='/{logged.isoformat()}/edit/'])")
    assert (
        "2 logged, not confirmed" in cell.inner_text()
        or cell.locator(".day-value").text_content() == "2 logged, not confirmed"
    )
    # No word is broken across lines in any cell at 390 px.
    broken = page.evaluate(
        """() => [...document.querySelectorAll('.calendar td')].flatMap(td => {
            const out = [];
            const walker = document.createTreeWalker(td, NodeFilter.SHOW_TEXT);
            while (walker.nextNode()) {
              const node = walker.currentNode;
              if (!node.parentElement.checkVisibility() || node.parentElement.closest('.day-value') &&
                  getComputedStyle(node.parentElement.closest('.day-value')).position === 'absolute') continue;
              for (const m of node.textContent.matchAll(/\\S+/g)) {
                const r = document.createRange();
                r.setStart(node, m.index); r.setEnd(node, m.index + m[0].length);
                const lines = new Set([...r.getClientRects()].map(x => Math.round(x.top)));
                if (lines.size > 1) out.push(m[0]);
              }
            }
            return out; })"""
    )
    assert broken == []
    assert page.locator(".calendar-key").inner_text().count("cramp") >= 4
    check_a11y(page, "history")
    check_reflow(page)
    page.goto(live_server.url + "/checkin/")
    page.get_by_role("link", name=re.compile("Confirm the night of")).click()
    page.wait_for_url(re.compile(f"/history/{logged.isoformat()}/edit/"))
    check_a11y(page, "check-in with a night to confirm")


def _in_night(user, night, minutes: int = 0):
    """An instant at 3 a.m. (plus ``minutes``) in the person's zone, in the night of ``night``."""
    from datetime import datetime, time

    zone = user.profile.zone
    return datetime.combine(night + timedelta(days=1), time(3, minutes % 60), zone)


def test_the_new_share_link_has_a_copy_button_and_withdraw_fits_a_phone(
    live_server, page, check_a11y, check_reflow, django_user_model
):
    """Copy puts the whole link on the clipboard; on a phone the link and "Withdraw" show in full."""
    make_user(django_user_model, "ruth")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    log_in(page, live_server.url, "ruth")
    page.goto(live_server.url + "/sharing/")
    page.get_by_role("button", name="Make a link").click()
    field = page.locator("#new-link")
    link = field.input_value()
    assert link.startswith("http")
    box = field.bounding_box()
    assert field.evaluate("el => el.scrollHeight <= el.clientHeight + 1"), "the link is cut off"
    assert box["x"] + box["width"] <= 390
    copy = page.get_by_role("button", name="Copy the link")
    assert_target_size(copy, "copy button")
    copy.click()
    page.get_by_text("Copied.").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == link
    withdraw = page.get_by_role("button", name=re.compile("Withdraw"))
    wbox = withdraw.bounding_box()
    assert wbox["x"] >= 0 and wbox["x"] + wbox["width"] <= 390, "Withdraw is clipped"
    assert_target_size(withdraw, "Withdraw")
    check_a11y(page, "sharing")
    check_reflow(page)


def test_insight_charts_are_readable_on_a_phone(live_server, page, check_a11y, check_reflow):
    """At 390 px the charts' smallest text is drawn at 12 px or more; the tiles round like the headline."""
    from click.testing import CliRunner

    from crampwise.cli import main

    CliRunner().invoke(
        main, ["demo", "--username", "yr", "--password", PASSWORD, "--nights", "120"]
    )
    log_in(page, live_server.url, "yr")
    page.goto(live_server.url + "/insights/")
    page.wait_for_load_state("load")
    smallest = page.evaluate(
        """async () => {
          const out = [];
          for (const img of document.querySelectorAll('img.chart')) {
            const svg = new DOMParser().parseFromString(await (await fetch(img.src)).text(), 'image/svg+xml');
            const width = parseFloat(svg.documentElement.getAttribute('width'));
            const sizes = [...svg.querySelectorAll('text')].map(t => parseFloat(t.getAttribute('font-size') ||
               (t.getAttribute('style') || '').match(/font-size: ?([0-9.]+)/)?.[1])).filter(x => x > 0);
            out.push(Math.min(...sizes) * img.getBoundingClientRect().width / width);
          }
          return out; }"""
    )
    print("smallest chart text at 390 px (px):", [round(s, 1) for s in smallest])
    assert len(smallest) == 3 and min(smallest) >= 12
    headline = page.locator("p.lead").inner_text()
    tile = page.locator(".stats dd").first.inner_text().split()[0]
    assert re.search(rf"\b{re.escape(tile)} cramps a week", headline)
    check_a11y(page, "insights")
    check_reflow(page)


@pytest.mark.parametrize("path", ["/no-such-page/"])
def test_error_pages_have_the_products_frame_and_the_way_home(live_server, page, check_a11y, path):
    """A 404 looks like crampwise and leads home."""
    response = page.goto(live_server.url + path)
    assert response.status == 404
    page.get_by_role("heading", name="This page is not here").wait_for()
    assert_target_size(page.get_by_role("link", name="Go to the home page"), "home link")
    check_a11y(page, "404")
