"""The morning check-in's answers and their rules, in one place (pure: no Django).

The check-in page's form is built from these rules (its choices and bounds, crampwise/diary/forms.py)
and a submitted check-in is read by ``read_answers``, whether it comes from the page or is checked
before any form is built (the POST path of the morning check-in, the most frequent write).

The rules and their messages are those of the Django form fields the check-in used before
(IntegerField, DecimalField, ChoiceField, ...), so the messages come translated from Django's own
catalogue; tests/diary/test_checkin_answers.py holds such a form as the reference and compares.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from crampwise.i18n import gettext as _
from crampwise.i18n import ngettext

CRAMP_CHOICES = ("0", "1", "2", "3", "4", "5+")
PAIN_CHOICES = tuple(str(i) for i in range(11))
SLEEP_CHOICES = ("1", "2", "3", "4", "5")
SORENESS_CHOICES = ("0", "1", "2", "3")
YES_NO_CHOICES = ("yes", "no")
CRAMPS_MORE = (5, 200)  # "5 or more": the exact number, within these bounds
MINUTES_AWAKE = (0, 720)
FACTOR_COUNT = (0, 100000)  # a count factor (glasses, units, minutes, hours): up to two decimals
FACTOR_DECIMAL_PLACES = 2
NOTE_MAX_LENGTH = 2000
EMPTY = ("", None)


class _Invalid(Exception):
    """One answer's problems, each a sentence saying what to fix."""

    def __init__(self, *messages: str):
        super().__init__(*messages)
        self.messages = list(messages)


@dataclass
class Answers:
    """A read check-in: the night's fields (``values``) or what to fix, by question (``errors``)."""

    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def read_answers(
    data: Any,
    factor_kinds: Mapping[str, str],
    medicine_names: Sequence[str],
    min_cramps: int = 0,
) -> Answers:
    """Read a submitted check-in (a form's data: ``get`` and ``getlist``).

    ``factor_kinds`` maps each factor asked (built-in and the person's own, in page order) to
    "yes_no" or "count"; ``medicine_names`` are the person's medicines; ``min_cramps`` is the number
    of cramps logged during the night, below which the count may not go.
    On success ``values`` holds the Night fields: reported_cramps, worst_pain, minutes_awake,
    sleep_quality, soreness, factors, medicines_taken, note.
    """
    answers = Answers()
    cleaned: dict[str, Any] = {}

    def read(name: str, parse: Callable[[Any], Any], value: Any = None) -> None:
        try:
            cleaned[name] = parse(data.get(name) if value is None else value)
        except _Invalid as problem:
            answers.errors.setdefault(name, []).extend(problem.messages)

    read("cramps", _cramp_choice)
    read("cramps_more", lambda v: _integer(v, *CRAMPS_MORE))
    read("worst_pain", lambda v: _optional_choice(v, PAIN_CHOICES))
    read("minutes_awake", lambda v: _integer(v, *MINUTES_AWAKE))
    read("sleep_quality", lambda v: _optional_choice(v, SLEEP_CHOICES))
    read("soreness", lambda v: _optional_choice(v, SORENESS_CHOICES))
    read("note", _note)
    for name, kind in factor_kinds.items():
        read(f"f_{name}", _yes_no if kind == "yes_no" else _count)
    read("medicines_taken", lambda v: _medicines(v, medicine_names), value=_getlist(data, "medicines_taken"))

    count = None
    choice = cleaned.get("cramps")
    if choice == "5+":
        count = cleaned.get("cramps_more")
        if count is None:
            answers.errors.setdefault("cramps_more", []).append(_("Type how many cramps you had (5 or more)."))
    elif choice is not None:
        count = int(choice)
    if count is not None and count < min_cramps:
        answers.errors.setdefault("cramps", []).append(_(
            "You logged %(n)s cramps during the night, so the count cannot be lower. "
            "If one was logged by mistake, delete it from this night in your history.") % {"n": min_cramps})
    if answers.errors:
        return answers

    factors = {}
    for name, kind in factor_kinds.items():
        value = cleaned[f"f_{name}"]
        if value is None:
            continue
        if kind == "count":
            # Whole numbers stay whole in the diary (2 glasses, not 2.0); the rest are floats.
            value = int(value) if value == value.to_integral_value() else float(value)
        factors[name] = value
    answers.values = {
        "reported_cramps": count,
        "worst_pain": cleaned["worst_pain"],
        "minutes_awake": cleaned["minutes_awake"],
        "sleep_quality": cleaned["sleep_quality"],
        "soreness": cleaned["soreness"],
        "factors": factors,
        "medicines_taken": cleaned["medicines_taken"],
        "note": cleaned["note"],
    }
    return answers


def _getlist(data: Any, name: str) -> Any:
    getlist = getattr(data, "getlist", None)
    return getlist(name) if getlist is not None else data.get(name)


def _not_a_choice(value: Any) -> _Invalid:
    return _Invalid(_("Select a valid choice. %(value)s is not one of the available choices.") % {"value": value})


def _cramp_choice(value: Any) -> str:
    if value in EMPTY:
        raise _Invalid(_("Choose how many cramps you had. Choose “None” if you had none."))
    value = str(value)
    if value not in CRAMP_CHOICES:
        raise _not_a_choice(value)
    return value


def _optional_choice(value: Any, choices: tuple[str, ...]) -> int | None:
    if value in EMPTY:
        return None
    value = str(value)
    if value not in choices:
        raise _not_a_choice(value)
    return int(value)


def _yes_no(value: Any) -> bool | None:
    if value in EMPTY:
        return None
    value = str(value)
    if value not in YES_NO_CHOICES:
        raise _not_a_choice(value)
    return value == "yes"


_TRAILING_ZERO_DECIMALS = re.compile(r"\.0*\s*$")  # "5.0" is the whole number 5, as Django reads it


def _integer(value: Any, minimum: int, maximum: int) -> int | None:
    if value in EMPTY:
        return None
    try:
        number = int(_TRAILING_ZERO_DECIMALS.sub("", str(value)))
    except (ValueError, TypeError):
        raise _Invalid(_("Enter a whole number.")) from None
    problems = _out_of_bounds(number, minimum, maximum)
    if problems:
        raise _Invalid(*problems)
    return number


def _count(value: Any) -> Decimal | None:
    if value in EMPTY:
        return None
    try:
        number = Decimal(str(value))  # surrounding spaces are allowed; "  " alone is not a number
    except InvalidOperation:
        raise _Invalid(_("Enter a number.")) from None
    if not number.is_finite():
        raise _Invalid(_("Enter a number."))
    problems = _out_of_bounds(number, *FACTOR_COUNT)
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > FACTOR_DECIMAL_PLACES:
        problems.append(ngettext(
            "Ensure that there are no more than %(max)s decimal place.",
            "Ensure that there are no more than %(max)s decimal places.", FACTOR_DECIMAL_PLACES,
        ) % {"max": FACTOR_DECIMAL_PLACES})
    if problems:
        raise _Invalid(*problems)
    return number


def _out_of_bounds(number: int | Decimal, minimum: int, maximum: int) -> list[str]:
    # Every rule broken is reported, upper bound first, as Django's validators report them.
    problems = []
    if number > maximum:
        problems.append(_("Ensure this value is less than or equal to %(limit_value)s.") % {"limit_value": maximum})
    if number < minimum:
        problems.append(_("Ensure this value is greater than or equal to %(limit_value)s.") % {"limit_value": minimum})
    return problems


def _note(value: Any) -> str:
    if value in EMPTY:
        return ""
    text = str(value).strip()
    problems = []
    if len(text) > NOTE_MAX_LENGTH:
        problems.append(ngettext(
            "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
            "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).", NOTE_MAX_LENGTH,
        ) % {"limit_value": NOTE_MAX_LENGTH, "show_value": len(text)})
    if "\x00" in text:
        problems.append(_("Null characters are not allowed."))
    if problems:
        raise _Invalid(*problems)
    return text


def _medicines(values: Any, medicine_names: Sequence[str]) -> list[str]:
    if not values:
        return []
    if not isinstance(values, list | tuple):
        raise _Invalid(_("Enter a list of values."))
    known = set(medicine_names)
    taken = [str(v) for v in values]
    for value in taken:
        if value not in known:
            raise _not_a_choice(value)
    return taken
