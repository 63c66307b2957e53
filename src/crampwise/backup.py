"""Consistent backups of the whole database, and restoring them.

SQLite: the online backup API copies a consistent snapshot page by page while the server keeps
running (readers and the writer carry on; WAL frames are included). PostgreSQL: its own tools,
pg_dump in custom format and pg_restore.

Backups are written owner-only (0600). A restore replaces the database under a running server's
feet, so ``crampwise serve`` holds a shared lock on ``server.lock`` in the data dir for as long as it
runs and a restore takes the same lock exclusively: it refuses while any server holds it, and a
server will not start while a restore runs.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connections


class BackupError(RuntimeError):
    pass


LOCK_FILE = "server.lock"


@contextmanager
def _flock(data_dir: Path, exclusive: bool, busy: str) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks; docs/cli.md says to stop the server by hand
        yield
        return
    fd = os.open(Path(data_dir) / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BackupError(busy) from None
        yield  # closing the file (or the process ending, however it ends) releases the lock
    finally:
        os.close(fd)


def serving(data_dir: Path, what: str = "the server"):
    """Held by `crampwise serve` and `crampwise worker` while they run; shared, so several may run
    side by side."""
    return _flock(
        data_dir,
        exclusive=False,
        busy=f"a restore is running on this database: start {what} when it has finished",
    )


def no_server_running(data_dir: Path):
    """Held by `crampwise restore`; refused while any `crampwise serve` or `crampwise worker`
    uses this data dir."""
    return _flock(
        data_dir,
        exclusive=True,
        busy="a crampwise server or worker is using this database: stop it, then run the restore "
        "again",
    )


def _owner_only_file(path: Path) -> None:
    """An empty file only the owner can read, made before any data is written into it."""
    path.unlink(missing_ok=True)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def _database() -> dict:
    return connections["default"].settings_dict


def backup(out: Path, progress: Callable[[int, int], object] = lambda done, total: None) -> str:
    """Write a backup of the default database to ``out``; returns the engine's short name."""
    db = _database()
    out = Path(out)
    tmp = out.with_name(out.name + ".partial")
    _owner_only_file(tmp)  # a backup holds every diary: owner-only from its first byte
    if db["ENGINE"].endswith("sqlite3"):
        source = sqlite3.connect(db["NAME"], timeout=30)
        target = sqlite3.connect(tmp)
        try:
            # Small steps with a pause let the running server keep writing during a long backup.
            source.backup(
                target,
                pages=256,
                progress=lambda status, remaining, total: progress(total - remaining, total),
            )
            check = target.execute("PRAGMA integrity_check").fetchone()[0]
            if check != "ok":
                raise BackupError(f"the backup copy failed its integrity check: {check}")
        finally:
            target.close()
            source.close()
        os.replace(tmp, out)  # never leave a half-written file under the final name
        return "sqlite"
    if db["ENGINE"].endswith("postgresql"):
        _require("pg_dump")
        result = subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", "--file", str(tmp), *_pg_args(db)],
            env=_pg_env(db),
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            tmp.unlink(missing_ok=True)
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        tmp.chmod(0o600)  # pg_dump rewrote the file; make sure it kept its mode
        os.replace(tmp, out)
        progress(1, 1)
        return "postgresql"
    tmp.unlink(missing_ok=True)
    raise BackupError(f"backups are not supported for {db['ENGINE']}")


def restore(source: Path) -> str:
    """Replace the default database's contents with a backup (call it inside ``no_server_running``)."""
    db = _database()
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"{source} is not a file")
    connections.close_all()
    if db["ENGINE"].endswith("sqlite3"):
        with open(source, "rb") as handle:
            if handle.read(16) != b"SQLite format 3\x00":
                raise BackupError(f"{source} is not an SQLite backup made by crampwise backup")
        backup_db = sqlite3.connect(source)
        live = sqlite3.connect(db["NAME"], timeout=30)
        try:
            backup_db.backup(live)
        finally:
            live.close()
            backup_db.close()
        return "sqlite"
    if db["ENGINE"].endswith("postgresql"):
        _require("pg_restore")
        result = subprocess.run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                *_pg_args(db, flag="--dbname"),
                str(source),
            ],
            env=_pg_env(db),
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
        return "postgresql"
    raise BackupError(f"restores are not supported for {db['ENGINE']}")


def _require(tool: str) -> None:
    if shutil.which(tool) is None:
        raise BackupError(f"{tool} is not installed (Debian: apt-get install postgresql-client)")


def _pg_args(db: dict, flag: str = "--dbname") -> list[str]:
    args = []
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    return [*args, f"{flag}={db['NAME']}"]


def _pg_env(db: dict) -> dict:
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]  # never on the command line, where `ps` would show it
    return env
