"""The sealed key's way to the pharmacy: a secret link, sent by email, that the owner never sees.

A blinded series needs a pharmacy to fill pack A and pack B, so the pharmacy must know which one is
real, while the protocol's owner must not until they unblind. The owner gives the pharmacy's name
and address; the server makes a random token, keeps only its SHA-256, and emails the link to the
pharmacy alone. The owner sees who it went to and how often it was opened, never the link.

A link works until it is revoked (by the owner, or by sending the key again) or the series is
finished. A token that does not work is indistinguishable from one that never existed.
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import BadHeaderError, EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from crampwise.clinician.tokens import hash_token, new_token
from crampwise.reminders.delivery import mail_configured
from crampwise.series import presentation
from crampwise.series.core.dispensing import DispensedPack, dispensing
from crampwise.series.core.packs import PACKS, real_pack
from crampwise.series.models import PharmacyLink, Protocol, SeriesEvent
from crampwise.trials.core.design import period_plans

MAX_TOKEN_CHARS = 100  # real tokens have 43; anything longer is not worth hashing


class PharmacyError(RuntimeError):
    """The key could not be sent; the message is for the owner."""


def can_send(protocol: Protocol) -> bool:
    """Only while the key is sealed and patients may still join is there a pharmacy to brief."""
    return protocol.key_sealed and not protocol.finished


def live_link(protocol: Protocol) -> PharmacyLink | None:
    return protocol.pharmacy_links.filter(revoked_at__isnull=True).first()


def earlier_links(protocol: Protocol, last: PharmacyLink | None) -> list[PharmacyLink]:
    """Every link sent before the last, newest first: where the key went is part of the record."""
    links = PharmacyLink.objects.filter(protocol=protocol).order_by("-created_at")
    return list(links.exclude(pk=last.pk) if last else links)


def last_link(protocol: Protocol) -> PharmacyLink | None:
    return protocol.pharmacy_links.first()


def _revoke_live(protocol: Protocol, actor) -> bool:
    revoked = protocol.pharmacy_links.filter(revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if revoked:
        SeriesEvent.objects.create(
            protocol=protocol, actor=actor, action=SeriesEvent.Action.KEY_REVOKED
        )
    return bool(revoked)


def revoke(protocol: Protocol, actor) -> bool:
    """Stop the live link, if there is one; True when one was stopped."""
    with transaction.atomic():
        return _revoke_live(protocol, actor)


def link_url(token: str) -> str:
    return settings.SITE_URL + reverse("series_pharmacy_key", args=[token])


def key_email(protocol: Protocol, name: str, address: str, token: str) -> EmailMessage:
    """The message to the pharmacy, and to nobody else: a copy to the owner would hand them the
    key."""
    with translation.override(settings.LANGUAGE_CODE):
        # A title with a line break would be a header injection in the subject: one line it is.
        words = {"name": name, "title": " ".join(protocol.title.split()), "version": protocol.version,
                 "lead": protocol.owner.get_username()}  # fmt: skip
        subject = _("Pack key for the trial series “%(title)s”") % words
        body = "\n\n".join([
            _("Hello %(name)s,") % words,
            _("%(lead)s runs the blinded trial series “%(title)s” (version %(version)s) in "
              "crampwise and asks you to fill its capsule packs.") % words,
            _("Which pack holds the real capsules, and which pack each patient takes in each "
              "period, are on this page:"),
            link_url(token),
            _("Keep this link to yourself and do not forward this email: the study team must not "
              "learn which pack is real until they unblind the series. The page lists new patients "
              "as they join. The link stops working when the study team sends the key again or "
              "withdraws it, and when the series is finished."),
        ])  # fmt: skip
    return EmailMessage(subject=subject, body=body, to=[address])


def send_key(protocol: Protocol, actor, name: str, address: str) -> PharmacyLink:
    """A new link for the pharmacy, emailed to it; any earlier link stops working.

    The email is sent inside the transaction, so when it fails the earlier link still works and no
    unsent link is left behind.
    """
    if not can_send(protocol):
        raise PharmacyError(_("The key can only be sent while it is sealed and the series runs."))
    if not mail_configured():
        raise PharmacyError(_("This server is not set up to send email."))
    token = new_token()
    try:
        with transaction.atomic():
            _revoke_live(protocol, actor)
            link = PharmacyLink.objects.create(
                protocol=protocol, pharmacy_name=name, email=address, token_hash=hash_token(token)
            )
            SeriesEvent.objects.create(
                protocol=protocol, actor=actor, action=SeriesEvent.Action.KEY_SENT
            )
            key_email(protocol, name, address, token).send()
    except (OSError, smtplib.SMTPException, BadHeaderError):
        raise PharmacyError(_("The email could not be sent. Please try again later.")) from None
    except IntegrityError:
        # Another send for this series got in first (two presses, two tabs): it stands.
        message = _("The key was just sent from another window. Check the series page.")
        raise PharmacyError(message) from None
    return link


def find_link(token: str) -> PharmacyLink | None:
    """The live link this token names; None when it does not work. Nothing is recorded."""
    if not token or len(token) > MAX_TOKEN_CHARS:
        return None
    return (
        PharmacyLink.objects.select_related("protocol__owner")
        .filter(
            token_hash=hash_token(token),
            revoked_at__isnull=True,
            protocol__blinded=True,
            protocol__finished_at__isnull=True,
        )
        .first()
    )


def open_link(token: str) -> PharmacyLink | None:
    """The link this token opens, counted and audited; None when it does not work."""
    link = find_link(token)
    if link is None:
        return None
    now = timezone.now()
    with transaction.atomic():
        PharmacyLink.objects.filter(pk=link.pk).update(
            opened_count=F("opened_count") + 1, last_opened_at=now
        )
        SeriesEvent.objects.create(
            protocol=link.protocol, actor=None, action=SeriesEvent.Action.KEY_OPENED
        )
    return link


@dataclass(frozen=True)
class PatientPacks:
    code: str
    packs: tuple[DispensedPack, ...]


@dataclass(frozen=True)
class KeySheet:
    """What the pharmacy's page shows."""

    protocol: Protocol
    noun: str
    real: str
    dummy: str
    patients: tuple[PatientPacks, ...]


def key_sheet(protocol: Protocol) -> KeySheet:
    """The key and every enrolled patient's packs; a patient who withdrew is left out, as from
    every page of the series."""
    enrolments = protocol.enrolments.filter(withdrawn_at__isnull=True).select_related("trial")
    patients = tuple(
        PatientPacks(e.code, dispensing(period_plans(e.trial.design()), protocol.key_seed,
                                        e.trial.end))
        for e in enrolments
    )  # fmt: skip
    real = real_pack(protocol.key_seed)
    return KeySheet(
        protocol=protocol,
        noun=presentation.remedy_noun(protocol),
        real=real,
        dummy=PACKS[1 - PACKS.index(real)],
        patients=patients,
    )
