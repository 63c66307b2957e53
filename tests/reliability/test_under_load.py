"""Many clients at once on the production server: no 5xx, no lock errors, nothing acknowledged lost."""

from __future__ import annotations

import os
import uuid
from urllib.parse import urlsplit

import pytest

from tests.conftest import ON_POSTGRES
from tests.reliability.harness import Server, check_database, make_clients, run_load, server_env

CLIENTS = int(os.environ.get("CRAMPWISE_TEST_LOAD_CLIENTS", "20"))
SECONDS = float(os.environ.get("CRAMPWISE_TEST_LOAD_SECONDS", "8"))


@pytest.fixture
def env(tmp_path):
    """A fresh database of the kind under test, and the environment a server needs to use it."""
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("CRAMPWISE_")
        and k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE")
    }
    base["CRAMPWISE_DATA_DIR"] = str(tmp_path / "data")
    if not ON_POSTGRES:
        yield server_env(
            base | {"CRAMPWISE_DATABASE_URL": f"sqlite:///{tmp_path / 'load.sqlite3'}"}
        )
        return
    import psycopg

    url = urlsplit(os.environ["CRAMPWISE_DATABASE_URL"])
    name = f"cw_load_{uuid.uuid4().hex[:10]}"
    admin = url._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield server_env(base | {"CRAMPWISE_DATABASE_URL": url._replace(path=f"/{name}").geturl()})
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.slow
@pytest.mark.postgres
def test_concurrent_writes_are_all_kept_without_errors(env, tmp_path):
    """Clients post episodes and check-ins together: zero 5xx, zero 'database is locked', none lost."""
    tokens = make_clients(env, CLIENTS)
    server = Server(env).start()
    try:
        tally = run_load(server.port, tokens, SECONDS)
    finally:
        server.stop()
    assert tally.requests > CLIENTS * 5
    assert tally.server_errors == 0 and tally.locked == 0, tally.other_errors
    assert tally.other_errors == []
    result = check_database(env, tally, tmp_path)
    assert result["missing_episodes"] == [] and result["wrong_nights"] == []
    assert result["integrity"] == "ok"


@pytest.mark.slow
@pytest.mark.postgres
def test_a_server_killed_mid_load_loses_no_acknowledged_write(env, tmp_path):
    """SIGKILL during the load, then a restart: every acknowledged write is there, the database intact."""
    tokens = make_clients(env, CLIENTS)
    server = Server(env).start()
    tally = run_load(server.port, tokens, SECONDS + 30, kill_after=SECONDS / 2, server=server)
    assert tally.requests > 0 and tally.server_errors == 0 and tally.locked == 0
    restarted = Server(env).start()  # the database opens cleanly after the crash
    restarted.stop()
    result = check_database(env, tally, tmp_path)
    assert result["missing_episodes"] == [] and result["wrong_nights"] == []
    assert result["integrity"] == "ok"
