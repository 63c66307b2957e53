"""The database under test is the one CI asked for, configured as documented."""

from __future__ import annotations

import pytest
from django.db import connection

from tests.conftest import ON_POSTGRES

pytestmark = pytest.mark.django_db


@pytest.mark.postgres
def test_the_postgresql_run_really_uses_postgresql():
    """With a postgres:// URL, the tests talk to PostgreSQL."""
    if not ON_POSTGRES:
        pytest.skip("this run is on SQLite")
    assert connection.vendor == "postgresql"


def test_sqlite_waits_for_the_write_lock_instead_of_failing():
    """SQLite is set up for one writer and many readers without 'database is locked'."""
    if connection.vendor != "sqlite":
        pytest.skip("this run is on PostgreSQL")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == 10000
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone()[0] == 1
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
