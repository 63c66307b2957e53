"""Trial series: a clinician's protocol and the patients who joined it.

A ``Protocol`` fixes what every enrolled patient's personal trial looks like (remedy, design,
threshold, blinding). It never changes once patients join: a changed protocol is a new row with
``version + 1`` and a link to its ``parent``, so every patient stays on the version they agreed to.

An ``Enrolment`` is the patient's consent to share one trial with the protocol's owner. Withdrawing
sets ``withdrawn_at``; the row stays so the record of who agreed to what stays complete, but from
that moment the patient is in no page, export or pooled answer of the series. The trial itself is
and stays the patient's.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from crampwise.trials.models import Trial

# Letters and digits that cannot be mistaken for each other when read aloud or typed.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


def new_join_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_key_seed() -> int:
    return secrets.randbelow(2**62)


class Protocol(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="protocols"
    )
    title = models.CharField(_("title"), max_length=120)
    aims = models.TextField(_("aims"), max_length=1000, blank=True)
    remedy_id = models.CharField(_("remedy"), max_length=40)
    kind = models.CharField(max_length=12, choices=Trial.Kind.choices)
    period_nights = models.PositiveSmallIntegerField(
        _("nights in a period"), validators=[MinValueValidator(1), MaxValueValidator(56)]
    )
    washout_nights = models.PositiveSmallIntegerField(_("washout nights"))
    run_in_nights = models.PositiveSmallIntegerField(_("run-in nights"), default=0)
    pairs = models.PositiveSmallIntegerField(
        _("pairs of periods"), validators=[MinValueValidator(1), MaxValueValidator(26)]
    )
    # Periods per randomization block (2: pairs; 4: blocks of two remedy and two control periods).
    block_periods = models.PositiveSmallIntegerField(_("periods in a block"), default=2)
    threshold = models.FloatField(_("worthwhile cut"), default=0.8)  # a rate ratio
    blinded = models.BooleanField(_("blinded"), default=False)
    # Which pack letter holds the real capsules comes from this; shown only after unblinding.
    key_seed = models.BigIntegerField(default=new_key_seed, editable=False)
    join_code = models.CharField(max_length=16, unique=True, default=new_join_code)
    version = models.PositiveSmallIntegerField(default=1)
    parent = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="children"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    unblinded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(washout_nights__lt=models.F("period_nights")),
                name="protocol_washout_shorter_than_period",
            ),
            models.CheckConstraint(
                condition=Q(block_periods__in=[2, 4, 6]), name="protocol_block_of_2_4_or_6_periods"
            ),
            models.CheckConstraint(
                condition=Q(threshold__gt=0) & Q(threshold__lte=1),
                name="protocol_threshold_is_a_ratio",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"

    @property
    def finished(self) -> bool:
        return self.finished_at is not None

    @property
    def key_sealed(self) -> bool:
        """Whether pack assignments are still hidden from everyone, the owner included."""
        return self.blinded and self.unblinded_at is None


class SeriesEvent(models.Model):
    """What the owner did to the series as a whole: unblinding and finishing are audited here;
    each look at a patient's data is also an ``AccessEvent`` on that patient's own trail."""

    class Action(models.TextChoices):
        UNBLIND = "unblind", _("opened the sealed key")
        FINISH = "finish", _("marked the series finished")
        EXPORT = "export", _("exported the series")
        KEY_SENT = "key_sent", _("sent the key to the pharmacy")
        KEY_REVOKED = "key_revoke", _("withdrew the pharmacy's link to the key")
        KEY_OPENED = "key_opened", _("the pharmacy opened the key")

    protocol = models.ForeignKey(Protocol, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.action} of {self.protocol_id} at {self.at:%Y-%m-%d %H:%M}"


class Enrolment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    protocol = models.ForeignKey(Protocol, on_delete=models.CASCADE, related_name="enrolments")
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="series_enrolments"
    )
    trial = models.OneToOneField(Trial, on_delete=models.CASCADE, related_name="enrolment")
    # What the owner sees instead of a name or username: "P07", numbered in joining order.
    code = models.CharField(max_length=8)
    consented_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["consented_at"]
        constraints = [
            models.UniqueConstraint(fields=["protocol", "code"], name="one_code_per_series"),
            models.UniqueConstraint(
                fields=["protocol", "patient"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_open_enrolment_per_series",
            ),
        ]
        indexes = [models.Index(fields=["patient", "withdrawn_at"], name="enrolment_by_patient")]

    def __str__(self) -> str:
        return f"{self.code} in {self.protocol_id}"

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None


class PatientResult(models.Model):
    """One enrolled patient's computed row of the series page, stored where every server process
    reads it: their own analysis, counts and likelihood of the log rate ratio for the pooling.

    ``key`` is the patient's data key (``summary.patient_keys``): a row whose key differs from the
    current one is stale and is computed again. Rows are written after each change of an enrolled
    patient's data and by the page itself, so a page view after a restart pools stored rows.
    """

    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.CASCADE, primary_key=True, related_name="stored_result"
    )
    key = models.CharField(max_length=64)
    data = models.JSONField()
    computed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"result of {self.enrolment_id}"


class PharmacyLink(models.Model):
    """The secret link that shows the sealed key and the dispensing list to the pharmacy.

    It goes by email straight to the pharmacy, so the owner never holds the key before unblinding.
    Only the token's SHA-256 is stored: a copy of the database opens no link. At most one link of a
    series works at a time; sending again revokes the one before.
    """

    protocol = models.ForeignKey(Protocol, on_delete=models.CASCADE, related_name="pharmacy_links")
    pharmacy_name = models.CharField(_("pharmacy"), max_length=120)
    email = models.EmailField(_("email address"))
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    opened_count = models.PositiveIntegerField(default=0)
    last_opened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["protocol"],
                condition=Q(revoked_at__isnull=True),
                name="one_live_pharmacy_link_per_series",
            ),
        ]

    def __str__(self) -> str:
        return f"pharmacy link of {self.protocol_id} to {self.pharmacy_name}"
