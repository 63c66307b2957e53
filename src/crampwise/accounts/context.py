from __future__ import annotations

from django.utils import timezone

from crampwise.accounts.core.nightmode import night_mode_on


def night_mode(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"night_mode": False}
    profile = user.profile
    now = timezone.now().astimezone(profile.zone).time()
    # A one-off choice from the toggle (kept in the session) wins over the profile's schedule.
    override = request.session.get("night_mode_override")
    setting = override or profile.night_mode
    return {"night_mode": night_mode_on(setting, now, profile.bedtime, profile.wake_time)}
