"""The report, sharing and clinician pages in a real Chromium, with axe (WCAG 2.2 AA) on each."""

from __future__ import annotations

import os
import shutil

import pytest

from crampwise.clinician import services
from crampwise.clinician.models import AccessEvent, Grant
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

os.environ.setdefault(
    "DJANGO_ALLOW_ASYNC_UNSAFE", "true"
)  # Playwright's sync API runs an event loop
CHROMIUM = os.environ.get("CRAMPWISE_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture
def chromium(browser):
    """The run's shared Chromium (tests/conftest.py)."""
    return browser


def check(page, label: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    problems = [
        f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}" for v in result.response["violations"]
    ]
    assert not problems, f"axe found problems on {label}: {problems}"
    page.set_viewport_size({"width": 320, "height": 700})
    width = page.evaluate("document.documentElement.scrollWidth")
    wide = page.evaluate(
        "Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > 321)"
        ".map(e => e.tagName + '.' + e.className).slice(0, 5)"
    )
    page.set_viewport_size({"width": 1024, "height": 800})
    assert width <= 321, f"{label} scrolls sideways at 320 px ({width} px): {wide}"


def log_in(page, url, username):
    page.goto(url + "/accounts/login/")
    page.locator("#id_login").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(url + "/")


def test_patient_shares_and_clinician_reads_in_a_real_browser(
    live_server, chromium, alice_diary, clinician
):
    """Report, sharing (link, grant, audit), the shared page and the clinician's pages pass axe."""
    url = live_server.url
    context = chromium.new_context(viewport={"width": 1024, "height": 800}, locale="en-GB")
    page = context.new_page()
    log_in(page, url, "alice")
    page.goto(url + "/report/")
    page.get_by_role("heading", name="How often").wait_for()
    assert (
        page.get_by_role("img")
        .first.get_attribute("alt")
        .startswith("Bar chart of cramps per week")
    )
    check(page, "report")

    page.goto(url + "/sharing/")
    check(page, "sharing")
    page.get_by_label("Who is the link for? (optional, only you see this)").fill("Dr Smith")
    page.get_by_role("button", name="Make a link").click()
    link = page.get_by_label("Your link, to copy").input_value()
    check(page, "sharing with a new link")
    code = services.clinician_code(clinician).code
    page.get_by_label("Your clinician's code").fill(code.lower())
    page.get_by_role("button", name="Let this clinician see my report").click()
    page.get_by_text("dr_carol can now see your report.").wait_for()

    visitor = chromium.new_context(locale="en-GB").new_page()
    visitor.goto(link)
    visitor.get_by_text("shared this read-only report with you").wait_for()
    check(visitor, "shared report")

    doctor = chromium.new_context(locale="en-GB").new_page()
    log_in(doctor, url, "dr_carol")
    doctor.goto(url + "/clinician/")
    check(doctor, "clinician list")
    doctor.get_by_role("link", name="alice").click()
    doctor.get_by_role("heading", name="Night by night").wait_for()
    check(doctor, "clinician's report")

    page.goto(url + "/sharing/")
    page.get_by_role("cell", name="dr_carol").first.wait_for()
    check(page, "sharing with an audit trail")
    assert AccessEvent.objects.filter(patient=alice_diary).count() == 3  # link page, list, report
    page.get_by_role("button", name="Stop sharing with dr_carol").click()
    page.get_by_text("dr_carol can no longer see your report.").wait_for()
    assert not Grant.objects.filter(revoked_at__isnull=True).exists()
    context.close()
