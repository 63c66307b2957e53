"""Who may see a patient's diary besides the patient, and every time someone did.

- ``ShareLink``: a secret URL for one doctor visit. Only the SHA-256 of its token is stored.
- ``ClinicianCode`` and ``Grant``: a clinician account shows a short code; a patient who types it
  lets that clinician see their report until the patient withdraws it.
- ``AccessEvent``: one row per view of a patient's data by anyone but the patient.

Nothing is deleted when access ends: links and grants get a ``revoked_at``, so the patient's list
of who had access, and the audit rows that point at it, stay complete.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ShareLink(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="share_links"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    label = models.CharField(_("who it is for"), max_length=80, blank=True)
    # Both empty: the 12 weeks up to the day the link is opened, so a doctor sees fresh nights.
    range_from = models.DateField(null=True, blank=True)
    range_to = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"share link {self.pk} of {self.owner}"

    def is_active(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        return "active" if self.is_active() else "expired"


class ClinicianCode(models.Model):
    clinician = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clinician_code"
    )
    code = models.CharField(max_length=16, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"code of {self.clinician}"


class Grant(models.Model):
    # The id appears in the clinician's URLs; a random UUID reveals nothing about the patient.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grants_given"
    )
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grants_received"
    )
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "clinician"],
                condition=Q(revoked_at__isnull=True),
                name="one_open_grant_per_pair",
            )
        ]

    def __str__(self) -> str:
        return f"{self.clinician} may see {self.patient}"

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class AccessEvent(models.Model):
    class What(models.TextChoices):
        PAGE = "page", _("report page")
        PDF = "pdf", _("PDF report")
        FHIR = "fhir", _("FHIR data file")
        SUMMARY = "summary", _("key numbers in a clinician's patient list")
        SERIES = "series", _("your trial's nights and result, in a trial series")

    class Via(models.TextChoices):
        SHARE_LINK = "share_link", _("share link")
        CLINICIAN = "clinician", _("clinician account")
        COMMAND_LINE = "command_line", _("command line on the server")
        SERIES = "series", _("a trial series you joined")

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_events"
    )
    via = models.CharField(max_length=12, choices=Via.choices)
    what = models.CharField(max_length=8, choices=What.choices)
    # Kept when the clinician's account or the link goes, so the trail never loses a name.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="accesses_made",
    )
    actor_label = models.CharField(max_length=150, blank=True)
    share_link = models.ForeignKey(
        ShareLink, on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    at = models.DateTimeField(default=timezone.now)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["patient", "at"], name="access_by_patient_time")]

    def __str__(self) -> str:
        return f"{self.what} of {self.patient} via {self.via} at {self.at:%Y-%m-%d %H:%M}"


class PatientSummary(models.Model):
    """One patient's key figures for a clinician's worklist, stored so the list builds no reports.

    Written by ``clinician.summaries`` after every change to the patient's diary, symptom checks
    or trials, with the same functions as the patient's Insights page (``clinician/core/
    worklist.py``). Reasons that depend on today (no check-in for a week, a new medicine, a trial
    just ended) are read from the stored dates when the list is shown, never stored as true/false.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="clinic_summary",
    )
    as_of = models.DateField()  # the last night the figures count
    rate_per_week = models.FloatField(null=True, blank=True)  # the last 4 weeks
    rate_nights = models.PositiveSmallIntegerField(default=0)
    trend = models.CharField(max_length=16, default="not_enough_data")
    trend_rank = models.PositiveSmallIntegerField(default=0)  # worklist.TREND_RANK, for sorting
    last_checkin = models.DateField(null=True, blank=True)
    red_flags = models.PositiveSmallIntegerField(default=0)
    latest_medicine_start = models.DateField(null=True, blank=True)
    latest_medicine_name = models.CharField(max_length=200, blank=True)
    trial_look_pending = models.BooleanField(default=False)
    trial_end = models.DateField(null=True, blank=True)
    # The figures could not be computed (a broken record); the list says so and the next change
    # of the patient's data tries again.
    failed = models.BooleanField(default=False)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["-red_flags", "-trend_rank"], name="summary_by_need"),
            models.Index(fields=["rate_per_week"], name="summary_by_rate"),
            models.Index(fields=["last_checkin"], name="summary_by_checkin"),
        ]

    def __str__(self) -> str:
        return f"summary of {self.user_id} as of {self.as_of}"
