from __future__ import annotations

from functools import lru_cache

from django import forms
from django.utils.translation import gettext_lazy as _

from .csvformat import FIXED_COLUMNS
from .factors import BUILTIN_FACTOR_NAMES
from .models import CustomFactor, Medicine
from .records import MUSCLES, RELIEFS, SIDES

YES_NO = [("yes", _("Yes")), ("no", _("No"))]
CRAMP_CHOICES = [("0", _("None")), ("1", "1"), ("2", "2"), ("3", "3"), ("4", "4"), ("5+", _("5 or more"))]
PAIN_CHOICES = [(str(i), str(i)) for i in range(11)]
SLEEP_CHOICES = [
    ("1", _("Very poor")), ("2", _("Poor")), ("3", _("Fair")), ("4", _("Good")), ("5", _("Very good")),
]
SORENESS_CHOICES = [("0", _("None")), ("1", _("Mild")), ("2", _("Moderate")), ("3", _("Severe"))]
MUSCLE_LABELS = {
    "calf": _("Calf"), "foot": _("Foot"), "thigh": _("Thigh (front)"),
    "hamstring": _("Back of thigh"), "toes": _("Toes"),
}
SIDE_LABELS = {"left": _("Left"), "right": _("Right"), "both": _("Both")}
RELIEF_LABELS = {
    "stretch": _("Stretched it"), "stand_walk": _("Stood up and walked"), "massage": _("Massage"),
    "heat": _("Heat"), "cold": _("Cold"), "other": _("Something else"),
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
        label=label, choices=choices, required=False, widget=RadioRow, coerce=int, empty_value=None,
        help_text=help_text,
    )


class CheckinForm(forms.Form):
    """The morning check-in: one night's answers, built for a 30-second tap-through."""

    cramps = forms.ChoiceField(
        label=_("Cramps last night"), choices=CRAMP_CHOICES, widget=RadioRow,
        error_messages={"required": _("Choose how many cramps you had. Choose “None” if you had none.")},
    )
    cramps_more = forms.IntegerField(
        label=_("How many exactly? (if 5 or more)"), required=False, min_value=5, max_value=200,
    )
    worst_pain = optional_radio(PAIN_CHOICES, _("Worst pain (0 = none, 10 = worst imaginable)"))
    minutes_awake = forms.IntegerField(
        label=_("Minutes awake because of cramps"), required=False, min_value=0, max_value=720,
    )
    sleep_quality = optional_radio(SLEEP_CHOICES, _("How did you sleep?"))
    soreness = optional_radio(SORENESS_CHOICES, _("Sore legs this morning?"))
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, custom_factors=(), medicine_names=(), min_cramps: int = 0, **kwargs):
        # Django deep-copies every field for every form; for this form that copy cost more than
        # all the rest of the morning check-in. Its fields are built once per set of the person's
        # own factors and medicines (_checkin_fields) and shared: nothing changes a field after
        # it is built, so sharing is safe across requests and threads.
        self.base_fields = {}
        super().__init__(*args, **kwargs)
        custom = tuple((f.name, f.kind, str(f.label)) for f in custom_factors)
        fields, self.factor_kinds = _checkin_fields(custom, tuple(medicine_names))
        self.fields = dict(fields)
        self.factor_fields = list(self.factor_kinds)
        self.min_cramps = min_cramps

    def _clean_fields(self):
        # Django's version builds a BoundField for each field only to read the submitted value;
        # for the check-in's 14-20 fields that was a third of validating the form. The same
        # steps (value from the widget, or the initial value of a disabled field; clean; record
        # the error under the field), without it. This form has no file fields or clean_<name>.
        for name, field in self.fields.items():
            if field.disabled:
                value = self.get_initial_for_field(field, name)
            else:
                value = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
            try:
                self.cleaned_data[name] = field.clean(value)
            except forms.ValidationError as error:
                self.add_error(name, error)

    @staticmethod
    def _factor_field(kind: str, label):
        if kind == "yes_no":
            return forms.TypedChoiceField(
                label=label, choices=YES_NO, required=False, widget=RadioRow,
                coerce=_is_yes, empty_value=None,
            )
        return forms.DecimalField(label=label, required=False, min_value=0, max_value=100000, decimal_places=2)

    def factor_bound_fields(self):
        return [self[f"f_{name}"] for name in self.factor_fields]

    def clean(self):
        data = super().clean()
        choice = data.get("cramps")
        if choice == "5+":
            more = data.get("cramps_more")
            if more is None:
                self.add_error("cramps_more", _("Type how many cramps you had (5 or more)."))
            data["cramps_count"] = more
        elif choice is not None:
            data["cramps_count"] = int(choice)
        count = data.get("cramps_count")
        if count is not None and count < self.min_cramps:
            self.add_error("cramps", _(
                "You logged %(n)s cramps during the night, so the count cannot be lower. "
                "If one was logged by mistake, delete it from this night in your history.") % {"n": self.min_cramps})
        return data

    def night_fields(self) -> dict:
        """The cleaned answers as Night model fields."""
        data = self.cleaned_data
        factors = {}
        for name in self.factor_fields:
            value = data.get(f"f_{name}")
            if value is None:
                continue
            if self.factor_kinds[name] == "count":
                value = int(value) if value == value.to_integral_value() else float(value)
            factors[name] = value
        return {
            "reported_cramps": data["cramps_count"],
            "worst_pain": data.get("worst_pain"),
            "minutes_awake": data.get("minutes_awake"),
            "sleep_quality": data.get("sleep_quality"),
            "soreness": data.get("soreness"),
            "factors": factors,
            "medicines_taken": list(data.get("medicines_taken") or []),
            "note": data.get("note", ""),
        }


def _is_yes(value: str) -> bool:
    return value == "yes"


@lru_cache(maxsize=256)
def _checkin_fields(custom: tuple[tuple[str, str, str], ...], medicine_names: tuple[str, ...]):
    """The check-in's fields, in page order, and each factor's kind ("yes_no" or "count")."""
    fields = dict(CheckinForm.declared_fields)
    kinds: dict[str, str] = {}
    for name in BUILTIN_FACTOR_NAMES:
        kinds[name] = "yes_no" if name in ("stretched", "supportive_shoes") else "count"
        fields[f"f_{name}"] = CheckinForm._factor_field(kinds[name], BUILTIN_LABELS[name])
    for name, kind, label in custom:
        kinds[name] = kind
        fields[f"f_{name}"] = CheckinForm._factor_field(kind, label)
    fields["medicines_taken"] = forms.MultipleChoiceField(
        label=_("Medicines taken yesterday"), required=False,
        choices=[(n, n) for n in medicine_names], widget=forms.CheckboxSelectMultiple,
    )
    return fields, kinds


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
    muscle = forms.ChoiceField(label=_("Where?"), choices=[(m, MUSCLE_LABELS[m]) for m in MUSCLES], required=False, widget=RadioRow)
    side = forms.ChoiceField(label=_("Which side?"), choices=[(s, SIDE_LABELS[s]) for s in SIDES], required=False, widget=RadioRow)
    pain = optional_radio(PAIN_CHOICES, _("How bad is the pain? (0 to 10)"))
    reliefs = forms.MultipleChoiceField(
        label=_("What did you try?"), choices=[(r, RELIEF_LABELS[r]) for r in RELIEFS],
        required=False, widget=forms.CheckboxSelectMultiple,
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
        data = super().clean()
        if data.get("started") and data.get("stopped") and data["stopped"] < data["started"]:
            self.add_error("stopped", _("The stop date is before the start date."))
        return data


class CustomFactorForm(forms.ModelForm):
    class Meta:
        model = CustomFactor
        fields = ["label", "name", "kind"]
        widgets = {"kind": forms.RadioSelect}
        labels = {"label": _("Question to ask each morning"), "name": _("Short name (for the CSV file)")}
        help_texts = {"name": _("Lower-case letters, digits and _ only, for example “late_dinner”.")}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_name(self):
        name = self.cleaned_data["name"].strip().lower().replace("-", "_")
        if name in FIXED_COLUMNS:
            raise forms.ValidationError(_("“%(name)s” is already a built-in column. Please choose another name."), params={"name": name})
        if not name[:1].isalpha() or not all(c.isalnum() or c == "_" for c in name) or not name.isascii():
            raise forms.ValidationError(_("Use lower-case letters, digits and _ only, starting with a letter."))
        if CustomFactor.objects.filter(user=self.user, name=name).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("You already have a factor called “%(name)s”."), params={"name": name})
        return name


class CsvImportForm(forms.Form):
    file = forms.FileField(label=_("Nightly CSV file"))
