"""Reminder settings as a schedule: each person's plan, and keeping ``next_due_at`` current.

Call ``reschedule(user)`` after changing anything that moves a reminder: the reminder settings
(saving them reschedules by itself, see ``signals``), the profile's time zone, bedtime or wake
time, or a trial (both rescheduled by signals too).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.utils import timezone

from crampwise.reminders.core.schedule import (
    Plan,
    default_evening,
    default_morning,
    next_due,
    trial_milestones,
)
from crampwise.reminders.models import ReminderSettings
from crampwise.trials.models import Trial


def settings_for(user) -> ReminderSettings:
    """The person's reminder settings, created (everything off) on first use."""
    found, _created = ReminderSettings.objects.get_or_create(user=user)
    return found


def milestones_of(trial: Trial | None):
    if trial is None or not trial.is_active:
        return ()
    return trial_milestones(trial.design(), trial.end)


def plan_for(row: ReminderSettings, profile, trial: Trial | None = None) -> Plan:
    """The pure schedule of one person's reminders (``trial``: their running trial, if any)."""
    return Plan(
        zone=profile.zone,
        evening_time=row.evening_time or default_evening(profile.bedtime),
        morning_time=row.morning_time or default_morning(profile.wake_time),
        evening_enabled=row.evening_enabled,
        morning_enabled=row.morning_enabled,
        paused_until=row.paused_until,
        milestones=milestones_of(trial) if row.trial_milestones else (),
    )


def running_trials(user_ids: Iterable[int]) -> dict[int, Trial]:
    """Each person's running trial (at most one each), in one query."""
    trials = Trial.objects.filter(owner_id__in=list(user_ids), status=Trial.Status.ACTIVE)
    return {trial.owner_id: trial for trial in trials}


# Saving settings looks back this far: the worker's pass each minute may not have reached a
# reminder that fell due a moment ago. Not further: a reminder turned on at 21:20 for 21:00 is
# not sent at once.
LOOK_BACK = timedelta(minutes=2)


def first_due(plan: Plan, now: datetime) -> datetime | None:
    """The instant the worker should next look at a person.

    It looks back a little (``LOOK_BACK``): a reminder due a moment ago that no worker has sent yet
    (the settings were saved between its time and the worker's pass) still goes out. The ledger
    stops a reminder already sent from going out twice.
    """
    due = next_due(plan, now - LOOK_BACK)
    return due.at if due else None


def reschedule(user, now: datetime | None = None) -> datetime | None:
    """Recompute when the person's next reminder falls due; returns it (None: nothing planned).

    Does nothing for a person without reminder settings: they have asked for nothing.
    """
    row = ReminderSettings.objects.filter(user=user).first()
    if row is None:
        return None
    trial = running_trials([user.pk]).get(user.pk)
    due = first_due(plan_for(row, user.profile, trial), now or timezone.now())
    # An UPDATE, not save(): saving the settings would reschedule again (signals).
    ReminderSettings.objects.filter(pk=row.pk).update(next_due_at=due)
    return due
