"""Reminder times as a person sees them: their own choice, or the default from bedtime and wake.

An evening reminder with no time of its own comes 30 minutes before bedtime, a morning reminder
30 minutes after the wake time, so that moving bedtime on the profile page moves the reminder too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from crampwise.core.i18n import gettext as _

DEFAULT_OFFSET = timedelta(minutes=30)
CLOCK_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
# A pause longer than this is better said by turning the reminder off.
LONGEST_PAUSE_DAYS = 366


@dataclass(frozen=True, slots=True)
class ReminderTime:
    """The time a reminder goes off and whether it is the default one."""

    time: time
    is_default: bool


def shift(clock: time, by: timedelta) -> time:
    """A wall-clock time moved by ``by``, round the clock (22:15 - 30 min = 21:45; 00:10 -> 23:40)."""
    moved = datetime.combine(date(2000, 1, 2), clock.replace(second=0, microsecond=0)) + by
    return moved.time()


def evening_time(chosen: time | None, bedtime: time) -> ReminderTime:
    if chosen is not None:
        return ReminderTime(chosen, False)
    return ReminderTime(shift(bedtime, -DEFAULT_OFFSET), True)


def morning_time(chosen: time | None, wake_time: time) -> ReminderTime:
    if chosen is not None:
        return ReminderTime(chosen, False)
    return ReminderTime(shift(wake_time, DEFAULT_OFFSET), True)


def parse_clock(text: str) -> time | None:
    """``"21:30"`` -> 21:30; anything but a 24-hour HH:MM -> None."""
    match = CLOCK_TIME.match(text)
    if match is None:
        return None
    return time(int(match.group(1)), int(match.group(2)))


def clock_text(clock: time) -> str:
    return clock.strftime("%H:%M")


def pause_problem(until: date, today: date) -> str | None:
    """Why a pause to the end of ``until`` cannot be set, or None. ``today`` is the person's own."""
    if until < today:
        return _("Choose today or a later date.")
    if (until - today).days > LONGEST_PAUSE_DAYS:
        return _("Choose a date within a year. To stop for longer, turn the reminders off.")
    return None
