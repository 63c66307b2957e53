"""A trial series in a real browser: a clinician writes a protocol, two patients join with its
code (two more join out of sight), one withdraws and leaves the pooled answer; axe on every page,
and 320 px wide."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client

from crampwise.series import services
from crampwise.series.models import Enrolment, Protocol
from crampwise.trials.models import Trial
from tests.conftest import make_user
from tests.series.builders import fill_nights

pytestmark = pytest.mark.django_db(transaction=True)

# Set CRAMPWISE_SCREENSHOTS=/tmp/some-dir to keep a picture of each page at 390 and 1280 px.
SHOTS = os.environ.get("CRAMPWISE_SCREENSHOTS")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def log_in(page, live_server, user) -> None:
    """A server-side session (night mode on, as at 3 a.m.), instead of typing a password."""
    client = Client()
    client.force_login(user)
    session = client.session
    session["night_mode_override"] = "on"
    session.save()
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": session.session_key, "url": live_server.url}]
    )


def look(page, name: str, check_a11y, check_reflow) -> None:
    check_a11y(page, name)
    check_reflow(page)
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        for width in (390, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})


def join(page, url: str, code: str, check_a11y, check_reflow, shots: bool) -> None:
    page.goto(url + "/trials/")
    page.get_by_role("link", name="Join a trial series").click()
    page.get_by_label("Series code").fill(code.lower())
    if shots:
        look(page, "series-join", check_a11y, check_reflow)
    page.get_by_role("button", name="Next").click()
    page.get_by_role("heading", level=1, name="Join “Magnesium series”").wait_for()
    if shots:
        look(page, "series-consent", check_a11y, check_reflow)
    page.get_by_label("I agree to share this trial").check()
    page.get_by_role("button", name="Agree and join").click()
    page.get_by_text("You have joined. Your trial starts tonight.").wait_for()
    page.get_by_role("heading", name="Part of the series “Magnesium series”").wait_for()
    if shots:
        look(page, "series-patient-trial", check_a11y, check_reflow)


def test_a_series_from_protocol_to_pooled_answer(
    live_server, page, check_a11y, check_reflow, django_user_model
):
    lead = make_user(django_user_model, "dr_lee", clinician=True, time_zone="America/Chicago")
    first = make_user(django_user_model, "ann", time_zone="Australia/Sydney")
    second = make_user(django_user_model, "ben", time_zone="America/Chicago")
    url = live_server.url

    log_in(page, live_server, lead)
    page.goto(url + "/series/")
    page.get_by_role("heading", level=1, name="Trial series").wait_for()
    look(page, "series-home", check_a11y, check_reflow)
    page.get_by_label("Title").fill("Magnesium series")
    page.get_by_role("combobox", name="Remedy").select_option("magnesium")
    page.get_by_label("Blocks of four periods").check()
    page.get_by_label("Number of pairs of periods").fill("3")
    page.get_by_role("button", name="Save the protocol").click()
    # Three pairs cannot fill blocks of four: the form says so and what to choose.
    page.get_by_text(
        "With blocks of four periods, choose an even number of pairs."
    ).first.wait_for()
    look(page, "series-home-blocks-error", check_a11y, check_reflow)
    page.get_by_label("Number of pairs of periods").fill("4")
    page.get_by_role("button", name="Save the protocol").click()
    page.get_by_text("The protocol is saved.").wait_for()
    code = page.locator("#join-code").inner_text().strip()
    assert code == Protocol.objects.get().join_code
    assert Protocol.objects.get().block_periods == 4

    for n, patient in enumerate((first, second)):
        log_in(page, live_server, patient)
        join(page, url, code, check_a11y, check_reflow, shots=n == 0)
    # Two more join out of sight: a pooled answer needs three patients with enough nights.
    for name in ("cy", "di"):
        services.enrol(make_user(django_user_model, name), Protocol.objects.get())
    assert set(Trial.objects.values_list("block_periods", flat=True)) == {4}
    # Ten weeks of answered nights for everyone, so the pooled answer has something to pool.
    for i, enrolment in enumerate(Enrolment.objects.order_by("code")):
        trial = enrolment.trial
        Trial.objects.filter(pk=trial.pk).update(start=trial.start - timedelta(weeks=10))
        fill_nights(enrolment, 1.2, 0.5, seed=i)

    log_in(page, live_server, lead)
    page.goto(url + "/series/")
    page.get_by_role("link", name="Magnesium series").click()
    page.get_by_text("Pooled over 4 patients.").wait_for()
    assert page.locator("table#patients tbody tr").count() == 4
    assert page.locator("figure.forest svg").count() == 1
    look(page, "series-page", check_a11y, check_reflow)
    if SHOTS:
        page.locator("figure.forest").screenshot(path=f"{SHOTS}/series-forest-390.png")
    page.get_by_role("link", name="The protocol on one page (print)").click()
    page.get_by_text("in 2 blocks of 4 periods").wait_for()
    look(page, "series-protocol", check_a11y, check_reflow)

    log_in(page, live_server, second)
    page.goto(url + "/series/join/")
    page.get_by_role("button", name="Stop sharing with Magnesium series").click()
    page.get_by_text("You have left the series.").wait_for()
    look(page, "series-withdrawn", check_a11y, check_reflow)

    log_in(page, live_server, lead)
    page.goto(url + f"/series/{Protocol.objects.get().pk}/")
    page.get_by_text("1 withdrew and is left out.").wait_for()
    assert page.locator("table#patients tbody tr").count() == 3
    page.get_by_text("Pooled over 3 patients.").wait_for()
    assert page.get_by_text("Pooled over 4 patients.").count() == 0
