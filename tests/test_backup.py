"""`crampwise backup` and `crampwise restore`: consistent under load, and a faithful round trip."""

from __future__ import annotations

import fcntl
import json
import os
import socket
import stat
import subprocess
import sys
import time
import urllib.request
import uuid
from urllib.parse import urlsplit

import pytest

from tests.conftest import ON_POSTGRES

CRAMPWISE = [sys.executable, "-m", "crampwise.cli"]

WRITER = """
import os, sys, time, datetime
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crampwise.settings")
import django; django.setup()
from django.contrib.auth import get_user_model
from crampwise.diary import services
user = get_user_model().objects.get(username="load")
night = datetime.date(1990, 1, 1)
end = time.time() + float(sys.argv[1])
with open(sys.argv[2], "w") as ack:
    while time.time() < end:
        services.save_night(user, night, reported_cramps=night.day % 4)
        ack.write(night.isoformat() + "\\n"); ack.flush()  # acknowledged: committed
        night += datetime.timedelta(days=1)
"""


@pytest.fixture
def databases(tmp_path):
    """Two empty databases of the kind under test: where the diary lives, and where it is restored."""
    if not ON_POSTGRES:
        yield (
            f"sqlite:///{tmp_path / 'live.sqlite3'}",
            f"sqlite:///{tmp_path / 'restored.sqlite3'}",
        )
        return
    import psycopg

    base = urlsplit(os.environ["CRAMPWISE_DATABASE_URL"])
    names = [f"cw_backup_{uuid.uuid4().hex[:10]}" for _ in range(2)]
    admin = base._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        for name in names:
            conn.execute(f'CREATE DATABASE "{name}"')
    yield tuple(base._replace(path=f"/{n}").geturl() for n in names)
    with psycopg.connect(admin, autocommit=True) as conn:
        for name in names:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def env_for(url, tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("CRAMPWISE_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    return env | {"CRAMPWISE_DATA_DIR": str(tmp_path / "data"), "CRAMPWISE_DATABASE_URL": url}


def run(args, env):
    result = subprocess.run(
        [*CRAMPWISE, *args], env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.mark.slow
@pytest.mark.postgres
def test_a_backup_taken_under_load_restores_every_acknowledged_write(databases, tmp_path):
    """Writes keep coming during the backup; all acknowledged before it started are in it, and it restores."""
    live, restored = databases
    live_env, restored_env = env_for(live, tmp_path), env_for(restored, tmp_path)
    run(["demo", "--username", "load", "--nights", "300", "--seed", "2"], live_env)
    ack_file = tmp_path / "acked.txt"
    writer = subprocess.Popen([sys.executable, "-c", WRITER, "4", str(ack_file)], env=live_env)
    try:
        # Let the writer get going, then note what was acknowledged before the backup began.
        for _ in range(100):
            if ack_file.exists() and len(ack_file.read_text().splitlines()) >= 5:
                break
            subprocess.run(["sleep", "0.05"])
        acked_before = set(ack_file.read_text().split())
        backup_file = tmp_path / "crampwise.backup"
        out = run(["backup", "--out", str(backup_file)], live_env)
        assert "backup" in out and backup_file.stat().st_size > 0
        assert stat.S_IMODE(backup_file.stat().st_mode) == 0o600  # it holds every diary
        assert not (tmp_path / "crampwise.backup.partial").exists()
    finally:
        assert writer.wait(timeout=60) == 0

    run(["manage", "migrate", "--verbosity", "0"], restored_env)
    run(["restore", str(backup_file), "--yes"], restored_env)
    csv = run(["export", "csv", "--username", "load"], restored_env)
    restored_nights = {line.split(",")[0] for line in csv.splitlines()[1:]}
    assert acked_before <= restored_nights, sorted(acked_before - restored_nights)[:5]
    assert (
        sum(1 for n in restored_nights if not n.startswith("1990")) >= 200
    )  # the demo diary came along


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    """A wrong file is refused with a message; nothing is changed."""
    if ON_POSTGRES:
        pytest.skip("pg_restore gives its own message for a wrong file")
    env = env_for(f"sqlite:///{tmp_path / 'db.sqlite3'}", tmp_path)
    junk = tmp_path / "junk.bin"
    junk.write_text("hello")
    result = subprocess.run(
        [*CRAMPWISE, "restore", str(junk), "--yes"], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0 and "not an SQLite backup" in result.stderr


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_health(port: int) -> None:
    for _ in range(240):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:
                assert json.loads(answer.read()) == {"status": "ok"}
                return
        except OSError:
            time.sleep(0.25)
    raise AssertionError("the server did not answer")


@pytest.mark.postgres
def test_restore_refuses_while_a_server_runs_and_works_once_it_has_stopped(databases, tmp_path):
    """A real `crampwise serve` holds the data dir's lock: restore says why and exits 1."""
    live, _restored = databases
    env = env_for(live, tmp_path)
    run(["manage", "migrate", "--verbosity", "0"], env)
    backup_file = tmp_path / "crampwise.backup"
    port = free_port()
    server = subprocess.Popen(
        [*CRAMPWISE, "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_health(port)
        run(["backup", "--out", str(backup_file)], env)  # backups are fine while it serves
        refused = subprocess.run(
            [*CRAMPWISE, "restore", str(backup_file), "--yes"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert refused.returncode == 1
        assert "a crampwise server or worker is using this database: stop it" in refused.stderr
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert "restored" in run(["restore", str(backup_file), "--yes"], env)


def test_serve_will_not_start_while_a_restore_holds_the_database(tmp_path):
    """The other way round: the lock a restore takes keeps a new server out until it is done."""
    env = env_for(f"sqlite:///{tmp_path / 'db.sqlite3'}", tmp_path)
    (tmp_path / "data").mkdir()
    with open(tmp_path / "data" / "server.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # what `crampwise restore` holds while it runs
        result = subprocess.run(
            [*CRAMPWISE, "serve", "--port", str(free_port())],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert result.returncode == 1 and "a restore is running on this database" in result.stderr


def test_a_worker_will_not_start_while_a_restore_holds_the_database(tmp_path):
    """`crampwise worker` writes to the database too: it takes the same lock as the server."""
    env = env_for(f"sqlite:///{tmp_path / 'db.sqlite3'}", tmp_path)
    (tmp_path / "data").mkdir()
    with open(tmp_path / "data" / "server.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # what `crampwise restore` holds while it runs
        result = subprocess.run(
            [*CRAMPWISE, "worker", "--once"], env=env, capture_output=True, text=True, timeout=120
        )
    assert result.returncode == 1
    assert "a restore is running on this database: start the worker" in result.stderr
