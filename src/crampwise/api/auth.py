"""Who is calling: a personal access token (Bearer) or the web app's session (with CSRF).

Both set ``request.user`` to the person, so endpoints read one attribute whichever was used, and
``request.api_token`` to the token (None for a session).
"""

from __future__ import annotations

import math

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, Throttled
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from crampwise.api.errors import problem
from crampwise.api.throttles import PerIPThrottle
from crampwise.api.tokens import find_active_token, note_use

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

per_ip = PerIPThrottle()


def check_ip_rate(request: HttpRequest) -> None:
    # Checked here, before anyone is let in, so that failed attempts count too (ninja's own
    # throttles run only after authentication has succeeded).
    if not per_ip.allow_request(request):
        wait = per_ip.wait()
        raise Throttled(wait=math.ceil(wait) if wait is not None else None)


class BearerTokenAuth(HttpBearer):
    """``Authorization: Bearer cw_...``: a personal access token, scoped read or read-write."""

    openapi_bearerFormat = "personal access token"

    def __call__(self, request: HttpRequest):
        check_ip_rate(request)  # the first auth callback: runs on every authenticated operation
        request.api_token = None  # type: ignore[attr-defined]  # the API's own (docstring)
        header = request.headers.get("Authorization")
        if not header:
            return None  # perhaps the session
        scheme, _sep, secret = header.partition(" ")
        if scheme.lower() != "bearer":
            raise AuthenticationError()
        return self.authenticate(request, secret.strip())

    def authenticate(self, request: HttpRequest, token: str):
        found = find_active_token(token)
        if found is None:
            raise AuthenticationError()  # unknown, revoked, or its account is closed
        if request.method not in SAFE_METHODS and not found.can_write:
            raise problem(
                403, _("This token can only read. Create a read-write token to make changes.")
            )
        note_use(found)
        request.user = found.user
        request.api_token = found  # type: ignore[attr-defined]  # the API's own (docstring)
        return found


class SessionCookieAuth(APIKeyCookie):
    """The web app's login session; every change needs the CSRF token (header X-CSRFToken)."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def __call__(self, request: HttpRequest):
        return self.authenticate(request, request.COOKIES.get(self.param_name))

    def authenticate(self, request: HttpRequest, key: str | None):
        if not request.user.is_authenticated:
            return None
        # Checked after the login, so that a stranger learns only "log in", never "CSRF".
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise problem(
                403,
                _(
                    "The CSRF check failed. Send the csrftoken cookie's value in the X-CSRFToken header."
                ),
            )
        return request.user
