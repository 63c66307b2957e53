"""Input types shared by the API's schemas, strict where pydantic would guess."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from django.utils.translation import gettext as _
from pydantic import AwareDatetime, BeforeValidator, Field
from pydantic_core import PydanticCustomError

from crampwise.diary.core import limits

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def invalid(message: str) -> PydanticCustomError:
    """A validation error whose translated message the error handler passes on as it is."""
    return PydanticCustomError("crampwise", "{message}", {"message": str(message)})


def _iso_date(value: Any) -> Any:
    # pydantic would also take 1700000000 or "20261125" as dates; a diary takes only YYYY-MM-DD.
    if isinstance(value, date):
        return value
    if isinstance(value, str) and ISO_DATE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise invalid(_("Write a date as YYYY-MM-DD, for example 2026-11-25."))


ISO_INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}")


def _iso_instant(value: Any) -> Any:
    # pydantic would also take a number of seconds since 1970; the API documents ISO 8601 only.
    if isinstance(value, datetime) or (isinstance(value, str) and ISO_INSTANT.match(value)):
        return value
    raise invalid(
        _("Write a time as ISO 8601 with its offset, for example 2026-11-26T03:12:00+00:00.")
    )


def checked(problem: str | None, value: Any) -> Any:
    """``value`` when the diary's rule found no ``problem``; else a validation error saying it."""
    if problem:
        raise invalid(problem)
    return value


def _clean_name(value: Any) -> Any:
    return checked(limits.medicine_name_problem(value), value)


def whole_number_rules(field: str) -> tuple[Any, ...]:
    """A night's whole-number answer checked by the diary's own rule (diary/core/limits.py), spelled
    ``Annotated[int | None, *whole_number_rules("cramps")]``."""

    def check(value: Any) -> Any:
        return value if value is None else checked(limits.whole_number_problem(field, value), value)

    return (BeforeValidator(check),)


# Dates are written YYYY-MM-DD; a night is named by the date of its evening.
IsoDate = Annotated[date, BeforeValidator(_iso_date)]
NightDate = IsoDate
# In a query, `?from=` (empty) means no bound, as clients that fill in URL templates send it.
OptionalNightDate = Annotated[IsoDate | None, BeforeValidator(lambda v: None if v == "" else v)]
# An instant with its offset from UTC, such as 2026-11-26T03:12:00+00:00 (or ...Z).
Instant = Annotated[AwareDatetime, BeforeValidator(_iso_instant)]


def text_rules(max_length: int, *, multiline: bool = False, **kwargs: Any) -> tuple[Any, ...]:
    """Text checked by the diary's rule (length; no control characters but in notes), spelled
    ``Annotated[str, *text_rules(120)]`` so that the type stays static."""

    def check(value: Any) -> Any:
        return checked(limits.text_problem(value, max_length, multiline=multiline), value)

    return BeforeValidator(check), Field(max_length=max_length, **kwargs)


# A medicine's name, as it appears in the nightly CSV's `medicines_taken` column.
MedicineName = Annotated[
    str,
    BeforeValidator(_clean_name),
    Field(min_length=1, max_length=limits.MEDICINE_NAME_MAX),
]
