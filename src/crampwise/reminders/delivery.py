"""Sending one reminder: web push to each of the person's browsers, and email when wanted.

Push goes through pywebpush (encryption per RFC 8291, VAPID per RFC 8292); email through Django's
email backend, with a signed one-click unsubscribe link (RFC 8058).
"""

from __future__ import annotations

import json
import socket
import threading
import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from pywebpush import WebPushException, webpush

from crampwise.reminders import vapid
from crampwise.reminders.core.push_keys import all_public
from crampwise.reminders.core.schedule import LATE_LIMIT
from crampwise.reminders.messages import Message
from crampwise.reminders.models import ReminderSettings
from crampwise.reminders.services import settings_for

# A push service keeps an undelivered reminder this long (a phone switched off): after that it
# would arrive too late to help, the same rule as the worker's.
PUSH_TTL_SECONDS = int(LATE_LIMIT.total_seconds())
PUSH_TIMEOUT_SECONDS = 10
# The push service says the subscription is gone for good: forget it.
GONE = (404, 410)
UNSUBSCRIBE_SALT = "crampwise.reminders.unsubscribe"
LOOPBACK_HOSTS = ("127.0.0.1", "::1")
# Mail backends that only print or drop: the server has no mail set up.
NO_MAIL_BACKENDS = (
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
)


@dataclass(frozen=True)
class Target:
    """One push subscription, copied out of the database so a thread can send to it."""

    id: uuid.UUID
    endpoint: str
    p256dh: str
    auth: str


@dataclass(frozen=True)
class PushResult:
    target: Target
    ok: bool
    gone: bool = False
    problem: str = ""


def endpoint_allowed(endpoint: str) -> bool:
    """Real push services speak HTTPS on the public internet; a local test service may be admitted
    by a setting."""
    parts = urlsplit(endpoint)
    if parts.scheme == "https":
        return resolves_publicly(parts.hostname or "", parts.port or 443)
    return (
        parts.scheme == "http"
        and settings.PUSH_ALLOW_HTTP_LOOPBACK
        and parts.hostname in LOOPBACK_HOSTS
    )


_sessions = threading.local()


def resolves_publicly(host: str, port: int) -> bool:
    """The name resolves only to public addresses (checked when sending, not only on subscribe:
    a name's addresses can change). Resolved once per sending thread and host: each pass sends
    from new threads, so each pass resolves afresh."""
    seen = _sessions.__dict__.setdefault("public", {})
    if host not in seen:
        try:
            found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError):
            found = []
        seen[host] = all_public([str(info[4][0]) for info in found])
    return seen[host]


def _session(endpoint: str) -> requests.Session:
    """A connection pool per sending thread and push service (requests' sessions are not shared
    across threads). The proxy settings of the environment (HTTPS_PROXY, NO_PROXY) are read once
    per push service, not on every push: reading them took a fifth of each push's time."""
    parts = urlsplit(endpoint)
    origin = f"{parts.scheme}://{parts.netloc}"
    pools = _sessions.__dict__.setdefault("by_origin", {})
    if origin not in pools:
        session = requests.Session()
        session.trust_env = False
        session.proxies = requests.utils.get_environ_proxies(endpoint)
        pools[origin] = session
    return pools[origin]


def push(target: Target, message: Message) -> PushResult:
    """Encrypt and send one push; never raises for a failure of the push service."""
    if not endpoint_allowed(target.endpoint):
        return PushResult(target, ok=False, problem="endpoint not allowed")
    try:
        webpush(
            {"endpoint": target.endpoint, "keys": {"p256dh": target.p256dh, "auth": target.auth}},
            data=json.dumps(message.payload()),
            vapid_private_key=vapid.keys(),
            vapid_claims={"sub": settings.VAPID_SUBJECT},  # a new dict: webpush adds aud and exp
            ttl=PUSH_TTL_SECONDS,
            timeout=PUSH_TIMEOUT_SECONDS,
            requests_session=_session(target.endpoint),
        )
    except WebPushException as exc:
        status = exc.response.status_code if exc.response is not None else None
        return PushResult(target, ok=False, gone=status in GONE, problem=f"status {status}")
    except (requests.RequestException, ValueError) as exc:
        return PushResult(target, ok=False, problem=type(exc).__name__)
    return PushResult(target, ok=True)


# ---- email -------------------------------------------------------------------------------


def mail_configured() -> bool:
    return settings.EMAIL_BACKEND not in NO_MAIL_BACKENDS


def unsubscribe_token(user) -> str:
    """A signed token naming the person by their random mail key, never their account number."""
    return signing.dumps({"k": settings_for(user).mail_key.hex}, salt=UNSUBSCRIBE_SALT)


def settings_from_token(token: str) -> ReminderSettings | None:
    """The reminder settings a signed unsubscribe token names, or None when it was tampered with.

    Emails sent before mail keys named the person by account number ({"u": id}); their links
    keep working.
    """
    try:
        value = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(value, dict):
        return None
    if isinstance(value.get("k"), str):
        try:
            key = uuid.UUID(hex=value["k"])
        except ValueError:
            return None
        return ReminderSettings.objects.filter(mail_key=key).first()
    if isinstance(value.get("u"), int):
        return ReminderSettings.objects.filter(user_id=value["u"]).first()
    return None


def unsubscribe_url(user) -> str:
    return settings.SITE_URL + reverse("reminders_unsubscribe", args=[unsubscribe_token(user)])


def email(user, message: Message) -> EmailMessage:
    """The reminder as an email, with a one-click unsubscribe link (RFC 8058)."""
    link = unsubscribe_url(user)
    with translation.override(settings.LANGUAGE_CODE):
        body = "\n\n".join(
            [
                message.body,
                message.absolute_url(),
                _("To stop these emails, open this link: %(link)s") % {"link": link},
            ]
        )
    return EmailMessage(
        subject=message.title,
        body=body,
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
