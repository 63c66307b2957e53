"""The guidance pages in a real browser: axe (WCAG 2.2 AA), reflow at 320 px and 200% text, keys."""

from __future__ import annotations

import copy
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from crampwise.diary import services
from crampwise.guidance.core.assessment import assess
from crampwise.guidance.core.inputs import SYMPTOMS
from crampwise.guidance.models import Assessment, EveningChecklist
from tests.conftest import make_user

pytestmark = pytest.mark.django_db(transaction=True)

TYPICAL = ("sudden_painful_tightening", "occurs_in_bed", "relieved_by_stretching")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def person(django_user_model):
    user = make_user(django_user_model, "rosa")
    user.profile.birth_year = 1952
    user.profile.sex = "female"
    user.profile.save()
    return user


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


def test_learn_pages_remedies_and_sources(live_server, page, check_a11y, check_reflow):
    """Anyone can read the learn pages; a citation link lands on its source."""
    page.goto(live_server.url + "/learn/")
    check_a11y(page, "learn index")
    check_reflow(page)
    assert_large_targets(page, ".link-list a")
    page.get_by_role("link", name="What night leg cramps are").click()
    page.get_by_role("heading", level=1, name="What night leg cramps are").wait_for()
    check_a11y(page, "learn section")
    check_reflow(page)
    assert page.get_by_text(re.compile(r"^Evidence base version \d{4}\.\d{2}\.\d{2}")).is_visible()
    page.locator(".cite a").first.click()
    page.wait_for_url(re.compile(r"/learn/sources/#src-"))
    target = page.url.split("#", 1)[1]
    assert page.locator(f"li#{target}").is_visible()
    check_a11y(page, "sources")
    check_reflow(page)
    page.goto(live_server.url + "/learn/remedies/")
    check_a11y(page, "remedies")
    check_reflow(page)
    quinine = page.locator("#remedy-quinine")
    assert "Not for a personal trial." in quinine.inner_text()


def test_the_questionnaire_leads_to_a_plan(live_server, page, person, check_a11y, check_reflow):
    """Errors are listed first; a full set of answers gives results with a plan and sources."""
    log_in(page, live_server, person)
    page.goto(live_server.url + "/assessment/")
    check_a11y(page, "assessment form")
    check_reflow(page)
    assert page.get_by_label("How old are you?").input_value() == str(timezone.now().year - 1952)
    assert_large_targets(page, ".choice span")

    page.get_by_role("button", name="See my results").click()
    page.get_by_role("heading", name="Please check these answers").wait_for()
    check_a11y(page, "assessment form with errors")

    page.get_by_label("Other medicines you take").fill("Lasix 40mg\nFrobnix")
    page.locator("label[for=id_conditions_0]").click()
    for symptom in SYMPTOMS:
        answer = 0 if symptom in TYPICAL else 1  # 0 is Yes, 1 is No
        page.locator(f"label[for=id_s_{symptom}_{answer}]").click()
    page.get_by_role("button", name="See my results").click()
    page.get_by_role("heading", level=1, name="Your results").wait_for()
    check_a11y(page, "assessment result")
    check_reflow(page)
    assert page.get_by_role("alert").count() == 0
    for name in (
        "Things you can do",
        "What to ask your doctor",
        "Linked with cramps",
        "Not recognised",
    ):
        assert page.get_by_role("heading", name=name).is_visible()
    saved = Assessment.objects.get(user=person)
    assert saved.answers["medications"] == ["Lasix 40mg", "Frobnix"]
    assert saved.answers["conditions"] == ["diabetes"]

    page.goto(live_server.url + "/assessment/")
    page.get_by_role("heading", name="Your earlier checks").wait_for()
    check_a11y(page, "assessment form with earlier checks")


def test_muscle_signs_are_asked_and_hold_back_home_trials(
    live_server, page, person, check_a11y, check_reflow
):
    """Twitching muscles: a see-a-doctor finding, no trial offered, and the reason on the page."""
    log_in(page, live_server, person)
    page.goto(live_server.url + "/assessment/")
    muscles = page.get_by_role("group", name="Your muscles")
    assert muscles.get_by_text("twitches or ripples").is_visible()
    assert page.get_by_text("new or came on suddenly").is_visible()
    for symptom in SYMPTOMS:
        answer = 0 if symptom in (*TYPICAL, "muscle_twitching") else 1  # 0 is Yes, 1 is No
        page.locator(f"label[for=id_s_{symptom}_{answer}]").click()
    page.get_by_role("button", name="See my results").click()
    page.get_by_role("heading", level=1, name="Your results").wait_for()
    check_a11y(page, "result with trials held back")
    check_reflow(page)
    assert page.get_by_text("signs of a nerve or muscle problem").is_visible()
    assert page.get_by_role("heading", name="About home trials").is_visible()
    assert page.get_by_text("Please see your doctor before you start any home trial").is_visible()
    assert page.get_by_role("heading", name="Worth testing in a personal trial").count() == 0


def test_an_urgent_result_is_an_alert_before_anything_else(
    live_server, page, person, check_a11y, check_reflow
):
    """The first heading is the alert's, saying what to do now; no plan follows."""
    data = {
        "age": 72,
        "sex": "female",
        "pregnant": False,
        "conditions": [],
        "medications": [],
        "symptoms": dict.fromkeys(SYMPTOMS, False),
    }
    data["symptoms"].update(dict.fromkeys([*TYPICAL, "one_leg_swollen_warm_or_red"], True))
    saved = Assessment.objects.create(
        user=person, answers=data, result=assess(copy.deepcopy(data)), evidence_version="test"
    )
    log_in(page, live_server, person)
    page.goto(f"{live_server.url}/assessment/{saved.pk}/")
    alert = page.get_by_role("alert")
    assert alert.get_by_role("heading", level=1).inner_text() == "Get medical help today"
    first_heading = page.locator("main h1, main h2").first
    assert first_heading.inner_text() == "Get medical help today"
    assert page.get_by_text("Your plan").count() == 0
    check_a11y(page, "urgent result")
    check_reflow(page)


def test_tonights_checklist_is_saved_for_the_morning(
    live_server, page, person, check_a11y, check_reflow
):
    """Tick the habits, type the glasses, save: the answers wait for tomorrow's check-in."""
    log_in(page, live_server, person)
    page.goto(live_server.url + "/tonight/")
    check_a11y(page, "tonight")
    check_reflow(page)
    page.locator("label[for=id_stretched_0]").click()
    page.get_by_label("How many glasses of fluid today?").fill("6")
    page.locator("label[for=id_supportive_shoes_1]").click()
    page.get_by_role("button", name="Save tonight's answers").click()
    page.get_by_text(re.compile("Tomorrow's check-in will start with these answers")).wait_for()
    saved = EveningChecklist.objects.get(user=person)
    assert saved.answers == {"stretched": True, "fluid_glasses": 6, "supportive_shoes": False}


def test_the_relief_guide_at_night(live_server, page, person, check_a11y, check_reflow):
    """Night mode, a cramp going on for 11 minutes: big guide, keyboard muscle switch, warning."""
    person.profile.night_mode = "on"
    person.profile.save()
    episode, _ = services.log_episode(person)
    episode.started_at = timezone.now() - timedelta(minutes=11)
    episode.save()
    log_in(page, live_server, person)
    page.goto(f"{live_server.url}/night/episode/{episode.pk}/")
    assert page.evaluate("document.documentElement.classList.contains('night')")
    page.get_by_role("heading", name="Cramp in the calf").wait_for()
    warning = page.locator(".timer-warning")
    warning.wait_for(state="visible")
    assert warning.get_attribute("role") == "alert"
    assert "lasts more than 10 minutes" in warning.inner_text()
    assert page.get_by_role("img", name=re.compile("pulling the toes toward the knee")).is_visible()
    assert_large_targets(page, ".muscle-switch a")
    sizes = page.evaluate(
        "[document.querySelector('.relief-steps'), document.documentElement]"
        ".map(el => parseFloat(getComputedStyle(el).fontSize))"
    )
    assert sizes[0] >= 1.2 * sizes[1], f"the steps are not big text: {sizes}"
    check_a11y(page, "relief guide in night mode")
    check_reflow(page)

    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Foot":
            break
    else:
        pytest.fail("Tab never reached the Foot link")
    page.keyboard.press("Enter")
    # The guide's choice is the cramp's "Where?", switched in place (static/episode.js).
    page.get_by_role("heading", name="Cramp in the foot").wait_for()
    assert page.locator(".muscle-switch a[aria-current=true]").inner_text() == "Foot"
    assert page.locator("input[name=muscle][value=foot]").is_checked()
    check_a11y(page, "relief guide for the foot")
