"""Request rates per token (or logged-in person) and per IP address (docs/api.md, "Throttling").

The counts live in Django's cache: per worker process with the default in-process cache, shared by
every app server when CRAMPWISE_REDIS_URL is set.
"""

from __future__ import annotations

import threading

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import SimpleRateThrottle

DEFAULT_RATE_PER_TOKEN = "300/min"
DEFAULT_RATE_PER_IP = "600/min"


def _thread_local(name: str) -> property:
    return property(
        lambda self: getattr(self._state, name, None), lambda self, v: setattr(self._state, name, v)
    )


class SettingsRateThrottle(SimpleRateThrottle):
    """ninja's sliding-window throttle, with its rate read from settings at each request.

    ninja keeps one request's history on the throttle object, which every thread of a worker
    shares (gunicorn runs threaded workers), so that state is kept per thread here.
    """

    setting_name = ""
    default_rate = ""

    def __init__(self) -> None:  # the rate is read per request, so settings can change under tests
        self._state = threading.local()

    key = _thread_local("key")
    history = _thread_local("history")
    now = _thread_local("now")
    num_requests = _thread_local("num_requests")
    duration = _thread_local("duration")

    def get_rate(self) -> str:
        return getattr(settings, self.setting_name, None) or self.default_rate

    def allow_request(self, request: HttpRequest) -> bool:
        self.num_requests, self.duration = self.parse_rate(self.get_rate())
        return super().allow_request(request)

    def get_ident(self, request: HttpRequest) -> str | None:
        # Trust X-Forwarded-For only behind a proxy (CRAMPWISE_BEHIND_PROXY), and then only its
        # last address, the one our proxy added: anyone can write the header themselves.
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if getattr(settings, "SECURE_PROXY_SSL_HEADER", None) and forwarded:
            return forwarded.split(",")[-1].strip()
        return request.META.get("REMOTE_ADDR")


class PerTokenThrottle(SettingsRateThrottle):
    """Each token, and each logged-in person using the web app's session, has its own budget."""

    scope = "token"
    setting_name = "API_RATE_PER_TOKEN"
    default_rate = DEFAULT_RATE_PER_TOKEN

    def get_cache_key(self, request: HttpRequest) -> str | None:
        token = getattr(request, "api_token", None)
        if token is not None:
            ident = f"token-{token.pk}"
        elif getattr(request, "user", None) is not None and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            return None  # anonymous requests are counted per IP address
        return self.cache_format % {"scope": self.scope, "ident": ident}


class PerIPThrottle(SettingsRateThrottle):
    """Every request from one address counts, whoever it is and whether it is let in or not."""

    scope = "ip"
    setting_name = "API_RATE_PER_IP"
    default_rate = DEFAULT_RATE_PER_IP

    def get_cache_key(self, request: HttpRequest) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
