"""Privacy of what is kept: share tokens out of Django's logs, signed-in pages out of caches."""

from __future__ import annotations

import io
import logging
import os
import stat
import subprocess
import sys

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from crampwise.api.tokens import create_token
from crampwise.clinician import loading, services, views
from crampwise.clinician.core.logs import RedactShareTokens
from crampwise.clinician.models import Grant
from crampwise.diary.models import Night
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- share tokens in Django's own log lines -----------------------------------------------------


@pytest.fixture
def server_log():
    """What the configured console handler (settings.LOGGING) writes, captured for the test."""
    # pytest's own handlers are subclasses; the one from settings.LOGGING is a plain StreamHandler.
    [handler] = [h for h in logging.getLogger().handlers if type(h) is logging.StreamHandler]
    stream = io.StringIO()
    old = handler.setStream(stream)
    try:
        yield stream
    finally:
        handler.setStream(old)


def test_share_tokens_never_reach_a_log_record_on_404_403_405_500_or_503(
    owner, monkeypatch, caplog, server_log
):
    """Through the real LOGGING: every record names the path as /s/[token]/, never the token."""
    link, token = services.create_share_link(owner)
    dead, dead_token = services.create_share_link(owner)
    services.revoke_link(dead)
    url, dead_url = (
        reverse("shared_report", args=[token]),
        reverse("shared_report", args=[dead_token]),
    )
    client = Client(raise_request_exception=False)
    statuses = []
    with caplog.at_level(logging.INFO):
        statuses.append(client.get(dead_url).status_code)  # Django: "Not Found: /s/..."
        statuses.append(Client(enforce_csrf_checks=True).post(url).status_code)  # CSRF refusal
        statuses.append(client.post(url).status_code)  # GET only: "Method Not Allowed"
        monkeypatch.setattr(loading, "load_report", lambda *a, **k: 1 / 0)
        statuses.append(client.get(url).status_code)  # the report cannot be built
        monkeypatch.setattr(
            views, "active_link", lambda t: (_ for _ in ()).throw(RuntimeError(f"at /s/{t}/"))
        )
        statuses.append(client.get(url).status_code)  # a crash whose message quotes the path
    assert statuses == [404, 403, 405, 503, 500]
    records = [r for r in caplog.records if r.name.startswith("django.")]
    assert len(records) >= 5
    for record in caplog.records:
        for text in (record.getMessage(), record.exc_text or "", record.stack_info or ""):
            assert token not in text and dead_token not in text
    assert token not in caplog.text and dead_token not in caplog.text
    written = server_log.getvalue()
    assert written.count("/s/[token]/") >= 5 and "Traceback" in written
    assert token not in written and dead_token not in written


def test_the_filter_leaves_other_paths_alone():
    """Only share paths change; the sharing page keeps its name."""
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Not Found: %s", ("/sharing/",), None
    )
    RedactShareTokens().filter(record)
    assert record.getMessage() == "Not Found: /sharing/"


# --- Cache-Control on signed-in pages, exports and the API ---------------------------------------


@pytest.fixture
def signed_in(client, owner):
    night = loading.last_night(owner)
    Night.objects.create(user=owner, night=night, reported_cramps=1, checked_in_at=timezone.now())
    client.force_login(owner)
    client.night = night
    return client


PRIVATE_PAGES = [
    ("home", []),
    ("checkin", []),
    ("history", []),
    ("night", ["NIGHT"]),
    ("night_edit", ["NIGHT"]),
    ("insights", []),
    ("medicines", []),
    ("factors", []),
    ("profile", []),
    ("export_csv", []),
    ("account_export", []),
    ("report", []),
    ("report_pdf", []),
    ("sharing", []),
    ("trials", []),
    ("assessment", []),
    ("tonight", []),
    ("api_tokens", []),
]


@pytest.mark.parametrize("name,args", PRIVATE_PAGES)
def test_every_signed_in_page_and_export_is_private_and_not_stored(signed_in, name, args):
    """Browser history, a shared computer and a proxy keep no copy."""
    url = reverse(name, args=[signed_in.night.isoformat() if a == "NIGHT" else a for a in args])
    response = signed_in.get(url)
    assert response.status_code == 200, url
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    "path", ["/api/v1/nights", "/api/v1/insights/summary", "/api/v1/export/nights.csv"]
)
def test_api_answers_to_a_token_are_private_and_not_stored(client, owner, path):
    """With a bearer token, and with no session at all."""
    _token, secret = create_token(owner, "phone")
    response = client.get(path, HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_the_clinician_pages_are_private_and_not_stored(client, owner, django_user_model):
    """The patient list and a patient's report."""
    carol = make_user(django_user_model, "dr_carol", clinician=True)
    grant = Grant.objects.create(patient=owner, clinician=carol)
    client.force_login(carol)
    for url in (reverse("clinician_home"), reverse("clinician_report", args=[grant.pk])):
        assert "no-store" in client.get(url)["Cache-Control"], url


def test_public_pages_and_a_views_own_choice_are_left_alone(client, owner):
    """Anonymous reading pages may be cached; the service worker keeps its own no-cache."""
    assert not client.get(reverse("learn")).has_header("Cache-Control")
    client.force_login(owner)
    assert client.get(reverse("service_worker"))["Cache-Control"] == "no-cache"


# --- file modes ----------------------------------------------------------------------------------

MODES = """
import os, stat
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crampwise.settings")
import django; django.setup()
from django.conf import settings
from django.core.management import call_command
from django.db import connection
call_command("migrate", verbosity=0)
name = connection.settings_dict["NAME"]
with connection.cursor() as cursor:  # an open connection keeps the -wal and -shm files
    cursor.execute("CREATE TABLE IF NOT EXISTS t (x)")
    cursor.execute("INSERT INTO t VALUES (1)")
    for path in (settings.DATA_DIR, name, name + "-wal", name + "-shm"):
        print(oct(stat.S_IMODE(os.stat(path).st_mode)))
"""


def fresh_env(tmp_path, **extra):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("CRAMPWISE_")
        and k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE")
    }
    return env | {"CRAMPWISE_DATA_DIR": str(tmp_path / "data")} | extra


def run_with_umask_022(args, env):
    """As a default shell would: without our care, new files would be readable by everyone."""
    return subprocess.run(
        args,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=lambda: os.umask(0o022),
    )


def test_the_data_dir_database_wal_shm_and_backups_are_the_owners_alone(tmp_path):
    """A new data dir is 0700; the database, its -wal and -shm files and a backup are 0600."""
    env = fresh_env(tmp_path)
    result = run_with_umask_022([sys.executable, "-c", MODES], env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["0o700", "0o600", "0o600", "0o600"]
    backup = tmp_path / "nightly.backup"
    made = run_with_umask_022(
        [sys.executable, "-m", "crampwise.cli", "backup", "--out", str(backup)], env
    )
    assert made.returncode == 0, made.stderr
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "data" / "secret_key").stat().st_mode) == 0o600


def test_an_older_database_readable_by_others_is_tightened(tmp_path):
    """Installed before this rule: the next start makes the database owner-only."""
    data = tmp_path / "data"
    data.mkdir()
    db = data / "crampwise.sqlite3"
    db.touch(mode=0o644)
    db.chmod(0o644)
    result = run_with_umask_022([sys.executable, "-c", MODES], fresh_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[1:] == ["0o600", "0o600", "0o600"]
