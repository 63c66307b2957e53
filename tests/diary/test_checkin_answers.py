"""The check-in's rules (pure) read answers exactly as Django's form fields did.

The reference below is the check-in form as it was built before the rules moved into
``checkin_answers``: Django's own fields, each validating its answer. Hundreds of submissions, good
and bad, must give the same night or the same messages under the same questions.
"""

from __future__ import annotations

import random
from itertools import product

from django import forms
from django.http import QueryDict

from crampwise.diary.checkin_answers import read_answers

YES_NO = [("yes", "Yes"), ("no", "No")]
KINDS = {"stretched": "yes_no", "fluid_glasses": "count", "alcohol_units": "count", "exercise_minutes": "count",
         "hours_on_feet": "count", "supportive_shoes": "yes_no", "late_dinner": "yes_no", "coffee_cups": "count"}
MEDICINES = ("Magnesium citrate", "Ramipril")


def optional_choice(values):
    return forms.TypedChoiceField(choices=[(v, v) for v in values], required=False, coerce=int, empty_value=None)


class ReferenceCheckin(forms.Form):
    cramps = forms.ChoiceField(
        choices=[(v, v) for v in ("0", "1", "2", "3", "4", "5+")],
        error_messages={"required": "Choose how many cramps you had. Choose “None” if you had none."})
    cramps_more = forms.IntegerField(required=False, min_value=5, max_value=200)
    worst_pain = optional_choice([str(i) for i in range(11)])
    minutes_awake = forms.IntegerField(required=False, min_value=0, max_value=720)
    sleep_quality = optional_choice(["1", "2", "3", "4", "5"])
    soreness = optional_choice(["0", "1", "2", "3"])
    note = forms.CharField(required=False, max_length=2000)
    medicines_taken = forms.MultipleChoiceField(required=False, choices=[(m, m) for m in MEDICINES],
                                                widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, min_cramps=0, **kwargs):
        super().__init__(*args, **kwargs)
        self.min_cramps = min_cramps
        for name, kind in KINDS.items():
            self.fields[f"f_{name}"] = (
                forms.TypedChoiceField(choices=YES_NO, required=False, coerce=lambda v: v == "yes", empty_value=None)
                if kind == "yes_no" else
                forms.DecimalField(required=False, min_value=0, max_value=100000, decimal_places=2))

    def clean(self):
        data = super().clean()
        choice = data.get("cramps")
        if choice == "5+":
            if data.get("cramps_more") is None:
                self.add_error("cramps_more", "Type how many cramps you had (5 or more).")
            data["count"] = data.get("cramps_more")
        elif choice is not None:
            data["count"] = int(choice)
        if data.get("count") is not None and data["count"] < self.min_cramps:
            self.add_error("cramps", (
                f"You logged {self.min_cramps} cramps during the night, so the count cannot be lower. "
                "If one was logged by mistake, delete it from this night in your history."))
        return data

    def night(self) -> dict:
        data = self.cleaned_data
        factors = {}
        for name, kind in KINDS.items():
            value = data.get(f"f_{name}")
            if value is None:
                continue
            factors[name] = (int(value) if value == value.to_integral_value() else float(value)) \
                if kind == "count" else value
        return {"reported_cramps": data["count"], "worst_pain": data["worst_pain"],
                "minutes_awake": data["minutes_awake"], "sleep_quality": data["sleep_quality"],
                "soreness": data["soreness"], "factors": factors, "medicines_taken": data["medicines_taken"],
                "note": data["note"]}


CANDIDATES = {
    "cramps": [None, "", "0", "2", "4", "5+", "6", "none", " 1"],
    "cramps_more": [None, "", "5", "7", "5.0", "4", "201", "seven", " 9 ", "  ", "6.5"],
    "worst_pain": [None, "", "0", "10", "11", "-1", "7.0"],
    "minutes_awake": [None, "", "0", "15", "-5", "721", "720", "1e3", "12.00", "ten"],
    "sleep_quality": [None, "", "1", "5", "0", "6"],
    "soreness": [None, "", "0", "3", "4"],
    "note": [None, "", "   ", "woke at 3", " padded ", "x" * 2000, "y" * 2001, "nul\x00here", "z" * 1999 + "\x00\x00"],
    "f_stretched": [None, "", "yes", "no", "maybe", "YES"],
    "f_late_dinner": [None, "yes", "no", "1"],
    "f_fluid_glasses": [None, "", "6", "2.5", "0.001", "-1", "100000", "100001", "1e2", "NaN", "Infinity", "lots",
                        "  ", " 3 ", "100000.001", "0.10"],
    "f_coffee_cups": [None, "3", "1.25", "-0.5"],
    "medicines_taken": [[], ["Ramipril"], ["Ramipril", "Magnesium citrate"], ["Zopiclone"], ["Ramipril", "Nope"]],
}

# Answers a person would usually give (all acceptable, unless the count is under the night's log).
USUAL = {
    "cramps": ["0", "1", "2", "5+"], "cramps_more": [None, "7"], "worst_pain": [None, "6"],
    "minutes_awake": ["", "20"], "sleep_quality": ["2", "4"], "soreness": [None, "1"], "note": ["", "ok"],
    "f_stretched": ["yes", "no", None], "f_late_dinner": [None, "yes"], "f_fluid_glasses": ["6", "7.5", ""],
    "f_coffee_cups": [None, "2"], "medicines_taken": [[], ["Ramipril"]],
}


def submission(answers: dict) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, value in answers.items():
        if name == "medicines_taken":
            data.setlist(name, value)
        elif value is not None:
            data[name] = value
    return data


def assert_same_reading(answers: dict, min_cramps: int) -> bool:
    data = submission(answers)
    reference = ReferenceCheckin(data, min_cramps=min_cramps)
    read = read_answers(data, KINDS, MEDICINES, min_cramps=min_cramps)
    if reference.is_valid():
        assert read.ok, (answers, read.errors)
        assert read.values == reference.night(), answers
        assert [type(v) for v in read.values["factors"].values()] == \
            [type(v) for v in reference.night()["factors"].values()]
        return True
    assert read.errors == {name: list(messages) for name, messages in reference.errors.items()}, answers
    return False


def test_every_single_answer_reads_as_django_read_it():
    """Each candidate answer of each question, the others left valid: same night or same messages."""
    valid = {"cramps": "2"}
    outcomes = set()
    for name, values in CANDIDATES.items():
        for value in values:
            for min_cramps in (0, 3):
                outcomes.add(assert_same_reading({**valid, name: value}, min_cramps))
    assert outcomes == {True, False}


def test_many_mixed_submissions_read_as_django_read_them():
    """Random whole submissions (several mistakes at once, or none) agree with the reference."""
    rng = random.Random(20261127)
    accepted = refused = 0
    for _ in range(1500):
        answers = {name: rng.choice(values) for name, values in USUAL.items()}
        for name in rng.sample(sorted(CANDIDATES), rng.choice((0, 1, 2, 4))):
            answers[name] = rng.choice(CANDIDATES[name])
        if assert_same_reading(answers, rng.choice((0, 0, 1, 6))):
            accepted += 1
        else:
            refused += 1
    assert accepted > 300 and refused > 300  # both paths were really exercised


def test_five_or_more_and_the_logged_count():
    """“5 or more” needs the number; a count under the cramps logged in the night is refused, both ways."""
    for cramps, more, logged in product(("4", "5+"), (None, "5", "9"), (0, 5, 7)):
        assert_same_reading({"cramps": cramps, "cramps_more": more}, logged)
    read = read_answers(submission({"cramps": "5+"}), KINDS, MEDICINES)
    assert read.errors == {"cramps_more": ["Type how many cramps you had (5 or more)."]}
    read = read_answers(submission({"cramps": "2"}), KINDS, MEDICINES, min_cramps=3)
    assert "You logged 3 cramps" in read.errors["cramps"][0]


def test_a_plain_dict_is_read_like_a_form_submission():
    """The rules need only get() (and getlist() when there): a dict of answers works, lists for medicines."""
    read = read_answers({"cramps": "0", "f_stretched": "no", "medicines_taken": ["Ramipril"]}, KINDS, MEDICINES)
    assert read.ok and read.values["reported_cramps"] == 0
    assert read.values["factors"] == {"stretched": False} and read.values["medicines_taken"] == ["Ramipril"]
    assert read_answers({"cramps": "0", "medicines_taken": "Ramipril"}, KINDS, MEDICINES).errors == {
        "medicines_taken": ["Enter a list of values."]}
