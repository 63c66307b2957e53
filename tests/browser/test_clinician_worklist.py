"""The clinician's worklist in a real browser: axe clean, 320 px, sorting, paging and search by keyboard."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from crampwise.cli import main
from crampwise.clinician.core import worklist as rules
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def ward(settings, monkeypatch):
    """A demo clinic of 8 patients with 120 nights each, shown 5 to a page."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    monkeypatch.setattr(rules, "PAGE_SIZE", 5)
    result = CliRunner().invoke(
        main,
        ["demo", "--clinic", "8", "--username", "ward", "--password", PASSWORD, "--nights", "120"],
    )
    assert result.exit_code == 0, result.output


def log_in(page, url: str) -> None:
    page.goto(url + "/accounts/login/")
    page.locator("#id_login").fill("ward")
    page.locator("#id_password").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(url + "/")


def press(page, locator) -> None:
    """Reach a control from the keyboard and activate it with Enter."""
    locator.focus()
    page.keyboard.press("Enter")


def sorted_header(page) -> tuple[str, str]:
    header = page.locator("th[aria-sort]")
    assert header.count() == 1
    return header.locator("a").inner_text().split("\n")[0].strip(" ▲▼"), header.get_attribute(
        "aria-sort"
    )


def test_the_worklist_is_accessible_and_works_from_the_keyboard(
    live_server, page, ward, check_a11y, check_reflow
):
    """axe finds nothing, 320 px does not scroll sideways, and sort, pages and search need no mouse."""
    url = live_server.url
    log_in(page, url)
    page.goto(url + "/clinician/")
    table = page.get_by_role("table", name=re.compile("Patients, those who need attention first"))
    table.wait_for()
    assert page.get_by_text("8 patients share a report with you. Page 1 of 2.").is_visible()
    assert sorted_header(page) == ("Needs attention", "descending")
    check_a11y(page, "worklist")
    check_reflow(page)

    press(page, page.get_by_role("link", name=re.compile(r"^Cramps a week")))
    page.wait_for_url(re.compile(r"sort=rate"))
    assert sorted_header(page) == ("Cramps a week", "descending")
    rates = [float(x) for x in page.locator(".worklist-rate").all_inner_texts()]
    assert rates == sorted(rates, reverse=True)
    press(page, page.get_by_role("link", name=re.compile(r"^Cramps a week")))
    page.wait_for_url(re.compile(r"dir=asc"))
    assert sorted_header(page) == ("Cramps a week", "ascending")

    press(page, page.get_by_role("link", name="Next page"))
    page.wait_for_url(re.compile(r"page=2"))
    assert page.get_by_text("Page 2 of 2.").is_visible()
    assert page.locator("tbody tr").count() == 3
    assert sorted_header(page) == ("Cramps a week", "ascending")  # the sort is kept
    check_a11y(page, "worklist, page 2")
    press(page, page.get_by_role("link", name="Previous page"))
    page.wait_for_url(re.compile(r"^(?!.*page=2)"))

    search = page.get_by_label("Find a patient by name or username")
    search.focus()
    page.keyboard.type("ward-3")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=ward-3"))
    assert page.get_by_text("1 patient matches “ward-3”.").is_visible()
    check_a11y(page, "worklist, a search")

    press(page, page.get_by_role("link", name="ward-3"))
    page.get_by_role("heading", name="Night by night").wait_for()
    check_a11y(page, "a patient's report from the worklist")
