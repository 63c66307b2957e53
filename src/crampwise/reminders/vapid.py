"""The server's VAPID key pair: web push services only accept pushes signed with it.

Set by ``CRAMPWISE_VAPID_PRIVATE_KEY`` (PEM, or py_vapid's base64url raw or DER form), else
generated once by py_vapid into ``DATA_DIR/vapid_private_key.pem`` (owner-only) and kept: a new
key would silently break every browser's subscription, which is bound to the old public key.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from py_vapid import Vapid02
from py_vapid.utils import b64urlencode

KEY_FILE = "vapid_private_key.pem"


def _from_text(text: str) -> Vapid02:
    text = text.strip()
    if "-----BEGIN" in text:
        return Vapid02.from_pem(text.encode())
    return Vapid02.from_string(private_key=text)


def _from_data_dir(directory: Path) -> Vapid02:
    path = directory / KEY_FILE
    if not path.exists():
        fresh = Vapid02()
        fresh.generate_keys()
        # Written whole under a private name, then linked into place: a process starting at the
        # same moment sees no key or a complete one, and the first link wins for both.
        draft = directory / f".{KEY_FILE}.{os.getpid()}"
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(fresh.private_pem())
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return Vapid02.from_pem(path.read_bytes())


@functools.cache
def keys() -> Vapid02:
    """The server's key pair, read (or made) once per process."""
    configured = getattr(settings, "VAPID_PRIVATE_KEY", "")
    try:
        vapid = _from_text(configured) if configured else _from_data_dir(Path(settings.DATA_DIR))
    except Exception as exc:  # py_vapid and cryptography raise several kinds of error
        raise ImproperlyConfigured(
            f"CRAMPWISE_VAPID_PRIVATE_KEY is not a usable P-256 private key: {exc}"
        ) from None
    expected = getattr(settings, "VAPID_PUBLIC_KEY", "")
    if expected and expected.strip().rstrip("=") != _public(vapid):
        raise ImproperlyConfigured(
            "CRAMPWISE_VAPID_PUBLIC_KEY does not belong to CRAMPWISE_VAPID_PRIVATE_KEY"
        )
    return vapid


def _public(vapid: Vapid02) -> str:
    raw = vapid.public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return b64urlencode(raw)


def public_key() -> str:
    """The application server key a browser subscribes with (URL-safe base64, no padding)."""
    return _public(keys())
