"""The owner's form for sending the key to the pharmacy."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crampwise.series import pharmacy
from crampwise.series.models import PharmacyLink, Protocol


class PharmacyForm(forms.Form):
    pharmacy_name = forms.CharField(
        label=gettext_lazy("Name of the pharmacy"),
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    email = forms.EmailField(
        label=gettext_lazy("The pharmacy's email address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def __init__(self, *args, owner_email: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.owner_email = owner_email

    def clean_email(self) -> str:
        address = self.cleaned_data["email"]
        if self.owner_email and address.strip().lower() == self.owner_email.strip().lower():
            raise forms.ValidationError(
                _("This is your own address. The key must go to the pharmacy, not to you.")
            )
        return address


def pharmacy_form(protocol: Protocol, data=None, last: PharmacyLink | None = None) -> PharmacyForm:
    """The form, filled in with the last pharmacy so that sending again is one press."""
    last = last or pharmacy.last_link(protocol)
    initial = {"pharmacy_name": last.pharmacy_name, "email": last.email} if last else {}
    return PharmacyForm(data, initial=initial, owner_email=protocol.owner.email)
