from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

from crampwise.diary import services
from crampwise.diary.core import limits
from crampwise.diary.core.csvformat import FIXED_COLUMNS
from crampwise.diary.core.factors import BUILTIN_FACTORS
from crampwise.diary.core.records import MUSCLES, RELIEFS, SIDES
from crampwise.diary.models import CustomFactor, Medicine

# The bounds live in diary/core/limits.py; these fields check them in its words, one message each.
NOTE_MAX_LENGTH = limits.NOTE_MAX
WHOLE_NUMBER = {"invalid": _("Write a whole number, such as 3.")}
NUMBER = {"invalid": _("Write a number, such as 2 or 1.5.")}

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


def diary_rules_only(field: forms.Field) -> forms.Field:
    """Leave a text field's length and NUL checks to the diary's rule (limits.text_problem), so
    that the person reads the same sentence as on every other way in, and only one of them."""
    field.validators = [
        v
        for v in field.validators
        if not isinstance(v, MaxLengthValidator | ProhibitNullCharactersValidator)
    ]
    return field


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
        error_messages=WHOLE_NUMBER,
        widget=forms.NumberInput(attrs={"min": 5, "max": limits.NIGHT_NUMBERS["cramps"][1]}),
    )
    worst_pain = optional_radio(PAIN_CHOICES, _("Worst pain (0 = none, 10 = worst imaginable)"))
    minutes_awake = forms.IntegerField(
        label=_("Minutes awake because of cramps"),
        required=False,
        error_messages={"invalid": limits.whole_number_message("minutes_awake")},
        widget=forms.NumberInput(attrs={"min": 0, "max": limits.NIGHT_NUMBERS["minutes_awake"][1]}),
    )
    sleep_quality = optional_radio(SLEEP_CHOICES, _("How did you sleep?"))
    soreness = optional_radio(SORENESS_CHOICES, _("Sore legs this morning?"))
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": NOTE_MAX_LENGTH}),
    )
    # Shown only after an unusual answer (limits.implausible): ticking it keeps the answers as given.
    confirm_unusual = forms.BooleanField(label=_("Yes, these answers are right"), required=False)

    def __init__(self, *args, custom_factors=(), medicine_names=(), min_cramps: int = 0, **kwargs):
        """``custom_factors``: the person's own factors as (name, kind, label); ``min_cramps``: the
        cramps logged during the night, below which the count may not go."""
        super().__init__(*args, **kwargs)
        diary_rules_only(self.fields["note"])
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

    asks_confirmation = False

    def clean_minutes_awake(self):
        return self._checked("minutes_awake", self.cleaned_data.get("minutes_awake"))

    def clean_note(self):
        note = self.cleaned_data.get("note", "")
        problem = limits.note_problem(note)
        if problem:
            raise forms.ValidationError(problem)
        return note

    def _checked(self, field: str, value):
        if value is not None:
            problem = limits.whole_number_problem(field, value)
            if problem:
                raise forms.ValidationError(problem)
        return value

    def _cramp_count(self, data) -> int | None:
        """The night's count from the choice and the box, asking when the two disagree."""
        choice, exact = data.get("cramps"), data.get("cramps_more")
        if "cramps_more" in self.errors:
            return None
        if choice == "5+":
            if exact is None:
                self.add_error("cramps_more", _("Type how many cramps you had (5 or more)."))
                return None
            if exact < 5:
                self.add_error(
                    "cramps_more",
                    _(
                        "You chose “5 or more” but typed %(n)s. Choose %(n)s above, "
                        "or type a number of 5 or more."
                    )
                    % {"n": exact},
                )
                return None
            problem = limits.whole_number_problem("cramps", exact)
            if problem:
                self.add_error("cramps_more", problem)
                return None
            return exact
        if choice is None:
            return None
        if exact is not None and exact != int(choice):
            # Two different answers: which one is meant is the person's call, never ours.
            self.add_error(
                "cramps_more",
                _(
                    "You chose %(choice)s cramps but typed %(n)s. Which is right? Choose "
                    "“5 or more” to keep %(n)s, or clear the box to keep %(choice)s."
                )
                % {"choice": choice, "n": exact},
            )
            return None
        return int(choice)

    def _factor_values(self, data) -> None:
        for name, kind in self.factor_kinds.items():
            key = f"f_{name}"
            value = data.get(key)
            if kind != "count" or value is None or key in self.errors:
                continue
            number = int(value) if value == value.to_integral_value() else float(value)
            problem = limits.factor_number_problem(name, number)
            if problem:
                self.add_error(key, problem)
            else:
                data[key] = number

    def _ask_about_unusual(self, data) -> None:
        """Possible but unusual answers are asked about once; ticking the box keeps them."""
        values = {"cramps": ("cramps_more", data.get("reported_cramps"))}
        values["minutes_awake"] = ("minutes_awake", data.get("minutes_awake"))
        for name in self.factor_kinds:
            values[name] = (f"f_{name}", data.get(f"f_{name}"))
        unusual = [
            (key, limits.implausible(name, value))
            for name, (key, value) in values.items()
            if key not in self.errors and not isinstance(value, bool)
        ]
        questions = [(key, question) for key, question in unusual if question]
        if questions and not data.get("confirm_unusual"):
            self.asks_confirmation = True
            for key, question in questions:
                self.add_error(key, question)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        count = self._cramp_count(data)
        self._factor_values(data)
        data["reported_cramps"] = count
        if count is not None and count < self.min_cramps:
            self.add_error(
                "cramps",
                _(
                    "You logged %(n)s cramps during the night, so the count cannot be lower. "
                    "If one was logged by mistake, delete it from this night in your history."
                )
                % {"n": self.min_cramps},
            )
        self._ask_about_unusual(data)
        return data

    def night_fields(self) -> dict:
        """The answers as Night model fields (after ``is_valid()``)."""
        data = self.cleaned_data
        factors = {}
        for name in self.factor_kinds:
            value = data.get(f"f_{name}")
            if value is None:
                continue
            # Count answers are already int or float (2 glasses, not 2.0): see _factor_values.
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
    # No bounds on the field itself: CheckinForm._factor_values checks them in the diary's words.
    return forms.DecimalField(
        label=label,
        required=False,
        error_messages=NUMBER,
        widget=forms.NumberInput(attrs={"min": 0, "step": "any"}),
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

    def __init__(self, *args, user=None, **kwargs):
        # A new medicine counts towards the per-person limit (its UUID is made before it is saved).
        self.is_new = kwargs.get("instance") is None
        super().__init__(*args, **kwargs)
        self.user = user
        for name in ("name", "dose", "note"):
            diary_rules_only(self.fields[name])

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        return _refuse(limits.medicine_name_problem(name), name)

    def clean_dose(self):
        return _refuse(
            limits.text_problem(self.cleaned_data["dose"], limits.DOSE_MAX),
            self.cleaned_data["dose"],
        )

    def clean_note(self):
        note = self.cleaned_data["note"]
        return _refuse(limits.text_problem(note, limits.MEDICINE_NOTE_MAX), note)

    def clean_started(self):
        return self._in_window(self.cleaned_data["started"])

    def clean_stopped(self):
        return self._in_window(self.cleaned_data["stopped"])

    def _in_window(self, value):
        if value is None or self.user is None:
            return value
        return _refuse(services.date_window(self.user).problem(value), value)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        problem = limits.stop_before_start(data.get("started"), data.get("stopped"))
        if problem:
            self.add_error("stopped", problem)
        if self.user is not None and self.is_new:
            problem = limits.too_many_medicines(Medicine.objects.filter(user=self.user).count())
            if problem:
                self.add_error(None, problem)
        return data


def _refuse(problem: str | None, value):
    if problem:
        raise forms.ValidationError(problem)
    return value


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
        for name in ("label", "name"):
            diary_rules_only(self.fields[name])

    def clean_label(self):
        label = self.cleaned_data["label"].strip()
        return _refuse(limits.factor_label_problem(label), label)

    def clean_name(self):
        name = self.cleaned_data["name"].strip().lower().replace("-", "_")
        _refuse(limits.factor_name_problem(name, FIXED_COLUMNS), name)
        mine = CustomFactor.objects.filter(user=self.user).exclude(pk=self.instance.pk)
        if mine.filter(name=name).exists():
            raise forms.ValidationError(
                _("You already have a factor called “%(name)s”."), params={"name": name}
            )
        if self.instance.pk is None:
            _refuse(limits.too_many_factors(mine.count()), name)
        return name


class CsvImportForm(forms.Form):
    file = forms.FileField(label=_("Nightly CSV file"))
