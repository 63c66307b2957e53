"""The production server's request: Django's, with form posts parsed in one pass.

Django's QueryDict adds each field of a posted form through its mutable-dict checks, one by one;
for the morning check-in's dozen fields that was as much work as reading the session and user. The
same parse (the standard library's ``parse_qsl``, Django's field limit, Django's fallback for bytes
that are not UTF-8) fills the QueryDict in one step. Anything but a plain UTF-8 form post is left
to Django (tests/test_http.py compares the two on many bodies).
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from django.conf import settings
from django.core.exceptions import TooManyFieldsSent
from django.core.handlers.wsgi import WSGIHandler, WSGIRequest
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict


def form_data(body: bytes) -> QueryDict:
    """``QueryDict(body, encoding="utf-8")``: the same immutable QueryDict, built in one step."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        text = body.decode("iso-8859-1")  # as QueryDict does for misbehaving user agents
    lists: dict[str, list[str]] = {}
    try:
        for key, value in parse_qsl(text, keep_blank_values=True, encoding="utf-8",
                                    max_num_fields=settings.DATA_UPLOAD_MAX_NUMBER_FIELDS):
            lists.setdefault(key, []).append(value)
    except ValueError as error:
        raise TooManyFieldsSent(
            "The number of GET/POST parameters exceeded settings.DATA_UPLOAD_MAX_NUMBER_FIELDS."
        ) from error
    data = QueryDict(mutable=True, encoding="utf-8")
    # A QueryDict is a dict of lists: dict's own update sets them all at once (QueryDict's update
    # would append value by value, checking each time).
    dict.update(data, lists)
    data._mutable = False
    return data


class Request(WSGIRequest):
    def _load_post_and_files(self):
        plain_form = (
            self.method == "POST"
            and self.content_type == "application/x-www-form-urlencoded"
            and (self._encoding is None or self._encoding.lower() == "utf-8")
            and not (self._read_started and not hasattr(self, "_body"))
        )
        if not plain_form:
            super()._load_post_and_files()
            return
        self._post, self._files = form_data(self.body), MultiValueDict()


class Handler(WSGIHandler):
    request_class = Request
