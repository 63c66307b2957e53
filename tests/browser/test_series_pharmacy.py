"""The sealed key's way to the pharmacy in a real browser: the owner sends it from the series page,
and the pharmacy opens the emailed link on a phone 320 px wide; axe on each page."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from crampwise.series import services
from crampwise.series.core.packs import real_pack
from tests.browser.test_series_flow import SHOTS, log_in, look
from tests.conftest import make_user
from tests.series.builders import DESIGN

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _mail(settings):
    # The live server runs in this process, so the locmem outbox catches what it sends.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def test_the_owner_sends_the_key_and_the_pharmacy_opens_it(
    live_server, page, browser, check_a11y, check_reflow, django_user_model
):
    lead = make_user(django_user_model, "dr_lee", clinician=True)
    protocol = services.create_protocol(
        lead, **{**DESIGN, "title": "Blinded series", "blinded": True}
    )
    for name in ("ann", "ben"):
        services.enrol(make_user(django_user_model, name), protocol)
    url = live_server.url

    log_in(page, live_server, lead)
    page.goto(f"{url}/series/{protocol.pk}/")
    page.get_by_role("heading", name="The key for the pharmacy").wait_for()
    page.get_by_label("Name of the pharmacy").fill("Town Pharmacy")
    page.get_by_label("The pharmacy's email address").fill("not an address")
    page.get_by_role("button", name="Send the key to the pharmacy").click()
    page.locator(".error-summary").wait_for()
    look(page, "series-pharmacy-error", check_a11y, check_reflow)
    page.get_by_label("The pharmacy's email address").fill("trials@pharmacy.example")
    page.get_by_role("button", name="Send the key to the pharmacy").click()
    page.get_by_text("The key is on its way to Town Pharmacy").wait_for()
    page.get_by_text("Not opened yet.").wait_for()
    look(page, "series-pharmacy-sent", check_a11y, check_reflow)
    assert "real capsules" not in page.content().lower()

    [message] = mail.outbox
    link = re.search(r"https?://\S+/series/pharmacy/\S+/", message.body).group(0)
    link = live_server.url + link[link.index("/series/pharmacy/") :]
    pharmacy = browser.new_context(viewport={"width": 320, "height": 700}, locale="en-GB")
    try:
        sheet = pharmacy.new_page()
        sheet.goto(link)
        # The link only asks; the key shows on the press (a real browser's POST from a page that
        # sends no Referer, so no CSRF check may stand in the way).
        look(sheet, "series-pharmacy-open", check_a11y, check_reflow)
        assert "real capsules and pack" not in sheet.content()
        sheet.get_by_role("button", name="Show the key").click()
        real = real_pack(protocol.key_seed)
        sheet.get_by_text(f"Fill pack {real} with the real capsules").wait_for()
        assert sheet.locator("table.dispensing").count() == 2
        look(sheet, "series-pharmacy-key", check_a11y, check_reflow)
        if SHOTS:
            sheet.emulate_media(media="print")
            sheet.pdf(path=f"{SHOTS}/series-pharmacy-key.pdf")
    finally:
        pharmacy.close()

    page.reload()
    page.get_by_text("Opened 1 time, last on").wait_for()
    page.get_by_role("button", name="Revoke the pharmacy's link").click()
    page.get_by_text("The pharmacy's link no longer works.").wait_for()
    look(page, "series-pharmacy-revoked", check_a11y, check_reflow)
