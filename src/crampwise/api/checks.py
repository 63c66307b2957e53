"""`crampwise manage check` catches a malformed API rate before the first request would."""

from __future__ import annotations

from django.core.checks import Error

from crampwise.api.throttles import PerIPThrottle, PerTokenThrottle


def check_api_rates(app_configs=None, **kwargs) -> list[Error]:
    errors = []
    for throttle in (PerTokenThrottle(), PerIPThrottle()):
        rate = throttle.get_rate()
        try:
            throttle.parse_rate(rate)
        except ValueError:
            errors.append(
                Error(
                    f"CRAMPWISE_{throttle.setting_name} is {rate!r}; write a rate such as 300/min (N/s, N/min, N/hour or N/day)",
                    id="crampwise_api.E001",
                )
            )
    return errors
