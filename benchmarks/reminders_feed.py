"""What a calendar app waits for: the calendar feed and the reminders page, through the test client.

One person with both reminders on, a morning reminder and a running blinded trial (so every one
of the 56 nights carries its plan, and the milestones are listed), on a fresh SQLite database.
Latency percentiles per request, with the budget beside each. A calendar app fetches the feed in
the background about once a day and nobody watches it load, so its budget is half a second (most of
it is icalendar building and folding ~120 events); the page is one a person waits for.

    .venv/bin/python benchmarks/reminders_feed.py [--requests 60]
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
os.environ.setdefault("CRAMPWISE_DATA_DIR", tempfile.mkdtemp(prefix="cw-feed-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench_settings")

BUDGETS_MS = {"calendar feed (.ics)": 500.0, "reminders page": 150.0}


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return statistics.median(samples), cuts[94], max(samples)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=60)
    args = parser.parse_args()

    import django

    django.setup()
    from datetime import time as clock

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    from crampwise.reminders.feeds import feed_path, new_feed
    from crampwise.reminders.models import ReminderSettings
    from crampwise.trials.services.lifecycle import create_trial

    call_command("migrate", verbosity=0)
    user = get_user_model().objects.create_user("bench", password="bench-password-1")
    user.profile.time_zone = "Europe/London"
    user.profile.save()
    ReminderSettings.objects.create(
        user=user, evening_enabled=True, evening_time=clock(21, 30), morning_enabled=True
    )
    create_trial(
        user, remedy_id="magnesium", kind="supplement", start=date.today() - timedelta(days=3),
        pairs=3, period_nights=14, washout_nights=7, blinded=True, seed=7,
    )  # fmt: skip
    path = feed_path(new_feed(user))
    anonymous = Client(HTTP_HOST="127.0.0.1")
    person = Client(HTTP_HOST="127.0.0.1")
    person.force_login(user)

    rows = {
        "calendar feed (.ics)": lambda: anonymous.get(path),
        "reminders page": lambda: person.get("/settings/reminders/"),
    }
    print(f"{args.requests} requests each (after one warm-up), milliseconds")
    print(f"  {'request':24s} {'median':>8s} {'p95':>8s} {'max':>8s}   budget (p95)")
    for label, call in rows.items():
        assert call().status_code == 200
        samples = []
        for _ in range(args.requests):
            start = time.perf_counter()
            call()
            samples.append((time.perf_counter() - start) * 1000)
        median, p95, top = percentiles(samples)
        verdict = "ok" if p95 <= BUDGETS_MS[label] else "OVER"
        print(
            f"  {label:24s} {median:8.1f} {p95:8.1f} {top:8.1f}   {BUDGETS_MS[label]:.0f} ms {verdict}"
        )
    size = len(anonymous.get(path).content)
    print(f"  feed size: {size / 1024:.1f} KiB")


if __name__ == "__main__":
    main()
