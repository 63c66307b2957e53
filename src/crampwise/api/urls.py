"""The REST API v1 (django-ninja), mounted at /api/v1/ (docs/api.md)."""

from __future__ import annotations

import json

from django.http import HttpRequest, JsonResponse
from django.urls import re_path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.parser import Parser

from crampwise.api import episodes, export, factors, insights, me, medicines, nights
from crampwise.api.auth import BearerTokenAuth, SessionCookieAuth, per_ip
from crampwise.api.errors import body, install_error_handlers, responses
from crampwise.api.throttles import PerTokenThrottle
from crampwise.reminders import api as reminders
from crampwise.series import api as series

DESCRIPTION = """The night diary of crampwise for apps and scripts.

Authenticate with a personal access token (`Authorization: Bearer TOKEN`, made on the page
/settings/tokens/ or with `crampwise token create`) or, from the web app, with the login session
and the CSRF token. Every error is answered as `{"detail": [{"field": ..., "message": ...}]}`.
The full guide is docs/api.md."""


def _no_constant(name: str):
    raise ValueError(f"{name} is not JSON")


class StrictJSONParser(Parser):
    """JSON as the standard has it: Python's parser would also take NaN and Infinity."""

    def parse_body(self, request):
        return json.loads(request.body, parse_constant=_no_constant)


@csrf_exempt
def unknown_address(request: HttpRequest, *args: object, **kwargs: object) -> JsonResponse:
    return JsonResponse(
        body([(None, _("There is no such address in the API. See /api/v1/docs."))]), status=404
    )


api = NinjaAPI(
    title="crampwise API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    auth=[BearerTokenAuth(), SessionCookieAuth()],
    throttle=[PerTokenThrottle()],
    parser=StrictJSONParser(),
)
install_error_handlers(api)

for module in (nights, episodes, factors, medicines, insights, export, me, reminders, series):
    api.add_router("", module.router)


@api.get(
    "/ping",
    auth=None,
    throttle=[per_ip],
    response={200: dict[str, str], **responses(429)},
    operation_id="ping",
    summary="Check that the API answers",
    tags=["service"],
)
def ping(request: HttpRequest) -> dict[str, str]:
    return {"status": "ok"}


# What crampwise/urls.py mounts at /api/v1/: ninja's addresses, then a catch-all so that anything
# else under /api/v1/ gets the API's JSON 404, not the web app's HTML page.
_patterns, _app_name, _namespace = api.urls
api_urls = ([*_patterns, re_path(r"^", unknown_address)], _app_name, _namespace)
