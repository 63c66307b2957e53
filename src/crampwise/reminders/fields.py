"""Input types of the reminders and profile API: a wall-clock time written HH:MM."""

from __future__ import annotations

from datetime import time
from typing import Annotated, Any

from django.utils.translation import gettext as _
from pydantic import BeforeValidator

from crampwise.api.fields import invalid
from crampwise.reminders.core.clock import parse_clock


def _clock(value: Any) -> Any:
    # pydantic would also take "9:30:15.5" or a number of seconds; the API documents HH:MM.
    if isinstance(value, time):
        return value
    parsed = parse_clock(value) if isinstance(value, str) else None
    if parsed is None:
        raise invalid(_("Write a time as HH:MM (24-hour clock), for example 21:30."))
    return parsed


ClockTime = Annotated[time, BeforeValidator(_clock)]
