"""Input types shared by the API's schemas, strict where pydantic would guess."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from django.utils.translation import gettext as _
from pydantic import AwareDatetime, BeforeValidator, Field
from pydantic_core import PydanticCustomError

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


def _clean_text(value: Any) -> Any:
    # A NUL cannot be stored by PostgreSQL and a lone surrogate cannot be encoded as UTF-8:
    # refused here, they cannot turn into a server error later.
    if isinstance(value, str):
        if "\x00" in value:
            raise invalid(_("Text cannot contain the NUL character."))
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise invalid(_("Text must be valid Unicode.")) from None
    return value


def _clean_name(value: Any) -> Any:
    value = _clean_text(value)
    if isinstance(value, str):
        if not value.strip():
            raise invalid(_("Write a name."))
        if value != value.strip():
            raise invalid(_("Write the name without spaces at the start or end."))
        if ";" in value:
            raise invalid(
                _("Please leave out the “;” character: it separates names in the CSV file.")
            )
    return value


# Dates are written YYYY-MM-DD; a night is named by the date of its evening.
IsoDate = Annotated[date, BeforeValidator(_iso_date)]
NightDate = IsoDate
# In a query, `?from=` (empty) means no bound, as clients that fill in URL templates send it.
OptionalNightDate = Annotated[IsoDate | None, BeforeValidator(lambda v: None if v == "" else v)]
# An instant with its offset from UTC, such as 2026-11-26T03:12:00+00:00 (or ...Z).
Instant = Annotated[AwareDatetime, BeforeValidator(_iso_instant)]


def text_rules(max_length: int, **kwargs: Any) -> tuple[Any, ...]:
    """What a text field checks, spelled ``Annotated[str, *text_rules(120)]`` (a static type)."""
    return BeforeValidator(_clean_text), Field(max_length=max_length, **kwargs)


# A medicine's name, as it appears in the nightly CSV's `medicines_taken` column.
MedicineName = Annotated[str, BeforeValidator(_clean_name), Field(min_length=1, max_length=120)]
