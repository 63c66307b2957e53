"""The assessment's input: what it must contain and the plain errors when it does not.

Every problem names its field ("symptoms.occurs_in_bed must be true or false") so that a form or
the CLI can point at it. Unknown top-level keys are allowed (forms may send more); unknown
symptom or condition ids are errors, because a typo there ("chest_pian") would silently hide a
red flag.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from crampwise.core.i18n import gettext as _
from crampwise.core.knowledge import load_conditions

SYMPTOMS = (
    "sudden_painful_tightening",
    "occurs_in_bed",
    "relieved_by_stretching",
    "urge_to_move",
    "relieved_by_movement",
    "walking_pain_relieved_by_rest",
    "one_leg_swollen_warm_or_red",
    "chest_pain_or_breathless",
    "cramp_over_10_min_not_easing",
    "muscle_weakness",
    "dark_urine",
    "numbness_or_tingling",
    "soil_contaminated_wound",
    "unusual_bleeding_or_bruising",
    # Signs that point to a nerve or muscle disease rather than ordinary night cramps.
    "daytime_cramps",
    "muscle_twitching",
    "weakness_getting_worse",
    "muscle_wasting",
)
# Any of these holds back home trials until a doctor has seen the person.
NERVE_OR_MUSCLE_SIGNS = (
    "daytime_cramps",
    "muscle_twitching",
    "weakness_getting_worse",
    "muscle_wasting",
)
SEXES = ("female", "male", "other", "unknown")
MAX_AGE = 120
MAX_MEDICATIONS = 100
MAX_MEDICATION_LENGTH = 200


class AssessmentInputError(ValueError):
    """The input is not valid; ``errors`` holds one plain message per problem."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass(frozen=True, slots=True)
class AssessmentInput:
    age: int
    sex: str
    pregnant: bool
    conditions: tuple[str, ...]
    medications: tuple[str, ...]
    symptoms: Mapping[str, bool]

    def has(self, symptom: str) -> bool:
        return self.symptoms[symptom]


def condition_ids() -> tuple[str, ...]:
    return tuple(load_conditions())


def _age(data: Mapping[str, Any], errors: list[str]) -> int:
    age = data.get("age")
    # bool is an int in Python, and true is not an age.
    if not isinstance(age, int) or isinstance(age, bool) or not 0 <= age <= MAX_AGE:
        errors.append(_("age must be a whole number from 0 to %(max)d") % {"max": MAX_AGE})
        return 0
    return age


def _sex(data: Mapping[str, Any], errors: list[str]) -> str:
    sex = data.get("sex")
    if sex not in SEXES:
        errors.append(_("sex must be one of: %(values)s") % {"values": ", ".join(SEXES)})
        return "unknown"
    return str(sex)


def _pregnant(data: Mapping[str, Any], errors: list[str]) -> bool:
    pregnant = data.get("pregnant")
    if not isinstance(pregnant, bool):
        errors.append(_("pregnant must be true or false"))
        return False
    return pregnant


def _conditions(data: Mapping[str, Any], errors: list[str]) -> tuple[str, ...]:
    raw = data.get("conditions")
    if not isinstance(raw, list):
        errors.append(_("conditions must be a list of condition ids (it may be empty)"))
        return ()
    known = condition_ids()
    result = []
    for i, item in enumerate(raw):
        if item not in known:
            errors.append(
                _("conditions[%(i)d] %(value)s is not a known condition id; known ids: %(ids)s")
                % {"i": i, "value": _quoted(item), "ids": ", ".join(known)}
            )
        else:
            result.append(item)
    return tuple(dict.fromkeys(result))


def _medications(data: Mapping[str, Any], errors: list[str]) -> tuple[str, ...]:
    raw = data.get("medications")
    if not isinstance(raw, list):
        errors.append(_("medications must be a list of medicine names (it may be empty)"))
        return ()
    if len(raw) > MAX_MEDICATIONS:
        errors.append(_("medications can hold at most %(n)d entries") % {"n": MAX_MEDICATIONS})
        return ()
    result = []
    for i, item in enumerate(raw):
        if not isinstance(item, str):
            errors.append(_('medications[%(i)d] must be text, such as "Lasix 40mg"') % {"i": i})
        elif len(item) > MAX_MEDICATION_LENGTH:
            errors.append(
                _("medications[%(i)d] is longer than %(n)d characters")
                % {"i": i, "n": MAX_MEDICATION_LENGTH}
            )
        elif item.strip():  # blank rows from a form are not medicines
            result.append(item.strip())
    return tuple(result)


def _symptoms(data: Mapping[str, Any], errors: list[str]) -> dict[str, bool]:
    raw = data.get("symptoms")
    if not isinstance(raw, dict):
        errors.append(_("symptoms must be an object with true or false for each symptom"))
        return dict.fromkeys(SYMPTOMS, False)
    result = {}
    for name in SYMPTOMS:
        value = raw.get(name)
        if name not in raw:
            errors.append(
                _("symptoms.%(name)s is missing; it must be true or false") % {"name": name}
            )
        elif not isinstance(value, bool):
            errors.append(_("symptoms.%(name)s must be true or false") % {"name": name})
        result[name] = value is True
    for name in raw:
        if name not in SYMPTOMS:
            errors.append(
                _("symptoms.%(name)s is not a known symptom; known symptoms: %(names)s")
                % {"name": name, "names": ", ".join(SYMPTOMS)}
            )
    return result


def _quoted(value: Any) -> str:
    return f'"{value}"' if isinstance(value, str) else repr(value)


def parse_input(data: Any) -> AssessmentInput:
    """Check the input and return it typed, or raise ``AssessmentInputError`` with every problem."""
    if not isinstance(data, Mapping):
        raise AssessmentInputError([_("The input must be a JSON object.")])
    errors: list[str] = []
    parsed = AssessmentInput(
        age=_age(data, errors),
        sex=_sex(data, errors),
        pregnant=_pregnant(data, errors),
        conditions=_conditions(data, errors),
        medications=_medications(data, errors),
        symptoms=_symptoms(data, errors),
    )
    if errors:
        raise AssessmentInputError(errors)
    return parsed
