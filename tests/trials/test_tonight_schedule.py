"""The "Tonight" card follows the trial's random schedule, night by night, and says until when."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from crampwise.diary.services import last_night
from crampwise.trials.core.design import Arm, build_schedule
from crampwise.trials.services.lifecycle import create_trial
from crampwise.trials.services.tonight import tonight_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_trial(user):
    return create_trial(
        user, remedy_id="stretching", kind="stretching", start=last_night(user) - timedelta(weeks=2),
        pairs=3, period_nights=5, washout_nights=1, run_in_nights=4, seed=11,
    )  # fmt: skip


def test_each_nights_plan_is_that_nights_arm_and_lasts_until_its_period_ends(owner):
    """Walking the whole trial: the card's arm is the schedule's, and "until" ends each block."""
    trial = make_trial(owner)
    schedule = build_schedule(trial.design())
    arms = []
    for i, scheduled in enumerate(schedule):
        plan = tonight_for(owner, scheduled.night)
        assert plan["arm"] == str(scheduled.arm)
        same = [n for n in schedule[i:] if n.period == scheduled.period]
        assert plan["until"] == same[-1].night
        arms.append(plan["arm"])
    # Not the same plan every day: both arms appear, and the plan changes between periods.
    assert {"baseline", "control", "treatment"} == set(arms)
    changes = sum(1 for a, b in zip(arms, arms[1:], strict=False) if a != b)
    assert changes >= 2


def test_the_card_says_when_the_plan_changes(owner):
    """Mid-period the card names the last night of the plan; on its last night, that it changes."""
    trial = make_trial(owner)
    treated = [n for n in build_schedule(trial.design()) if n.arm is Arm.TREATMENT]
    request = RequestFactory().get("/")
    middle = render_to_string(
        "trials/tonight_card.html",
        {"tonight": tonight_for(owner, treated[0].night), "request": request},
    )
    assert "The same plan until the night of" in middle
    last_of_period = [n for n in treated if n.period == treated[0].period][-1]
    last = render_to_string(
        "trials/tonight_card.html",
        {"tonight": tonight_for(owner, last_of_period.night), "request": request},
    )
    assert "Tomorrow the plan changes" in last


def test_an_uncounted_night_says_what_may_still_act_on_it(owner):
    """The first period has no earlier period: its washout night names life before the trial."""
    trial = make_trial(owner)
    washouts = [n for n in build_schedule(trial.design()) if n.washout]
    first, later = washouts[0], washouts[1]
    assert first.period == 0 and later.period == 1
    assert "before the trial" in tonight_for(owner, first.night)["note"]
    assert "last period" not in tonight_for(owner, first.night)["note"]
    assert "last period" in tonight_for(owner, later.night)["note"]
