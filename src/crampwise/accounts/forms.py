from __future__ import annotations

from datetime import date
from zoneinfo import available_timezones

from django import forms
from django.utils.translation import gettext_lazy as _

from crampwise.accounts.models import Profile

ZONES = sorted(available_timezones() - {"Factory", "localtime"})


class ProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=[(z, z) for z in ZONES])

    class Meta:
        model = Profile
        fields = [
            "birth_year",
            "sex",
            "time_zone",
            "bedtime",
            "wake_time",
            "day_boundary",
            "night_mode",
        ]
        widgets = {
            "bedtime": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "wake_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "day_boundary": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "sex": forms.RadioSelect,
            "night_mode": forms.RadioSelect,
        }
        help_texts = {
            "bedtime": _("Night mode dims the screen from this time."),
            "wake_time": _("Night mode ends at this time."),
        }

    def clean_birth_year(self):
        year = self.cleaned_data.get("birth_year")
        if year is not None and not 1900 <= year <= date.today().year:
            raise forms.ValidationError(_("Please enter a year between 1900 and this year."))
        return year


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password, to confirm"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your password. Nothing was deleted."))
        return password
