"""Whether the dim night theme is on. Pure; no Django."""

from __future__ import annotations

from datetime import time


def in_night_window(now: time, bedtime: time, wake_time: time) -> bool:
    """True between bedtime and wake time; the window usually wraps past midnight."""
    if bedtime == wake_time:
        return False
    if bedtime < wake_time:
        return bedtime <= now < wake_time
    return now >= bedtime or now < wake_time


def night_mode_on(setting: str, now: time, bedtime: time, wake_time: time) -> bool:
    if setting == "on":
        return True
    if setting == "off":
        return False
    return in_night_window(now, bedtime, wake_time)
