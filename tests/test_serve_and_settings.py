"""`crampwise serve`, the settings from the environment, and the production checks."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CRAMPWISE = [sys.executable, "-m", "crampwise.cli"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_cli(args, env, **kwargs):
    return subprocess.run(
        [*CRAMPWISE, *args], env=env, capture_output=True, text=True, timeout=120, **kwargs
    )


@pytest.fixture
def fresh_env(tmp_path):
    # A clean environment, as a new user's shell has: no test-only variables leak in.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("CRAMPWISE_")
        and k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE")
    }
    env["CRAMPWISE_DATA_DIR"] = str(tmp_path / "data")
    return env


@pytest.mark.slow
def test_serve_migrates_and_answers_healthz_on_a_fresh_data_dir(fresh_env, tmp_path):
    """A new data dir: serve creates the SQLite database (in WAL mode) and answers /healthz."""
    port = free_port()
    proc = subprocess.Popen(
        [*CRAMPWISE, "serve", "--port", str(port)],
        env=fresh_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        body = None
        for _ in range(120):
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/healthz", timeout=2
                ) as response:
                    body = json.loads(response.read())
                    break
            except OSError:
                time.sleep(0.25)
        assert body == {"status": "ok"}
        with urllib.request.urlopen(
            f"http://127.0.0.1:{port}/static/crampwise.css", timeout=5
        ) as response:
            assert b"night" in response.read()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    data = Path(fresh_env["CRAMPWISE_DATA_DIR"])
    assert (data / "crampwise.sqlite3").exists()
    key = (data / "secret_key").read_text()
    assert len(key) >= 50 and oct((data / "secret_key").stat().st_mode)[-3:] == "600"
    out = run_cli(
        [
            "manage",
            "shell",
            "-c",
            "from django.db import connection as c; k=c.cursor(); k.execute('PRAGMA journal_mode'); print(k.fetchone()[0])",
        ],
        fresh_env,
    )
    assert out.stdout.strip().splitlines()[-1] == "wal"


def test_the_secret_key_is_generated_once_and_kept(fresh_env):
    """Two starts share one key, so sessions survive a restart."""
    code = ["manage", "shell", "-c", "from django.conf import settings; print(settings.SECRET_KEY)"]
    first, second = (run_cli(code, fresh_env).stdout.splitlines()[-1] for _ in range(2))
    assert first == second and len(first.strip()) >= 50


def test_check_deploy_is_clean_with_production_settings(fresh_env):
    """Behind HTTPS with a real secret, Django's deployment checks find nothing."""
    env = fresh_env | {
        "CRAMPWISE_HTTPS": "true",
        "CRAMPWISE_SECRET_KEY": "x" * 20 + "a-real-looking-secret-key-" + "y" * 30,
        "CRAMPWISE_ALLOWED_HOSTS": "cramps.example.org",
    }
    out = run_cli(["manage", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "no issues" in out.stdout


def test_a_bad_boolean_setting_says_what_to_fix(fresh_env):
    """CRAMPWISE_HTTPS=maybe names the variable and the accepted values."""
    out = run_cli(["manage", "check"], fresh_env | {"CRAMPWISE_HTTPS": "maybe"})
    assert out.returncode != 0
    assert "CRAMPWISE_HTTPS must be true or false" in out.stderr


def test_a_database_url_of_an_unknown_kind_is_refused(fresh_env):
    """Only sqlite:/// and postgres:// URLs are accepted."""
    out = run_cli(["manage", "check"], fresh_env | {"CRAMPWISE_DATABASE_URL": "mysql://x/y"})
    assert out.returncode != 0 and "CRAMPWISE_DATABASE_URL must start with" in out.stderr


@pytest.mark.django_db
def test_healthz_says_ok_when_the_database_answers(client):
    """The health check reads the database and answers JSON."""
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
