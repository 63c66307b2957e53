"""Checks on a browser's push subscription before the server ever sends to it.

A subscription is the JSON of the browser's ``PushSubscription``: an ``endpoint`` URL at the
browser maker's push service and two keys (RFC 8291): ``p256dh``, the browser's P-256 public key as
an uncompressed point (65 bytes, starting 0x04), and ``auth``, a 16-byte secret. The worker later
POSTs to the endpoint, so an endpoint may not point into the server's own network: only ``https``
to a host name is taken; a plain-``http`` loopback address only when a setting allows it (tests and
local push services).
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import re
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec

from crampwise.core.i18n import gettext as _

ENDPOINT_MAX = 2000
P256DH_BYTES = 65
AUTH_BYTES = 16
BASE64URL = re.compile(r"^[A-Za-z0-9_\-]+={0,2}$")
LOOPBACK_HOSTS = ("127.0.0.1",)


def endpoint_problem(endpoint: str, *, allow_http_loopback: bool) -> str | None:
    """Why a push endpoint is refused, or None when it may be stored."""
    if len(endpoint) > ENDPOINT_MAX:
        return _("The endpoint is too long.")
    try:
        parts = urlsplit(endpoint)
        host = parts.hostname or ""
        parts.port  # noqa: B018  # raises on a port that is not a number
    except ValueError:
        return _("The endpoint is not a web address.")
    if not host or parts.username or parts.password or any(c.isspace() for c in endpoint):
        return _("The endpoint is not a web address.")
    if parts.scheme == "http" and allow_http_loopback and host in LOOPBACK_HOSTS:
        return None
    if parts.scheme != "https":
        return _("The endpoint must start with https://.")
    if _is_address(host) or host == "localhost" or host.endswith(".localhost") or "." not in host:
        return _("The endpoint must be a push service on the internet, named by its host name.")
    return None


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def decode_base64url(text: str) -> bytes | None:
    """The bytes of base64url text (padding optional), or None when it is not base64url."""
    if not BASE64URL.match(text):
        return None
    stripped = text.rstrip("=")
    try:
        return base64.urlsafe_b64decode(stripped + "=" * (-len(stripped) % 4))
    except (binascii.Error, ValueError):
        return None


def p256dh_problem(text: str) -> str | None:
    raw = decode_base64url(text)
    if raw is None:
        return _("Write the key in base64url, as the browser gives it.")
    if len(raw) != P256DH_BYTES or raw[0] != 0x04:
        return _("This is not a browser's public key: it must be 65 bytes, starting with 0x04.")
    try:
        # A point off the curve could never be encrypted to: refuse it now, not at 22:00.
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)
    except ValueError:
        return _("This is not a browser's public key: the point is not on the P-256 curve.")
    return None


def auth_problem(text: str) -> str | None:
    raw = decode_base64url(text)
    if raw is None:
        return _("Write the key in base64url, as the browser gives it.")
    if len(raw) != AUTH_BYTES:
        return _("This is not a browser's auth secret: it must be 16 bytes.")
    return None


def all_public(addresses: list[str]) -> bool:
    """Whether every address a push service's name resolved to is on the public internet.

    A name that passed ``endpoint_problem`` can still resolve into the server's own network
    (a private, loopback or link-local address), which the worker must never be sent into.
    """
    if not addresses:
        return False
    try:
        return all(ipaddress.ip_address(a.split("%", 1)[0]).is_global for a in addresses)
    except ValueError:
        return False
