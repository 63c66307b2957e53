"""Keep ``next_due_at`` current when anything that moves a reminder is saved."""

from __future__ import annotations

from django.db.models.signals import post_save

from crampwise.accounts.models import Profile
from crampwise.reminders.models import ReminderSettings
from crampwise.reminders.services import reschedule
from crampwise.trials.models import Trial


def settings_saved(sender, instance: ReminderSettings, update_fields=None, **kwargs) -> None:
    if update_fields is not None and set(update_fields) <= {"next_due_at", "updated_at"}:
        return
    instance.next_due_at = reschedule(instance.user)


def profile_saved(sender, instance: Profile, **kwargs) -> None:
    reschedule(instance.user)


def trial_saved(sender, instance: Trial, **kwargs) -> None:
    reschedule(instance.owner)


def connect() -> None:
    post_save.connect(settings_saved, sender=ReminderSettings, dispatch_uid="reminders.settings")
    post_save.connect(profile_saved, sender=Profile, dispatch_uid="reminders.profile")
    post_save.connect(trial_saved, sender=Trial, dispatch_uid="reminders.trial")
