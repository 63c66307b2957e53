"""Two worker processes on one database send each due reminder exactly once (SQLite, PostgreSQL)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from urllib.parse import urlsplit

import pytest

from tests.conftest import ON_POSTGRES
from tests.reminders.pushservice import FakePushService, Subscriber

PEOPLE = 40

SETUP = """
import json, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crampwise.settings")
import django; django.setup()
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
from datetime import time
from django.contrib.auth import get_user_model
from django.utils import timezone
from crampwise.reminders import vapid
from crampwise.reminders.models import PushSubscription, ReminderSettings
vapid.public_key()
now = timezone.now()
for i, sub in enumerate(json.loads(sys.stdin.read())):
    user = get_user_model().objects.create_user(f"p{i}", password=None)
    PushSubscription.objects.create(user=user, **sub)
    # Saving the settings schedules them: due this very minute.
    ReminderSettings.objects.create(user=user, evening_enabled=True,
                                    evening_time=time(now.hour, now.minute))
"""

WORKER = """
import json, os, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crampwise.settings")
import django; django.setup()
from crampwise.reminders.worker import run_pass
from django.db import connection
connection.ensure_connection()
time.sleep(max(0.0, float(sys.argv[1]) - time.time()))
report = run_pass(batch=3)
print(json.dumps({"claimed": report.claimed, "sent": report.sent}))
"""


@pytest.fixture
def database_url(tmp_path):
    if not ON_POSTGRES:
        yield f"sqlite:///{tmp_path / 'workers.sqlite3'}"
        return
    import psycopg

    base = urlsplit(os.environ["CRAMPWISE_DATABASE_URL"])
    name = f"cw_workers_{uuid.uuid4().hex[:10]}"
    admin = base._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield base._replace(path=f"/{name}").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def worker_env(url: str, tmp_path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CRAMPWISE_")}
    return env | {
        "CRAMPWISE_DATA_DIR": str(tmp_path / "data"),
        "CRAMPWISE_DATABASE_URL": url,
        "CRAMPWISE_PUSH_ALLOW_HTTP_LOOPBACK": "true",
        "CRAMPWISE_LOG_LEVEL": "WARNING",
    }


@pytest.mark.slow
@pytest.mark.postgres
def test_two_workers_claiming_at_once_send_each_reminder_exactly_once(database_url, tmp_path):
    """Both start the same instant, in small batches so that their claims interleave."""
    env = worker_env(database_url, tmp_path)
    browsers = {f"b{i}": Subscriber() for i in range(PEOPLE)}
    with FakePushService() as service:
        subs = [
            {"endpoint": service.endpoint(name), "p256dh": b.p256dh, "auth": b.auth}
            for name, b in browsers.items()
        ]
        setup = subprocess.run([sys.executable, "-c", SETUP], input=json.dumps(subs), env=env,
                               capture_output=True, text=True, timeout=300)  # fmt: skip
        assert setup.returncode == 0, setup.stderr
        start = str(time.time() + 4)
        workers = [
            subprocess.Popen([sys.executable, "-c", WORKER, start], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)
        ]  # fmt: skip
        reports = []
        for process in workers:
            out, err = process.communicate(timeout=300)
            assert process.returncode == 0, err
            reports.append(json.loads(out))

        assert sum(r["sent"] for r in reports) == PEOPLE
        assert all(r["claimed"] > 0 for r in reports), reports  # both took a share
        for name, browser in browsers.items():
            (received,) = service.received_by(name)
            payload = browser.decrypt(received.body)
            assert payload["title"] == "Time to get ready for bed"
            assert payload["tag"].startswith("crampwise-evening-")
