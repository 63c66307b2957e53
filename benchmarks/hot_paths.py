"""What the pieces of a morning request cost, each timed alone in one process.

On a fresh SQLite database, times per call (median of rounds): the person behind a request
(session, then the user with the profile), the flash message's cookie, a posted form's parsing,
the check-in form's validation, the check-in's upsert, a month of nights, and the check-in page
and a fixed response through the test client, for scale. Whole requests under load are measured by
benchmarks/load_morning.py (decision 0004); this script helps find which piece grew.

    .venv/bin/python benchmarks/hot_paths.py [--repeats 7]
"""

from __future__ import annotations

import argparse
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
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.messages import constants
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.http import HttpResponse, QueryDict
    from django.test import Client, RequestFactory

    from crampwise.accounts.backends import ProfileModelBackend
    from crampwise.diary import services
    from crampwise.diary.forms import CheckinForm
    from crampwise.diary.models import Medicine, Night

    call_command("migrate", verbosity=0)
    user = get_user_model().objects.create_user("bench", password="bench-password-1")
    for name in ("Amlodipine", "Magnesium", "Zopiclone"):
        Medicine.objects.create(user=user, name=name)
    today = date.today()
    first = today - timedelta(days=29)
    for i in range(30):
        Night.objects.create(
            user=user,
            night=first + timedelta(days=i),
            reported_cramps=i % 4,
            factors={"stretched": i % 2 == 0, "alcohol_units": i % 3},
        )
    medicines = [m.name for m in Medicine.objects.filter(user=user)]
    posted = (
        b"cramps=2&worst_pain=6&minutes_awake=10&sleep_quality=3&soreness=1&f_stretched=yes"
        b"&f_alcohol_units=1&f_fluid_glasses=6&medicines_taken=Magnesium"
    )
    answers = QueryDict(posted)

    def checkin_form():
        assert CheckinForm(answers, medicine_names=medicines).is_valid()

    def message_cookie():
        request = RequestFactory().get("/")
        storage = CookieStorage(request)
        storage.add(constants.SUCCESS, "Thank you. The night of Wed 25 Nov is saved.")
        storage.update(HttpResponse())

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    session_key = client.cookies["sessionid"].value

    backend = ProfileModelBackend()

    def signed_in():
        # What every signed-in request does: the session, then the backend's user with profile.
        data = SessionStore(session_key).load()
        return backend.get_user(data["_auth_user_id"]).profile

    rows = [
        ("session: load", lambda: SessionStore(session_key).load()),
        ("signed in: session, user, profile", signed_in),
        ("message cookie", message_cookie),
        ("form post: QueryDict", lambda: QueryDict(posted, encoding="utf-8")),
        ("check-in form: validate", checkin_form),
        (
            "night upsert (save_night)",
            lambda: services.save_night(
                user,
                first,
                episode_count=0,
                reported_cramps=2,
                worst_pain=6,
                factors={"stretched": True, "alcohol_units": 1},
                medicines_taken=["Magnesium"],
            ),
        ),
        (
            "30 nights: ORM filter",
            lambda: list(Night.objects.filter(user=user, night__gte=first, night__lte=today)),
        ),
        ("fixed response (client)", lambda: client.get("/bench/bare")),
        (
            "check-in page GET (client)",
            lambda: client.get(f"/history/{today - timedelta(days=1)}/edit/"),
        ),
    ]
    times = {
        label: per_call_ms(fn, args.repeats, 50 if "client" in label else 200) for label, fn in rows
    }
    for label, ms in times.items():
        print(f"  {label:36s} {ms:8.3f} ms")


if __name__ == "__main__":
    main()
