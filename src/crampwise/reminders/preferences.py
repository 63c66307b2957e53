"""A person's reminder settings as the page and the API show and change them.

Both read through ``current`` and write through ``save``, so the rules (a pause within a year,
email only where it can be sent) and the call to the scheduler are the same for both.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crampwise.reminders.core.clock import ReminderTime, evening_time, morning_time
from crampwise.reminders.delivery import mail_configured
from crampwise.reminders.models import ReminderSettings


def email_available(user) -> bool:
    """Email reminders can reach this person: they have an address and the server sends mail."""
    return bool(user.email) and mail_configured()


def email_problem(user) -> str:
    if not user.email:
        return _("Add an email address to your account first.")
    return _("This server is not set up to send email.")


def current(user) -> ReminderSettings:
    """The stored settings, or the defaults (not saved) for someone who never changed them."""
    found = ReminderSettings.objects.filter(user=user).first()
    return found if found is not None else ReminderSettings(user=user)


def today_for(user) -> date:
    return timezone.localdate(timezone.now(), user.profile.zone)


@dataclass(frozen=True)
class Effective:
    evening: ReminderTime
    morning: ReminderTime


def effective(user, stored: ReminderSettings) -> Effective:
    profile = user.profile
    return Effective(
        evening=evening_time(stored.evening_time, profile.bedtime),
        morning=morning_time(stored.morning_time, profile.wake_time),
    )


@dataclass(frozen=True)
class Choice:
    evening_enabled: bool
    evening_time: time | None
    morning_enabled: bool
    morning_time: time | None
    trial_milestones: bool
    email_enabled: bool
    paused_until: date | None


def save(user, choice: Choice) -> ReminderSettings:
    """Store the whole choice at once (saving reschedules: reminders/signals.py). Saving the same
    twice is harmless."""
    with transaction.atomic():
        stored, _created = ReminderSettings.objects.select_for_update().get_or_create(user=user)
        for name, value in vars(choice).items():
            setattr(stored, name, value)
        stored.updated_at = timezone.now()
        stored.save()
    return stored


def set_pause(user, until: date | None) -> ReminderSettings:
    stored = current(user)
    choice = Choice(
        evening_enabled=stored.evening_enabled,
        evening_time=stored.evening_time,
        morning_enabled=stored.morning_enabled,
        morning_time=stored.morning_time,
        trial_milestones=stored.trial_milestones,
        email_enabled=stored.email_enabled,
        paused_until=until,
    )
    return save(user, choice)
