"""Form posts parsed in one pass give exactly Django's QueryDict, and the server uses them."""

from __future__ import annotations

import io
import random
from urllib.parse import quote

import pytest
from django.core.exceptions import TooManyFieldsSent
from django.http import QueryDict

from crampwise.http import form_data

BODIES = [
    b"",
    b"cramps=2&worst_pain=6&minutes_awake=10&sleep_quality=3&f_stretched=yes",
    b"medicines_taken=Ramipril&medicines_taken=Magnesium+citrate&cramps=0",
    b"note=woke+at+3%3A10+%E2%80%94+calf&empty=&flag",
    b"a=1&&b=2&=nokey&c",
    b"note=%FF%FEbad&x=%zz",  # percent-escapes that are not UTF-8, and a broken one
    "note=caf\u00e9".encode("latin-1"),  # raw bytes that are not UTF-8 at all
    b"k=1;k=2&k=3",
    b"plus=a+b+c&space=a%20b",
]


def same(body: bytes) -> None:
    ours, django = form_data(body), QueryDict(body, encoding="utf-8")
    assert type(ours) is QueryDict and list(ours.lists()) == list(django.lists()), body
    assert ours.encoding == django.encoding == "utf-8"
    with pytest.raises(AttributeError):
        ours["cramps"] = "9"  # immutable, as request.POST always is
    assert ours.copy() == django.copy()


@pytest.mark.parametrize("body", BODIES)
def test_each_body_parses_as_django_parses_it(body):
    same(body)


def test_random_bodies_parse_as_django_parses_them():
    rng = random.Random(27)
    alphabet = "ab=&+%;é 0-_~€\u2014x"
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        same(text.encode("utf-8"))
        same(quote(text, safe="=&+").encode())


def test_too_many_fields_is_refused_as_django_refuses_it(settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    body = "&".join(f"f{i}=1" for i in range(11)).encode()
    for parse in (form_data, lambda b: QueryDict(b, encoding="utf-8")):
        with pytest.raises(TooManyFieldsSent):
            parse(body)


@pytest.mark.django_db
def test_the_production_application_reads_a_check_in(owner_client, owner):
    """Through crampwise.wsgi's application (the one gunicorn serves), a posted check-in is saved."""
    from django.core.signals import request_finished, request_started  # noqa: PLC0415
    from django.db import close_old_connections  # noqa: PLC0415

    from crampwise.diary.models import Night  # noqa: PLC0415
    from crampwise.wsgi import application  # noqa: PLC0415

    body = b"cramps=3&worst_pain=5&note=bad+night&f_stretched=no"
    environ = {
        "REQUEST_METHOD": "POST", "PATH_INFO": "/history/2026-11-20/edit/", "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80", "HTTP_HOST": "127.0.0.1", "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(body), "wsgi.errors": io.StringIO(),
        "CONTENT_TYPE": "application/x-www-form-urlencoded", "CONTENT_LENGTH": str(len(body)),
        "HTTP_COOKIE": f"sessionid={owner_client.cookies['sessionid'].value}; csrftoken={'c' * 32}",
        "HTTP_X_CSRFTOKEN": "c" * 32, "REMOTE_ADDR": "127.0.0.1",
    }
    statuses = []
    # As Django's test client does: the test's transaction holds the connection, which the
    # server's end-of-request clean-up would otherwise close.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        response = application(environ, lambda status, headers, exc_info=None: statuses.append(status))
        b"".join(response)
        response.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    assert statuses == ["302 Found"]
    night = Night.objects.get(user=owner, night="2026-11-20")
    assert (night.reported_cramps, night.worst_pain, night.note, night.factors) == (3, 5, "bad night", {"stretched": False})
