"""Keep a person's pages out of every cache: browser history, shared computers, proxies.

Any answer to a signed-in request (a session) or to an API call that carries a token is health data
or leads to it: it gets ``Cache-Control: private, no-store`` unless its view chose its own header
(a chart that may be kept privately for an hour, the service worker). One middleware instead of a
decorator on each view, so a new page cannot forget it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

PRIVATE = "private, no-store"


class PrivateCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response
        if "HTTP_AUTHORIZATION" in request.META or request.user.is_authenticated:
            response["Cache-Control"] = PRIVATE
        return response
