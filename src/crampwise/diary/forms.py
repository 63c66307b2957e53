from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from crampwise.diary.core.csvformat import FIXED_COLUMNS
from crampwise.diary.core.factors import BUILTIN_FACTORS
from crampwise.diary.core.records import MUSCLES, RELIEFS, SIDES
from crampwise.diary.models import CustomFactor, Medicine

# The check-in's bounds, in one place (the form's fields below are built from them).
CRAMPS_MORE = (5, 200)  # "5 or more": the exact number, within these bounds
MINUTES_AWAKE = (0, 720)
FACTOR_COUNT = (0, 100000)  # a count factor (glasses, units, minutes, hours): up to two decimals
FACTOR_DECIMAL_PLACES = 2
NOTE_MAX_LENGTH = 2000

YES_NO = [("yes", _("Yes")), ("no", _("No"))]
CRAMP_CHOICES = [
    ("0", _("None")),
    ("1", "1"),
    ("2", "2"),
    ("3", "3"),
    ("4", "4"),
    ("5+", _("5 or more")),
]
PAIN_CHOICES = [(str(i), str(i)) for i in range(11)]
SLEEP_CHOICES = [
    ("1", _("Very poor")),
    ("2", _("Poor")),
    ("3", _("Fair")),
    ("4", _("Good")),
    ("5", _("Very good")),
]
SORENESS_CHOICES = [("0", _("None")), ("1", _("Mild")), ("2", _("Moderate")), ("3", _("Severe"))]
MUSCLE_LABELS = {
    "calf": _("Calf"),
    "foot": _("Foot"),
    "thigh": _("Thigh (front)"),
    "hamstring": _("Back of thigh"),
    "toes": _("Toes"),
}
SIDE_LABELS = {"left": _("Left"), "right": _("Right"), "both": _("Both")}
RELIEF_LABELS = {
    "stretch": _("Stretched it"),
    "stand_walk": _("Stood up and walked"),
    "massage": _("Massage"),
    "heat": _("Heat"),
    "cold": _("Cold"),
    "other": _("Something else"),
}
BUILTIN_LABELS = {
    "stretched": _("Did you stretch your legs before bed?"),
    "fluid_glasses": _("Glasses of fluid yesterday"),
    "alcohol_units": _("Alcohol units yesterday"),
    "exercise_minutes": _("Minutes of exercise yesterday"),
    "hours_on_feet": _("Hours on your feet yesterday"),
    "supportive_shoes": _("Did you wear supportive shoes?"),
}


class RadioRow(forms.RadioSelect):
    """Radio buttons laid out as a row of large tap targets (see static/crampwise.css)."""

    template_name = "diary/widgets/radio_row.html"


def optional_radio(choices, label, help_text=""):
    return forms.TypedChoiceField(
        label=label,
        choices=choices,
        required=False,
        widget=RadioRow,
        coerce=int,
        empty_value=None,
        help_text=help_text,
    )


class CheckinForm(forms.Form):
    """The morning check-in: one night's answers, built for a 30-second tap-through."""

    cramps = forms.ChoiceField(
        label=_("Cramps last night"),
        choices=CRAMP_CHOICES,
        widget=RadioRow,
        error_messages={
            "required": _("Choose how many cramps you had. Choose “None” if you had none.")
        },
    )
    cramps_more = forms.IntegerField(
        label=_("How many exactly? (if 5 or more)"),
        required=False,
        min_value=CRAMPS_MORE[0],
        max_value=CRAMPS_MORE[1],
    )
    worst_pain = optional_radio(PAIN_CHOICES, _("Worst pain (0 = none, 10 = worst imaginable)"))
    minutes_awake = forms.IntegerField(
        label=_("Minutes awake because of cramps"),
        required=False,
        min_value=MINUTES_AWAKE[0],
        max_value=MINUTES_AWAKE[1],
    )
    sleep_quality = optional_radio(SLEEP_CHOICES, _("How did you sleep?"))
    soreness = optional_radio(SORENESS_CHOICES, _("Sore legs this morning?"))
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, custom_factors=(), medicine_names=(), min_cramps: int = 0, **kwargs):
        """``custom_factors``: the person's own factors as (name, kind, label); ``min_cramps``: the
        cramps logged during the night, below which the count may not go."""
        super().__init__(*args, **kwargs)
        self.min_cramps = min_cramps
        labels = dict(BUILTIN_LABELS)
        self.factor_kinds: dict[str, str] = {}
        for name, kind, label in [
            *((f.name, f.kind, None) for f in BUILTIN_FACTORS),
            *custom_factors,
        ]:
            self.factor_kinds[name] = kind
            self.fields[f"f_{name}"] = factor_field(kind, label or labels[name])
        self.fields["medicines_taken"] = forms.MultipleChoiceField(
            label=_("Medicines taken yesterday"),
            required=False,
            choices=[(n, n) for n in medicine_names],
            widget=forms.CheckboxSelectMultiple,
        )

    def factor_bound_fields(self):
        return [self[f"f_{name}"] for name in self.factor_kinds]

    def clean(self):
        super().clean()
        data = self.cleaned_data
        choice = data.get("cramps")
        count = None
        if choice == "5+":
            count = data.get("cramps_more")
            if count is None:
                self.add_error("cramps_more", _("Type how many cramps you had (5 or more)."))
        elif choice is not None:
            count = int(choice)
        if count is not None and count < self.min_cramps:
            self.add_error(
                "cramps",
                _(
                    "You logged %(n)s cramps during the night, so the count cannot be lower. "
                    "If one was logged by mistake, delete it from this night in your history."
                )
                % {"n": self.min_cramps},
            )
        data["reported_cramps"] = count
        return data

    def night_fields(self) -> dict:
        """The answers as Night model fields (after ``is_valid()``)."""
        data = self.cleaned_data
        factors = {}
        for name, kind in self.factor_kinds.items():
            value = data.get(f"f_{name}")
            if value is None:
                continue
            if kind == "count":
                # Whole numbers stay whole in the diary (2 glasses, not 2.0); the rest are floats.
                value = int(value) if value == value.to_integral_value() else float(value)
            factors[name] = value
        return {
            "reported_cramps": data["reported_cramps"],
            "worst_pain": data["worst_pain"],
            "minutes_awake": data["minutes_awake"],
            "sleep_quality": data["sleep_quality"],
            "soreness": data["soreness"],
            "factors": factors,
            "medicines_taken": data["medicines_taken"],
            "note": data["note"],
        }


def factor_field(kind: str, label):
    if kind == "yes_no":
        return forms.TypedChoiceField(
            label=label,
            choices=YES_NO,
            required=False,
            widget=RadioRow,
            coerce=lambda value: value == "yes",
            empty_value=None,
        )
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=FACTOR_COUNT[0],
        max_value=FACTOR_COUNT[1],
        decimal_places=FACTOR_DECIMAL_PLACES,
    )


def initial_from_night(night, medicines_known) -> dict:
    """Form initial values from a stored night (for editing, or the previous night's factors)."""
    initial: dict = {}
    for name, value in (night.factors or {}).items():
        if isinstance(value, bool):
            initial[f"f_{name}"] = "yes" if value else "no"
        else:
            initial[f"f_{name}"] = value
    initial["medicines_taken"] = [m for m in night.medicines_taken if m in medicines_known]
    return initial


class EpisodeDetailsForm(forms.Form):
    muscle = forms.ChoiceField(
        label=_("Where?"),
        choices=[(m, MUSCLE_LABELS[m]) for m in MUSCLES],
        required=False,
        widget=RadioRow,
    )
    side = forms.ChoiceField(
        label=_("Which side?"),
        choices=[(s, SIDE_LABELS[s]) for s in SIDES],
        required=False,
        widget=RadioRow,
    )
    pain = optional_radio(PAIN_CHOICES, _("How bad is the pain? (0 to 10)"))
    reliefs = forms.MultipleChoiceField(
        label=_("What did you try?"),
        choices=[(r, RELIEF_LABELS[r]) for r in RELIEFS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class MedicineForm(forms.ModelForm):
    class Meta:
        model = Medicine
        fields = ["name", "dose", "started", "stopped", "purpose", "note"]
        widgets = {
            "started": forms.DateInput(attrs={"type": "date"}),
            "stopped": forms.DateInput(attrs={"type": "date"}),
            "purpose": forms.RadioSelect,
        }
        help_texts = {"dose": _("As written on the box, for example “40 mg once a day”.")}

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if ";" in name:
            raise forms.ValidationError(_("Please leave out the “;” character."))
        return name

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("started") and data.get("stopped") and data["stopped"] < data["started"]:
            self.add_error("stopped", _("The stop date is before the start date."))
        return data


class CustomFactorForm(forms.ModelForm):
    class Meta:
        model = CustomFactor
        fields = ["label", "name", "kind"]
        widgets = {"kind": forms.RadioSelect}
        labels = {
            "label": _("Question to ask each morning"),
            "name": _("Short name (for the CSV file)"),
        }
        help_texts = {
            "name": _("Lower-case letters, digits and _ only, for example “late_dinner”.")
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_name(self):
        name = self.cleaned_data["name"].strip().lower().replace("-", "_")
        if name in FIXED_COLUMNS:
            raise forms.ValidationError(
                _("“%(name)s” is already a built-in column. Please choose another name."),
                params={"name": name},
            )
        if (
            not name[:1].isalpha()
            or not all(c.isalnum() or c == "_" for c in name)
            or not name.isascii()
        ):
            raise forms.ValidationError(
                _("Use lower-case letters, digits and _ only, starting with a letter.")
            )
        if (
            CustomFactor.objects.filter(user=self.user, name=name)
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            raise forms.ValidationError(
                _("You already have a factor called “%(name)s”."), params={"name": name}
            )
        return name


class CsvImportForm(forms.Form):
    file = forms.FileField(label=_("Nightly CSV file"))
