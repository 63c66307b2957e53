"""Times and durations as the whole app shows them. Pure; no Django.

One format everywhere: 24-hour clock, hours and minutes ("03:09"), in the person's own zone.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from crampwise.core.i18n import gettext as _
from crampwise.core.i18n import ngettext

CLOCK = "%H:%M"  # Django templates write the same as |time:"H:i"


def local_time(instant: datetime, zone: str) -> str:
    """ "03:09" for an aware instant, in the named zone."""
    if instant.tzinfo is None:
        raise ValueError("local_time needs a timezone-aware datetime")
    return instant.astimezone(ZoneInfo(zone)).strftime(CLOCK)


def duration(seconds: int | None) -> str:
    """How long a cramp lasted, in words: "1 second", "45 seconds", "3 minutes 1 second"."""
    if seconds is None:
        return _("unknown")
    minutes, secs = divmod(max(0, seconds), 60)
    sec_words = ngettext("%(n)d second", "%(n)d seconds", secs) % {"n": secs}
    if minutes == 0:
        return sec_words
    min_words = ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
    return min_words if secs == 0 else f"{min_words} {sec_words}"
