"""What a diary can hold: the one definition every way in uses (DESIGN principle 8). Pure; no Django.

The check-in form, the night edit, the medicine and factor forms, the REST API, the CSV and FHIR
importers, the command line and the model validators all ask these functions, so the same bad
value gets the same sentence wherever it comes from. A function returns ``None`` when the value
is fine, else the message to show.

Two kinds of wrong: *impossible* values (a night in year 1, 25 hours on one's feet, a NUL in a
note) are refused everywhere; *implausible* ones (40 glasses of fluid, 21 hours on one's feet) are
possible, so imports and the API keep them as given, and the morning check-in asks the person to
confirm them once (``implausible``).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from crampwise.core.i18n import gettext as _
from crampwise.diary.core.records import EpisodeRecord, MedicineRecord, NightRecord

EARLIEST_NIGHT = date(1900, 1, 1)

# Whole-number answers about a night (also the nightly CSV's columns), inclusive.
NIGHT_NUMBERS: dict[str, tuple[int, int]] = {
    "cramps": (0, 200),
    "worst_pain": (0, 10),
    "minutes_awake": (0, 720),
    "sleep_quality": (1, 5),
    "soreness": (0, 3),
}
EPISODE_PAIN = (0, 10)

# The largest possible answer of each built-in number factor (a day has 24 hours and 1,440 minutes);
# a person's own number factor may be anything from 0 to CUSTOM_FACTOR_MAX.
FACTOR_MAX: dict[str, float] = {
    "fluid_glasses": 100,
    "alcohol_units": 100,
    "exercise_minutes": 1440,
    "hours_on_feet": 24,
}
CUSTOM_FACTOR_MAX = 100_000
FACTOR_DECIMAL_PLACES = 2

# Answers that are possible but unusual enough that the check-in asks once whether they are right.
IMPLAUSIBLE_ABOVE: dict[str, float] = {
    "cramps": 30,
    "minutes_awake": 360,
    "fluid_glasses": 30,
    "alcohol_units": 30,
    "exercise_minutes": 600,
    "hours_on_feet": 20,
}

NOTE_MAX = 2000
MEDICINE_NAME_MAX = 120
DOSE_MAX = 120
MEDICINE_NOTE_MAX = 300
FACTOR_LABEL_MAX = 80
FACTOR_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")

MAX_CUSTOM_FACTORS = 50
MAX_MEDICINES = 200
MAX_MEDICINES_PER_NIGHT = 100


@dataclass(frozen=True, slots=True)
class DateWindow:
    """The dates a person's records may carry: from 1900 (or their birth year) to their today."""

    first: date
    last: date

    def problem(self, value: date) -> str | None:
        if value > self.last:
            return _("This date is in the future. Write a date up to today.")
        if value < self.first:
            if self.first == EARLIEST_NIGHT:
                return _("Write a date from 1 January 1900 onwards.")
            return _("Write a date from %(year)s onwards, the year you were born.") % {
                "year": self.first.year
            }
        return None

    def __contains__(self, value: object) -> bool:
        return isinstance(value, date) and self.problem(value) is None


def date_window(today: date, birth_year: int | None = None) -> DateWindow:
    """Records from 1900, or from the person's birth year when it is known, up to ``today``."""
    first = EARLIEST_NIGHT
    if birth_year is not None and EARLIEST_NIGHT.year < birth_year <= today.year:
        first = date(birth_year, 1, 1)
    return DateWindow(first, today)


def whole_number_message(field: str) -> str:
    """What a night's whole-number answer (or an episode's ``pain``) must be, in words."""
    low, high = EPISODE_PAIN if field == "pain" else NIGHT_NUMBERS[field]
    return _("Write a whole number from %(low)s to %(high)s.") % {"low": low, "high": high}


def whole_number_problem(field: str, value: Any) -> str | None:
    """A night's whole-number answer (``NIGHT_NUMBERS``), or the episode's ``pain``."""
    low, high = EPISODE_PAIN if field == "pain" else NIGHT_NUMBERS[field]
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        return whole_number_message(field)
    return None


def factor_max(name: str) -> float:
    return FACTOR_MAX.get(name, CUSTOM_FACTOR_MAX)


def factor_number_problem(name: str, value: Any) -> str | None:
    """A number factor's answer: zero or more, at most its maximum, at most two decimals."""
    high = factor_max(name)
    message = _("Write a number from 0 to %(max)s, such as 2 or 1.5.") % {"max": format_bound(high)}
    if isinstance(value, bool) or not isinstance(value, int | float):
        return message
    if isinstance(value, float) and not math.isfinite(value):
        return message
    if not 0 <= value <= high:
        return message
    if isinstance(value, float) and round(value, FACTOR_DECIMAL_PLACES) != value:
        return _("Write the number with at most two decimals, such as 1.5.")
    return None


def yes_no_message() -> str:
    return _("Answer yes or no.")


def format_bound(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else str(value)


def _bad_character(ch: str, multiline: bool) -> bool:
    if multiline and ch in "\n\r\t":
        return False
    return unicodedata.category(ch) in ("Cc", "Cs")


def text_problem(value: Any, max_length: int, *, multiline: bool = False) -> str | None:
    """Free text: a string, at most ``max_length`` characters, no control characters.

    Notes (``multiline``) may hold line breaks and tabs; names and labels may not. NUL cannot be
    stored by PostgreSQL and breaks the PDF report; a lone surrogate cannot be written as UTF-8.
    """
    if not isinstance(value, str):
        return _("Write this as text.")
    if len(value) > max_length:
        return _("Write at most %(n)s characters.") % {"n": f"{max_length:,}"}
    if any(_bad_character(ch, multiline) for ch in value):
        if multiline:
            return _(
                "The text contains a control character (such as NUL). Only letters, "
                "numbers, punctuation, spaces, tabs and line breaks can be kept."
            )
        return _(
            "The text contains a control character (such as NUL or a line break). Only "
            "letters, numbers, punctuation and spaces can be kept."
        )
    return None


def note_problem(value: Any) -> str | None:
    return text_problem(value, NOTE_MAX, multiline=True)


def medicine_name_problem(value: Any) -> str | None:
    """A medicine's name, as it appears in the nightly CSV's ``medicines_taken`` column."""
    problem = text_problem(value, MEDICINE_NAME_MAX)
    if problem:
        return problem
    if not value.strip():
        return _("Write a name.")
    if value != value.strip():
        return _("Write the name without spaces at the start or end.")
    if ";" in value:
        return _("Please leave out the “;” character: it separates names in the CSV file.")
    return None


def factor_name_problem(value: Any, builtin_names: tuple[str, ...] = ()) -> str | None:
    """A person's own factor's short name (its CSV column)."""
    if not isinstance(value, str) or not FACTOR_NAME.match(value):
        return _("Use lower-case letters, digits and _ only, starting with a letter (at most 40).")
    if value in builtin_names:
        return _("“%(name)s” is already a built-in column. Please choose another name.") % {
            "name": value
        }
    return None


def factor_label_problem(value: Any) -> str | None:
    problem = text_problem(value, FACTOR_LABEL_MAX)
    if problem:
        return problem
    if not value.strip():
        return _("Write the question to ask each morning.")
    return None


def too_many_factors(existing: int, adding: int = 1) -> str | None:
    if existing + adding > MAX_CUSTOM_FACTORS:
        return _("You can have at most %(n)s factors of your own. Remove one first.") % {
            "n": MAX_CUSTOM_FACTORS
        }
    return None


def too_many_medicines(existing: int, adding: int = 1) -> str | None:
    if existing + adding > MAX_MEDICINES:
        return _("You can have at most %(n)s medicines on your list. Remove one first.") % {
            "n": MAX_MEDICINES
        }
    return None


def stop_before_start(started: date | None, stopped: date | None) -> str | None:
    if started and stopped and stopped < started:
        return _("The stop date is before the start date.")
    return None


def implausible(field: str, value: float | None) -> str | None:
    """The check-in's question about a possible but unusual answer, or None."""
    limit = IMPLAUSIBLE_ABOVE.get(field)
    if value is None or limit is None or value <= limit:
        return None
    return _(
        "%(value)s is a lot. Please check it. If it is right, tick “Yes, these answers are right”."
    ) % {"value": format_bound(value) if float(value).is_integer() else value}


def night_record_problems(
    record: NightRecord, window: DateWindow, kinds: dict[str, str]
) -> list[tuple[str, str]]:
    """Every problem of one imported night, as (field, message); ``kinds`` maps factor to kind."""
    out: list[tuple[str, str]] = []
    date_problem = window.problem(record.night)
    if date_problem:
        out.append(("night", date_problem))
    for name in NIGHT_NUMBERS:
        value = record.cramps if name == "cramps" else getattr(record, name)
        if value is not None:
            problem = whole_number_problem(name, value)
            if problem:
                out.append((name, problem))
    for name, value in record.factors.items():
        if value is None:
            continue
        if kinds.get(name) == "yes_no":
            problem = None if value in (0, 1) else yes_no_message()
        else:
            problem = factor_number_problem(name, value)
        if problem:
            out.append((name, problem))
    return out + night_text_problems(record.medicines_taken, record.note)


def night_text_problems(medicines_taken: Sequence[str], note: str) -> list[tuple[str, str]]:
    """A night's medicines taken (names, how many) and note, as (field, message)."""
    out: list[tuple[str, str]] = []
    if len(medicines_taken) > MAX_MEDICINES_PER_NIGHT:
        out.append(
            (
                "medicines_taken",
                _("A night can list at most %(n)s medicines.") % {"n": MAX_MEDICINES_PER_NIGHT},
            )
        )
    for name in medicines_taken:
        problem = medicine_name_problem(name)
        if problem:
            out.append(("medicines_taken", problem))
            break
    problem = note_problem(note)
    if problem:
        out.append(("note", problem))
    return out


def medicine_record_problems(record: MedicineRecord, window: DateWindow) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for name, problem in (
        ("name", medicine_name_problem(record.name)),
        ("dose", text_problem(record.dose, DOSE_MAX)),
        ("started", record.started and window.problem(record.started)),
        ("stopped", record.stopped and window.problem(record.stopped)),
    ):
        if problem:
            out.append((name, problem))
    if not out:
        problem = stop_before_start(record.started, record.stopped)
        if problem:
            out.append(("stopped", problem))
    return out


def episode_record_problems(record: EpisodeRecord, window: DateWindow) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    problem = window.problem(record.night)
    if problem:
        out.append(("night", problem))
    if record.pain is not None:
        problem = whole_number_problem("pain", record.pain)
        if problem:
            out.append(("pain", problem))
    if record.duration_seconds is not None and not 0 <= record.duration_seconds <= 86_400:
        out.append(("ended_at", _("A cramp lasting more than a day is not a cramp to log here.")))
    return out


def import_problems(
    *,
    window: DateWindow,
    medicine_window: DateWindow,
    kinds: dict[str, str],
    nights: Iterable[NightRecord] = (),
    episodes: Iterable[EpisodeRecord] = (),
    medicines: Iterable[MedicineRecord] = (),
    new_factor_names: Sequence[str] = (),
    factors_before: int = 0,
    new_medicines: int = 0,
    medicines_before: int = 0,
) -> list[str]:
    """Every reason to refuse an import as a whole, each naming the record it is about.

    An import is all or nothing: one night the diary cannot hold refuses the file.
    """
    out: list[str] = []
    for night in nights:
        out += [
            f"{night.night.isoformat()}, {f}: {m}"
            for f, m in night_record_problems(night, window, kinds)
        ]
    for episode in episodes:
        out += [
            f"{episode.started_at.isoformat()}, {f}: {m}"
            for f, m in episode_record_problems(episode, window)
        ]
    for medicine in medicines:
        out += [
            f"{medicine.name[:40]}, {f}: {m}"
            for f, m in medicine_record_problems(medicine, medicine_window)
        ]
    for name in new_factor_names:
        problem = factor_name_problem(name)
        if problem:
            out.append(f"{name[:40]}: {problem}")
    for problem in (
        too_many_factors(factors_before, len(new_factor_names)) if new_factor_names else None,
        too_many_medicines(medicines_before, new_medicines) if new_medicines else None,
    ):
        if problem:
            out.append(problem)
    return out
