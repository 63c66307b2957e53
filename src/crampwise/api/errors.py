"""One error body for every 4xx: ``{"detail": [{"field": "cramps", "message": "..."}]}``.

``field`` names the offending input (a body field, ``factors.late_dinner``, a query or path
parameter) or is null when the problem is not one field's (authentication, throttling, not found).
Messages are translated; pydantic's own English messages are replaced by ours.
"""

from __future__ import annotations

import logging
import math

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

logger = logging.getLogger(__name__)


class ErrorItem(Schema):
    field: str | None
    message: str


class ErrorOut(Schema):
    detail: list[ErrorItem]


class ApiProblem(Exception):
    """Raised by endpoints: one or more problems, answered with ``status``."""

    def __init__(self, status: int, problems: list[tuple[str | None, str]]):
        super().__init__(problems)
        self.status = status
        self.problems = problems


def problem(status: int, message: str, field: str | None = None) -> ApiProblem:
    return ApiProblem(status, [(field, str(message))])


def not_found() -> ApiProblem:
    return problem(404, _("There is no such record in your diary."))


def responses(*statuses: int) -> dict[int, type[ErrorOut]]:
    """The documented error answers of an operation."""
    return dict.fromkeys(statuses, ErrorOut)


def body(problems: list[tuple[str | None, str]]) -> dict:
    return {"detail": [{"field": f, "message": m} for f, m in problems]}


def install_error_handlers(api: NinjaAPI) -> None:
    def answer(request, status: int, problems, headers: dict | None = None) -> HttpResponse:
        response = api.create_response(request, body(problems), status=status)
        for name, value in (headers or {}).items():
            response[name] = value
        return response

    @api.exception_handler(ApiProblem)
    def on_problem(request: HttpRequest, exc: ApiProblem):
        return answer(request, exc.status, exc.problems)

    @api.exception_handler(ValidationError)
    def on_invalid(request: HttpRequest, exc: ValidationError):
        return answer(request, 422, validation_problems(exc.errors))

    @api.exception_handler(AuthenticationError)
    def on_unauthenticated(request: HttpRequest, exc: AuthenticationError):
        message = _(
            "Log in, or send a valid personal access token as “Authorization: Bearer TOKEN”."
        )
        return answer(
            request, 401, [(None, message)], {"WWW-Authenticate": 'Bearer realm="crampwise"'}
        )

    @api.exception_handler(Throttled)
    def on_throttled(request: HttpRequest, exc: Throttled):
        wait = exc.wait if exc.wait is not None else 60
        message = _("Too many requests. Please wait %(seconds)s seconds and try again.") % {
            "seconds": math.ceil(wait)
        }
        return answer(request, 429, [(None, message)], {"Retry-After": str(math.ceil(wait))})

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError):
        if exc.status_code == 400:
            # ninja's only HttpError of its own: a body that is not JSON.
            return answer(request, 400, [(None, _("The request body is not valid JSON."))])
        return answer(request, exc.status_code, [(None, str(exc))])

    @api.exception_handler(RequestDataTooBig)
    def on_too_big(request: HttpRequest, exc: RequestDataTooBig):
        return answer(request, 400, [(None, _("The request body is too large."))])

    @api.exception_handler(Http404)
    def on_404(request: HttpRequest, exc: Http404):
        return answer(request, 404, [(None, _("There is no such record in your diary."))])


def field_name(loc: tuple | list) -> str | None:
    """``("body", "payload", "factors", "x")`` -> ``"factors.x"``; ``("query", "limit")`` -> ``"limit"``."""
    parts = [str(p) for p in loc]
    if parts[:1] == ["body"]:
        parts = parts[2:]  # the source and the name of the body parameter
    else:
        parts = parts[1:]
    return ".".join(parts) or None


def validation_problems(errors: list[dict]) -> list[tuple[str | None, str]]:
    seen: dict[str | None, str] = {}
    for error in errors:
        loc = tuple(error.get("loc", ()))
        name = field_name(loc)
        if name in seen:  # one message a field is enough to fix it
            continue
        if name is None and loc[:1] == ("body",) and error.get("type") == "missing":
            seen[name] = _("Send the fields as a JSON object in the request body.")
        else:
            seen[name] = message_for(error)
    return list(seen.items())


def message_for(error: dict) -> str:
    """A translated message for a pydantic error (by its type), else pydantic's own text."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "crampwise":
        return str(ctx.get("message", error.get("msg", "")))
    messages = {
        "missing": _("This field is required."),
        "extra_forbidden": _("This is not a field of this resource."),
        "int_type": _("Write a whole number."),
        "int_parsing": _("Write a whole number."),
        "int_from_float": _("Write a whole number."),
        "float_type": _("Write a number."),
        "float_parsing": _("Write a number."),
        "finite_number": _("Write a finite number."),
        "bool_type": _("Write true or false."),
        "bool_parsing": _("Write true or false."),
        "string_type": _("Write text."),
        "list_type": _("Write a list."),
        "dict_type": _("Write an object."),
        "model_type": _("Write an object."),
        "model_attributes_type": _("Write an object."),
        "uuid_type": _("Write a UUID, such as 3f2b8e4c-1d2a-4c5b-9e8f-0a1b2c3d4e5f."),
        "uuid_parsing": _("Write a UUID, such as 3f2b8e4c-1d2a-4c5b-9e8f-0a1b2c3d4e5f."),
        "uuid_version": _("Write a UUID, such as 3f2b8e4c-1d2a-4c5b-9e8f-0a1b2c3d4e5f."),
        "date_type": _("Write a date as YYYY-MM-DD, for example 2026-11-25."),
        "date_parsing": _("Write a date as YYYY-MM-DD, for example 2026-11-25."),
        "date_from_datetime_parsing": _("Write a date as YYYY-MM-DD, for example 2026-11-25."),
        "date_from_datetime_inexact": _("Write a date as YYYY-MM-DD, for example 2026-11-25."),
        "datetime_type": _(
            "Write a time as ISO 8601 with its offset, for example 2026-11-26T03:12:00+00:00."
        ),
        "datetime_parsing": _(
            "Write a time as ISO 8601 with its offset, for example 2026-11-26T03:12:00+00:00."
        ),
        "datetime_from_date_parsing": _(
            "Write a time as ISO 8601 with its offset, for example 2026-11-26T03:12:00+00:00."
        ),
        "timezone_aware": _("Give the time with its offset from UTC, for example +01:00 or Z."),
        "datetime_object_invalid": _("This is not a real time."),
        "literal_error": _("Choose one of: %(expected)s."),
        "enum": _("Choose one of: %(expected)s."),
    }
    if kind in messages:
        return (
            messages[kind] % {"expected": ctx.get("expected", "")}
            if "%(" in messages[kind]
            else messages[kind]
        )
    ranges = {
        "greater_than_equal": _("Write a value of at least %(limit)s."),
        "greater_than": _("Write a value above %(limit)s."),
        "less_than_equal": _("Write a value of at most %(limit)s."),
        "less_than": _("Write a value below %(limit)s."),
        "string_too_long": _("Write at most %(limit)s characters."),
        "string_too_short": _("Write at least %(limit)s characters."),
        "too_long": _("Give at most %(limit)s items."),
        "too_short": _("Give at least %(limit)s items."),
        "string_pattern_mismatch": _("This is not in the expected form (%(limit)s)."),
    }
    if kind in ranges:
        limit = next(
            (
                ctx[k]
                for k in ("ge", "gt", "le", "lt", "max_length", "min_length", "pattern")
                if k in ctx
            ),
            "",
        )
        return ranges[kind] % {"limit": limit}
    logger.debug("untranslated validation error %s", kind)
    return str(error.get("msg", _("This value is not valid.")))
