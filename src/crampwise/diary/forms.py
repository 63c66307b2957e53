from __future__ import annotations

from functools import lru_cache

from django import forms
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _

from . import checkin_answers
from .csvformat import FIXED_COLUMNS
from .factors import BUILTIN_FACTORS
from .models import CustomFactor, Medicine
from .records import MUSCLES, RELIEFS, SIDES

YES_NO = [("yes", _("Yes")), ("no", _("No"))]
CRAMP_LABELS = {"0": _("None"), "5+": _("5 or more")}
SLEEP_LABELS = {"1": _("Very poor"), "2": _("Poor"), "3": _("Fair"), "4": _("Good"), "5": _("Very good")}
SORENESS_LABELS = {"0": _("None"), "1": _("Mild"), "2": _("Moderate"), "3": _("Severe")}
PAIN_CHOICES = [(value, value) for value in checkin_answers.PAIN_CHOICES]
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
    """The morning check-in's page: one night's questions, built for a 30-second tap-through.

    The fields draw the page (labels, large radio rows, bounds as HTML attributes); the answers are
    read by ``checkin_answers.read_answers``, the one place that holds the check-in's rules, whose
    choices and bounds the fields below are built from.
    """

    cramps = forms.ChoiceField(
        label=_("Cramps last night"), widget=RadioRow,
        choices=[(value, CRAMP_LABELS.get(value, value)) for value in checkin_answers.CRAMP_CHOICES],
    )
    cramps_more = forms.IntegerField(
        label=_("How many exactly? (if 5 or more)"), required=False,
        min_value=checkin_answers.CRAMPS_MORE[0], max_value=checkin_answers.CRAMPS_MORE[1],
    )
    worst_pain = optional_radio(PAIN_CHOICES, _("Worst pain (0 = none, 10 = worst imaginable)"))
    minutes_awake = forms.IntegerField(
        label=_("Minutes awake because of cramps"), required=False,
        min_value=checkin_answers.MINUTES_AWAKE[0], max_value=checkin_answers.MINUTES_AWAKE[1],
    )
    sleep_quality = optional_radio([(v, SLEEP_LABELS[v]) for v in checkin_answers.SLEEP_CHOICES], _("How did you sleep?"))
    soreness = optional_radio([(v, SORENESS_LABELS[v]) for v in checkin_answers.SORENESS_CHOICES], _("Sore legs this morning?"))
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=checkin_answers.NOTE_MAX_LENGTH,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, custom_factors=(), medicine_names=(), min_cramps: int = 0,
                 answers: checkin_answers.Answers | None = None, **kwargs):
        """``custom_factors``: the person's own (name, kind, label); ``answers``: the data already read."""
        # Django deep-copies every field for every form; for this form that copy cost more than
        # all the rest of the morning check-in. Its fields are built once per set of the person's
        # own factors and medicines (_checkin_fields) and shared: nothing changes a field after
        # it is built, so sharing is safe across requests and threads.
        self.base_fields = {}
        super().__init__(*args, **kwargs)
        custom = tuple((name, kind, str(label)) for name, kind, label in custom_factors)
        self.medicine_names = tuple(medicine_names)
        self.fields = dict(_checkin_fields(custom, self.medicine_names))
        self.factor_kinds = checkin_factor_kinds(custom)
        self.min_cramps = min_cramps
        self._answers = answers

    def full_clean(self):
        # The rules live in checkin_answers (pure); the form only files each problem under its question.
        self._errors = ErrorDict()
        if not self.is_bound:
            return
        read = self._answers or checkin_answers.read_answers(self.data, self.factor_kinds, self.medicine_names,
                                                     self.min_cramps)
        for name, messages in read.errors.items():
            self._errors[name] = self.error_class([forms.ValidationError(m) for m in messages],
                                                  renderer=self.renderer)
        self.cleaned_data = dict(read.values)

    def factor_bound_fields(self):
        return [self[f"f_{name}"] for name in self.factor_kinds]

    def night_fields(self) -> dict:
        """The answers as Night model fields (after ``is_valid()``)."""
        return self.cleaned_data


@lru_cache(maxsize=256)
def checkin_factor_kinds(custom: tuple[tuple[str, str, str], ...]) -> dict[str, str]:
    """Each factor the check-in asks, in page order: the built-in ones, then the person's own.

    Shared between requests: read it, never change it.
    """
    kinds = {spec.name: spec.kind for spec in BUILTIN_FACTORS}
    kinds.update((name, kind) for name, kind, _label in custom)
    return kinds


def _factor_field(kind: str, label):
    if kind == "yes_no":
        return forms.TypedChoiceField(label=label, choices=YES_NO, required=False, widget=RadioRow, empty_value=None)
    return forms.DecimalField(label=label, required=False, min_value=checkin_answers.FACTOR_COUNT[0],
                              max_value=checkin_answers.FACTOR_COUNT[1], decimal_places=checkin_answers.FACTOR_DECIMAL_PLACES)


@lru_cache(maxsize=256)
def _checkin_fields(custom: tuple[tuple[str, str, str], ...], medicine_names: tuple[str, ...]):
    """The check-in's fields, in page order."""
    fields = dict(CheckinForm.declared_fields)
    labels = {**BUILTIN_LABELS, **{name: label for name, _kind, label in custom}}
    for name, kind in checkin_factor_kinds(custom).items():
        fields[f"f_{name}"] = _factor_field(kind, labels[name])
    fields["medicines_taken"] = forms.MultipleChoiceField(
        label=_("Medicines taken yesterday"), required=False,
        choices=[(n, n) for n in medicine_names], widget=forms.CheckboxSelectMultiple,
    )
    return fields


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
