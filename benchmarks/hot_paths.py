"""The pieces behind the hot-path changes (docs/decisions/0004), each against its ORM/Django form.

In one process, on a fresh SQLite database, times per call (median of rounds):
  - one user by primary key: ORM ``get`` vs ``prepared_sql.fetch_one`` (on the driver's cursor, and
    forced through Django's cursor wrapper as when queries are watched),
  - the session behind a request: Django's database backend vs crampwise's,
  - the person behind a request: Django's session store and the ORM (session, user, profile) vs the
    session read with its user and profile in one statement,
  - a flash message's cookie: Django's cookie storage vs kept once made,
  - the check-in's write: an upsert from a model instance vs from the values,
  - a posted check-in form: Django's QueryDict vs parsed in one pass (crampwise/http.py),
  - a month of nights: ORM ``filter`` vs ``prepared_sql.fetch``,
  - the check-in form: Django's per-form deep copy of the fields vs the shared fields,
  - the check-in page (GET) and a fixed response, through the test client, for scale.

    .venv/bin/python benchmarks/hot_paths.py [--repeats 7]
"""

from __future__ import annotations

import argparse
import copy
import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
os.environ.setdefault("CRAMPWISE_DATA_DIR", tempfile.mkdtemp(prefix="cw-hot-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench_settings")


def per_call_ms(fn, repeats: int, calls: int = 200) -> float:
    fn()
    rounds = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(calls):
            fn()
        rounds.append((time.perf_counter() - start) / calls * 1000)
    return statistics.median(rounds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.messages import constants
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
    from django.core.management import call_command
    from django.db import connection
    from django.http import HttpResponse, QueryDict
    from django.test import Client, RequestFactory
    from django.utils import timezone

    from crampwise import prepared_sql
    from crampwise.accounts.message_storage import SignedOnceCookieStorage
    from crampwise.accounts.sessions import SessionStore
    from crampwise.diary.forms import CheckinForm
    from crampwise.diary.models import Medicine, Night
    from crampwise.http import form_data

    call_command("migrate", verbosity=0)
    user = get_user_model().objects.create_user("bench", password="bench-password-1")
    for name in ("Amlodipine", "Magnesium", "Zopiclone"):
        Medicine.objects.create(user=user, name=name)
    today = date.today()
    first = today - timedelta(days=29)
    for i in range(30):
        Night.objects.create(user=user, night=first + timedelta(days=i), reported_cramps=i % 4,
                             factors={"stretched": i % 2 == 0, "alcohol_units": i % 3})
    medicines = [m.name for m in Medicine.objects.filter(user=user)]
    answers = QueryDict("cramps=2&worst_pain=6&minutes_awake=10&sleep_quality=3&f_stretched=yes")

    def shared_form():
        assert CheckinForm(answers, medicine_names=medicines).is_valid()

    def deep_copied_form():
        form = CheckinForm(answers, medicine_names=medicines)
        form.fields = copy.deepcopy(form.fields)  # what Django does for every form by default
        assert form.is_valid()

    def through_django_cursor():
        # An execute wrapper (as assertNumQueries and DEBUG's log use) sends prepared SQL through
        # Django's cursor; this one does nothing else.
        with connection.execute_wrapper(lambda execute, sql, params, many, context: execute(sql, params, many, context)):
            prepared_sql.fetch_one(get_user_model(), pk=user.pk)

    def message_cookie(storage_class):
        request = RequestFactory().get("/")
        request.session = {}

        def store():
            storage = storage_class(request)
            storage.add(constants.SUCCESS, "Thank you. The night of Wed 25 Nov is saved.")
            storage.update(HttpResponse())
        return store

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    session_key = client.cookies["sessionid"].value
    # The same session in Django's own table, for Django's store to read (ours has its own table).
    django_store = DjangoSessionStore()
    django_store.update(SessionStore(session_key).load())
    django_store.create()
    django_key = django_store.session_key
    assert DjangoSessionStore(django_key).load()["_auth_user_id"] == str(user.pk)
    def django_signed_in():
        data = DjangoSessionStore(django_key).load()
        person = get_user_model().objects.select_related("profile").get(pk=data["_auth_user_id"])
        return person.profile

    def crampwise_signed_in():
        store = SessionStore(session_key)
        store.load()
        return store.signed_in_rows[1]

    night_values = {"user": user.pk, "night": first, "episode_count": 0, "checked_in_at": timezone.now(),
                    "reported_cramps": 2, "worst_pain": 6, "factors": {"stretched": True, "alcohol_units": 1},
                    "medicines_taken": ["Magnesium"]}
    posted = (b"cramps=2&worst_pain=6&minutes_awake=10&sleep_quality=3&soreness=1&f_stretched=yes"
              b"&f_alcohol_units=1&f_fluid_glasses=6&medicines_taken=Magnesium")
    night_updates = ("reported_cramps", "worst_pain", "factors", "medicines_taken", "checked_in_at", "updated_at")

    rows = [
        ("user by key: ORM get", lambda: get_user_model().objects.get(pk=user.pk)),
        ("user by key: Django's cursor", through_django_cursor),
        ("user by key: prepared", lambda: prepared_sql.fetch_one(get_user_model(), pk=user.pk)),
        ("session: Django's backend", lambda: DjangoSessionStore(django_key).load()),
        ("session: crampwise's", lambda: SessionStore(session_key).load()),
        ("signed in: Django's way", django_signed_in),
        ("signed in: one statement", crampwise_signed_in),
        ("message cookie: Django's", message_cookie(CookieStorage)),
        ("message cookie: signed once", message_cookie(SignedOnceCookieStorage)),
        ("30 nights: ORM filter", lambda: list(Night.objects.filter(user=user, night__gte=first, night__lte=today))),
        ("30 nights: prepared", lambda: prepared_sql.fetch(Night, user=user, night__gte=first, night__lte=today)),
        ("night upsert: instance", lambda: prepared_sql.upsert(
            Night(**{("user_id" if k == "user" else k): v for k, v in night_values.items()}),
            unique_fields=("user", "night"), update_fields=night_updates)),
        ("night upsert: values", lambda: prepared_sql.upsert_values(
            Night, night_values, unique_fields=("user", "night"), update_fields=night_updates)),
        ("form post: QueryDict", lambda: QueryDict(posted, encoding="utf-8")),
        ("form post: one pass", lambda: form_data(posted)),
        ("check-in form: deep copy", deep_copied_form),
        ("check-in form: shared", shared_form),
        ("fixed response (client)", lambda: client.get("/bench/bare")),
        ("check-in page GET (client)", lambda: client.get(f"/history/{today - timedelta(days=1)}/edit/")),
    ]
    times = {label: per_call_ms(fn, args.repeats, 50 if "client" in label else 200) for label, fn in rows}
    for label, ms in times.items():
        print(f"  {label:30s} {ms:8.3f} ms")
    print(f"  prepared / ORM, user by key:  {times['user by key: prepared'] / times['user by key: ORM get']:.2f}")
    ratios = [
        ("driver's / Django's cursor", "user by key: prepared", "user by key: Django's cursor"),
        ("session, crampwise / Django", "session: crampwise's", "session: Django's backend"),
        ("message cookie, once / Django", "message cookie: signed once", "message cookie: Django's"),
        ("signed in, joined / Django", "signed in: one statement", "signed in: Django's way"),
        ("upsert, values / instance", "night upsert: values", "night upsert: instance"),
        ("form post, one pass / Django", "form post: one pass", "form post: QueryDict"),
    ]
    for label, new, old in ratios:
        print(f"  {label + ':':32s}{times[new] / times[old]:.2f}")
    print(f"  shared / deep-copied form:    {times['check-in form: shared'] / times['check-in form: deep copy']:.2f}")
    print(f"  check-in page / fixed response: {times['check-in page GET (client)'] / times['fixed response (client)']:.0f}x")


if __name__ == "__main__":
    main()
