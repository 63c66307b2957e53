"""Who is looking: resolve a share link or a clinician's grant, and write the audit row."""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import ip_address
from typing import Any

from django.conf import settings
from django.utils import timezone

from crampwise.clinician.models import AccessEvent, Grant, ShareLink
from crampwise.clinician.tokens import hash_token

MAX_TOKEN_CHARS = 100  # real tokens have 43; anything longer is not worth hashing


@dataclass(frozen=True)
class Viewer:
    """How the current request reaches a patient's data."""

    # Users; Any because views pass request.user, which the stubs type as possibly anonymous.
    patient: Any
    via: str | None  # an AccessEvent.Via value; None for the patient themself
    actor: Any | None = None
    share_link: ShareLink | None = None
    grant: Grant | None = None

    @property
    def third_party(self) -> bool:
        return self.via is not None


def active_link(token: str) -> ShareLink | None:
    """The link this token opens, if it is neither expired nor withdrawn."""
    if not token or len(token) > MAX_TOKEN_CHARS:
        return None
    link = (
        ShareLink.objects.select_related("owner__profile")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if link is None or not link.is_active() or not link.owner.is_active:
        return None
    return link


def active_grant(clinician, grant_id) -> Grant | None:
    """The clinician's open grant with this id; None for anyone else's, or a withdrawn one."""
    if not clinician.is_authenticated or not is_clinician(clinician):
        return None
    return (
        Grant.objects.select_related("patient__profile")
        .filter(pk=grant_id, clinician=clinician, revoked_at__isnull=True, patient__is_active=True)
        .first()
    )


def is_clinician(user) -> bool:
    profile = getattr(user, "profile", None)
    return bool(profile and profile.is_clinician)


def client_ip(request) -> str | None:
    """The address the request came from.

    Behind a reverse proxy (CRAMPWISE_BEHIND_PROXY, which sets SECURE_PROXY_SSL_HEADER), the proxy
    appends the address it saw to X-Forwarded-For; earlier entries come from the client and can be
    forged, so only the last one is taken.
    """
    candidate = request.META.get("REMOTE_ADDR")
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            candidate = forwarded.split(",")[-1].strip()
    try:
        return str(ip_address(candidate)) if candidate else None
    except ValueError:
        return None


def record(viewer: Viewer, what: str, request=None) -> AccessEvent | None:
    """Write the audit row for a third party's view; nothing when patients look at their own data."""
    if viewer.via is None:  # not a third party
        return None
    actor = viewer.actor
    if viewer.share_link is not None:
        label = viewer.share_link.label
    else:
        label = actor.get_username() if actor is not None else ""
    return AccessEvent.objects.create(
        patient=viewer.patient,
        via=viewer.via,
        what=what,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=label[:150],
        share_link=viewer.share_link,
        at=timezone.now(),
        ip=client_ip(request) if request is not None else None,
        user_agent=(request.META.get("HTTP_USER_AGENT", "") if request is not None else "")[:300],
    )
