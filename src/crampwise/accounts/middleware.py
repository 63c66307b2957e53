"""Django's authentication middleware, using the user that was read with the session."""

from __future__ import annotations

from django.contrib import auth
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.middleware import (
    AuthenticationMiddleware as DjangoAuthenticationMiddleware,
)
from django.utils.functional import SimpleLazyObject

from .backends import read_with_session


def get_user(request):
    """``request.user``, as Django's middleware gets it, with the session's own read of the user offered.

    Django's ``get_user`` does everything as usual (which backend, the session's hash of the
    password, signing out on a mismatch); the only difference is that the backend finds the user
    and profile already read with this request's session (accounts/sessions.py), when the session
    named that user. The offer lasts for this call only.
    """
    if not hasattr(request, "_cached_user"):
        session = request.session
        session.get(SESSION_KEY)  # read the session (and the user with it), if nothing has yet
        token = read_with_session.set(getattr(session, "signed_in_rows", None))
        try:
            request._cached_user = auth.get_user(request)
        finally:
            read_with_session.reset(token)
    return request._cached_user


class AuthenticationMiddleware(DjangoAuthenticationMiddleware):
    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: get_user(request))
