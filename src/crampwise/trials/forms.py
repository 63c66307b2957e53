"""Forms of the trial pages: the wizard's design, the morning adherence question, stopping."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crampwise.diary.forms import RadioRow
from crampwise.trials.core import rules
from crampwise.trials.core.evidence import MIN_PERIODS_PER_ARM
from crampwise.trials.models import Trial

YES_NO = [("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))]
# A trial needs two periods on each arm before it can give an answer (core/evidence.py); 26 pairs
# of the shortest periods is about a year. The single-trial wizard and a series protocol share them.
MIN_PAIRS = MIN_PERIODS_PER_ARM
MAX_PAIRS = 26
HOPED_CHOICES = [
    ("0.7", gettext_lazy("30% fewer")),
    ("0.6", gettext_lazy("40% fewer")),
    ("0.5", gettext_lazy("Half as many")),
    ("0.4", gettext_lazy("60% fewer")),
    ("0.3", gettext_lazy("70% fewer")),
]
THRESHOLD_CHOICES = [
    ("0.9", gettext_lazy("10% fewer")),
    ("0.8", gettext_lazy("20% fewer")),
    ("0.7", gettext_lazy("30% fewer")),
    ("0.5", gettext_lazy("Half as many")),
]
PERIOD_CHOICES = [
    ("7", gettext_lazy("1 week")),
    ("14", gettext_lazy("2 weeks")),
    ("21", gettext_lazy("3 weeks")),
    ("28", gettext_lazy("4 weeks")),
]
START_CHOICES = [("tonight", gettext_lazy("Tonight")), ("tomorrow", gettext_lazy("Tomorrow night"))]
OWN_KINDS = [
    (Trial.Kind.BEHAVIOUR, gettext_lazy("Something you do, such as an exercise or a habit. It acts within a night or two.")),
    (Trial.Kind.SUPPLEMENT, gettext_lazy("Something you take, such as a supplement or a food. It may take days to act and to wear off.")),
]  # fmt: skip


def _yes_no_field(label: str = "") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, choices=YES_NO, required=False, widget=RadioRow,
        coerce=lambda v: v == "yes", empty_value=None,
    )  # fmt: skip


class AdherenceForm(forms.Form):
    """ "Did you follow last night's trial plan?", for the morning check-in (prefix "trial").

    Optional: a morning check-in must never fail because this question was skipped.
    """

    followed = _yes_no_field()

    def __init__(self, *args, plan: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["followed"].label = _(
            "Your trial plan for this night was: %(plan)s. Did you follow it?"
        ) % {"plan": plan}


class NightAdherenceForm(AdherenceForm):
    """The same question on the trial page, for a night the page names."""

    night = forms.DateField(widget=forms.HiddenInput)


class StopForm(forms.Form):
    reason = forms.ChoiceField(
        label=gettext_lazy("Why are you stopping?"),
        choices=Trial.StopReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose why you are stopping.")},
    )
    note = forms.CharField(
        label=gettext_lazy("Anything to note, such as a side effect? (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DesignForm(forms.Form):
    """The wizard's second step: how the trial of one remedy runs.

    Which fields exist depends on the remedy: an own remedy needs a name and a kind, a medicine
    needs the doctor's agreement, and only capsules can be blinded.
    """

    label = forms.CharField(
        label=gettext_lazy("What is your remedy called?"),
        max_length=60,
        help_text=gettext_lazy("For example “warm bath” or “foot exercises”."),
    )
    own_kind = forms.ChoiceField(
        label=gettext_lazy("What kind of remedy is it?"), choices=OWN_KINDS, widget=forms.RadioSelect,
        initial=Trial.Kind.BEHAVIOUR,
    )  # fmt: skip
    prescriber_agreed = forms.BooleanField(
        label=gettext_lazy(
            "My doctor agrees to this trial. They told me how and when to change the medicine."
        ),
        error_messages={
            "required": gettext_lazy("A trial of a medicine needs your doctor's agreement. Tick the box once you have it.")
        },
    )  # fmt: skip
    hoped_ratio = forms.TypedChoiceField(
        label=gettext_lazy("What cut in cramps do you hope for?"),
        help_text=gettext_lazy("This only sets how long the trial should be. A smaller cut needs a longer trial."),
        choices=HOPED_CHOICES, coerce=float, widget=RadioRow, initial="0.5",
    )  # fmt: skip
    threshold = forms.TypedChoiceField(
        label=gettext_lazy("What cut would make it worth it for you?"),
        help_text=gettext_lazy("The answer will say how likely a cut at least this big is."),
        choices=THRESHOLD_CHOICES, coerce=float, widget=RadioRow, initial="0.8",
    )  # fmt: skip
    period_nights = forms.TypedChoiceField(
        label=gettext_lazy("How long is each period?"),
        choices=PERIOD_CHOICES, coerce=int, widget=RadioRow,
    )  # fmt: skip
    pairs = forms.IntegerField(
        label=gettext_lazy("How many pairs of periods?"),
        help_text=gettext_lazy("Each pair has one period with the remedy and one without, in a random order."),
        min_value=MIN_PAIRS, max_value=MAX_PAIRS,
    )  # fmt: skip
    blinded = forms.BooleanField(
        label=gettext_lazy("A helper packs look-alike capsules for me, so I do not know which weeks are which."),
        required=False,
    )  # fmt: skip
    start = forms.ChoiceField(
        label=gettext_lazy("When do you start?"),
        choices=START_CHOICES,
        widget=RadioRow,
        initial="tonight",
    )

    def __init__(self, *args, remedy=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.remedy = remedy
        if remedy is not None:
            del self.fields["label"], self.fields["own_kind"]
            if not remedy.needs_prescriber_agreement:
                del self.fields["prescriber_agreed"]
            if not rules.can_be_blinded(remedy.trial_kind):
                del self.fields["blinded"]
        else:
            del self.fields["prescriber_agreed"]
        period, washout = self.timing()
        self.fields["period_nights"].initial = str(period)
        if remedy is not None:
            # Offer only lengths that leave nights to count after the washout.
            cast(forms.ChoiceField, self.fields["period_nights"]).choices = [
                c for c in PERIOD_CHOICES if int(c[0]) > washout
            ]

    def kind(self) -> str:
        if self.remedy is not None:
            return self.remedy.trial_kind
        chosen = self.data.get(self.add_prefix("own_kind")) if self.is_bound else None
        valid = {value for value, _label in OWN_KINDS}
        return chosen if chosen in valid else Trial.Kind.BEHAVIOUR

    def timing(self) -> tuple[int, int]:
        """(default period nights, washout nights) for this remedy."""
        remedy = self.remedy
        if (
            remedy is not None
            and remedy.default_period_nights
            and remedy.washout_nights is not None
        ):
            return remedy.default_period_nights, remedy.washout_nights
        return rules.kind_timing(self.kind())

    def clean_label(self):
        label = " ".join(self.cleaned_data["label"].split())
        problem = rules.own_label_problem(label)
        if problem:
            raise forms.ValidationError(problem)
        return label

    def clean(self):
        super().clean()
        data = self.cleaned_data
        period, pairs = data.get("period_nights"), data.get("pairs")
        _default, washout = self.timing()
        if period is not None and washout >= period:
            self.add_error("period_nights", _(
                "Periods must be longer than %(washout)s nights: the first %(washout)s nights of "
                "each are left out while the last one wears off."
            ) % {"washout": washout})  # fmt: skip
        if period and pairs and 2 * pairs * period > 7 * rules.MAX_WEEKS:
            self.add_error("pairs", _(
                "That is longer than a year. Choose fewer pairs or shorter periods."
            ))  # fmt: skip
        return data
