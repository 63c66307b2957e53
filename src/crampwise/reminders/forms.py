"""The reminders page's forms: the reminders themselves, and a pause."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from crampwise.reminders.core.clock import pause_problem


def time_widget(help_id: str) -> forms.TimeInput:
    return forms.TimeInput(attrs={"type": "time", "aria-describedby": help_id}, format="%H:%M")


class RemindersForm(forms.Form):
    evening_enabled = forms.BooleanField(label=_("Remind me in the evening"), required=False)
    evening_time = forms.TimeField(
        label=_("Evening time"), required=False, widget=time_widget("evening-help")
    )
    morning_enabled = forms.BooleanField(label=_("Remind me in the morning"), required=False)
    morning_time = forms.TimeField(
        label=_("Morning time"), required=False, widget=time_widget("morning-help")
    )
    trial_milestones = forms.BooleanField(
        label=_("Tell me when a trial starts, changes its plan, and ends"), required=False
    )
    email_enabled = forms.BooleanField(label=_("Also send reminders by email"), required=False)

    def __init__(self, *args, email_available: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not email_available:
            # Nothing to choose: a ticked box would reach no one.
            del self.fields["email_enabled"]


class PauseForm(forms.Form):
    paused_until = forms.DateField(
        label=_("Pause all reminders until"),
        help_text=_("Reminders start again the day after this date."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["paused_until"].widget.attrs["min"] = today.isoformat()

    def clean_paused_until(self):
        until = self.cleaned_data["paused_until"]
        found = pause_problem(until, self.today)
        if found:
            raise forms.ValidationError(found)
        return until
