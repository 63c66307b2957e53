from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from crampwise.clinician.loading import MAX_RANGE_NIGHTS
from crampwise.clinician.services import DEFAULT_LINK_DAYS, MAX_LINK_DAYS

PAPER_CHOICES = [("a4", _("A4")), ("us-letter", _("US Letter"))]


class DateInput(forms.DateInput):
    input_type = "date"


class PeriodForm(forms.Form):
    """The report's period, from the query string; both dates optional."""

    start = forms.DateField(label=_("First night"), required=False, widget=DateInput)
    end = forms.DateField(label=_("Last night"), required=False, widget=DateInput)

    def clean(self):
        super().clean()
        data = self.cleaned_data
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                raise forms.ValidationError(_("The last night is before the first."))
            if (end - start).days + 1 > MAX_RANGE_NIGHTS:
                raise forms.ValidationError(_("A report can cover at most 3 years."))
        return data


class ShareLinkForm(forms.Form):
    label = forms.CharField(
        label=_("Who is the link for? (optional, only you see this)"),
        max_length=80,
        required=False,
    )
    days = forms.IntegerField(
        label=_("Days until the link stops working"),
        min_value=1,
        max_value=MAX_LINK_DAYS,
        initial=DEFAULT_LINK_DAYS,
    )
    range_from = forms.DateField(
        label=_("First night to show (optional)"),
        required=False,
        widget=DateInput,
        help_text=_(
            "Leave both dates empty to show the 12 weeks before the day the link is opened."
        ),
    )
    range_to = forms.DateField(
        label=_("Last night to show (optional)"), required=False, widget=DateInput
    )

    def clean(self):
        super().clean()
        data = self.cleaned_data
        start, end = data.get("range_from"), data.get("range_to")
        if (start is None) != (end is None) and not self.errors:
            raise forms.ValidationError(_("Give both dates, or leave both empty."))
        if start and end and end < start:
            raise forms.ValidationError(_("The last night is before the first."))
        if start and end and (end - start).days + 1 > MAX_RANGE_NIGHTS:
            raise forms.ValidationError(_("A report can cover at most 3 years."))
        return data


class GrantForm(forms.Form):
    code = forms.CharField(
        label=_("Your clinician's code"),
        max_length=20,
        help_text=_("8 letters and digits, like ABCD-EFGH. Your clinician can read it to you."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
