"""Typed readers for CRAMPWISE_* environment variables (every one is listed in docs/settings.md)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

PREFIX = "CRAMPWISE_"


def env_str(name: str, default: str) -> str:
    return os.environ.get(PREFIX + name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(PREFIX + name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{PREFIX}{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(PREFIX + name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{PREFIX}{name} must be a whole number, not {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(PREFIX + name)
    if raw is None:
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


def data_dir() -> Path:
    raw = os.environ.get(PREFIX + "DATA_DIR")
    if raw:
        path = Path(raw).expanduser()
    else:
        import platformdirs

        path = Path(platformdirs.user_data_dir("crampwise", appauthor=False))
    if not path.is_dir():
        # Owner only: the data dir holds the database, its backups and the secret key.
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
        path.chmod(0o700)  # mkdir's mode is narrowed by the umask, never widened
    return path


OWNER_ONLY = 0o600
SQLITE_SUFFIXES = ("", "-wal", "-shm", "-journal")


def protect_sqlite_files(database: Path) -> None:
    """Make the SQLite database owner-only before SQLite creates it, and tighten an older one.

    SQLite creates its -wal and -shm files later, with the mode of the database file (its Unix
    layer copies it), so a database created 0600 keeps every file beside it 0600 too.
    """
    name = str(database)
    if name.startswith((":memory:", "file:")) or name == "":
        return
    try:
        fd = os.open(database, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY)
    except FileExistsError:
        pass
    except OSError:
        return  # a missing folder or a read-only disk: Django's own error will say so
    else:
        os.close(fd)  # an empty file is an empty SQLite database
    for suffix in SQLITE_SUFFIXES:
        path = Path(name + suffix)
        try:
            if path.stat().st_mode & 0o077:
                path.chmod(OWNER_ONLY)
        except OSError:
            continue  # not there (no -wal while no connection is open), or not ours to change


def secret_key(directory: Path) -> str:
    """The secret key from the environment, else one generated once and kept in the data dir."""
    raw = os.environ.get(PREFIX + "SECRET_KEY")
    if raw:
        return raw
    key_file = directory / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_urlsafe(50)
    # Create with owner-only permissions; O_EXCL so two processes starting at once agree on one key.
    try:
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return key_file.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def database_config(url: str, directory: Path) -> dict:
    """Turn CRAMPWISE_DATABASE_URL into a Django DATABASES entry.

    ``sqlite:///relative/or/absolute.db`` or ``postgres://user:password@host:port/name``;
    empty means SQLite in the data dir.
    """
    if not url:
        return sqlite_config(directory / "crampwise.sqlite3")
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        path = unquote(parts.path)
        if path.startswith("/") and parts.netloc == "":
            path = path[1:] if path.startswith("//") else path
        return sqlite_config(Path(path) if path else directory / "crampwise.sqlite3")
    if parts.scheme in ("postgres", "postgresql"):
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")) or "crampwise",
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    raise ImproperlyConfigured(
        f"{PREFIX}DATABASE_URL must start with sqlite:/// or postgres://, not {parts.scheme!r}"
    )


def sqlite_config(path: Path) -> dict:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        # Keep each server thread's connection open between requests: opening one per request
        # (Django registers its SQL functions and runs the PRAGMAs below every time) was the largest
        # single cost of a check-in when the production server was profiled (decision 0004).
        # A file has no server that could drop the connection, so no health check is needed.
        "CONN_MAX_AGE": None,
        "OPTIONS": {
            # WAL lets readers carry on while one writer writes; IMMEDIATE takes the write lock at
            # BEGIN, so two writers queue on busy_timeout instead of failing with "database is locked"
            # when a read transaction tries to upgrade.
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=NORMAL;"
                "PRAGMA busy_timeout=10000;"
                "PRAGMA foreign_keys=ON;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
    }
