"""Writes of the sharing feature: links, clinician codes, grants. Each one transaction."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crampwise.clinician.models import ClinicianCode, Grant, ShareLink
from crampwise.clinician.tokens import (
    hash_token,
    looks_like_code,
    new_code,
    new_token,
    normalise_code,
)

DEFAULT_LINK_DAYS = 30
MAX_LINK_DAYS = 365


class SharingError(ValueError):
    """A request the patient can correct; the message says how."""


def create_share_link(
    owner,
    *,
    days: int = DEFAULT_LINK_DAYS,
    range_from: date | None = None,
    range_to: date | None = None,
    label: str = "",
) -> tuple[ShareLink, str]:
    """A new link and its token. The token is returned once and never stored."""
    if not 1 <= days <= MAX_LINK_DAYS:
        raise SharingError(_("A link can last from 1 to %(max)d days.") % {"max": MAX_LINK_DAYS})
    if (range_from is None) != (range_to is None):
        raise SharingError(_("Give both dates of the period, or neither."))
    if range_from and range_to and range_to < range_from:
        raise SharingError(_("The period ends before it starts."))
    token = new_token()
    now = timezone.now()
    link = ShareLink.objects.create(
        owner=owner,
        token_hash=hash_token(token),
        label=label.strip()[:80],
        range_from=range_from,
        range_to=range_to,
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    return link, token


def revoke_link(link: ShareLink) -> bool:
    """Withdraw a link at once; False when it was already withdrawn."""
    return bool(
        ShareLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    )


def revoke_all_links(owner) -> int:
    return ShareLink.objects.filter(owner=owner, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def clinician_code(clinician) -> ClinicianCode:
    """The clinician's code, made on first use."""
    existing = ClinicianCode.objects.filter(clinician=clinician).first()
    if existing is not None:
        return existing
    for _attempt in range(10):
        try:
            with transaction.atomic():
                return ClinicianCode.objects.create(clinician=clinician, code=new_code())
        except IntegrityError:
            # Either the random code was taken (about 1 in 10^12 per code in use) or another
            # request made this clinician's code at the same moment: look again, then retry.
            existing = ClinicianCode.objects.filter(clinician=clinician).first()
            if existing is not None:
                return existing
    raise RuntimeError("could not make a unique clinician code")


@transaction.atomic
def grant_access(patient, code_text: str) -> tuple[Grant, bool]:
    """Let the clinician with this code see the patient's report. Returns (grant, created)."""
    if not looks_like_code(code_text):
        raise SharingError(_("A clinician code has 8 letters and digits, like ABCD-EFGH."))
    code = (
        ClinicianCode.objects.select_related("clinician__profile")
        .filter(code=normalise_code(code_text))
        .first()
    )
    if code is None or not code.clinician.is_active or not code.clinician.profile.is_clinician:
        raise SharingError(_("No clinician has this code. Check it with your clinician."))
    if code.clinician_id == patient.pk:
        raise SharingError(_("This is your own code."))
    existing = Grant.objects.filter(
        patient=patient, clinician=code.clinician, revoked_at__isnull=True
    ).first()
    if existing is not None:
        return existing, False
    return Grant.objects.create(patient=patient, clinician=code.clinician), True


def revoke_grant(grant: Grant) -> bool:
    return bool(
        Grant.objects.filter(pk=grant.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    )
