"""A personal trial in a real browser: the wizard, the trial page, the answer and the report, with axe."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from crampwise.diary.core.records import NightRecord
from crampwise.diary.services import import_records, last_night
from crampwise.trials.models import Adherence, Trial
from crampwise.trials.services.lifecycle import create_trial
from crampwise.trials.services.tonight import plan_night, tonight_for
from tests.conftest import make_user
from tests.trials.test_web_results import finished_trial, simulate_diary

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def person(django_user_model):
    return make_user(django_user_model, "ines")


def log_in(page, live_server, user) -> None:
    """Reuse a server-side session instead of typing a password on every test."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def assert_large_targets(page, selector: str) -> None:
    for box in (el.bounding_box() for el in page.locator(selector).all()):
        assert box and box["height"] >= 44 and box["width"] >= 44, f"{selector} is {box}"


def test_walk_the_wizard_and_start_a_trial(live_server, page, check_a11y, check_reflow, person):
    """Choose stretching, read safety and length, check the length, start, and see tonight's plan."""
    tonight = plan_night(person)
    import_records(
        person, [NightRecord(night=tonight - timedelta(days=d), cramps=1) for d in range(1, 29)], []
    )
    log_in(page, live_server, person)
    url = live_server.url

    page.goto(url + "/trials/")
    check_a11y(page, "trial list")
    page.get_by_role("link", name="Start a new trial").click()
    page.get_by_role("heading", level=1, name="Start a personal trial").wait_for()
    check_a11y(page, "wizard: choose a remedy")
    check_reflow(page)
    assert page.get_by_text("Quinine is not offered.").is_visible()
    assert page.locator("a[href='/trials/new/quinine/']").count() == 0
    assert_large_targets(page, ".remedy-choices .button")

    page.get_by_role("link", name="Choose Stretching before bed").click()
    page.get_by_role("heading", level=1, name="A trial of Stretching before bed").wait_for()
    check_a11y(page, "wizard: design")
    check_reflow(page)
    assert page.get_by_text("about 7 a week").is_visible()
    assert page.get_by_text("28 weeks gives a 4 in 5 chance").is_visible()
    assert_large_targets(page, ".choice span")
    page.locator(
        "fieldset:has-text('What cut in cramps do you hope for?') label:has-text('70% fewer')"
    ).click()
    page.get_by_label("How many pairs of periods?").fill("6")
    page.get_by_role("button", name="Check the length").click()
    page.get_by_text("With the length you chose, 12 weeks").wait_for()
    assert not Trial.objects.exists()
    check_a11y(page, "wizard: length checked")
    page.get_by_role("button", name="Start the trial").click()

    page.get_by_role("heading", level=1, name="Trial of Stretching before bed").wait_for()
    trial = Trial.objects.get(owner=person)
    assert trial.pairs == 6 and trial.hoped_ratio == 0.3 and trial.run_in_nights == 0
    check_a11y(page, "trial page, just started")
    check_reflow(page)
    plan = tonight_for(person)
    assert page.get_by_text(plan["words"]).first.is_visible()
    assert page.get_by_text("There is no answer yet.").is_visible()
    assert page.get_by_text(str(trial.seed)).is_visible()


def test_the_answer_of_a_finished_trial_and_its_report(
    live_server, page, check_a11y, check_reflow, person
):
    """A finished trial where stretching halved cramps: answer, chart, looks and the CENT report pass axe."""
    trial = finished_trial(person)
    simulate_diary(person, trial)
    Adherence.objects.create(trial=trial, night=trial.start + timedelta(days=1), followed=True)
    log_in(page, live_server, person)

    page.goto(f"{live_server.url}/trials/{trial.pk}/")
    page.get_by_role("heading", name="The answer", exact=True).wait_for()
    assert page.get_by_text("likely that stretching cuts your cramps by at least 20%").is_visible()
    chart = page.get_by_role("img", name="Chart of cramps a week in each period")
    assert chart.is_visible()
    assert chart.bounding_box()["width"] <= 390
    page.get_by_text("The numbers behind the chart").click()
    assert page.get_by_role("table", name="Cramps in each period").is_visible()
    assert page.get_by_text("the answer is already clear").first.is_visible()
    check_a11y(page, "trial page with its answer")
    check_reflow(page)
    # The last night of the trial has just ended: answer whether its plan was followed.
    page.locator("fieldset:has-text('Did you follow it?') label:has-text('No')").click()
    page.get_by_role("button", name="Save the answer").click()
    page.get_by_text("Your answer is saved.").wait_for()
    assert Adherence.objects.get(trial=trial, night=trial.end).followed is False
    page.get_by_role("link", name="How the looks work").click()
    page.get_by_role("heading", level=1, name="How the looks along the way work").wait_for()
    check_a11y(page, "how the looks work")
    check_reflow(page)

    page.goto(f"{live_server.url}/trials/{trial.pk}/")
    page.get_by_role("link", name="The full trial report").click()
    page.get_by_role("heading", level=1, name="Personal trial of stretching").wait_for()
    assert page.get_by_text(str(trial.seed)).is_visible()
    check_a11y(page, "trial report")
    check_reflow(page)


def test_stopping_a_trial_in_night_mode(live_server, page, check_a11y, person):
    """The stop form works with large targets, and the night theme passes axe too."""
    start = last_night(person) - timedelta(weeks=5)
    trial = create_trial(
        person, remedy_id="magnesium", kind="supplement", start=start, pairs=4,
        period_nights=14, washout_nights=7, blinded=True, seed=3,
    )  # fmt: skip
    simulate_diary(person, trial)
    # Off by choice, so the page offers to turn it on whatever the hour the test runs at.
    person.profile.night_mode = "off"
    person.profile.save()
    log_in(page, live_server, person)
    page.goto(f"{live_server.url}/trials/{trial.pk}/")
    page.get_by_role("button", name="Turn night mode on").click()
    page.get_by_role("heading", level=1, name="Trial of Magnesium").wait_for()
    check_a11y(page, "blinded trial page in night mode")
    page.get_by_role("link", name="Pack list for your helper").click()
    check_a11y(page, "pack list")
    page.go_back()
    page.get_by_role("button", name="Stop the trial").click()
    page.get_by_role("alert").wait_for()
    check_a11y(page, "stop form with an error")
    page.get_by_label("Side effects or other problems").check()
    page.get_by_label("Anything to note").fill("Loose stools.")
    page.get_by_role("button", name="Stop the trial").click()
    page.get_by_text("The trial is stopped.").wait_for()
    trial.refresh_from_db()
    assert trial.status == Trial.Status.STOPPED and trial.stop_note == "Loose stools."
    check_a11y(page, "stopped trial")
