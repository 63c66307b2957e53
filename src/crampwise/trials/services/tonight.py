"""A trial night in the web app: which night matters now, its plan in words, and "did you follow it?".

The home page (``tonight_for``) and the morning check-in (``adherence_form``, ``save_adherence``)
call this module through ``trials.services``.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from crampwise.diary.core.nights import night_of
from crampwise.diary.services import last_night
from crampwise.trials.core.design import Arm, ScheduledNight, assignment_for
from crampwise.trials.forms import AdherenceForm
from crampwise.trials.models import Adherence, Trial
from crampwise.trials.services.catalogue import remedy_words

# ---- nights ------------------------------------------------------------------------------


def plan_night(user, now: datetime | None = None) -> date:
    """The night whose plan matters now: today's evening from waking up on, before that the night
    still going on. (The diary's own boundary, noon, is about where a logged cramp belongs; a plan
    for the day, such as shoes, must show from the morning.)"""
    profile = user.profile
    boundary = min(profile.wake_time, profile.day_boundary)
    return night_of(now or timezone.now(), profile.zone, boundary)


def trial_for_night(user, night: date) -> Trial | None:
    """The person's trial that this night belongs to (at most one: only one trial runs at a time)."""
    # A trial's last night depends on its stop and its design, so the end is checked in Python;
    # the query narrows the candidates to trials that started by this night, newest first.
    candidates = Trial.objects.filter(owner=user, start__lte=night).order_by("-start", "-created")
    for trial in candidates:
        if night <= trial.end:
            return trial
    return None


def refresh_status(trial: Trial, now: datetime | None = None) -> Trial:
    """Mark a running trial finished once its last planned night is over."""
    if trial.is_active and last_night(trial.owner, now) >= trial.design().end:
        trial.status = Trial.Status.FINISHED
        trial.save(update_fields=["status"])
    return trial


def bare_plan(trial: Trial, scheduled: ScheduledNight) -> str:
    """The night's plan without "Tonight:" ("stretch your calves before bed"), for questions."""
    if scheduled.arm is Arm.BASELINE:
        return _("keep your diary as usual")
    if trial.blinded:
        # The person must not know the arm; a helper packed the capsules period by period.
        assert scheduled.period is not None  # only run-in nights have no period
        return _("take a capsule from pack %(pack)s") % {"pack": scheduled.period + 1}
    words = remedy_words(trial)
    return str(words.remedy_plan if scheduled.arm is Arm.TREATMENT else words.control_plan)


def plan_words(trial: Trial, scheduled: ScheduledNight) -> str:
    """What the night asks, in plain words: "Tonight: stretch your calves before bed"."""
    if scheduled.arm is Arm.BASELINE:
        return _("Run-in: keep your diary as usual. Do not change anything yet.")
    plan = bare_plan(trial, scheduled)
    if remedy_words(trial).daytime and not trial.blinded:
        return _("Today: %(plan)s") % {"plan": plan}
    return _("Tonight: %(plan)s") % {"plan": plan}


def night_note(trial: Trial, scheduled: ScheduledNight) -> str:
    if scheduled.arm is Arm.BASELINE:
        first = trial.start + timedelta(days=trial.run_in_nights)
        return _(
            "This run-in week measures how often you get cramps. The plan starts on %(date)s."
        ) % {"date": date_format(first, "D j M")}
    if scheduled.washout and scheduled.period == 0:
        # Nothing of the trial came before: what may linger is whatever the person did before it.
        return _(
            "Follow the plan, but this night is not counted: what you did before the trial may "
            "still act on it."
        )
    if scheduled.washout:
        return _(
            "Follow the plan, but this night is not counted: the last period may still act on it."
        )
    return ""


def tonight_for(user, night: date | None = None) -> dict[str, Any] | None:
    """The trial plan of a night (default: ``plan_night``), or None when no trial covers it.

    Keys: ``trial``, ``night``, ``arm`` ("baseline", "control" or "treatment"), ``words``
    (e.g. "Tonight: stretch your calves before bed"), ``plan`` (the same without "Tonight:"),
    ``note`` (run-in or washout, else ""),
    ``run_in``, ``washout``, ``url`` (the trial page), ``until`` (the last night of this plan:
    the schedule changes the plan the night after, so "Tonight" is not the same every day).
    """
    night = night or plan_night(user)
    trial = trial_for_night(user, night)
    if trial is None:
        return None
    scheduled = assignment_for(trial.design(), night)
    if scheduled is None:
        return None
    return {
        "trial": trial,
        "night": night,
        "arm": str(scheduled.arm),
        "words": plan_words(trial, scheduled),
        "plan": bare_plan(trial, scheduled),
        "note": night_note(trial, scheduled),
        "run_in": scheduled.arm is Arm.BASELINE,
        "washout": scheduled.washout,
        "url": reverse("trial_detail", args=[trial.pk]),
        "until": plan_until(trial, scheduled),
    }


def plan_until(trial: Trial, scheduled: ScheduledNight) -> date:
    """The last night with the same plan as ``scheduled``: the end of its run-in or period."""
    design = trial.design()
    periods_start = design.start + timedelta(days=design.run_in_nights)
    if scheduled.period is None:
        last = periods_start - timedelta(days=1)
    else:
        last = periods_start + timedelta(days=(scheduled.period + 1) * design.period_nights - 1)
    return min(last, trial.end)


# ---- adherence ---------------------------------------------------------------------------


def adherence_question(user, night: date) -> tuple[Trial, str] | None:
    """(trial, that night's plan) when the night asks "did you follow it?"; run-in nights do not."""
    plan = tonight_for(user, night)
    if plan is None or plan["run_in"]:
        return None
    return plan["trial"], plan["plan"]


def adherence_form(user, night: date, data=None):
    """The check-in's extra question for a trial night, or None (prefix "trial")."""

    question = adherence_question(user, night)
    if question is None:
        return None
    trial, words = question
    stored = (
        Adherence.objects.filter(trial=trial, night=night)
        .values_list("followed", flat=True)
        .first()
    )
    initial = {} if stored is None else {"followed": "yes" if stored else "no"}
    return AdherenceForm(data, plan=words, initial=initial, prefix="trial")


def save_adherence(user, night: date, value: bool | None) -> Adherence | None:
    """Record whether the night's plan was followed. None (no answer) stores nothing."""
    if value is None:
        return None
    question = adherence_question(user, night)
    if question is None:
        return None
    trial, _words = question
    answer, _created = Adherence.objects.update_or_create(
        trial=trial, night=night, defaults={"followed": bool(value)}
    )
    return answer


def adherence_map(trial: Trial) -> dict[date, bool]:
    return dict(trial.adherence.values_list("night", "followed"))
