from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from crampwise.diary.core import limits
from crampwise.diary.core.records import (
    EpisodeRecord,
    MedicineRecord,
    NightRecord,
    reconcile_cramps,
)


def _refuse(problem: str | None) -> None:
    if problem:
        raise ValidationError(problem)


# Model validators from the diary's rules (diary/core/limits.py), module functions so that
# migrations can name them.
def validate_note(value) -> None:
    _refuse(limits.note_problem(value))


def validate_medicine_name(value) -> None:
    _refuse(limits.medicine_name_problem(value))


def validate_factor_label(value) -> None:
    _refuse(limits.factor_label_problem(value))


def validate_night(value) -> None:
    # The upper end (the person's own today) depends on who and when: forms and services check it.
    if value is not None:
        _refuse(limits.DateWindow(limits.EARLIEST_NIGHT, value).problem(value))


class Night(models.Model):
    """What the person said about one night (named by the date of its evening).

    ``reported_cramps`` is the morning answer (None: not answered); ``episode_count`` mirrors the
    episodes logged that night, kept in step by ``diary.services`` so that reading a year of nights
    needs one query. The night's count is ``reconcile_cramps`` of the two.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="nights"
    )
    night = models.DateField(validators=[validate_night])
    reported_cramps = models.PositiveSmallIntegerField(null=True, blank=True)
    episode_count = models.PositiveSmallIntegerField(default=0)
    worst_pain = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(10)]
    )
    minutes_awake = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(720)]
    )
    sleep_quality = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    soreness = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(3)]
    )
    # Factor values by CSV column name: true/false for yes/no factors, numbers for count factors.
    factors = models.JSONField(default=dict, blank=True)
    medicines_taken = models.JSONField(default=list, blank=True)
    note = models.TextField(blank=True, max_length=limits.NOTE_MAX, validators=[validate_note])
    checked_in_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "night"], name="one_row_per_night")]
        ordering = ["night"]

    def __str__(self) -> str:
        return f"night of {self.night}"

    @property
    def cramps(self) -> int | None:
        return reconcile_cramps(self.reported_cramps, self.episode_count)

    def to_record(self) -> NightRecord:
        return NightRecord(
            night=self.night,
            cramps=self.cramps,
            confirmed=self.reported_cramps is not None,
            worst_pain=self.worst_pain,
            minutes_awake=self.minutes_awake,
            sleep_quality=self.sleep_quality,
            soreness=self.soreness,
            factors={k: (None if v is None else float(v)) for k, v in self.factors.items()},
            medicines_taken=tuple(self.medicines_taken),
            note=self.note,
        )


class Episode(models.Model):
    """One cramp logged in the night. The id is made by the client so a retried post is not a copy."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="episodes"
    )
    night = models.DateField()
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    muscle = models.CharField(max_length=12, blank=True)
    side = models.CharField(max_length=6, blank=True)
    pain = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(10)]
    )
    reliefs = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["user", "night"], name="episode_by_night")]
        ordering = ["started_at"]

    def __str__(self) -> str:
        return f"cramp at {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def duration_seconds(self) -> int | None:
        if self.ended_at is None:
            return None
        return max(0, int((self.ended_at - self.started_at).total_seconds()))

    def to_record(self, zone) -> EpisodeRecord:
        return EpisodeRecord(
            night=self.night,
            started_at=self.started_at,
            local_hour=self.started_at.astimezone(zone).hour,
            duration_seconds=self.duration_seconds,
            muscle=self.muscle or None,
            side=self.side or None,
            pain=self.pain,
            reliefs=tuple(self.reliefs),
        )


class Medicine(models.Model):
    class Purpose(models.TextChoices):
        PREVENTIVE = "cramps_preventive", _("For cramps, taken every day to prevent them")
        AT_THE_TIME = "cramps_at_time", _("For cramps, taken when one happens")
        OTHER = "other", _("For something else")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="medicines"
    )
    name = models.CharField(
        _("name"), max_length=limits.MEDICINE_NAME_MAX, validators=[validate_medicine_name]
    )
    dose = models.CharField(_("dose"), max_length=120, blank=True)
    started = models.DateField(_("started"), null=True, blank=True, validators=[validate_night])
    stopped = models.DateField(_("stopped"), null=True, blank=True, validators=[validate_night])
    purpose = models.CharField(
        _("taken for"), max_length=20, choices=Purpose.choices, default=Purpose.OTHER
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-started", "name"]

    def __str__(self) -> str:
        return self.name

    def to_record(self) -> MedicineRecord:
        return MedicineRecord(self.name, self.dose, self.started, self.stopped, self.purpose)


class CustomFactor(models.Model):
    """A person's own daily tag, asked in each morning check-in."""

    class Kind(models.TextChoices):
        YES_NO = "yes_no", _("Yes or no")
        COUNT = "count", _("A number")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="custom_factors"
    )
    name = models.SlugField(_("column name"), max_length=40, allow_unicode=False)
    label = models.CharField(
        _("question"), max_length=limits.FACTOR_LABEL_MAX, validators=[validate_factor_label]
    )
    kind = models.CharField(_("answer"), max_length=6, choices=Kind.choices, default=Kind.YES_NO)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="one_factor_per_name")]
        ordering = ["created_at", "name"]

    def __str__(self) -> str:
        return self.label
