"""Tonight's plan and the morning answer "did you follow it?", as the home page and check-in use them."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.conf import settings

if not settings.configured:  # `pytest tests/trials -p no:django` runs the pure core only
    pytest.skip("web tests need pytest-django", allow_module_level=True)

from django.urls import reverse

from crampwise.diary.services import last_night
from crampwise.trials.core.design import Arm, build_schedule
from crampwise.trials.forms import AdherenceForm
from crampwise.trials.models import Adherence
from crampwise.trials.services.evaluation import evaluate
from crampwise.trials.services.lifecycle import create_trial, stop_trial
from crampwise.trials.services.tonight import (
    adherence_form,
    plan_night,
    save_adherence,
    tonight_for,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def stretching(user, *, start=None, run_in: int = 0, **kwargs):
    start = start or last_night(user) - timedelta(weeks=3)
    return create_trial(
        user, remedy_id=kwargs.pop("remedy_id", "stretching"), kind=kwargs.pop("kind", "stretching"),
        start=start, pairs=8, period_nights=7, washout_nights=1, run_in_nights=run_in, seed=7, **kwargs,
    )  # fmt: skip


def first_night(trial, arm: Arm, *, washout: bool = False):
    return next(n for n in build_schedule(trial.design()) if n.arm is arm and n.washout is washout)


def test_without_a_trial_there_is_no_plan_and_no_question(owner):
    """The home page and the check-in show nothing extra."""
    night = plan_night(owner)
    assert tonight_for(owner) is None
    assert adherence_form(owner, night) is None
    assert save_adherence(owner, night, True) is None


def test_tonight_says_the_plan_in_plain_words(owner):
    """Remedy nights ask for the stretch, control nights ask for none."""
    trial = stretching(owner)
    remedy, control = first_night(trial, Arm.TREATMENT), first_night(trial, Arm.CONTROL)
    on = tonight_for(owner, remedy.night)
    off = tonight_for(owner, control.night)
    assert on["words"] == "Tonight: stretch your calves before bed" and on["arm"] == "treatment"
    assert off["words"] == "Tonight: no stretching before bed" and off["arm"] == "control"
    assert on["trial"] == trial and on["url"] == reverse("trial_detail", args=[trial.pk])
    assert not on["washout"] and not on["run_in"] and on["note"] == ""


def test_a_washout_night_is_marked_and_still_has_a_plan(owner):
    """The plan holds on the first night of a period, but the night is not counted."""
    trial = stretching(owner)
    night = first_night(trial, Arm.TREATMENT, washout=True)
    plan = tonight_for(owner, night.night)
    assert plan["washout"] and plan["words"] == "Tonight: stretch your calves before bed"
    assert "not counted" in plan["note"]


def test_a_run_in_night_asks_for_the_diary_only(owner):
    """During the run-in nothing changes, and the morning asks no trial question."""
    trial = stretching(owner, start=plan_night(owner), run_in=7)
    plan = tonight_for(owner)
    assert (
        plan["run_in"] and plan["arm"] == "baseline" and "keep your diary as usual" in plan["words"]
    )
    assert "The plan starts on" in plan["note"]
    assert adherence_form(owner, trial.start) is None


def test_a_daytime_remedy_says_today(owner):
    """Shoes are worn during the day that ends in the night."""
    trial = stretching(owner, remedy_id="supportive_shoes", kind="behaviour")
    plan = tonight_for(owner, first_night(trial, Arm.TREATMENT).night)
    assert plan["words"] == "Today: wear your supportive shoes"


def test_a_blinded_trial_names_the_pack_not_the_remedy(owner):
    """Remedy and dummy nights look the same to the person."""
    trial = create_trial(
        owner, remedy_id="magnesium", kind="supplement", start=plan_night(owner), pairs=4,
        period_nights=14, washout_nights=7, blinded=True, seed=7,
    )  # fmt: skip
    words = {tonight_for(owner, n.night)["words"] for n in build_schedule(trial.design())[:28]}
    assert words == {"Tonight: take a capsule from pack 1", "Tonight: take a capsule from pack 2"}


def test_the_plan_night_turns_over_at_waking_time(owner):
    """At 2 a.m. the plan is the night going on; from waking time it is the coming evening's."""
    zone = owner.profile.zone
    assert plan_night(owner, datetime(2026, 3, 10, 2, 0, tzinfo=zone)).isoformat() == "2026-03-09"
    assert plan_night(owner, datetime(2026, 3, 10, 9, 0, tzinfo=zone)).isoformat() == "2026-03-10"
    assert owner.profile.wake_time == time(7, 0)


def test_the_check_in_question_names_last_nights_plan(owner):
    """The extra question quotes the plan and is optional."""
    trial = stretching(owner)
    night = first_night(trial, Arm.CONTROL).night
    form = adherence_form(owner, night)
    assert isinstance(form, AdherenceForm) and form.prefix == "trial"
    assert "no stretching before bed" in str(form["followed"].label)
    empty = adherence_form(owner, night, data={})
    assert empty.is_valid() and empty.cleaned_data["followed"] is None


def test_saving_the_answer_keeps_one_row_a_night(owner):
    """The check-in's answer is stored, and a second answer replaces it."""
    trial = stretching(owner)
    night = first_night(trial, Arm.TREATMENT).night
    form = adherence_form(owner, night, data={"trial-followed": "yes"})
    assert form.is_valid()
    save_adherence(owner, night, form.cleaned_data["followed"])
    save_adherence(owner, night, False)
    assert list(Adherence.objects.values_list("night", "followed")) == [(night, False)]
    assert adherence_form(owner, night).initial == {"followed": "no"}


def test_no_answer_stores_nothing(owner):
    """Skipping the question is not "not followed"."""
    trial = stretching(owner)
    save_adherence(owner, first_night(trial, Arm.TREATMENT).night, None)
    assert not Adherence.objects.exists()


def test_an_answer_is_only_ever_stored_on_the_persons_own_trial(owner, other_patient):
    """Bob's check-in on a night of Alice's trial stores nothing anywhere."""
    trial = stretching(owner)
    night = first_night(trial, Arm.TREATMENT).night
    assert save_adherence(other_patient, night, True) is None
    assert adherence_form(other_patient, night) is None
    assert not Adherence.objects.exists()


def test_nights_after_a_stop_have_no_plan_and_no_question(owner):
    """Stopping ends the plan from the coming night on; earlier answers stay."""
    trial = stretching(owner)
    last = last_night(owner)
    save_adherence(owner, last, True)
    stop_trial(trial, reason="too_hard")
    assert tonight_for(owner) is None
    assert adherence_form(owner, last + timedelta(days=1)) is None
    assert adherence_form(owner, last) is not None
    assert Adherence.objects.count() == 1


def test_the_trial_page_asks_about_the_latest_night_and_saves_the_answer(owner_client, owner):
    """The trial page has the same question for the night that just ended."""
    trial = stretching(owner)
    last = last_night(owner)
    url = reverse("trial_detail", args=[trial.pk])
    html = owner_client.get(url).content.decode()
    assert "Did you follow it?" in html and 'name="night"' in html
    response = owner_client.post(
        reverse("trial_adherence", args=[trial.pk]), {"night": last.isoformat(), "followed": "no"}
    )
    assert response.status_code == 302
    assert list(Adherence.objects.values_list("night", "followed")) == [(last, False)]
    html = owner_client.get(url).content.decode()
    assert "Plan followed, on" in html


def test_the_trial_page_refuses_an_answer_for_another_night(owner_client, owner):
    """Only the latest night can be answered there; older ones go through the check-in."""
    trial = stretching(owner)
    older = last_night(owner) - timedelta(days=3)
    owner_client.post(
        reverse("trial_adherence", args=[trial.pk]), {"night": older.isoformat(), "followed": "yes"}
    )
    assert not Adherence.objects.exists()


def test_tonights_card_shows_on_the_trial_page(owner_client, owner):
    """The include the home page can use shows the plan with its date."""
    stretching(owner)
    plan = tonight_for(owner)
    html = owner_client.get(plan["url"]).content.decode()
    assert "Your trial: night of" in html and plan["words"] in html


def test_the_adherence_counts_reach_the_report(owner_client, owner):
    """Per arm: nights answered and nights followed."""
    trial = stretching(owner)
    remedy, control = first_night(trial, Arm.TREATMENT).night, first_night(trial, Arm.CONTROL).night
    save_adherence(owner, remedy, True)
    save_adherence(owner, control, False)
    report = evaluate(trial).report["adherence"]
    assert (
        report["treatment"]["nights_answered"] == 1 and report["treatment"]["nights_followed"] == 1
    )
    assert report["control"]["nights_answered"] == 1 and report["control"]["nights_followed"] == 0
