from __future__ import annotations

from datetime import time
from zoneinfo import ZoneInfo, available_timezones

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from crampwise.diary.core.nights import DEFAULT_DAY_BOUNDARY


def validate_time_zone(value: str) -> None:
    if value not in available_timezones():
        raise ValidationError(
            _("“%(value)s” is not a time zone name such as Europe/London."), params={"value": value}
        )


class Profile(models.Model):
    class Sex(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        OTHER = "other", _("Other")
        UNSPECIFIED = "", _("Prefer not to say")

    class NightMode(models.TextChoices):
        AUTO = "auto", _("Automatic, between bedtime and wake time")
        ON = "on", _("Always on")
        OFF = "off", _("Always off")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, blank=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_time_zone]
    )
    bedtime = models.TimeField(_("bedtime"), default=time(22, 30))
    wake_time = models.TimeField(_("wake time"), default=time(7, 0))
    day_boundary = models.TimeField(
        _("day boundary"),
        default=DEFAULT_DAY_BOUNDARY,
        help_text=_("Anything you log before this time belongs to the night before."),
    )
    night_mode = models.CharField(
        _("night mode"), max_length=4, choices=NightMode.choices, default=NightMode.AUTO
    )
    is_clinician = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"profile of {self.user}"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)
