"""Forms of the guidance pages: the assessment questionnaire and the evening checklist."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crampwise.core.knowledge import load_conditions, prevention_checklist
from crampwise.diary.forms import YES_NO, RadioRow
from crampwise.guidance.core.inputs import MAX_AGE, MAX_MEDICATION_LENGTH, MAX_MEDICATIONS, SYMPTOMS

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# The symptoms in plain words. The keys must be exactly SYMPTOMS (a test checks): a symptom
# without a question would never raise its red flag.
SYMPTOM_QUESTIONS = {
    "sudden_painful_tightening": gettext_lazy(
        "Do you get a sudden, painful tightening of a muscle in your leg or foot?"
    ),
    "occurs_in_bed": gettext_lazy("Does it happen while you are in bed, awake or asleep?"),
    "relieved_by_stretching": gettext_lazy("Does it ease when you stretch the muscle?"),
    "cramp_over_10_min_not_easing": gettext_lazy(
        "Has a cramp lasted more than 10 minutes and not eased, even when you moved?"
    ),
    "urge_to_move": gettext_lazy(
        "In the evening or at night, do you feel a strong urge to move your legs?"
    ),
    "relieved_by_movement": gettext_lazy(
        "Does moving your legs make that urge go away for a while?"
    ),
    "walking_pain_relieved_by_rest": gettext_lazy(
        "Do your legs hurt when you walk, and get better when you stop and rest?"
    ),
    "numbness_or_tingling": gettext_lazy("Do you have numbness or tingling in your legs or feet?"),
    "muscle_weakness": gettext_lazy("Do your leg muscles feel weak?"),
    "daytime_cramps": gettext_lazy(
        "Do you also get cramps in the day, when you are resting and have not just exercised?"
    ),
    "muscle_twitching": gettext_lazy(
        "Do you see small twitches or ripples under the skin of your muscles?"
    ),
    "weakness_getting_worse": gettext_lazy(
        "Are any of your muscles getting weaker over weeks or months?"
    ),
    "muscle_wasting": gettext_lazy(
        "Do any of your muscles look thinner or smaller than they used to?"
    ),
    "one_leg_swollen_warm_or_red": gettext_lazy(
        "Is one leg painful and also swollen, warm, or red or dark?"
    ),
    "chest_pain_or_breathless": gettext_lazy(
        "Do you have chest pain or trouble breathing that is new or came on suddenly?"
    ),
    "dark_urine": gettext_lazy(
        "Since your muscle pain or cramps, has your urine (pee) been very dark, like tea or cola?"
    ),
    "soil_contaminated_wound": gettext_lazy(
        "Have you had a cut or wound with soil or dirt in it not long ago?"
    ),
    "unusual_bleeding_or_bruising": gettext_lazy(
        "Have you had bleeding or bruising that is not usual for you?"
    ),
}

# How the questions are grouped on the page; every symptom is in exactly one group (a test checks).
SYMPTOM_GROUPS = (
    (
        "cramps",
        gettext_lazy("About your cramps"),
        (
            "sudden_painful_tightening",
            "occurs_in_bed",
            "relieved_by_stretching",
            "cramp_over_10_min_not_easing",
        ),
    ),
    (
        "other",
        gettext_lazy("Other feelings in your legs"),
        (
            "urge_to_move",
            "relieved_by_movement",
            "walking_pain_relieved_by_rest",
            "numbness_or_tingling",
        ),
    ),
    (
        "muscles",
        gettext_lazy("Your muscles"),
        (
            "daytime_cramps",
            "muscle_twitching",
            "muscle_weakness",
            "weakness_getting_worse",
            "muscle_wasting",
        ),
    ),
    (
        "warning",
        gettext_lazy("Warning signs"),
        (
            "one_leg_swollen_warm_or_red",
            "chest_pain_or_breathless",
            "dark_urine",
            "soil_contaminated_wound",
            "unusual_bleeding_or_bruising",
        ),
    ),
)

SEX_CHOICES = [
    ("female", gettext_lazy("Female")),
    ("male", gettext_lazy("Male")),
    ("other", gettext_lazy("Other")),
    ("unknown", gettext_lazy("Prefer not to say")),
]


def _yes_no(
    label: StrOrPromise, *, required: bool, help_text: StrOrPromise = ""
) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        required=required,
        widget=RadioRow,
        coerce=lambda value: value == "yes",
        empty_value=None,
        help_text=help_text,
        error_messages={"required": gettext_lazy("Please answer yes or no.")},
    )


def symptom_field_name(symptom: str) -> str:
    return f"s_{symptom}"


class AssessmentForm(forms.Form):
    """The questionnaire; ``answers()`` gives the input of ``guidance.assessment.assess``."""

    age = forms.IntegerField(
        label=gettext_lazy("How old are you?"),
        min_value=0,
        max_value=MAX_AGE,
        error_messages={"required": gettext_lazy("Please type your age in years.")},
    )
    sex = forms.ChoiceField(
        label=gettext_lazy("Sex"),
        choices=SEX_CHOICES,
        widget=RadioRow,
        error_messages={
            "required": gettext_lazy("Please choose one. “Prefer not to say” is fine.")
        },
    )
    pregnant = _yes_no(
        gettext_lazy("Are you pregnant?"),
        required=False,
        help_text=gettext_lazy("Leave this blank if it does not apply to you."),
    )
    conditions = forms.MultipleChoiceField(
        label=gettext_lazy("Do you have any of these health problems?"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Tick all that a doctor has told you about."),
    )
    diary_medicines = forms.MultipleChoiceField(
        label=gettext_lazy("Medicines in your diary"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Untick any that you no longer take."),
    )
    other_medicines = forms.CharField(
        label=gettext_lazy("Other medicines you take"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "One on each line, as written on the box, for example “Lasix 40 mg”. "
            "Include pills, inhalers, injections and supplements."
        ),
    )

    def __init__(self, *args: Any, medicine_names: Sequence[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Labels of the evidence base go through gettext now, so the active language applies.
        cast(forms.ChoiceField, self.fields["conditions"]).choices = [
            (condition.id, _(condition.label)) for condition in load_conditions().values()
        ]
        cast(forms.ChoiceField, self.fields["diary_medicines"]).choices = [
            (name, name) for name in medicine_names
        ]
        for symptom in SYMPTOMS:
            self.fields[symptom_field_name(symptom)] = _yes_no(
                SYMPTOM_QUESTIONS[symptom], required=True
            )

    def symptom_groups(self) -> list[tuple[str, StrOrPromise, list[forms.BoundField]]]:
        return [
            (key, title, [self[symptom_field_name(s)] for s in symptoms])
            for key, title, symptoms in SYMPTOM_GROUPS
        ]

    def medications(self) -> list[str]:
        data = self.cleaned_data
        typed = [line.strip() for line in data.get("other_medicines", "").splitlines()]
        return list(dict.fromkeys([*data.get("diary_medicines", []), *filter(None, typed)]))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if "other_medicines" in data:
            names = self.medications()
            if len(names) > MAX_MEDICATIONS:
                self.add_error(
                    "other_medicines",
                    _("Please list at most %(n)d medicines.") % {"n": MAX_MEDICATIONS},
                )
            elif any(len(name) > MAX_MEDICATION_LENGTH for name in names):
                self.add_error(
                    "other_medicines",
                    _("Each line can have at most %(n)d characters.")
                    % {"n": MAX_MEDICATION_LENGTH},
                )
        return data

    def answers(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "age": data["age"],
            "sex": data["sex"],
            "pregnant": bool(data.get("pregnant")),
            "conditions": list(data.get("conditions", [])),
            "medications": self.medications(),
            "symptoms": {s: data[symptom_field_name(s)] for s in SYMPTOMS},
        }


# The diary factors the evening checklist can fill, with the kind of answer each takes.
# Count factors get a question of their own under the item's sentence.
CHECKLIST_COUNTS = {
    "fluid_glasses": (gettext_lazy("How many glasses of fluid today?"), 50),
    "exercise_minutes": (gettext_lazy("How many minutes were you active today?"), 1440),
}
CHECKLIST_YES_NO = ("stretched", "supportive_shoes")


class EveningChecklistForm(forms.Form):
    """Tonight's prevention habits, one field per checklist item (named by its diary factor)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = []
        for item in prevention_checklist():
            name = item.diary_factor
            if name in CHECKLIST_YES_NO:
                self.fields[name] = _yes_no(_(item.text), required=False)
            elif name in CHECKLIST_COUNTS:
                label, most = CHECKLIST_COUNTS[name]
                self.fields[name] = forms.IntegerField(
                    label=label, required=False, min_value=0, max_value=most
                )
            else:  # a factor the check-in does not know: nothing to carry over
                continue
            self.items.append(item)

    def rows(self) -> list[tuple[Any, forms.BoundField, bool]]:
        """(checklist item, its field, whether it is a yes/no question), in checklist order."""
        return [
            (item, self[item.diary_factor], item.diary_factor in CHECKLIST_YES_NO)
            for item in self.items
        ]

    def answers(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if value is not None}
