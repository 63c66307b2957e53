"""The form on the personal access tokens page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from crampwise.api.models import AccessToken


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=80,
        help_text=_("Say where you will use it, for example “phone app” or “backup script”."),
    )
    scope = forms.ChoiceField(
        label=_("Access"),
        choices=AccessToken.Scope.choices,
        initial=AccessToken.Scope.READ,
        widget=forms.RadioSelect,
        help_text=_("A read-only token can see your diary but not change it."),
    )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if "\x00" in name:
            raise forms.ValidationError(_("Please leave out control characters."))
        return name
