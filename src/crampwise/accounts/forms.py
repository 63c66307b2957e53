from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crampwise.accounts.models import Profile
from crampwise.core.timefmt import local_time
from crampwise.core.zones import canonical, find, zone_table

MAX_SUGGESTIONS = 5


class ZoneInput(forms.TextInput):
    """A text box with a list of places (a <datalist>): type a city or a country, pick the zone.

    Works without JavaScript; static/zone.js fills in the browser's own zone when the box is empty.
    """

    template_name = "accounts/widgets/zone_input.html"

    def __init__(self, attrs=None):
        super().__init__(
            {
                "autocomplete": "off",
                "spellcheck": "false",
                "autocapitalize": "none",
                **(attrs or {}),
            }
        )

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        widget["attrs"]["list"] = widget["attrs"]["id"] + "_places"
        table = zone_table()
        widget["zones"] = table.zones.values()
        zone = table.zones.get(canonical(str(value or ""), table) or "")
        widget["chosen"] = zone
        if zone is not None:
            widget["now"] = local_time(timezone.now(), zone.name)
        return context


class ZoneField(forms.CharField):
    """A canonical IANA zone from what a person typed: a zone name, an old alias, a city, a country."""

    widget = ZoneInput

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Your time zone"))
        kwargs.setdefault(
            "help_text",
            _("Type your city or country and choose from the list, for example London or Chicago."),
        )
        super().__init__(max_length=64, **kwargs)

    def prepare_value(self, value):
        # Old accounts may hold an alias such as "UTC": show the name it stands for.
        return canonical(value, zone_table()) or value if value else value

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return text
        matches = find(text, zone_table())
        if len(matches) == 1:
            return matches[0].name
        if not matches:
            raise forms.ValidationError(
                _("We do not know the place “%(text)s”. Type a nearby big city or your country."),
                params={"text": text},
            )
        shown = ", ".join(f"{z.label}: {z.name}" for z in matches[:MAX_SUGGESTIONS])
        raise forms.ValidationError(
            _(
                "“%(text)s” has more than one time zone. Choose one from the list, such as %(shown)s."
            ),
            params={"text": text, "shown": shown},
        )


class SignupZoneForm(forms.Form):
    """The extra sign-up question (allauth's ACCOUNT_SIGNUP_FORM_CLASS): the person's zone."""

    time_zone = ZoneField()

    def signup(self, request, user) -> None:
        user.profile.time_zone = self.cleaned_data["time_zone"]
        user.profile.save(update_fields=["time_zone"])


class ProfileForm(forms.ModelForm):
    time_zone = ZoneField()

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
