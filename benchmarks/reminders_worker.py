"""The reminder worker at clinic scale: 100,000 people on PostgreSQL, two workers.

What a person feels is a reminder that comes on time. Two figures decide that:

1. Finding: each minute a worker searches for the people due and claims their reminders (one
   transaction: the search on ``next_due_at``, the ``Delivery`` inserts, the moved
   ``next_due_at``). With 100,000 people whose evening reminders are spread over the day (about 70
   a minute, in five time zones), that pass must take under 1 s. Measured at --minutes sample
   minutes, each rolled back so that every sample sees the same database.
2. Sending: when many are due at once (--burst people at the same minute), two worker processes
   (`run_pass`, as `crampwise worker` runs it each minute) claim and send through a local fake push
   service (127.0.0.1, answering 201) at 200 or more reminders a second. Counted from the moment
   both start until the last one is recorded; every push is checked as received exactly once, and
   a sample is decrypted.

Seeding uses bulk_create (users, profiles, settings, one push subscription each).

Run:  .venv/bin/python benchmarks/reminders_worker.py [--people 100000] [--burst 4000]
      [--minutes 20] [--postgres-url postgres://postgres@127.0.0.1:5432/postgres] [--keep]
It makes its own database (dropped afterwards unless --keep) and its own data dir.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FIND_BUDGET_S = 1.0
SEND_BUDGET_PER_S = 200.0
ZONES = ("UTC", "Europe/London", "America/New_York", "Asia/Tokyo", "Australia/Sydney")
SEED_BATCH = 5000

WORKER = """
import json, os, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crampwise.settings")
import django; django.setup()
from django.db import connection
from crampwise.reminders import vapid
from crampwise.reminders.worker import run_pass, warm_up
connection.ensure_connection()
warm_up()
time.sleep(max(0.0, float(sys.argv[1]) - time.time()))
started = time.time()
report = run_pass()
print(json.dumps({"sent": report.sent, "claimed": report.claimed, "failed": report.failed,
                  "dropped": report.dropped, "started": started, "finished": time.time(),
                  "batches": len(report.finding_seconds)}))
"""


def make_database(admin_url: str) -> str:
    import psycopg

    name = f"cw_bench_reminders_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlsplit(admin_url)._replace(path=f"/{name}").geturl()


def drop_database(admin_url: str, url: str) -> None:
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def seed(people: int, endpoint_base: str, subscriber, now: datetime) -> None:
    """People with an evening reminder at minute i of the day, in one of five zones."""
    from zoneinfo import ZoneInfo

    from django.contrib.auth import get_user_model
    from django.db import transaction

    from crampwise.accounts.models import Profile
    from crampwise.reminders.core.schedule import Plan, next_due
    from crampwise.reminders.models import PushSubscription, ReminderSettings

    User = get_user_model()
    zones = {name: ZoneInfo(name) for name in ZONES}
    for first in range(0, people, SEED_BATCH):
        numbers = range(first, min(people, first + SEED_BATCH))
        with transaction.atomic():
            users = User.objects.bulk_create(
                [User(username=f"r{i}", password="!") for i in numbers]
            )
            profiles, rows, subs = [], [], []
            for i, user in zip(numbers, users, strict=True):
                zone = ZONES[i % len(ZONES)]
                at = clock((i // 60) % 24, i % 60)
                profiles.append(Profile(user=user, time_zone=zone))
                plan = Plan(zone=zones[zone], evening_time=at, morning_time=clock(7, 30),
                            evening_enabled=True)  # fmt: skip
                due = next_due(plan, now)
                rows.append(ReminderSettings(user=user, evening_enabled=True, evening_time=at,
                                             next_due_at=due.at if due else None))  # fmt: skip
                subs.append(PushSubscription(user=user, endpoint=f"{endpoint_base}{i}",
                                             p256dh=subscriber.p256dh, auth=subscriber.auth))  # fmt: skip
            Profile.objects.bulk_create(profiles)
            ReminderSettings.objects.bulk_create(rows)
            PushSubscription.objects.bulk_create(subs)
        print(f"  seeded {numbers.stop:,} people", end="\r", flush=True)
    print()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def measure_finding(minutes: int, now: datetime) -> list[float]:
    """Seconds to find and claim one minute's due people, at ``minutes`` sample minutes."""
    from django.db import transaction
    from django.db.models import F

    from crampwise.reminders.models import ReminderSettings
    from crampwise.reminders.worker import claim

    class Rollback(Exception):
        pass

    timings, found = [], []
    for k in range(minutes):
        moment = now + timedelta(minutes=1 + k * 37)  # spread over the day
        try:
            with transaction.atomic():
                # Steady state: everyone due before this minute was served by earlier passes.
                ReminderSettings.objects.filter(
                    next_due_at__lte=moment - timedelta(minutes=1)
                ).update(next_due_at=F("next_due_at") + timedelta(days=1))
                started = time.perf_counter()
                claims, report = claim(moment)
                timings.append(time.perf_counter() - started)
                found.append(report.people)
                raise Rollback
        except Rollback:
            pass
    print(f"  people due per sampled minute: median {statistics.median(found):.0f}")
    return timings


def make_burst(burst: int) -> datetime:
    """``burst`` people (in UTC) due this very minute."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from crampwise.accounts.models import Profile
    from crampwise.reminders.models import ReminderSettings

    now = timezone.now()
    minute = now.replace(second=0, microsecond=0)
    ids = list(get_user_model().objects.order_by("pk").values_list("pk", flat=True)[:burst])
    Profile.objects.filter(user_id__in=ids).update(time_zone="UTC")
    ReminderSettings.objects.filter(user_id__in=ids).update(
        evening_time=clock(minute.hour, minute.minute), next_due_at=minute
    )
    return minute


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--burst", type=int, default=4000)
    parser.add_argument("--minutes", type=int, default=20)
    parser.add_argument(
        "--postgres-url", default="postgres://postgres@127.0.0.1:5432/postgres",
        help="An admin connection; the benchmark creates and drops its own database.",
    )  # fmt: skip
    parser.add_argument("--keep", action="store_true", help="Keep the database afterwards.")
    args = parser.parse_args()

    url = make_database(args.postgres_url)
    data_dir = tempfile.mkdtemp(prefix="cw-bench-reminders-")
    os.environ.update({
        "CRAMPWISE_DATABASE_URL": url, "CRAMPWISE_DATA_DIR": data_dir,
        "CRAMPWISE_PUSH_ALLOW_HTTP_LOOPBACK": "true", "CRAMPWISE_LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "crampwise.settings",
    })  # fmt: skip
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from tests.reminders.pushservice import FakePushService, Subscriber

    try:
        call_command("migrate", interactive=False, verbosity=0)
        subscriber = Subscriber()
        with FakePushService() as service:
            now = datetime.now(UTC)
            print(f"Seeding {args.people:,} people on PostgreSQL ...")
            started = time.perf_counter()
            seed(args.people, service.base, subscriber, now)
            print(f"  seeding took {time.perf_counter() - started:.1f} s")

            finding = measure_finding(args.minutes, now)
            burst_minute = make_burst(args.burst)
            connection.close()

            start_at = time.time() + 3
            env = dict(os.environ)
            workers = [
                subprocess.Popen([sys.executable, "-c", WORKER, str(start_at)], env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for _ in range(2)
            ]  # fmt: skip
            reports = []
            for process in workers:
                out, err = process.communicate(timeout=1800)
                if process.returncode != 0:
                    raise SystemExit(f"a worker failed:\n{err}")
                reports.append(json.loads(out))
            received = list(service.received)

        sent = sum(r["sent"] for r in reports)
        seconds = max(r["finished"] for r in reports) - min(r["started"] for r in reports)
        names = [r.path.rsplit("/", 1)[-1] for r in received]
        once = len(names) == len(set(names)) == sent and sent >= args.burst
        sample = subscriber.decrypt(received[0].body) if received else {}

        finding_sorted = sorted(finding)
        p95 = finding_sorted[max(0, int(round(0.95 * len(finding_sorted))) - 1)]
        rate = sent / seconds if seconds else 0.0
        print()
        print(f"Reminder worker, {args.people:,} people, PostgreSQL, 2 workers")
        print(f"{'':38}{'measured':>14}{'budget':>14}")
        print(f"{'find + claim one minute, median':38}{statistics.median(finding):>12.3f} s"
              f"{'< ' + str(FIND_BUDGET_S) + ' s':>14}")  # fmt: skip
        print(f"{'find + claim one minute, p95':38}{p95:>12.3f} s{'< 1.0 s':>14}")
        print(f"{'find + claim one minute, worst':38}{finding_sorted[-1]:>12.3f} s{'< 1.0 s':>14}")
        print(f"{'sending, reminders a second':38}{rate:>12.0f} /s"
              f"{'>= ' + str(int(SEND_BUDGET_PER_S)) + ' /s':>14}")  # fmt: skip
        print(f"  burst of {args.burst:,} due at {burst_minute:%H:%M} UTC: {sent:,} sent in "
              f"{seconds:.1f} s; per worker {[r['sent'] for r in reports]}, "
              f"failed {sum(r['failed'] for r in reports)}")  # fmt: skip
        print(f"  each push received exactly once: {'yes' if once else 'NO'}; "
              f"a sample decrypts to: {sample.get('title')!r}")  # fmt: skip
        ok = finding_sorted[-1] < FIND_BUDGET_S and rate >= SEND_BUDGET_PER_S and once
        print(f"  within budget: {'yes' if ok else 'NO'}")
    finally:
        connection.close()
        if not args.keep:
            drop_database(args.postgres_url, url)


if __name__ == "__main__":
    main()
