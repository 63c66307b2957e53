"""Input checks: every problem is reported, and each message names its field."""

from __future__ import annotations

import jsonschema
import pytest

from crampwise.guidance.core.assessment import assess
from crampwise.guidance.core.inputs import SYMPTOMS, AssessmentInputError, parse_input
from crampwise.guidance.core.schema import input_schema


def errors_for(data) -> list[str]:
    with pytest.raises(AssessmentInputError) as caught:
        parse_input(data)
    return caught.value.errors


def test_a_symptom_that_is_not_a_boolean_is_named(answers):
    """ "symptoms.occurs_in_bed must be true or false"."""
    data = answers()
    data["symptoms"]["occurs_in_bed"] = "yes"
    assert errors_for(data) == ["symptoms.occurs_in_bed must be true or false"]


def test_a_missing_symptom_is_named(answers):
    """Leaving a symptom out is an error, so a red flag is never skipped by omission."""
    data = answers()
    del data["symptoms"]["chest_pain_or_breathless"]
    assert errors_for(data) == [
        "symptoms.chest_pain_or_breathless is missing; it must be true or false"
    ]


def test_a_misspelt_symptom_is_rejected(answers):
    """A typo in a symptom id would hide its flag, so it is an error."""
    data = answers()
    data["symptoms"]["chest_pian"] = True
    assert errors_for(data)[0].startswith("symptoms.chest_pian is not a known symptom")


def test_an_unknown_condition_is_rejected_with_the_known_ids(answers):
    """ "conditions[0] "diabetis" is not a known condition id" lists what is allowed."""
    message = errors_for(answers(conditions=["diabetis"]))[0]
    assert message.startswith('conditions[0] "diabetis" is not a known condition id')
    assert "diabetes" in message


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"age": "70"}, "age must be a whole number from 0 to 120"),
        ({"age": True}, "age must be a whole number from 0 to 120"),
        ({"age": 130}, "age must be a whole number from 0 to 120"),
        ({"sex": "f"}, "sex must be one of: female, male, other, unknown"),
        ({"pregnant": None}, "pregnant must be true or false"),
        (
            {"conditions": "diabetes"},
            "conditions must be a list of condition ids (it may be empty)",
        ),
        (
            {"medications": "Lasix"},
            "medications must be a list of medicine names (it may be empty)",
        ),
        ({"medications": [40]}, 'medications[0] must be text, such as "Lasix 40mg"'),
        ({"symptoms": []}, "symptoms must be an object with true or false for each symptom"),
    ],
)
def test_each_bad_field_gets_a_plain_message(answers, change, message):
    """Wrong types and values name the field and what it must be."""
    data = answers()
    data.update(change)  # not through the fixture, which reads "symptoms" as names to set
    assert errors_for(data) == [message]


def test_all_problems_are_reported_at_once(answers):
    """Three bad fields give three messages, not just the first."""
    data = answers(age=-1, sex=None, pregnant="no")
    assert len(errors_for(data)) == 3


def test_a_missing_field_is_reported(answers):
    """Leaving out age is an error naming age."""
    data = answers()
    del data["age"]
    assert errors_for(data) == ["age must be a whole number from 0 to 120"]


def test_a_non_object_input_is_rejected():
    """A list is not a set of answers."""
    assert errors_for([1, 2]) == ["The input must be a JSON object."]


def test_extra_top_level_keys_are_allowed(answers):
    """Forms may send more than the assessment reads."""
    data = answers(name="Ada", cramps_per_week=4)
    assert assess(data)["urgent"] is False


def test_blank_medicine_rows_are_ignored(answers):
    """An empty row from a form is not an unknown medicine."""
    assert assess(answers(medications=["", "  "]))["unrecognised_medicines"] == []


def test_the_input_schema_agrees_with_the_checks(answers):
    """A valid input passes the JSON Schema; the schema lists every symptom."""
    schema = input_schema()
    jsonschema.validate(answers(medications=["Lasix"]), schema)
    assert schema["properties"]["symptoms"]["required"] == list(SYMPTOMS)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(answers(sex="f"), schema)
