"""Making, finding and revoking personal access tokens (used by the web page, the CLI and auth)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.utils import timezone

from crampwise.api.models import AccessToken

PREFIX = "cw_"
# Writing last_used_at on every request would make every API read a database write (and, on
# SQLite, take the one writer lock), so it is refreshed at most once a minute.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def create_token(user, name: str, scope: str = AccessToken.Scope.READ) -> tuple[AccessToken, str]:
    """A new token for ``user``: the stored row and the secret, which is never stored."""
    if scope not in AccessToken.Scope.values:
        raise ValueError(f"unknown scope {scope!r}")
    secret = PREFIX + secrets.token_urlsafe(32)  # 256 random bits
    token = AccessToken.objects.create(
        user=user,
        name=name,
        scope=scope,
        token_hash=hash_token(secret),
        prefix=secret[:10],
    )
    return token, secret


def find_active_token(secret: str) -> AccessToken | None:
    """The active token with this secret, with its user and profile, or None."""
    if not secret.startswith(PREFIX) or len(secret) > 200:
        return None
    token = (
        AccessToken.objects.select_related("user", "user__profile")
        .filter(token_hash=hash_token(secret), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    return token


def note_use(token: AccessToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


def revoke_token(user, token_id) -> bool:
    """Revoke one of ``user``'s tokens; False when they have no such active token."""
    return bool(
        AccessToken.objects.filter(user=user, pk=token_id, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    )
