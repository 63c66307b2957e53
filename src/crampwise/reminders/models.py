"""What a person asked to be reminded of, where reminders go, and every reminder sent.

- ``ReminderSettings``: evening and morning reminder times (local wall-clock times in the person's
  own time zone), a pause, and whether email is wanted. ``next_due_at`` is the next moment (UTC)
  anything of theirs falls due, kept current on every change, so the worker's minute-by-minute
  search reads one index instead of every person.
- ``PushSubscription``: one browser or installed app that agreed to receive web push.
- ``CalendarFeed``: the secret iCalendar URL; only the SHA-256 of its token is stored, and deleting
  the row revokes the URL.
- ``Delivery``: the ledger that makes a reminder go out exactly once: one row per person, kind and
  night, claimed in a transaction before anything is sent.
"""

from __future__ import annotations

import hashlib
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReminderSettings(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_settings"
    )
    evening_enabled = models.BooleanField(_("evening reminder"), default=False)
    # Empty: 30 minutes before the person's bedtime.
    evening_time = models.TimeField(_("evening reminder time"), null=True, blank=True)
    morning_enabled = models.BooleanField(_("morning reminder"), default=False)
    # Empty: 30 minutes after the person's wake time.
    morning_time = models.TimeField(_("morning reminder time"), null=True, blank=True)
    trial_milestones = models.BooleanField(_("trial milestones"), default=True)
    email_enabled = models.BooleanField(_("reminders by email"), default=False)
    # No reminders up to and including this local date.
    paused_until = models.DateField(_("paused until"), null=True, blank=True)
    next_due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    updated_at = models.DateTimeField(default=timezone.now)
    # Names the person in an email's unsubscribe link without showing their account number.
    mail_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    def __str__(self) -> str:
        return f"reminder settings of {self.user}"


class PushSubscription(models.Model):
    # The id appears in the API's URLs; a random UUID reveals nothing.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    # A push service's URL for one browser; the same browser subscribing again replaces its row.
    endpoint = models.URLField(max_length=2000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    user_agent = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"push subscription {self.pk} of {self.user}"

    @property
    def endpoint_digest(self) -> str:
        """SHA-256 of the endpoint: the page marks "this device" by it without printing the URL."""
        return hashlib.sha256(self.endpoint.encode()).hexdigest()


class CalendarFeed(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"calendar feed of {self.user}"


class Delivery(models.Model):
    class Kind(models.TextChoices):
        EVENING = "evening", _("Evening reminder")
        MORNING = "morning", _("Morning reminder")
        TRIAL_STARTS = "trial_starts", _("Trial starts tomorrow")
        PERIOD_CHANGES = "period_changes", _("Trial period changes")
        LOOK_READY = "look_ready", _("Planned look is ready")
        TRIAL_ENDS = "trial_ends", _("Trial ends")

    class Status(models.TextChoices):
        CLAIMED = "claimed", _("Claimed by a worker")
        SENT = "sent", _("Sent")
        SKIPPED = "skipped", _("Not needed")
        DROPPED = "dropped", _("Too late, dropped")
        FAILED = "failed", _("Could not be sent")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_deliveries"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # The night (date of its evening) the reminder is about.
    night = models.DateField()
    due_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CLAIMED)
    claimed_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    channels = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["-due_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "night"], name="one_delivery_per_person_kind_night"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} reminder for {self.user} on the night of {self.night}"
