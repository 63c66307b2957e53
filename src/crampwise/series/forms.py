"""Forms of the series pages: writing a protocol, entering a join code, consenting to join."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crampwise.series.services import series_remedies
from crampwise.trials.forms import MAX_PAIRS, MIN_PAIRS, PERIOD_CHOICES, THRESHOLD_CHOICES

WASHOUT_CHOICES = [
    ("0", gettext_lazy("None")),
    ("1", gettext_lazy("1 night")),
    ("3", gettext_lazy("3 nights")),
    ("7", gettext_lazy("1 week")),
]
RUN_IN_CHOICES = [("0", gettext_lazy("No run-in")), ("7", gettext_lazy("1 week"))]
DESIGN_CHOICES = [
    ("2", gettext_lazy("Pairs: each pair is one period with the remedy and one without, in a "
                       "random order")),
    ("4", gettext_lazy("Blocks of four periods: two with the remedy and two without, in a "
                       "random order")),
    ("6", gettext_lazy("Blocks of six periods: three with the remedy and three without, in a "
                       "random order")),
]  # fmt: skip


class ProtocolForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=120)
    aims = forms.CharField(
        label=gettext_lazy("Aims"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    remedy_id = forms.ChoiceField(label=gettext_lazy("Remedy"))
    period_nights = forms.TypedChoiceField(
        label=gettext_lazy("Length of each period"),
        choices=PERIOD_CHOICES,
        coerce=int,
        initial="14",
    )
    washout_nights = forms.TypedChoiceField(
        label=gettext_lazy("Washout at the start of each period (left out of the analysis)"),
        choices=WASHOUT_CHOICES,
        coerce=int,
        initial="7",
    )
    block_periods = forms.TypedChoiceField(
        label=gettext_lazy("Design"),
        choices=DESIGN_CHOICES,
        coerce=int,
        initial="2",
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "Each patient gets their own random order. In a pair, the second period can be "
            "foreseen once the first is known; in a block of four or six, fewer periods can."
        ),
    )
    pairs = forms.IntegerField(
        label=gettext_lazy("Number of pairs of periods"),
        min_value=MIN_PAIRS,
        max_value=MAX_PAIRS,
        initial=4,
        help_text=gettext_lazy(
            "A pair is one period with the remedy and one without: 4 pairs are 8 periods. "
            "Blocks of four periods need an even number of pairs; blocks of six, a multiple "
            "of three."
        ),
    )
    run_in_nights = forms.TypedChoiceField(
        label=gettext_lazy("Run-in before the first period"),
        choices=RUN_IN_CHOICES,
        coerce=int,
        initial="0",
    )
    threshold = forms.TypedChoiceField(
        label=gettext_lazy("The smallest cut worth having"),
        choices=THRESHOLD_CHOICES,
        coerce=float,
        initial="0.8",
    )
    blinded = forms.BooleanField(
        label=gettext_lazy("Blinded: a pharmacy prepares real and dummy packs A and B"),
        required=False,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        remedy = self.fields["remedy_id"]
        assert isinstance(remedy, forms.ChoiceField)
        remedy.choices = [("", _("Choose a remedy"))] + [
            (r.id, _(r.name)) for r in series_remedies()
        ]

    def clean(self):
        data = super().clean() or {}
        washout, period = data.get("washout_nights"), data.get("period_nights")
        if washout is not None and period is not None and washout >= period:
            self.add_error("washout_nights", _("The washout must be shorter than a period."))
        return data


class JoinForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Series code"),
        max_length=20,
        help_text=gettext_lazy("The code your doctor or study team gave you."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class ConsentForm(forms.Form):
    agree = forms.BooleanField(
        label=gettext_lazy("I agree to share this trial with the study lead named above."),
        error_messages={"required": gettext_lazy("Tick the box to agree, or go back.")},
    )
    prescriber_agreed = forms.BooleanField(
        label=gettext_lazy("My own doctor agreed to this change of medicine."), required=False
    )
