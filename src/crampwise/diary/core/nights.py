"""Which night an instant belongs to (DESIGN principle 1). Pure; no Django."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DEFAULT_DAY_BOUNDARY = time(12, 0)


def night_of(instant: datetime, tz: ZoneInfo, day_boundary: time = DEFAULT_DAY_BOUNDARY) -> date:
    """The night (date of its evening) that an aware instant belongs to, in the user's zone.

    Anything before the day boundary belongs to the night that started the previous evening:
    with the default 12:00 boundary, 00:30 and 11:59 on the 26th both belong to the night of the 25th.
    """
    if instant.tzinfo is None:
        raise ValueError("night_of needs a timezone-aware datetime")
    local = instant.astimezone(tz)
    if local.time() < day_boundary:
        return local.date() - timedelta(days=1)
    return local.date()


def morning_after(night: date) -> date:
    return night + timedelta(days=1)
